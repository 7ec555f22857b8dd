// A step output is read from a step's handle, not from a job's.
use stackwright_github::{Expr, Job, Permissions, Push, RunsOn, Workflow};

fn main() {
    let mut wf = Workflow::new("ci", "CI");
    wf.on_push(Push::new());
    let job = wf.job("build", Job::new(RunsOn::ubuntu_latest(), Permissions::none()));
    let _ = Expr::step_output(&job, "version");
}

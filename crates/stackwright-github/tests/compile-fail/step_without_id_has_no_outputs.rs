// A step added without an id has no outputs to read.
use stackwright_github::{Job, Permissions, Push, RunsOn, Step, Workflow};

fn main() {
    let mut wf = Workflow::new("ci", "CI");
    wf.on_push(Push::new());
    let job = wf.job("build", Job::new(RunsOn::ubuntu_latest(), Permissions::none()));
    let step = wf.step(job, Step::run("make"));
    let _ = step.output("version");
}

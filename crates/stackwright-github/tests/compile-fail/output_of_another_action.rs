// A typed step offers its own action's outputs only: checkout has no `registry`.
use stackwright_github::actions::checkout;
use stackwright_github::{Job, Permissions, Push, RunsOn, Workflow};

fn main() {
    let mut wf = Workflow::new("ci", "CI");
    wf.on_push(Push::new());
    let job = wf.job("build", Job::new(RunsOn::ubuntu_latest(), Permissions::none()));
    let step = wf.step(job, checkout().id("checkout"));
    let _ = step.registry();
}

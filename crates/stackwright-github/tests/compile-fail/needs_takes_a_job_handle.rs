// `needs` takes the handle `Workflow::job` returned, never a job's name.
use stackwright_github::{Job, Permissions, RunsOn};

fn main() {
    let _ = Job::new(RunsOn::ubuntu_latest(), Permissions::none()).needs("build");
}

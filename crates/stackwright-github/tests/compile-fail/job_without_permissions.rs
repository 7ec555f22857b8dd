// Every job states its token's permissions.
use stackwright_github::{Job, RunsOn};

fn main() {
    let _ = Job::new(RunsOn::ubuntu_latest());
}

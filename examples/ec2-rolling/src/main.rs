//! `cargo run -p ec2-rolling` synthesizes the template, its buildspec.yml and its
//! appspec.yml into `stacks/`.

use stackwright::Run;

fn main() -> std::process::ExitCode {
    ec2_rolling::app().run()
}

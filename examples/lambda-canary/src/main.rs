//! `cargo run -p lambda-canary` synthesizes the template into `stacks/`.

use stackwright::Run;

fn main() -> std::process::ExitCode {
    lambda_canary::app().run()
}

//! `cargo run -p ecs-rolling` synthesizes the template and its buildspec.yml into `stacks/`.

use stackwright::Run;

fn main() -> std::process::ExitCode {
    ecs_rolling::app().run()
}

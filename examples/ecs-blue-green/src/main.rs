//! `cargo run -p ecs-blue-green` synthesizes the template, `taskdef.json` and `appspec.yml`
//! into `stacks/`.

use stackwright::Run;

fn main() -> std::process::ExitCode {
    ecs_blue_green::app().run()
}

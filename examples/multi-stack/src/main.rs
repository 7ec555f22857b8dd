//! `cargo run -p multi-stack` synthesizes both stacks into `stacks/`.

use stackwright::Run;

fn main() -> std::process::ExitCode {
    multi_stack::app().run()
}

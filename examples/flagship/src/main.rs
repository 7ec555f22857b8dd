//! `cargo run` synthesizes the flagship app into `stacks/`; `cargo run -- --help` for more.

use stackwright::Run;

fn main() -> std::process::ExitCode {
    flagship::app().run()
}

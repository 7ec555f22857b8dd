//! `cargo run -p sam-canary` synthesizes the SAM template into `stacks/`.

use stackwright::Run;

fn main() -> std::process::ExitCode {
    sam_canary::app().run()
}

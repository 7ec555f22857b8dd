//! `cargo run -p cross-account` synthesizes the `Tooling` and `Production` templates into
//! `stacks/`.

use stackwright::Run;

fn main() -> std::process::ExitCode {
    cross_account::app().run()
}

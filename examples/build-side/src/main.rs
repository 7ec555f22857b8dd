//! `cargo run -p build-side` synthesizes the template and its buildspec.yml into `stacks/`.

use stackwright::Run;

fn main() -> std::process::ExitCode {
    build_side::app().run()
}

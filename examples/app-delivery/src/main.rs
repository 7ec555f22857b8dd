//! `cargo run -p app-delivery` synthesizes the three stacks into `stacks/`.

use stackwright::Run;

fn main() -> std::process::ExitCode {
    app_delivery::app().run()
}

//! `cargo run -p github-ecs` synthesizes the role stack into `stacks/` and the workflow into
//! `.github/workflows/` (`--workflow-dir` to choose).

use stackwright::Run;

fn main() -> std::process::ExitCode {
    github_ecs::app().run()
}

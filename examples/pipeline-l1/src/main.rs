//! `cargo run -p pipeline-l1` synthesizes the pipeline into `stacks/`; `-- --help` for more.

use stackwright::Run;

fn main() -> std::process::ExitCode {
    pipeline_l1::app().run()
}

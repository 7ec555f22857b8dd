//! How long rendering the flagship's delivery as a GitHub Actions workflow takes: turning
//! the pipeline's stages into the workflow (the build job from the completed buildspec and
//! the project's variables, the approval, the blue/green deploy), checking it and rendering
//! the YAML. `cargo bench -p flagship --bench workflow` prints the median and the 99th
//! percentile over many runs; the budget is 1 ms.
//!
//! Without `--bench` (as when `cargo test --all-targets` runs it) it renders once and checks
//! the output is the same twice, so the test suite stays fast and asserts no duration.

use std::hint::black_box;
use std::time::{Duration, Instant};

const RUNS: usize = 20_000;

fn main() {
    let (app, workflow) = flagship::app_and_workflow();
    let Some(yaml) = workflow.render_yaml(&app) else {
        eprintln!("the workflow does not render: {:?}", app.synth(stackwright::Format::Json).err());
        std::process::exit(1);
    };
    if !std::env::args().any(|a| a == "--bench") {
        assert_eq!(workflow.render_yaml(&app).as_deref(), Some(yaml.as_str()));
        return;
    }
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            black_box(workflow.render_yaml(black_box(&app)));
            start.elapsed()
        })
        .collect();
    times.sort();
    let (median, p99) = (times[RUNS / 2], times[RUNS * 99 / 100]);
    println!("flagship delivery as a workflow, {} bytes of YAML, {RUNS} runs:", yaml.len());
    println!("  stages to workflow, check and render   median {median:>10.2?}   p99 {p99:>10.2?}");
    if median >= Duration::from_millis(1) {
        eprintln!("rendering takes {median:?}, over the 1 ms budget");
        std::process::exit(1);
    }
}

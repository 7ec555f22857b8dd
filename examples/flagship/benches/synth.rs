//! How long the flagship app takes to synthesize in-process: building the model, and model
//! to bytes in memory, in JSON and YAML, with and without the rule pack. `cargo bench -p
//! flagship`.
//!
//! Plain timing with a median over many runs; run with `--bench` for the full measurement,
//! without it (as `cargo test --all-targets` does) it runs once as a smoke test.

use std::hint::black_box;
use std::time::{Duration, Instant};

use stackwright::Format;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn measure(iterations: usize, mut f: impl FnMut()) -> Duration {
    let samples = (0..iterations)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    median(samples)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let iterations = if full { 200 } else { 1 };
    let build = measure(iterations, || {
        black_box(flagship::app());
    });
    let app = flagship::app();
    let json = measure(iterations, || {
        black_box(app.synth(Format::Json).ok());
    });
    let yaml = measure(iterations, || {
        black_box(app.synth(Format::Yaml).ok());
    });
    let both = measure(iterations, || {
        black_box(flagship::app().synth(Format::Json).ok());
    });
    // The same synthesis without the rule pack, to see what the rules cost.
    let mut bare = flagship::app();
    bare.clear_rule_packs();
    let json_bare = measure(iterations, || {
        black_box(bare.synth(Format::Json).ok());
    });
    let resources: usize = app.stacks().iter().map(|s| s.resources().count()).sum();
    println!(
        "flagship: {} stacks, {resources} resources (median of {iterations})",
        app.stacks().len()
    );
    println!("  build model        {:>8.3} ms", build.as_secs_f64() * 1e3);
    println!("  synth JSON         {:>8.3} ms", json.as_secs_f64() * 1e3);
    println!("  synth JSON, no pack{:>8.3} ms", json_bare.as_secs_f64() * 1e3);
    println!(
        "  rule pack cost     {:>8.2}x",
        json.as_secs_f64() / json_bare.as_secs_f64().max(f64::MIN_POSITIVE)
    );
    println!("  synth YAML         {:>8.3} ms", yaml.as_secs_f64() * 1e3);
    println!("  build + synth JSON {:>8.3} ms", both.as_secs_f64() * 1e3);
}

//! How synthesis time and memory scale with the number of resources.
//!
//! `cargo bench -p stackwright-core` builds apps of 100, 1,000 and 10,000 raw resources
//! (stacks of at most 500; each resource references an earlier one through `Ref` and through a
//! `sub!` with `Fn::GetAtt`; every 50th references the previous stack, so exports and imports
//! are part of the work) and prints, per size: the median time to build the model, the median
//! time to synthesize it to JSON in memory, the bytes produced, and memory.
//!
//! Plain `std` timing, no criterion, to keep CI builds light. Memory comes from
//! `/proc/self/status` (Linux), not from a counting global allocator: the workspace forbids
//! `unsafe_code` for every target of the package, and a `GlobalAlloc` impl needs `unsafe`.
//! Each size is measured in a child process (this binary, re-run with
//! `STACKWRIGHT_BENCH_MEMORY=<size>`): it builds the model, resets the peak RSS (`VmHWM`,
//! via `/proc/self/clear_refs`), synthesizes once and reports the peak over the RSS before
//! synthesis. A fresh process keeps memory freed by earlier sizes from hiding the growth.
//!
//! Without `--bench` (as when `cargo test --all-targets` runs it) it only checks that a small
//! app synthesizes, so the test suite stays fast.

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;
use stackwright_core::{App, Format, Handle, RawHandle, RawResource, pseudo, sub};

/// Resources per stack; CloudFormation's quota is 500.
const PER_STACK: usize = 500;
/// Every this many resources, one references the previous stack instead of its own.
const CROSS_STACK_EVERY: usize = 50;
const MEMORY_ENV: &str = "STACKWRIGHT_BENCH_MEMORY";

/// An app of `n` resources with references between them.
fn build(n: usize) -> App {
    let mut app = App::new();
    let mut handles: Vec<RawHandle> = Vec::with_capacity(n);
    for first in (0..n).step_by(PER_STACK) {
        let mut stack = app.stack(format!("Stack{}", first / PER_STACK));
        for i in first..n.min(first + PER_STACK) {
            let mut r = RawResource::new("AWS::SQS::Queue")
                .property("VisibilityTimeout", json!(30))
                .property("Tags", json!([{"Key": "index", "Value": i.to_string()}]));
            let target = if i % CROSS_STACK_EVERY == 0 && i >= PER_STACK {
                Some(handles[i - PER_STACK])
            } else if i > first {
                Some(handles[i - 1 - (i % 7).min(i - 1 - first)])
            } else {
                None
            };
            if let Some(t) = target {
                r = r.property("RedriveSource", t.reference()).property(
                    "Policy",
                    sub!(
                        "arn:{}:sqs:{}:{}:{}/*",
                        pseudo::partition(),
                        pseudo::region(),
                        pseudo::account_id(),
                        t.get_att::<String>("Arn")
                    ),
                );
            }
            handles.push(stack.child("Service").add(&format!("Queue{i}"), r));
        }
    }
    app
}

fn synth_bytes(app: &App, format: Format) -> usize {
    match app.synth(format) {
        Ok(a) => a.files().iter().map(|(_, body)| body.len()).sum(),
        Err(d) => {
            eprintln!("{d}");
            std::process::exit(1);
        }
    }
}

/// Median of `f`'s run time, over enough runs to take about a second (at least 5).
fn median(mut f: impl FnMut()) -> Duration {
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 5 || (start.elapsed() < Duration::from_secs(1) && times.len() < 10_000) {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    times.sort_unstable();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// A `kB` field of `/proc/self/status`.
fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Child process: prints `model_kb synth_peak_kb` for an app of `n` resources.
fn measure_memory(n: usize) {
    let start = status_kb("VmRSS:").unwrap_or(0);
    let app = build(n);
    let before = status_kb("VmRSS:").unwrap_or(0);
    // Writing 5 resets the peak resident set size to the current one (Linux 4.0+).
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let bytes = synth_bytes(&app, Format::Json);
    black_box(bytes);
    match (reset, status_kb("VmHWM:")) {
        (true, Some(peak)) => println!("{} {}", before - start, peak.saturating_sub(before)),
        _ => println!("n/a"),
    }
}

/// Runs the memory measurement for `n` in a fresh process.
fn memory_of(n: usize) -> (String, String) {
    let na = || ("n/a".to_owned(), "n/a".to_owned());
    let Ok(exe) = std::env::current_exe() else {
        return na();
    };
    let Ok(out) = Command::new(exe).env(MEMORY_ENV, n.to_string()).output() else {
        return na();
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let mb =
        |kb: &str| kb.parse::<f64>().map_or("n/a".to_owned(), |k| format!("{:.1}", k / 1024.0));
    match text.split_whitespace().collect::<Vec<_>>().as_slice() {
        [model, peak] => (mb(model), mb(peak)),
        _ => na(),
    }
}

fn main() {
    if let Some(n) = std::env::var(MEMORY_ENV).ok().and_then(|v| v.parse().ok()) {
        measure_memory(n);
        return;
    }
    if !std::env::args().any(|a| a == "--bench") {
        // Smoke run under `cargo test`: the fixture is valid in both formats.
        let app = build(2 * PER_STACK + 10);
        assert!(synth_bytes(&app, Format::Json) > 0 && synth_bytes(&app, Format::Yaml) > 0);
        return;
    }

    println!(
        "{:>9} {:>7} {:>10} {:>10} {:>12} {:>9} {:>14}",
        "resources", "stacks", "build ms", "synth ms", "bytes out", "model MB", "synth peak MB"
    );
    for n in [100, 1_000, 10_000] {
        let build_time = median(|| {
            black_box(build(n));
        });
        let app = build(n);
        let bytes = synth_bytes(&app, Format::Json);
        let synth_time = median(|| {
            black_box(synth_bytes(&app, Format::Json));
        });
        let (model_mb, peak_mb) = memory_of(n);
        println!(
            "{:>9} {:>7} {:>10.2} {:>10.2} {:>12} {:>9} {:>14}",
            n,
            app.stacks().len(),
            ms(build_time),
            ms(synth_time),
            bytes,
            model_mb,
            peak_mb
        );
    }
    let app = build(1_000);
    let yaml_bytes = synth_bytes(&app, Format::Yaml);
    let yaml_time = median(|| {
        black_box(synth_bytes(&app, Format::Yaml));
    });
    println!("YAML, 1000 resources: synth {:.2} ms, {} bytes out", ms(yaml_time), yaml_bytes);
}

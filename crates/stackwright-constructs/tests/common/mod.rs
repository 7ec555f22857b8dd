//! Helpers shared by the construct tests.

use stackwright_core::{App, Format};

/// The synthesized JSON of one stack, parsed.
pub fn template(app: &App, stack: &str) -> serde_json::Value {
    let assembly = match app.synth(Format::Json) {
        Ok(a) => a,
        Err(d) => panic!("synthesis failed:\n{d}"),
    };
    let body = assembly.stack(stack).map(|s| s.body.clone()).unwrap_or_default();
    serde_json::from_str(&body).unwrap_or_default()
}

/// The error messages synthesis reports.
pub fn errors(app: &App) -> Vec<String> {
    match app.synth(Format::Json) {
        Ok(_) => Vec::new(),
        Err(d) => d.errors.iter().map(ToString::to_string).collect(),
    }
}

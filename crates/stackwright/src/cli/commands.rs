//! What each subcommand does. Each returns its exit code; the `io::Result` only carries
//! failures to write to `out`/`err` themselves. Failures to read or write the output folder
//! are reported as `error: ...` lines naming the path, with exit code 1.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use stackwright_core::synth::MANIFEST_FILE;
use stackwright_core::{
    App, Assembly, DEFAULT_OUTPUT_DIR_IN_SOURCE, Format, Root, Roots, security,
};

use super::diff::write_drift;
use super::source::output_dir_in_source;
use super::{CompareArgs, DEFAULT_WORKFLOW_DIR, RulesFormat, SynthArgs};

/// Whether a comparison is informational (`diff`) or a gate (`check`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Diff,
    Check,
}

/// `synth`: synthesize, then write every file and say what happened to each.
pub(crate) fn synth(
    app: &App,
    args: &SynthArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<i32> {
    let location = (args.out.as_path(), args.source_root.as_deref());
    let strict;
    let app = if args.strict {
        let mut copy = app.clone();
        copy.strict_rules(true);
        strict = copy;
        &strict
    } else {
        app
    };
    let Some(assembly) = synthesize(app, args.format.into(), &args.stacks, location, err)? else {
        return Ok(1);
    };
    let mut notice_failed = None;
    let roots = Roots::with_workflow(&args.out, &args.workflow_dir);
    let written = assembly.write_waiting(roots, &mut || {
        let dir = args.out.display();
        notice_failed = writeln!(err, "waiting for another synth into {dir} to finish...").err();
    });
    if let Some(e) = notice_failed {
        return Err(e);
    }
    let report = match written {
        Ok(report) => report,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(1);
        }
    };
    // Files in the order synthesis produced them (templates in deployment order, then the
    // manifest, then the workflows), so the output reads the same on every run.
    let files = assembly.files().into_iter().map(|(f, _)| (Root::Output, f));
    let workflows = assembly.workflow_files().into_iter().map(|(f, _)| (Root::Workflow, f));
    for (root, file) in files.chain(workflows) {
        let written = report.written.iter().any(|(r, w)| *r == root && w == file);
        let verb = if written { "wrote" } else { "unchanged" };
        writeln!(out, "{verb} {}", roots.dir(root).unwrap_or(&args.out).join(file).display())?;
    }
    for (root, file) in &report.removed {
        writeln!(out, "removed {}", roots.dir(*root).unwrap_or(&args.out).join(file).display())?;
    }
    for note in &report.notes {
        writeln!(err, "note: {note}")?;
    }
    write_warnings(&assembly, err)?;
    Ok(0)
}

/// `rules`: the app's rules as text or JSON, or its findings as SARIF.
pub(crate) fn rules(
    app: &App,
    format: RulesFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<i32> {
    let rules = app.rules();
    match format {
        RulesFormat::Text => write!(out, "{}", security::rules_text(&rules))?,
        RulesFormat::Json => write!(out, "{}", security::rules_json(&rules))?,
        RulesFormat::Sarif => {
            // Findings are results here, never a reason to fail.
            let mut lenient = app.clone();
            lenient.strict_rules(false);
            let location = (Path::new(DEFAULT_OUTPUT_DIR_IN_SOURCE), None);
            let Some(assembly) = synthesize(&lenient, Format::Json, &[], location, err)? else {
                return Ok(1);
            };
            write!(out, "{}", security::rules_sarif(&rules, assembly.findings()))?;
        }
    }
    Ok(0)
}

/// `list`: stack names in deployment order.
pub(crate) fn list(app: &App, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<i32> {
    let location = (Path::new(DEFAULT_OUTPUT_DIR_IN_SOURCE), None);
    let Some(assembly) = synthesize(app, Format::Json, &[], location, err)? else {
        return Ok(1);
    };
    for stack in assembly.stacks() {
        if stack.depends_on.is_empty() {
            writeln!(out, "{}", stack.name)?;
        } else {
            writeln!(out, "{}  (depends on: {})", stack.name, stack.depends_on.join(", "))?;
        }
    }
    Ok(0)
}

/// `diff` and `check`: compare the output folder with a fresh synthesis.
pub(crate) fn compare(
    app: &App,
    args: &CompareArgs,
    mode: Mode,
    out: &mut dyn Write,
    err: &mut dyn Write,
    color: bool,
) -> io::Result<i32> {
    let format = match args.format {
        Some(f) => f.into(),
        None => match manifest_format(&args.out) {
            Ok(f) => f,
            Err(e) => {
                writeln!(
                    err,
                    "error: cannot read {}: {e}",
                    args.out.join(MANIFEST_FILE).display()
                )?;
                return Ok(1);
            }
        },
    };
    let location = (args.out.as_path(), args.source_root.as_deref());
    let Some(assembly) = synthesize(app, format, &args.stacks, location, err)? else {
        return Ok(1);
    };
    let roots = Roots::with_workflow(&args.out, &args.workflow_dir);
    let mut drift = match assembly.compare(roots) {
        Ok(drift) => drift,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(1);
        }
    };
    let workflows = assembly.workflow_files();
    let mut compared = assembly.files().len() + workflows.len();
    if !args.stacks.is_empty() {
        // A selection's manifest lists only the selected stacks, so it always differs from
        // the full one on disk, and the other stacks' templates would look left over. Compare
        // just the selected templates and workflows.
        let selected: Vec<&str> = assembly.stacks().iter().map(|s| s.file.as_str()).collect();
        drift.retain(|d| match d.root() {
            Root::Output => selected.contains(&d.path()),
            Root::Workflow => workflows.iter().any(|(w, _)| *w == d.path()),
        });
        compared = selected.len() + workflows.len();
    }

    for (i, d) in drift.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        write_drift(out, roots.dir(d.root()).unwrap_or(&args.out), d, color)?;
    }
    write_warnings(&assembly, err)?;

    if drift.is_empty() {
        writeln!(out, "stacks are up to date ({compared} file{})", plural(compared))?;
        return Ok(0);
    }
    if mode == Mode::Diff {
        return Ok(0);
    }
    writeln!(
        err,
        "error: {} file(s) in {} are stale; run `{}` to regenerate them",
        drift.len(),
        stale_folders(args, &drift),
        regenerate_hint(args, format),
    )?;
    Ok(1)
}

/// Synthesizes for the output folder and source root in `location` and applies `--stack`;
/// on failure prints why and returns `None`.
fn synthesize(
    app: &App,
    format: Format,
    stacks: &[String],
    (out_dir, source_root): (&Path, Option<&Path>),
    err: &mut dyn Write,
) -> io::Result<Option<Assembly>> {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => {
            writeln!(err, "error: cannot read the current directory: {e}")?;
            return Ok(None);
        }
    };
    let in_source = match output_dir_in_source(&cwd, out_dir, source_root) {
        Ok(dir) => dir,
        Err(message) => {
            writeln!(err, "error: {message}")?;
            return Ok(None);
        }
    };
    let assembly = match app.synth_for_source(format, &in_source) {
        Ok(assembly) => assembly,
        Err(diagnostics) => {
            write!(err, "{diagnostics}")?;
            return Ok(None);
        }
    };
    match assembly.select(stacks) {
        Ok(assembly) => Ok(Some(assembly)),
        Err(message) => {
            writeln!(err, "error: {message}")?;
            Ok(None)
        }
    }
}

fn write_warnings(assembly: &Assembly, err: &mut dyn Write) -> io::Result<()> {
    for warning in assembly.warnings() {
        writeln!(err, "warning: {warning}")?;
    }
    Ok(())
}

/// The format the manifest in `dir` records; JSON when there is no manifest or it does not
/// say (a hand-edited or damaged manifest then simply shows up as changed). Only a manifest
/// that exists and cannot be read at all is an error.
fn manifest_format(dir: &Path) -> io::Result<Format> {
    let bytes = match fs::read(dir.join(MANIFEST_FILE)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Format::Json),
        // A folder in its place is named by the comparison itself.
        Err(_) if dir.join(MANIFEST_FILE).is_dir() => return Ok(Format::Json),
        Err(e) => return Err(e),
    };
    let manifest: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    Ok(match manifest.get("format").and_then(|f| f.as_str()) {
        Some("yaml") => Format::Yaml,
        _ => Format::Json,
    })
}

/// The command that rewrites the folder with the options `check` was given. `--stack` is
/// left out on purpose: regenerating everything is always right.
fn regenerate_hint(args: &CompareArgs, format: Format) -> String {
    let mut options = String::new();
    if args.out != Path::new("stacks") {
        options.push_str(&format!(" --out {}", args.out.display()));
    }
    if args.workflow_dir != Path::new(DEFAULT_WORKFLOW_DIR) {
        options.push_str(&format!(" --workflow-dir {}", args.workflow_dir.display()));
    }
    if format != Format::Json {
        options.push_str(&format!(" --format {}", format.extension()));
    }
    if options.is_empty() { "cargo run".to_owned() } else { format!("cargo run -- synth{options}") }
}

/// The folders holding the drifted files: the output folder, the workflow folder, or both.
fn stale_folders(args: &CompareArgs, drift: &[stackwright_core::Drift]) -> String {
    let output = drift.iter().any(|d| d.root() == Root::Output);
    let workflow = drift.iter().any(|d| d.root() == Root::Workflow);
    match (output, workflow) {
        (true, true) => {
            format!("{} and {}", args.out.display(), args.workflow_dir.display())
        }
        (false, true) => args.workflow_dir.display().to_string(),
        _ => args.out.display().to_string(),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

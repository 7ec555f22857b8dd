//! Maintenance tasks for the workspace, run as `cargo xtask <task>`.
//!
//! - `codegen [--check]`: regenerates `crates/stackwright-aws` from the pinned cfn-lint
//!   schemas; with `--check`, fails when the committed code differs from what it would write.
//! - `lint-templates`: synthesizes every example in JSON and YAML into
//!   `target/xtask/templates/` and runs the pinned cfn-lint over all of it (installed into a
//!   virtual environment by `scripts/install-cfn-lint.sh`). Fails on any error or warning.
//! - `lint-workflows DIR...`: checks every GitHub Actions workflow (`*.yml`, `*.yaml`) under
//!   the folders against GitHub's workflow schema (check-jsonschema) and with zizmor, both
//!   pinned and offline (`scripts/lint-workflows.sh`). Fails on any finding; an action
//!   referenced by its tag passes zizmor (`scripts/zizmor.yml`), since the workflow model
//!   warns about every unpinned reference itself.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use clap::{Parser, Subcommand};

mod codegen;

#[derive(Parser)]
#[command(about = "Maintenance tasks for the stackwright workspace")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Synthesize every example (JSON and YAML) and lint the templates with cfn-lint.
    LintTemplates,
    /// Check GitHub Actions workflows with check-jsonschema and zizmor, offline.
    LintWorkflows {
        /// Folders holding the workflow files.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
    },
    /// Regenerate stackwright-aws from the pinned CloudFormation schemas.
    Codegen {
        /// Only check that the committed code is what the generator writes.
        #[arg(long)]
        check: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::LintTemplates => lint_templates(),
        Task::LintWorkflows { dirs } => lint_workflows(&dirs),
        Task::Codegen { check } => codegen::run(&workspace_root(), check),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    // xtask/ sits directly under the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The examples: every folder under `examples/` with a Cargo.toml, named as its package.
fn examples(root: &Path) -> Result<Vec<String>, String> {
    let dir = root.join("examples");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().join("Cargo.toml").is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    Ok(names)
}

pub(crate) fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{cmd:?} failed with {status}")) }
}

fn lint_templates() -> Result<(), String> {
    let root = workspace_root();
    let out = root.join("target/xtask/templates");
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let names = examples(&root)?;
    if names.is_empty() {
        return Err("no examples found".into());
    }
    for name in &names {
        for format in ["json", "yaml"] {
            let dir = out.join(name).join(format);
            run(Command::new(&cargo)
                .current_dir(&root)
                .args([
                    "run",
                    "--quiet",
                    "--package",
                    name,
                    "--",
                    "synth",
                    "--format",
                    format,
                    "--out",
                ])
                .arg(&dir)
                // Workflows go beside the templates, never into this repository's own.
                .arg("--workflow-dir")
                .arg(out.join(name).join(format!("{format}-workflows"))))?;
        }
    }
    run(Command::new(root.join("scripts/lint-templates.sh")).arg(&out))
}

fn lint_workflows(dirs: &[PathBuf]) -> Result<(), String> {
    run(Command::new(workspace_root().join("scripts/lint-workflows.sh")).args(dirs))
}

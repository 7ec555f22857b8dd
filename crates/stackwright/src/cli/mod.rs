//! The command line every stackwright program gets from `app.run()`: `synth` (the default),
//! `list`, `diff` and `check`, in the manner of `cdk synth`, `cdk list` and `cdk diff`.
//!
//! Three ways in, from most to least packaged:
//!
//! - [`Run::run`] parses the process arguments and writes to stdout and stderr;
//! - [`run_with_args`] takes the arguments and the output sinks, for tests;
//! - [`execute`] runs one parsed [`Command`], for programs that fold [`Command`] into a clap
//!   parser of their own.
//!
//! Exit codes: 0 success; 1 an invalid app, stale files (`check`) or an I/O error; 2 a usage
//! error (clap's code). `--help` and `--version` exit 0.

mod commands;
mod diff;
mod source;

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Where GitHub reads workflows from, relative to the repository root (the current
/// directory when `synth` runs there).
pub const DEFAULT_WORKFLOW_DIR: &str = ".github/workflows";
use stackwright_core::{App, Format};

const LONG_ABOUT: &str = "\
Synthesizes the AWS CloudFormation templates of this app's stacks.

This program declares its infrastructure in Rust with stackwright. Running it writes one \
CloudFormation template per stack, and a manifest.json listing them, into an output folder \
(`stacks` by default), and the app's workflow files, if it has any, into `.github/workflows`. \
Commit them and deploy the templates with CloudFormation.

With no command it runs `synth`. Run `check` in CI to fail when the committed templates are \
stale, `diff` to see what the next `synth` would change, and `list` to see the stacks in \
deployment order.";

const AFTER_LONG_HELP: &str = "\
Exit status: 0 on success; 1 when the app is invalid, `check` finds stale files, or a file \
cannot be read or written; 2 on a usage error.";

/// The command line of a stackwright program. `app.run()` parses it from the process
/// arguments; with no subcommand it synthesizes with the top-level `synth` options.
#[derive(Clone, Debug, Parser)]
#[command(
    name = "stackwright",
    version,
    about = "Synthesizes the AWS CloudFormation templates of this app's stacks.",
    long_about = LONG_ABOUT,
    after_long_help = AFTER_LONG_HELP,
    // `prog --out dir` means `prog synth --out dir`; mixing them with a subcommand is an error.
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// What to do; `synth` when absent.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The options of the default `synth`, when no subcommand is given.
    #[command(flatten, next_help_heading = "Synth options (when no command is given)")]
    pub synth: SynthArgs,
}

impl Cli {
    /// The command to run: the subcommand, or `synth` with the top-level options.
    pub fn into_command(self) -> Command {
        self.command.unwrap_or(Command::Synth(self.synth))
    }
}

/// The subcommands. Public so a program with a CLI of its own can embed them with
/// `#[command(subcommand)]` and dispatch with [`execute`].
#[derive(Clone, Debug, Subcommand)]
pub enum Command {
    /// Write the templates and manifest.json into the output folder (the default command).
    ///
    /// Files whose contents did not change are left untouched; files a previous synth wrote
    /// and the app no longer produces are removed. Nothing is written when the app is
    /// invalid.
    Synth(SynthArgs),
    /// Print the stack names in deployment order, with the stacks each depends on.
    List,
    /// Show how the files in the output folder differ from what synth would write.
    ///
    /// Informational: exits 0 whenever the app is valid, even when files differ.
    Diff(CompareArgs),
    /// Fail when the files in the output folder are not what synth would write.
    ///
    /// A CI gate in the manner of `cargo fmt --check`: prints the differences and exits 1
    /// when any file is missing, changed or left over.
    Check(CompareArgs),
    /// List the security rules the app is checked with, or its findings as SARIF.
    ///
    /// `text` and `json` list every rule with its severity, its cdk-nag and checkov
    /// equivalents, what it finds and the fix. `sarif` synthesizes the app and writes a
    /// SARIF 2.1.0 log whose results point at the file and line that created each construct.
    Rules(RulesArgs),
}

/// Options of `rules`.
#[derive(Clone, Debug, Default, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

/// `rules --format` values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// One block per rule.
    #[default]
    Text,
    /// A JSON array of the rules.
    Json,
    /// A SARIF 2.1.0 log: the rules and the app's findings with file and line.
    Sarif,
}

/// Options of `synth`.
#[derive(Clone, Debug, Args)]
pub struct SynthArgs {
    /// Folder to write into, relative to the current directory.
    #[arg(long, value_name = "DIR", default_value = "stacks", value_hint = clap::ValueHint::DirPath)]
    pub out: PathBuf,

    /// Template format.
    #[arg(long, value_enum, default_value_t = FormatArg::Json)]
    pub format: FormatArg,

    /// Only this stack; repeat for several. Default: every stack.
    #[arg(long = "stack", value_name = "NAME")]
    pub stacks: Vec<String>,

    /// The root of the source repository the build checks out, which templates name
    /// companion files relative to (a project's `buildspec.yml` in the output folder).
    /// Default: the nearest folder above the output folder holding `.git`, else the current
    /// directory.
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub source_root: Option<PathBuf>,

    /// Folder the app's workflow files go to, relative to the current directory. Files in it
    /// that no synth wrote are never touched.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_WORKFLOW_DIR, value_hint = clap::ValueHint::DirPath)]
    pub workflow_dir: PathBuf,
    /// Fail when a security rule finds something no suppression covers (findings are
    /// warnings otherwise).
    #[arg(long)]
    pub strict: bool,
}

impl Default for SynthArgs {
    fn default() -> Self {
        SynthArgs {
            out: PathBuf::from("stacks"),
            format: FormatArg::Json,
            stacks: Vec::new(),
            source_root: None,
            workflow_dir: PathBuf::from(DEFAULT_WORKFLOW_DIR),
            strict: false,
        }
    }
}

/// Options of `diff` and `check`.
#[derive(Clone, Debug, Args)]
pub struct CompareArgs {
    /// Folder holding the committed templates, relative to the current directory.
    #[arg(long, value_name = "DIR", default_value = "stacks", value_hint = clap::ValueHint::DirPath)]
    pub out: PathBuf,

    /// Template format. Default: the format recorded in the folder's manifest.json, or json
    /// when there is none.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,

    /// Only this stack's template; repeat for several. The manifest is then not compared.
    #[arg(long = "stack", value_name = "NAME")]
    pub stacks: Vec<String>,

    /// The root of the source repository, as for `synth`.
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub source_root: Option<PathBuf>,

    /// Folder holding the committed workflow files, as for `synth`.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_WORKFLOW_DIR, value_hint = clap::ValueHint::DirPath)]
    pub workflow_dir: PathBuf,
}

/// `--format` values; mirrors [`Format`], which has no clap dependency.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Pretty-printed JSON (`.template.json`).
    #[default]
    Json,
    /// YAML with short-form intrinsic tags such as `!Ref` (`.template.yaml`).
    Yaml,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Json => Format::Json,
            FormatArg::Yaml => Format::Yaml,
        }
    }
}

impl From<Format> for FormatArg {
    fn from(f: Format) -> FormatArg {
        match f {
            Format::Json => FormatArg::Json,
            Format::Yaml => FormatArg::Yaml,
        }
    }
}

/// Runs an app as a command-line program: `app.run()` at the end of `main`.
pub trait Run {
    /// Parses the process arguments, runs the command, and returns the exit code for
    /// `main` to return. Diffs are coloured when stdout is a terminal and `NO_COLOR` is
    /// unset or empty.
    fn run(self) -> ExitCode;
}

impl Run for App {
    /// Checks the app with the AWS rule pack (`stackwright::rules::PACK`) unless a pack was
    /// registered already; register an empty pack (`app.add_rule_pack(&[])`) for none.
    fn run(mut self) -> ExitCode {
        if !self.has_rule_packs() {
            self.add_rule_pack(stackwright_constructs::rules::PACK);
        }
        let mut out = io::stdout().lock();
        let mut err = io::stderr().lock();
        let code = run_styled(&self, std::env::args_os(), &mut out, &mut err, use_color());
        // Flushing can only fail when stdout is gone; the exit code is all that is left.
        let code = if out.flush().is_err() { 1 } else { code };
        ExitCode::from(u8::try_from(code).unwrap_or(1))
    }
}

/// Whether to colour output written to stdout: it is a terminal and `NO_COLOR` is unset (or
/// empty).
pub fn use_color() -> bool {
    // https://no-color.org: a present, non-empty NO_COLOR turns colour off.
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Parses `args` (the first is the program name, as in `std::env::args_os`) and runs the
/// command against `app`, writing to `out` and `err` without colour. Returns the exit code;
/// never exits the process.
pub fn run_with_args<I, T>(app: &App, args: I, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    run_styled(app, args, out, err, false)
}

fn run_styled<I, T>(
    app: &App,
    args: I,
    out: &mut dyn Write,
    err: &mut dyn Write,
    color: bool,
) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    match Cli::try_parse_from(args) {
        Ok(cli) => execute(app, cli.into_command(), out, err, color),
        Err(e) => {
            // `--help` and `--version` arrive as "errors" that belong on stdout with code 0.
            let sink: &mut dyn Write = if e.use_stderr() { &mut *err } else { &mut *out };
            let text = e.render();
            let written = if color && !e.use_stderr() {
                write!(sink, "{}", text.ansi())
            } else {
                write!(sink, "{text}")
            };
            match written {
                Ok(()) => e.exit_code(),
                Err(_) => 1,
            }
        }
    }
}

/// Runs one parsed command against `app`, writing results to `out` and problems to `err`.
/// `color` turns on ANSI colours in diffs (see [`use_color`]). Returns the exit code.
pub fn execute(
    app: &App,
    command: Command,
    out: &mut dyn Write,
    err: &mut dyn Write,
    color: bool,
) -> i32 {
    let result = match &command {
        Command::Synth(args) => commands::synth(app, args, out, err),
        Command::List => commands::list(app, out, err),
        Command::Rules(args) => commands::rules(app, args.format, out, err),
        Command::Diff(args) => commands::compare(app, args, commands::Mode::Diff, out, err, color),
        Command::Check(args) => {
            commands::compare(app, args, commands::Mode::Check, out, err, color)
        }
    };
    // Only writing to `out`/`err` themselves fails here (a closed pipe); nothing to report to.
    result.unwrap_or(1)
}

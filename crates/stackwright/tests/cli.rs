//! The embedded CLI end to end, through `run_with_args`, against real folders.

// Tests assert by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;
use std::path::{Path, PathBuf};

use clap::Parser;
use serde_json::json;
use stackwright::cli::{Command, run_with_args};
use stackwright::{App, RawResource};

/// A fresh folder under the system temp dir, removed when the test ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path =
            std::env::temp_dir().join(format!("stackwright-cli-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    fn out(&self) -> PathBuf {
        self.0.join("stacks")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

struct Run {
    code: i32,
    out: String,
    err: String,
}

fn run(app: &App, args: &[&str]) -> Run {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let argv = std::iter::once("my-infra").chain(args.iter().copied());
    let code = run_with_args(app, argv, &mut out, &mut err);
    Run { code, out: String::from_utf8(out).unwrap(), err: String::from_utf8(err).unwrap() }
}

fn run_in(app: &App, command: &str, dir: &Path, extra: &[&str]) -> Run {
    let dir = dir.to_str().unwrap();
    let mut args = vec![command, "--out", dir];
    args.extend_from_slice(extra);
    run(app, &args)
}

/// One stack with one queue.
fn orders_app() -> App {
    let mut app = App::new();
    app.stack("Orders").add(
        "OrdersQueue",
        RawResource::new("AWS::SQS::Queue").property("VisibilityTimeout", json!(30)),
    );
    app
}

/// `Api` imports the queue ARN `Network` exports, so `Network` deploys first.
fn two_stack_app() -> App {
    let mut app = App::new();
    let queue = app.stack("Network").add("Queue", RawResource::new("AWS::SQS::Queue"));
    app.stack("Api").add(
        "Topic",
        RawResource::new("AWS::SNS::Topic").property("DisplayName", queue.get_att::<String>("Arn")),
    );
    app
}

#[test]
fn synth_writes_templates_and_manifest_then_leaves_them_alone() {
    let tmp = TempDir::new("synth");
    let out = tmp.out();
    let app = orders_app();

    let first = run_in(&app, "synth", &out, &[]);
    assert_eq!(first.code, 0, "{}", first.err);
    let template = out.join("Orders.template.json");
    let manifest = out.join("manifest.json");
    assert_eq!(first.out, format!("wrote {}\nwrote {}\n", template.display(), manifest.display()));
    let bytes = fs::read(&template).unwrap();
    assert!(String::from_utf8_lossy(&bytes).contains("\"VisibilityTimeout\": 30"));

    let second = run_in(&app, "synth", &out, &[]);
    assert_eq!(second.code, 0, "{}", second.err);
    assert_eq!(
        second.out,
        format!("unchanged {}\nunchanged {}\n", template.display(), manifest.display())
    );
    assert_eq!(fs::read(&template).unwrap(), bytes);
}

#[test]
fn synth_is_the_default_command() {
    let tmp = TempDir::new("default");
    let out = tmp.out();
    let r = run(&orders_app(), &["--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(out.join("Orders.template.json").is_file());
}

#[test]
fn check_passes_when_current_and_fails_with_a_diff_after_an_edit() {
    let tmp = TempDir::new("check");
    let out = tmp.out();
    let app = orders_app();
    assert_eq!(run_in(&app, "synth", &out, &[]).code, 0);

    let ok = run_in(&app, "check", &out, &[]);
    assert_eq!(ok.code, 0, "{}", ok.err);
    assert_eq!(ok.out, "stacks are up to date (2 files)\n");

    let path = out.join("Orders.template.json");
    let edited = fs::read_to_string(&path)
        .unwrap()
        .replace("\"VisibilityTimeout\": 30", "\"VisibilityTimeout\": 45");
    fs::write(&path, edited).unwrap();

    let stale = run_in(&app, "check", &out, &[]);
    assert_eq!(stale.code, 1);
    let lines: Vec<&str> = stale.out.lines().collect();
    assert!(lines.contains(&"--- a/Orders.template.json"), "{}", stale.out);
    assert!(lines.contains(&"+++ b/Orders.template.json"), "{}", stale.out);
    assert!(
        lines.iter().any(|l| l.starts_with('-') && l.contains("\"VisibilityTimeout\": 45")),
        "{}",
        stale.out
    );
    assert!(
        lines.iter().any(|l| l.starts_with('+') && l.contains("\"VisibilityTimeout\": 30")),
        "{}",
        stale.out
    );
    assert!(!stale.out.contains('\x1b'), "no colour when not asked for");
    assert_eq!(
        stale.err,
        format!(
            "error: 1 file(s) in {} are stale; run `cargo run -- synth --out {}` to regenerate them\n",
            out.display(),
            out.display()
        )
    );

    // `diff` shows the same but is informational.
    let diff = run_in(&app, "diff", &out, &[]);
    assert_eq!(diff.code, 0);
    assert_eq!(diff.out, stale.out);
}

#[test]
fn check_reports_missing_files() {
    let tmp = TempDir::new("missing");
    let out = tmp.out();
    std::fs::create_dir_all(&out).unwrap();
    let r = run_in(&orders_app(), "check", &out, &[]);
    assert_eq!(r.code, 1);
    assert!(r.out.contains("--- /dev/null\n+++ b/Orders.template.json\n"), "{}", r.out);
    assert!(r.err.starts_with("error: 2 file(s) in "), "{}", r.err);
}

#[test]
fn check_on_a_folder_that_does_not_exist_says_so() {
    let tmp = TempDir::new("no-folder");
    let out = tmp.out();
    let r = run_in(&orders_app(), "check", &out, &[]);
    assert_eq!(r.code, 1);
    assert_eq!(r.out, "");
    assert_eq!(
        r.err,
        format!(
            "error: the output folder {} does not exist; run synth to create it\n",
            out.display()
        )
    );
}

#[test]
fn a_stack_the_app_dropped_is_stale() {
    let tmp = TempDir::new("dropped");
    let out = tmp.out();
    assert_eq!(run_in(&two_stack_app(), "synth", &out, &[]).code, 0);

    let r = run_in(&orders_app(), "check", &out, &[]);
    assert_eq!(r.code, 1);
    assert!(r.out.contains("Api.template.json would be removed"), "{}", r.out);
    assert!(r.out.contains("--- a/Api.template.json\n+++ /dev/null\n"), "{}", r.out);

    let synth = run_in(&orders_app(), "synth", &out, &[]);
    assert!(
        synth.out.contains(&format!("removed {}", out.join("Api.template.json").display())),
        "{}",
        synth.out
    );
    assert!(!out.join("Api.template.json").exists());
}

#[test]
fn yaml_format_is_remembered_by_the_manifest() {
    let tmp = TempDir::new("yaml");
    let out = tmp.out();
    let app = orders_app();
    let r = run_in(&app, "synth", &out, &["--format", "yaml"]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(out.join("Orders.template.yaml").is_file());
    assert!(!out.join("Orders.template.json").exists());

    let check = run_in(&app, "check", &out, &[]);
    assert_eq!(check.code, 0, "{}{}", check.out, check.err);

    // Asking for json explicitly finds the yaml files stale.
    let json = run_in(&app, "check", &out, &["--format", "json"]);
    assert_eq!(json.code, 1);
}

#[test]
fn stack_selection() {
    let tmp = TempDir::new("select");
    let out = tmp.out();
    let app = two_stack_app();
    assert_eq!(run_in(&app, "synth", &out, &[]).code, 0);

    // Only the selected template is compared; the manifest and the other stack are not.
    let r = run_in(&app, "check", &out, &["--stack", "Api"]);
    assert_eq!((r.code, r.out.as_str()), (0, "stacks are up to date (1 file)\n"), "{}", r.err);

    let unknown = run_in(&app, "synth", &out, &["--stack", "Unknown"]);
    assert_eq!(unknown.code, 1);
    assert_eq!(unknown.err, "error: no stack named `Unknown`; the app has: Network, Api\n");
}

#[test]
fn an_invalid_app_prints_the_errors_and_writes_nothing() {
    let tmp = TempDir::new("invalid");
    let out = tmp.out();

    let mut collide = App::new();
    collide.stack("Orders").add("OrdersQueue", RawResource::new("AWS::SQS::Queue"));
    collide.stack("Orders").add("orders-queue", RawResource::new("AWS::SQS::Queue"));
    let r = run_in(&collide, "synth", &out, &[]);
    assert_eq!(r.code, 1);
    assert!(r.err.starts_with("1 error in the app:\n"), "{}", r.err);
    assert!(
        r.err.contains("`OrdersQueue` and `orders-queue` both get the logical ID `OrdersQueue`"),
        "{}",
        r.err
    );
    assert!(r.out.is_empty());
    assert!(!out.exists(), "nothing may be written for an invalid app");

    let mut dangling = App::new();
    dangling.stack("Orders").add(
        "Topic",
        RawResource::new("AWS::SNS::Topic").property("DisplayName", json!({"Ref": "Missing"})),
    );
    for command in ["synth", "check", "diff"] {
        let r = run_in(&dangling, command, &out, &[]);
        assert_eq!(r.code, 1, "{command}");
        assert!(r.err.contains("Missing"), "{command}: {}", r.err);
        assert!(!out.exists(), "{command}");
    }
    let list = run(&dangling, &["list"]);
    assert_eq!((list.code, list.out.as_str()), (1, ""));
    assert!(list.err.contains("Missing"), "{}", list.err);
}

#[test]
fn list_prints_stacks_in_deployment_order() {
    let r = run(&two_stack_app(), &["list"]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(r.out, "Network\nApi  (depends on: Network)\n");
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let app = orders_app();
    let bad = run(&app, &["synth", "--bogus"]);
    assert_eq!(bad.code, 2);
    assert!(bad.err.contains("--bogus"), "{}", bad.err);
    assert!(bad.out.is_empty());

    assert_eq!(run(&app, &["--format", "xml"]).code, 2);
    assert_eq!(
        run(&app, &["--out", "x", "check"]).code,
        2,
        "top-level synth options conflict with a command"
    );

    let help = run(&app, &["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.err.is_empty());
    for word in ["synth", "list", "diff", "check", "CloudFormation", "--out", "Exit status"] {
        assert!(help.out.contains(word), "help lacks {word}:\n{}", help.out);
    }
    assert!(help.out.contains("Usage: my-infra"), "{}", help.out);

    let sub_help = run(&app, &["check", "--help"]);
    assert_eq!(sub_help.code, 0);
    assert!(sub_help.out.contains("manifest.json"), "{}", sub_help.out);

    let version = run(&app, &["--version"]);
    assert_eq!(version.code, 0);
    assert!(version.out.starts_with("stackwright "), "{}", version.out);
}

#[test]
fn command_folds_into_a_users_own_cli() {
    /// A user's CLI with commands of its own beside stackwright's.
    #[derive(Parser)]
    struct MyCli {
        #[arg(long)]
        verbose: bool,
        #[command(subcommand)]
        cmd: Option<Command>,
    }

    let cli = MyCli::try_parse_from(["my-infra", "--verbose", "check", "--out", "infra"]).unwrap();
    assert!(cli.verbose);
    let Some(Command::Check(args)) = cli.cmd else { panic!("expected check") };
    assert_eq!(args.out, Path::new("infra"));
    assert_eq!(args.format, None);

    let tmp = TempDir::new("fold");
    let out = tmp.out();
    let cli = MyCli::try_parse_from(["my-infra", "synth", "--out", out.to_str().unwrap()]).unwrap();
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let code =
        stackwright::cli::execute(&orders_app(), cli.cmd.unwrap(), &mut stdout, &mut stderr, false);
    assert_eq!(code, 0);
    assert!(out.join("manifest.json").is_file());
}

/// A project whose buildspec is a companion file, so the template names it in the source.
fn companion_app() -> App {
    use stackwright::codebuild::{
        BuildSpec, BuildSpecLocation, Phase, Project, ProjectProps, Source,
    };
    let mut app = App::new();
    let mut s = app.stack("Ci");
    let spec = BuildSpec::new().build(Phase::with_commands(["make"]));
    Project::new(
        &mut s,
        "Build",
        ProjectProps::new(Source::CodePipeline)
            .buildspec(BuildSpecLocation::Companion(spec, "buildspec.yml".into())),
    );
    app
}

#[test]
fn templates_name_companion_files_by_their_path_in_the_repository() {
    let dir = TempDir::new("source-root");
    fs::create_dir_all(dir.0.join(".git")).unwrap();
    let out = dir.0.join("infra/stacks");
    let r = run_in(&companion_app(), "synth", &out, &[]);
    assert_eq!(r.code, 0, "{}", r.err);
    let template: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("Ci.template.json")).unwrap()).unwrap();
    assert_eq!(
        template["Resources"]["Build"]["Properties"]["Source"]["BuildSpec"],
        "infra/stacks/buildspec.yml"
    );
    assert!(out.join("buildspec.yml").is_file());
    // `check` synthesizes for the same place, so the folder is up to date.
    assert_eq!(run_in(&companion_app(), "check", &out, &[]).code, 0);

    let root = dir.0.join("infra");
    let r = run_in(&companion_app(), "synth", &out, &["--source-root", root.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.err);
    let template: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("Ci.template.json")).unwrap()).unwrap();
    assert_eq!(
        template["Resources"]["Build"]["Properties"]["Source"]["BuildSpec"],
        "stacks/buildspec.yml"
    );
}

#[test]
fn an_output_folder_outside_the_named_source_root_is_refused() {
    let dir = TempDir::new("outside-root");
    let root = dir.0.join("repo");
    fs::create_dir_all(&root).unwrap();
    let r =
        run_in(&companion_app(), "synth", &dir.out(), &["--source-root", root.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.err,
        format!(
            "error: the output folder {} is outside the source root {}; templates could not \
             point at the files written there. Write inside the repository, or name its root \
             with --source-root\n",
            dir.out().display(),
            root.display()
        )
    );
    assert!(!dir.out().exists());
}

/// Damaged files in the output folder do not block synth: it replaces them, and says what it
/// could not look for. `check` reports them as changed, not as unreadable.
#[test]
fn damaged_files_in_the_folder_are_replaced_by_synth() {
    let tmp = TempDir::new("damaged");
    let out = tmp.out();
    assert_eq!(run_in(&orders_app(), "synth", &out, &[]).code, 0);
    std::fs::write(out.join("Orders.template.json"), [0xff, 0xfe]).unwrap();
    std::fs::write(out.join("manifest.json"), [0xc3, 0x28]).unwrap();

    let check = run_in(&orders_app(), "check", &out, &[]);
    assert_eq!(check.code, 1);
    assert!(check.err.starts_with("error: 2 file(s) in "), "{}", check.err);

    let synth = run_in(&orders_app(), "synth", &out, &[]);
    assert_eq!(synth.code, 0, "{}", synth.err);
    assert_eq!(
        synth.err,
        format!(
            "note: {} is not a manifest stackwright can read, so files an earlier synth wrote and \
             this one no longer does were not looked for; remove any such files by hand\n",
            out.join("manifest.json").display()
        )
    );
    assert_eq!(run_in(&orders_app(), "check", &out, &[]).code, 0);
}

/// An app without stacks is an error, and the previous output stays as it was.
#[test]
fn an_app_without_stacks_leaves_the_folder_alone() {
    let tmp = TempDir::new("no-stacks");
    let out = tmp.out();
    assert_eq!(run_in(&orders_app(), "synth", &out, &[]).code, 0);
    let before = std::fs::read_to_string(out.join("Orders.template.json")).unwrap();
    let r = run_in(&App::new(), "synth", &out, &[]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.err,
        "1 error in the app:\n  error[empty-app]: the app has no stacks, so there is nothing to \
         synthesize (the output folder is left as it is); add one with app.stack(\"Name\")\n"
    );
    assert_eq!(std::fs::read_to_string(out.join("Orders.template.json")).unwrap(), before);
}

/// Something in the way in the folder is named, with what to do, and nothing is written.
#[test]
fn a_folder_where_the_manifest_goes_is_named() {
    let tmp = TempDir::new("manifest-folder");
    let out = tmp.out();
    std::fs::create_dir_all(out.join("manifest.json")).unwrap();
    let r = run_in(&orders_app(), "synth", &out, &[]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.err,
        format!(
            "error: {}: a folder is in the way of the file `manifest.json`; move it away or \
             remove it\n",
            out.join("manifest.json").display()
        )
    );
    assert!(!out.join("Orders.template.json").exists());
}

/// `orders_app` with a workflow file, as a construct that renders a workflow adds one.
fn workflow_app(on: &str) -> App {
    let mut app = orders_app();
    app.stack("Orders").add_workflow_file("deploy.yml", format!("on: {on}\n"));
    app
}

#[test]
fn workflow_files_go_to_the_workflow_folder_and_check_fails_after_a_hand_edit() {
    let tmp = TempDir::new("workflows");
    let (out, workflows) = (tmp.out(), tmp.0.join("wf"));
    fs::create_dir_all(&workflows).unwrap();
    fs::write(workflows.join("mine.yml"), "on: workflow_dispatch\n").unwrap();
    let wf = workflows.to_str().unwrap();
    let app = workflow_app("push");

    let first = run_in(&app, "synth", &out, &["--workflow-dir", wf]);
    assert_eq!(first.code, 0, "{}", first.err);
    assert_eq!(
        first.out,
        format!(
            "wrote {}\nwrote {}\nwrote {}\n",
            out.join("Orders.template.json").display(),
            out.join("manifest.json").display(),
            workflows.join("deploy.yml").display()
        )
    );
    assert_eq!(fs::read_to_string(workflows.join("deploy.yml")).unwrap(), "on: push\n");

    let ok = run_in(&app, "check", &out, &["--workflow-dir", wf]);
    assert_eq!((ok.code, ok.out.as_str()), (0, "stacks are up to date (3 files)\n"), "{}", ok.err);

    fs::write(workflows.join("deploy.yml"), "on: pull_request\n").unwrap();
    let stale = run_in(&app, "check", &out, &["--workflow-dir", wf]);
    assert_eq!(stale.code, 1);
    assert_eq!(
        stale.out,
        format!(
            "{} would be updated\n--- a/deploy.yml\n+++ b/deploy.yml\n@@ -1 +1 @@\n\
             -on: pull_request\n+on: push\n",
            workflows.join("deploy.yml").display()
        )
    );
    assert_eq!(
        stale.err,
        format!(
            "error: 1 file(s) in {wf} are stale; run `cargo run -- synth --out {} \
             --workflow-dir {wf}` to regenerate them\n",
            out.display()
        )
    );

    // The app drops its workflow: synth removes the file it wrote, never the user's own.
    let dropped = run_in(&orders_app(), "synth", &out, &["--workflow-dir", wf]);
    assert_eq!(dropped.code, 0, "{}", dropped.err);
    assert!(
        dropped.out.ends_with(&format!("removed {}\n", workflows.join("deploy.yml").display())),
        "{}",
        dropped.out
    );
    let left: Vec<String> = fs::read_dir(&workflows)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(left, ["mine.yml"]);
}

#[test]
fn the_workflow_folder_must_not_be_the_output_folder() {
    let tmp = TempDir::new("same-folder");
    let out = tmp.out();
    let dir = out.to_str().unwrap();
    let r = run_in(&workflow_app("push"), "synth", &out, &["--workflow-dir", dir]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.err,
        format!(
            "error: {dir} is both the output folder and the workflow folder; give the \
             workflows a folder of their own\n"
        )
    );
}

#[test]
fn the_default_workflow_folder_is_github_workflows() {
    let args = stackwright::cli::SynthArgs::default();
    assert_eq!(args.workflow_dir, Path::new(".github/workflows"));
    let cli = stackwright::cli::Cli::try_parse_from(["my-infra", "check"]).unwrap();
    let Some(Command::Check(check)) = cli.command else { panic!("not check") };
    assert_eq!(check.workflow_dir, Path::new(".github/workflows"));
}

/// One stack with an unencrypted topic: one finding of the rule pack.
fn plain_topic_app() -> App {
    use stackwright::sns::{Topic, TopicProps};
    let mut app = App::new();
    app.add_rule_pack(stackwright::rules::PACK);
    let mut s = app.stack("Events");
    Topic::new(&mut s, "Plain", TopicProps::new().encrypted(false));
    app
}

#[test]
fn findings_are_warnings_and_strict_synth_fails_on_them() {
    let app = plain_topic_app();
    let dir = TempDir::new("strict");
    let lenient = run_in(&app, "synth", &dir.out(), &[]);
    assert_eq!(lenient.code, 0, "{}", lenient.err);
    assert!(
        lenient.err.contains("warning: Events/Plain/Resource: [sns.encrypted]"),
        "{}",
        lenient.err
    );
    let strict = run_in(&app, "synth", &dir.0.join("strict"), &["--strict"]);
    assert_eq!(strict.code, 1);
    assert!(
        strict.err.contains("[sns.encrypted] the topic does not encrypt messages at rest"),
        "{}",
        strict.err
    );
    assert!(!dir.0.join("strict").exists());
}

#[test]
fn rules_lists_the_pack_as_text_json_and_sarif() {
    let app = plain_topic_app();
    let text = run(&app, &["rules"]);
    assert_eq!(text.code, 0);
    assert!(
        text.out
            .starts_with("sns.encrypted [medium] the topic does not encrypt messages at rest\n"),
        "{}",
        text.out
    );
    let json = run(&app, &["rules", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_str(&json.out).unwrap();
    assert_eq!(rules.as_array().map(Vec::len), Some(stackwright::rules::PACK.len()));
    assert_eq!(rules[0]["checkov"], json!(["CKV_AWS_26"]));
    let sarif = run(&app, &["rules", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_str(&sarif.out).unwrap();
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "sns.encrypted");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "crates/stackwright/tests/cli.rs"
    );
}

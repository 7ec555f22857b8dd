//! The output folder: writing atomically, leaving unchanged files alone, detecting drift,
//! and removing only files a previous manifest created.

// Tests assert by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fs;

use stackwright_core::{App, Drift, Format, RawResource, Root};

#[path = "support/temp_dir.rs"]
mod temp_dir;
use temp_dir::TempDir;

fn app(stacks: &[&str]) -> App {
    let mut app = App::new();
    for s in stacks {
        app.stack(*s).add("Queue", RawResource::new("AWS::SQS::Queue"));
    }
    app
}

fn listing(dir: &TempDir) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(&dir.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn write_then_compare() {
    let dir = TempDir::new("write");
    let assembly = app(&["Orders", "Billing"]).synth(Format::Json).unwrap();
    let report = assembly.write(&dir.0).unwrap();
    assert_eq!(
        report.written,
        output(&["Orders.template.json", "Billing.template.json", "manifest.json"])
    );
    assert!(report.unchanged.is_empty() && report.removed.is_empty());
    assert_eq!(listing(&dir), ["Billing.template.json", "Orders.template.json", "manifest.json"]);
    assert_eq!(
        fs::read_to_string(dir.0.join("Orders.template.json")).unwrap(),
        assembly.stack("Orders").unwrap().body
    );
    assert_eq!(assembly.compare(&dir.0).unwrap(), []);

    let again = assembly.write(&dir.0).unwrap();
    assert!(again.written.is_empty());
    assert_eq!(again.unchanged.len(), 3);

    fs::write(dir.0.join("Orders.template.json"), "{}\n").unwrap();
    fs::remove_file(dir.0.join("Billing.template.json")).unwrap();
    let drift = assembly.compare(&dir.0).unwrap();
    assert_eq!(
        drift,
        [
            Drift::Changed {
                root: Root::Output,
                path: "Orders.template.json".into(),
                expected: assembly.stack("Orders").unwrap().body.clone(),
                actual: "{}\n".into(),
            },
            Drift::Missing {
                root: Root::Output,
                path: "Billing.template.json".into(),
                expected: assembly.stack("Billing").unwrap().body.clone(),
            },
        ]
    );
}

#[test]
fn only_files_of_the_previous_manifest_are_removed() {
    let dir = TempDir::new("stale");
    app(&["Orders", "Old"]).synth(Format::Json).unwrap().write(&dir.0).unwrap();
    fs::write(dir.0.join("README.md"), "mine\n").unwrap();
    let next = app(&["Orders"]).synth(Format::Json).unwrap();
    let old_body = fs::read_to_string(dir.0.join("Old.template.json")).unwrap();
    assert_eq!(
        next.compare(&dir.0).unwrap(),
        [
            Drift::Changed {
                root: Root::Output,
                path: "manifest.json".into(),
                expected: next.files()[1].1.to_owned(),
                actual: fs::read_to_string(dir.0.join("manifest.json")).unwrap(),
            },
            Drift::Stale { root: Root::Output, path: "Old.template.json".into(), actual: old_body },
        ]
    );
    let report = next.write(&dir.0).unwrap();
    assert_eq!(report.removed, output(&["Old.template.json"]));
    assert_eq!(report.written, output(&["manifest.json"]));
    assert_eq!(listing(&dir), ["Orders.template.json", "README.md", "manifest.json"]);
}

#[test]
fn a_hand_edited_manifest_cannot_point_outside_the_folder() {
    // Paths in a subfolder are companion files a manifest may list; `..`, absolute and
    // hidden paths are never followed.
    let dir = TempDir::new("escape");
    let outside = dir.0.join("keep");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("x.json"), "keep\n").unwrap();
    fs::write(dir.0.join(".hidden"), "keep\n").unwrap();
    fs::write(
        dir.0.join("manifest.json"),
        r#"{"files": ["../keep/x.json", "/tmp/x.json", ".hidden", "keep/../keep/x.json"]}"#,
    )
    .unwrap();
    let report = app(&["Orders"]).synth(Format::Json).unwrap().write(&dir.0).unwrap();
    assert!(report.removed.is_empty(), "{report:?}");
    assert_eq!(fs::read_to_string(outside.join("x.json")).unwrap(), "keep\n");
    assert_eq!(listing(&dir), [".hidden", "Orders.template.json", "keep", "manifest.json"]);
}

#[test]
fn select_keeps_named_stacks() {
    let assembly = app(&["Orders", "Billing"]).synth(Format::Yaml).unwrap();
    let only = assembly.clone().select(&["Billing".to_owned()]).unwrap();
    let files: Vec<&str> = only.files().iter().map(|(f, _)| *f).collect();
    assert_eq!(files, ["Billing.template.yaml", "manifest.json"]);
    assert_eq!(
        assembly.select(&["Nope".to_owned()]).unwrap_err(),
        "no stack named `Nope`; the app has: Orders, Billing"
    );
}

#[test]
fn companion_files_are_written_listed_and_removed_with_the_manifest() {
    let dir = TempDir::new("companions");
    let mut with_files = app(&["Build"]);
    with_files
        .stack("Build")
        .add_file("buildspec.yml", "version: 0.2\n")
        .add_file("deploy/appspec.yml", "version: 0.0\n");
    let assembly = with_files.synth(Format::Json).unwrap();
    let report = assembly.write(&dir.0).unwrap();
    assert_eq!(
        report.written,
        output(&["Build.template.json", "buildspec.yml", "deploy/appspec.yml", "manifest.json"])
    );
    assert_eq!(fs::read_to_string(dir.0.join("deploy/appspec.yml")).unwrap(), "version: 0.0\n");
    let manifest = fs::read_to_string(dir.0.join("manifest.json")).unwrap();
    assert!(
        manifest.contains(r#""companionFiles": ["buildspec.yml", "deploy/appspec.yml"]"#),
        "{manifest}"
    );
    assert_eq!(assembly.compare(&dir.0).unwrap(), Vec::<Drift>::new());

    // Dropping a file removes it, since the previous manifest created it.
    let report = app(&["Build"]).synth(Format::Json).unwrap().write(&dir.0).unwrap();
    assert_eq!(report.removed, output(&["buildspec.yml", "deploy/appspec.yml"]));
    assert!(!dir.0.join("buildspec.yml").exists());
}

#[test]
fn companion_file_paths_are_checked() {
    let mut a = app(&["A", "B"]);
    a.stack("A").add_file("../escape.yml", "x").add_file("buildspec.yml", "x");
    a.stack("B").add_file("buildspec.yml", "y").add_file("A.template.json", "z");
    let errors: Vec<String> =
        a.synth(Format::Json).unwrap_err().errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        vec![
            "A: companion file `../escape.yml`: the path is not relative and inside the output \
             folder; use `/` between names, with no `..`, no leading `/` and no name starting \
             with `.`",
            "B: companion file `buildspec.yml`: stack A already writes this path; give the file \
             another name",
            "B: companion file `A.template.json`: the template of A already writes this path; \
             give the file another name",
        ]
    );
}

/// Paths that no two files of the folder can share on some filesystem, and names no
/// filesystem takes, are found at synth, naming the construct that added the file.
#[test]
fn companion_files_that_cannot_coexist_on_disk_are_found_at_synth() {
    let mut a = app(&["A"]);
    a.stack("A")
        .add_file("deploy", "a file")
        .add_file("deploy/appspec.yml", "needs deploy/ as a folder")
        .add_file("BuildSpec.yml", "x")
        .add_file("nested/taskdef.json", "x")
        .add_file("nested", "a file where a folder is")
        .add_file(format!("{}.yml", "n".repeat(300)), "x")
        .add_file("Manifest.JSON", "x");
    a.stack("A").child("Build").add_file("buildspec.yml", "x");
    let errors: Vec<String> =
        a.synth(Format::Json).unwrap_err().errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        vec![
            "A: companion file `deploy/appspec.yml`: stack A writes the file `deploy`, where \
             this path needs a folder; give the file another name",
            "A: companion file `nested`: stack A writes `nested/taskdef.json`, which needs a \
             folder where this file would be; give the file another name",
            "A: companion file `nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...nnnnnnnnnnnn.yml`: the name \
             `nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...nnnnnnnnnnnn.yml` is 304 bytes long, over the \
             255 a filesystem takes; shorten it",
            "A: companion file `Manifest.JSON`: the manifest writes `manifest.json`, the same \
             file where case is ignored (macOS, Windows); give the file another name",
            "A/Build: companion file `buildspec.yml`: stack A writes `BuildSpec.yml`, the same \
             file where case is ignored (macOS, Windows); give the file another name",
        ]
    );
}

/// Paths in the output folder, as a write report lists them.
fn output(paths: &[&str]) -> Vec<(Root, String)> {
    paths.iter().map(|p| (Root::Output, (*p).to_owned())).collect()
}

#[test]
fn workflow_file_paths_are_checked_apart_from_the_output_folder() {
    let mut a = app(&["A", "B"]);
    a.stack("A")
        .add_workflow_file(".github/deploy.yml", "x")
        .add_workflow_file("deploy.yml", "x")
        // The workflow folder is a folder of its own: a template's name is free there.
        .add_workflow_file("A.template.json", "x");
    a.stack("B").add_workflow_file("Deploy.yml", "y");
    let errors: Vec<String> =
        a.synth(Format::Json).unwrap_err().errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        vec![
            "A: workflow file `.github/deploy.yml`: the path is not relative and inside the \
             workflow folder; use `/` between names, with no `..`, no leading `/` and no name \
             starting with `.`",
            "B: workflow file `Deploy.yml`: stack A writes `deploy.yml`, the same file where \
             case is ignored (macOS, Windows); give the file another name",
        ]
    );
}

#[test]
fn the_manifest_lists_workflow_files_only_for_apps_that_have_them() {
    let plain = app(&["A"]).synth(Format::Json).unwrap();
    assert!(!plain.files()[1].1.contains("workflowFiles"));
    let mut a = app(&["A"]);
    a.stack("A").add_workflow_file("deploy.yml", "on: push\n");
    let assembly = a.synth(Format::Json).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(assembly.files()[1].1).unwrap();
    assert_eq!(manifest["workflowFiles"], serde_json::json!(["deploy.yml"]));
    assert_eq!(manifest["stacks"][0]["workflowFiles"], serde_json::json!(["deploy.yml"]));
    assert_eq!(manifest["files"], serde_json::json!(["A.template.json", "manifest.json"]));
    assert_eq!(assembly.workflow_files(), [("deploy.yml", "on: push\n")]);
}

//! The write phase as a transaction: stopped at every step it leaves the old generation or
//! one the next synth finishes; a failure part-way leaves the old one; two synths into one
//! folder never mix; obstacles on disk are named before anything is written.

// Tests assert by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use stackwright_core::{App, Assembly, Drift, Format, OutputError, RawResource, Root, Roots};

#[path = "support/temp_dir.rs"]
mod temp_dir;
use temp_dir::TempDir;

/// The previous generation: two stacks, one with companion files (one in a subfolder).
fn old_generation() -> Assembly {
    let mut app = App::new();
    app.stack("Orders").add("Queue", RawResource::new("AWS::SQS::Queue"));
    app.stack("Old")
        .add_file("buildspec.yml", "version: 0.2\n")
        .add_file("deploy/appspec.yml", "version: 0.0\n")
        .add("Topic", RawResource::new("AWS::SNS::Topic"));
    app.synth(Format::Json).unwrap()
}

/// The next one: `Orders` changed, `Old` gone (its files stale), `New` added.
fn new_generation() -> Assembly {
    let mut app = App::new();
    app.stack("Orders")
        .add("Queue", RawResource::new("AWS::SQS::Queue").property("DelaySeconds", 5));
    app.stack("New")
        .add_file("taskdef.json", "{}\n")
        .add("Topic", RawResource::new("AWS::SNS::Topic"));
    app.synth(Format::Json).unwrap()
}

/// Every file under `dir`, hidden ones included, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn expected(assembly: &Assembly) -> BTreeMap<String, Vec<u8>> {
    assembly.files().into_iter().map(|(p, c)| (p.to_owned(), c.as_bytes().to_vec())).collect()
}

fn is_hidden(path: &str) -> bool {
    path.split('/').any(|c| c.starts_with('.'))
}

#[test]
fn stopped_at_every_step_the_folder_is_old_or_finishable_and_the_next_synth_heals_it() {
    let (old, new) = (old_generation(), new_generation());
    let (old_files, new_files) = (expected(&old), expected(&new));
    let mut stops = 0;
    for n in 0.. {
        let dir = TempDir::new("crash");
        old.write(&dir.0).unwrap();
        assert_eq!(snapshot(&dir.0), old_files);
        match new.write_stopping_after(&dir.0, n) {
            Ok(_) => break, // the whole write takes fewer than `n` steps
            Err(OutputError::Stopped(at)) => assert_eq!(at, n),
            Err(e) => panic!("step {n}: {e}"),
        }
        stops += 1;
        let left = snapshot(&dir.0);
        let visible: BTreeMap<String, Vec<u8>> = left
            .iter()
            .filter(|(p, _)| !is_hidden(p))
            .map(|(p, c)| (p.clone(), c.clone()))
            .collect();
        // Before the commit point the visible folder is exactly the old generation; once the
        // journal is gone it is exactly the new one; in between a reader is told the synth
        // was interrupted, never that either generation is in place when it is not.
        match (old.compare(&dir.0), new.compare(&dir.0)) {
            (Ok(drift), _) if drift.is_empty() => assert_eq!(visible, old_files, "step {n}"),
            (_, Ok(drift)) if drift.is_empty() => assert_eq!(visible, new_files, "step {n}"),
            (Err(OutputError::Interrupted { .. }), Err(e)) => assert_eq!(
                e.to_string(),
                format!(
                    "an earlier synth into {} was interrupted while it replaced files; run \
                     synth again to finish it",
                    dir.0.display()
                )
            ),
            (old_view, new_view) => {
                panic!("step {n}: a reader sees neither generation: {old_view:?} {new_view:?}")
            }
        }
        // The next synth, of either generation, leaves exactly that generation.
        let report = new.write(&dir.0).unwrap();
        assert_eq!(snapshot(&dir.0), new_files, "step {n}: {report:?}");
        assert_eq!(new.compare(&dir.0).unwrap(), []);

        // Going back instead: a synth of the old generation after the stop.
        let dir = TempDir::new("crash-back");
        old.write(&dir.0).unwrap();
        let _ = new.write_stopping_after(&dir.0, n);
        old.write(&dir.0).unwrap();
        assert_eq!(snapshot(&dir.0), old_files, "step {n}: synth of the old generation");
    }
    // Staging the changed files, the journal, the moves, the removals, the clean-up.
    assert!(stops >= 10, "only {stops} steps");
}

#[test]
fn a_failure_while_staging_leaves_the_old_generation_and_no_temporary_file() {
    let (old, new) = (old_generation(), new_generation());
    let old_files = expected(&old);
    // Steps 0 to 4 create the staging folder and stage the four changed files.
    for n in 0..5 {
        let dir = TempDir::new("full");
        old.write(&dir.0).unwrap();
        let e = new.write_failing_at(&dir.0, n).unwrap_err();
        assert!(
            e.to_string().ends_with(
                "no space left on device; free some space and synth again (the folder still \
                 holds the previous generation)"
            ),
            "{e}"
        );
        assert_eq!(snapshot(&dir.0), old_files, "step {n}");
    }
}

#[test]
fn a_failure_after_the_commit_point_is_finished_by_the_next_synth() {
    let (old, new) = (old_generation(), new_generation());
    let new_files = expected(&new);
    let mut n = 0;
    loop {
        let dir = TempDir::new("late-fail");
        old.write(&dir.0).unwrap();
        if new.write_failing_at(&dir.0, n).is_ok() {
            break;
        }
        new.write(&dir.0).unwrap();
        assert_eq!(snapshot(&dir.0), new_files, "step {n}");
        n += 1;
    }
}

#[test]
fn two_synths_into_one_folder_take_turns() {
    let dir = TempDir::new("race");
    let (a, b) = (old_generation(), new_generation());
    let (a_files, b_files) = (expected(&a), expected(&b));
    // What a reader comparing with `a` sees when `b` is in place, and nothing in between.
    let other = TempDir::new("race-b");
    b.write(&other.0).unwrap();
    let a_sees_b = a.compare(&other.0).unwrap();
    a.write(&dir.0).unwrap();
    std::thread::scope(|s| {
        for assembly in [&a, &b, &a, &b] {
            let dir = &dir.0;
            s.spawn(move || {
                for _ in 0..15 {
                    assembly.write(dir).unwrap();
                }
            });
        }
        let (dir, a, a_sees_b) = (&dir.0, &a, &a_sees_b);
        s.spawn(move || {
            for _ in 0..60 {
                let drift = a.compare(dir).unwrap();
                assert!(drift.is_empty() || drift == *a_sees_b, "a mix: {drift:?}");
            }
        });
    });
    let last = snapshot(&dir.0);
    assert!(last == a_files || last == b_files);
}

#[test]
fn a_manifest_turned_into_a_folder_is_named_and_nothing_is_written() {
    let dir = TempDir::new("manifest-dir");
    fs::create_dir_all(dir.0.join("manifest.json/inner")).unwrap();
    let e = new_generation().write(&dir.0).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}: a folder is in the way of the file `manifest.json`; move it away or remove it",
            dir.0.join("manifest.json").display()
        )
    );
    assert_eq!(snapshot(&dir.0), BTreeMap::new());
}

#[test]
fn a_file_where_a_companion_needs_a_folder_is_named_before_anything_is_written() {
    let dir = TempDir::new("blocked");
    fs::write(dir.0.join("deploy"), "mine").unwrap();
    let e = old_generation().write(&dir.0).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}: a file is in the way of the folder of `deploy/appspec.yml`; move it away or \
             remove it",
            dir.0.join("deploy").display()
        )
    );
    assert_eq!(snapshot(&dir.0).into_keys().collect::<Vec<_>>(), ["deploy"]);
}

#[test]
fn an_unreadable_template_is_replaced_and_an_unreadable_manifest_is_noted() {
    let dir = TempDir::new("garbage");
    let new = new_generation();
    new.write(&dir.0).unwrap();
    fs::write(dir.0.join("Orders.template.json"), [0xff, 0xfe, 0x00]).unwrap();
    fs::write(dir.0.join("manifest.json"), [0xc3, 0x28]).unwrap();
    let drift = new.compare(&dir.0).unwrap();
    assert_eq!(drift.len(), 2);
    let report = new.write(&dir.0).unwrap();
    assert_eq!(report.written, output(&["Orders.template.json", "manifest.json"]));
    assert_eq!(
        report.notes,
        [format!(
            "{} is not a manifest stackwright can read, so files an earlier synth wrote and \
             this one no longer does were not looked for; remove any such files by hand",
            dir.0.join("manifest.json").display()
        )]
    );
    assert_eq!(snapshot(&dir.0), expected(&new));
}

#[test]
fn comparing_with_a_missing_folder_says_so() {
    let dir = TempDir::new("missing");
    let missing = dir.0.join("stacks");
    let e = new_generation().compare(&missing).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("the output folder {} does not exist; run synth to create it", missing.display())
    );
}

#[test]
fn an_app_without_stacks_is_an_error_not_an_empty_folder() {
    let e = App::new().synth(Format::Json).unwrap_err();
    let errors: Vec<String> = e.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        ["the app has no stacks, so there is nothing to synthesize (the output folder is left \
             as it is); add one with app.stack(\"Name\")"]
    );
    assert_eq!(e.errors[0].code(), "empty-app");
}

/// Paths in the output folder, as a write report lists them.
fn output(paths: &[&str]) -> Vec<(Root, String)> {
    paths.iter().map(|p| (Root::Output, (*p).to_owned())).collect()
}

/// The previous generation with workflow files: one kept and changed, one dropped.
fn old_with_workflows() -> Assembly {
    let mut app = App::new();
    app.stack("Orders")
        .add_workflow_file("deploy.yml", "on: push\n")
        .add("Queue", RawResource::new("AWS::SQS::Queue"));
    app.stack("Old")
        .add_file("buildspec.yml", "version: 0.2\n")
        .add_workflow_file("old.yml", "on: pull_request\n")
        .add("Topic", RawResource::new("AWS::SNS::Topic"));
    app.synth(Format::Json).unwrap()
}

/// The next one: `deploy.yml` changed, `old.yml` gone, `release/tag.yml` added.
fn new_with_workflows() -> Assembly {
    let mut app = App::new();
    app.stack("Orders")
        .add_workflow_file("deploy.yml", "on: [push]\n")
        .add("Queue", RawResource::new("AWS::SQS::Queue").property("DelaySeconds", 5));
    app.stack("New")
        .add_workflow_file("release/tag.yml", "on: release\n")
        .add("Topic", RawResource::new("AWS::SNS::Topic"));
    app.synth(Format::Json).unwrap()
}

/// A repository with an output folder and a workflow folder holding a workflow of the
/// user's own, which no synth may touch.
struct Repo {
    _root: TempDir,
    out: std::path::PathBuf,
    workflows: std::path::PathBuf,
}

impl Repo {
    fn new(name: &str) -> Repo {
        let root = TempDir::new(name);
        let (out, workflows) = (root.0.join("stacks"), root.0.join(".github/workflows"));
        fs::create_dir_all(&workflows).unwrap();
        fs::write(workflows.join("mine.yml"), "on: workflow_dispatch\n").unwrap();
        Repo { _root: root, out, workflows }
    }

    fn roots(&self) -> Roots<'_> {
        Roots::with_workflow(&self.out, &self.workflows)
    }

    fn both(&self) -> (BTreeMap<String, Vec<u8>>, BTreeMap<String, Vec<u8>>) {
        (snapshot(&self.out), snapshot(&self.workflows))
    }
}

/// Both folders as a generation leaves them: the workflow folder keeps the user's file.
fn expected_both(assembly: &Assembly) -> (BTreeMap<String, Vec<u8>>, BTreeMap<String, Vec<u8>>) {
    let mut workflows: BTreeMap<String, Vec<u8>> = assembly
        .workflow_files()
        .into_iter()
        .map(|(p, c)| (p.to_owned(), c.as_bytes().to_vec()))
        .collect();
    workflows.insert("mine.yml".into(), b"on: workflow_dispatch\n".to_vec());
    (expected(assembly), workflows)
}

fn visible(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    files.iter().filter(|(p, _)| !is_hidden(p)).map(|(p, c)| (p.clone(), c.clone())).collect()
}

#[test]
fn stopped_at_every_step_both_folders_are_old_or_finishable_and_the_next_synth_heals_them() {
    let (old, new) = (old_with_workflows(), new_with_workflows());
    let (old_files, new_files) = (expected_both(&old), expected_both(&new));
    let mut stops = 0;
    for n in 0.. {
        let repo = Repo::new("crash-both");
        old.write(repo.roots()).unwrap();
        assert_eq!(repo.both(), old_files);
        match new.write_stopping_after(repo.roots(), n) {
            Ok(_) => break,
            Err(OutputError::Stopped(at)) => assert_eq!(at, n),
            Err(e) => panic!("step {n}: {e}"),
        }
        stops += 1;
        let (out, workflows) = repo.both();
        let seen = (visible(&out), visible(&workflows));
        // The commit point covers both folders: a reader sees the old pair, the new pair,
        // or is told the synth was interrupted.
        match (old.compare(repo.roots()), new.compare(repo.roots())) {
            (Ok(drift), _) if drift.is_empty() => assert_eq!(seen, old_files, "step {n}"),
            (_, Ok(drift)) if drift.is_empty() => assert_eq!(seen, new_files, "step {n}"),
            (Err(OutputError::Interrupted { .. }), Err(OutputError::Interrupted { .. })) => {}
            (old_view, new_view) => {
                panic!("step {n}: a reader sees neither generation: {old_view:?} {new_view:?}")
            }
        }
        new.write(repo.roots()).unwrap();
        assert_eq!(repo.both(), new_files, "step {n}");
        assert_eq!(new.compare(repo.roots()).unwrap(), []);

        let repo = Repo::new("crash-both-back");
        old.write(repo.roots()).unwrap();
        let _ = new.write_stopping_after(repo.roots(), n);
        old.write(repo.roots()).unwrap();
        assert_eq!(repo.both(), old_files, "step {n}: synth of the old generation");
    }
    // Two staging folders, five staged files, the journal, the moves, the removals, the
    // clean-up of both.
    assert!(stops >= 15, "only {stops} steps");
}

#[test]
fn a_failure_while_staging_leaves_both_folders_old_and_no_staging_folder() {
    let (old, new) = (old_with_workflows(), new_with_workflows());
    let old_files = expected_both(&old);
    // Steps 0 and 1 create the two staging folders, 2 to 6 stage the changed files.
    for n in 0..7 {
        let repo = Repo::new("full-both");
        old.write(repo.roots()).unwrap();
        let e = new.write_failing_at(repo.roots(), n).unwrap_err();
        assert!(e.to_string().contains("no space left on device"), "step {n}: {e}");
        assert_eq!(repo.both(), old_files, "step {n}");
    }
}

#[test]
fn a_hand_edited_workflow_is_drift_in_the_workflow_folder_and_the_users_own_stay() {
    let repo = Repo::new("edited");
    let (old, new) = (old_with_workflows(), new_with_workflows());
    old.write(repo.roots()).unwrap();
    fs::write(repo.workflows.join("deploy.yml"), "on: push # edited\n").unwrap();
    assert_eq!(
        old.compare(repo.roots()).unwrap(),
        [Drift::Changed {
            root: Root::Workflow,
            path: "deploy.yml".into(),
            expected: "on: push\n".into(),
            actual: "on: push # edited\n".into(),
        }]
    );
    let report = new.write(repo.roots()).unwrap();
    let mut removed = report.removed.clone();
    removed.sort();
    assert_eq!(
        removed,
        [
            (Root::Output, "Old.template.json".to_owned()),
            (Root::Output, "buildspec.yml".to_owned()),
            (Root::Workflow, "old.yml".to_owned()),
        ]
    );
    assert_eq!(repo.both(), expected_both(&new));
    // A later app without workflows removes the ones synth wrote, and only those.
    let plain = new_generation();
    plain.write(repo.roots()).unwrap();
    assert_eq!(snapshot(&repo.workflows).into_keys().collect::<Vec<_>>(), ["mine.yml"]);
}

#[test]
fn workflow_files_without_a_workflow_folder_or_in_the_output_folder_are_refused() {
    let repo = Repo::new("no-root");
    let e = new_with_workflows().write(&repo.out).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the app writes the workflow file `deploy.yml` but no workflow folder was given; pass \
         one (`Roots::with_workflow`, or `synth --workflow-dir DIR`)"
    );
    assert!(!repo.out.exists());
    let e = new_with_workflows().write(Roots::with_workflow(&repo.out, &repo.out)).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{} is both the output folder and the workflow folder; give the workflows a \
             folder of their own",
            repo.out.display()
        )
    );
}

#[test]
fn a_missing_workflow_folder_has_every_workflow_missing_and_is_created_only_when_needed() {
    let root = TempDir::new("fresh");
    let (out, workflows) = (root.0.join("stacks"), root.0.join("wf"));
    new_generation().write(Roots::with_workflow(&out, &workflows)).unwrap();
    assert!(!workflows.exists(), "an app without workflows creates no workflow folder");
    // The output folder holds the same templates; the workflows, the manifest listing them
    // and the companion file the earlier app wrote differ.
    let new = new_with_workflows();
    let drift = new.compare(Roots::with_workflow(&out, &workflows)).unwrap();
    let missing: Vec<(Root, &str)> = drift
        .iter()
        .filter(|d| matches!(d, Drift::Missing { .. }))
        .map(|d| (d.root(), d.path()))
        .collect();
    assert_eq!(missing, [(Root::Workflow, "deploy.yml"), (Root::Workflow, "release/tag.yml"),]);
    let others: Vec<(Root, &str)> = drift[2..].iter().map(|d| (d.root(), d.path())).collect();
    assert_eq!(others, [(Root::Output, "manifest.json"), (Root::Output, "taskdef.json")]);
    new.write(Roots::with_workflow(&out, &workflows)).unwrap();
    assert_eq!(fs::read_to_string(workflows.join("release/tag.yml")).unwrap(), "on: release\n");
    assert_eq!(new.compare(Roots::with_workflow(&out, &workflows)).unwrap(), []);
}

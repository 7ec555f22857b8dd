//! Writing a generation of files into the output folder, and the workflow folder when it
//! has files there, as one transaction.
//!
//! The folder is locked for the whole write. Every changed file is first written in full to a
//! hidden staging folder inside the output folder (same filesystem, so a rename moves it) and
//! flushed to disk; a failure there (a full disk, say) removes the staging folder and leaves
//! the previous generation untouched. Then a journal listing every move and every removal is
//! written beside the staged files and renamed into place: that rename is the commit point.
//! Only then are the staged files renamed over their targets, the manifest last, and files
//! the previous manifest listed but this one does not are removed.
//!
//! A run stopped before the commit point leaves only the staging folder, which the next run
//! deletes (roll back). A run stopped after it leaves the journal, which the next run carries
//! out to the end (roll forward), so the folder ends as the new generation with no stale and
//! no temporary file. Until then `check` and `diff` refuse to call the folder up to date.
//!
//! Files for the workflow folder are staged in a staging folder of their own inside it (so a
//! rename moves them there too), and the one journal, in the output folder, lists the moves
//! and removals of both folders and the workflow folder's absolute path: one commit point
//! covers both, and a stopped run is finished or undone in both. The workflow folder is
//! locked too, after the output folder, since other programs write workflows into it.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::assembly::{WORKFLOW_FILES_KEY, is_inside};
use super::lock::{Access, FolderLock};
use super::output_error::OutputError;
use super::{Drift, MANIFEST_FILE, Root, Roots, WriteReport};

/// The hidden folder the next generation is staged in. Companion file paths cannot name it:
/// hidden components are refused at synth.
pub(crate) const STAGING_DIR: &str = ".stackwright-staging";
/// The journal's name inside the staging folder; its presence means "committed".
const JOURNAL: &str = "journal.json";

/// Where a test stops or breaks the write: at the given count of filesystem changes.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Steps {
    /// Stop as a crash would: no clean-up at all.
    pub(crate) stop_after: Option<usize>,
    /// Fail as a full disk would, through the ordinary error path.
    pub(crate) fail_at: Option<usize>,
    taken: usize,
}

impl Steps {
    pub(crate) fn stopping_after(n: usize) -> Steps {
        Steps { stop_after: Some(n), ..Steps::default() }
    }

    pub(crate) fn failing_at(n: usize) -> Steps {
        Steps { fail_at: Some(n), ..Steps::default() }
    }

    /// Called before every change to the filesystem.
    fn step(&mut self, path: &Path) -> Result<(), OutputError> {
        let n = self.taken;
        self.taken += 1;
        if self.stop_after == Some(n) {
            return Err(OutputError::Stopped(n));
        }
        if self.fail_at == Some(n) {
            return Err(OutputError::io(
                "write",
                path,
                io::Error::new(io::ErrorKind::StorageFull, "no space left on device"),
            ));
        }
        Ok(())
    }
}

/// What one write puts in the folders.
pub(crate) struct Generation<'a> {
    /// Every file with its folder and contents, the manifest last.
    pub(crate) files: Vec<(Root, &'a str, &'a str)>,
    /// Every output-folder file of the app, written this time or not (an unselected stack's
    /// template is not stale).
    pub(crate) all_files: &'a [String],
    /// Every workflow-folder file of the app, written this time or not.
    pub(crate) all_workflow_files: &'a [String],
}

impl Generation<'_> {
    fn has_workflow_files(&self) -> bool {
        self.files.iter().any(|(root, _, _)| *root == Root::Workflow)
    }
}

/// The folders of one write, the workflow folder absolute so the journal can name it.
struct Dirs {
    output: PathBuf,
    workflow: Option<PathBuf>,
}

impl Dirs {
    fn of(&self, root: Root) -> Option<&Path> {
        match root {
            Root::Output => Some(&self.output),
            Root::Workflow => self.workflow.as_deref(),
        }
    }

    /// The folder of `root`. Workflow files are only handled once the workflow folder is
    /// known (a missing one was refused), so the fallback is never taken.
    fn get(&self, root: Root) -> &Path {
        self.of(root).unwrap_or(&self.output)
    }
}

/// The workflow folder to use: the one given, made absolute; an error when the app has
/// workflow files and none was given, or when it is the output folder itself.
fn workflow_dir(
    roots: &Roots<'_>,
    generation: &Generation<'_>,
) -> Result<Option<PathBuf>, OutputError> {
    let Some(dir) = roots.workflow else {
        if let Some((_, path, _)) = generation.files.iter().find(|(r, _, _)| *r == Root::Workflow) {
            return Err(OutputError::NoWorkflowFolder { file: (*path).to_owned() });
        }
        return Ok(None);
    };
    let absolute = std::path::absolute(dir).map_err(|e| OutputError::io("read", dir, e))?;
    let output =
        std::path::absolute(roots.output).map_err(|e| OutputError::io("read", roots.output, e))?;
    if same_folder(&absolute, &output) {
        return Err(OutputError::SameFolder { path: dir.to_owned() });
    }
    Ok(Some(absolute))
}

/// Whether two absolute paths name one folder (through links too, once both exist).
fn same_folder(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

pub(crate) fn write(
    roots: &Roots<'_>,
    generation: &Generation<'_>,
    on_wait: &mut dyn FnMut(),
    steps: &mut Steps,
) -> Result<WriteReport, OutputError> {
    let dir = roots.output;
    let workflow = workflow_dir(roots, generation)?;
    ensure_folder(dir, "the output folder")?;
    let _lock = FolderLock::acquire(dir, Access::Exclusive, on_wait)?;
    // The workflow folder is created only for an app that writes into it; one that exists
    // is locked, and cleaned of the files an earlier synth wrote there, either way.
    if let Some(w) = &workflow
        && generation.has_workflow_files()
    {
        ensure_folder(w, "the workflow folder")?;
    }
    let workflow = workflow.filter(|w| w.is_dir());
    let _workflow_lock = match &workflow {
        Some(w) => Some(FolderLock::acquire(w, Access::Exclusive, on_wait)?),
        None => None,
    };
    let dirs = Dirs { output: dir.to_owned(), workflow };
    recover(&dirs, steps)?;
    preflight(&dirs, &generation.files)?;

    let mut report = WriteReport::default();
    let stale = stale_files(&dirs, generation, &mut report.notes)?;
    let mut changed = Vec::new();
    for &(root, path, contents) in &generation.files {
        if read_file(&dirs.get(root).join(path), path)?.as_deref() == Some(contents.as_bytes()) {
            report.unchanged.push((root, path.to_owned()));
        } else {
            changed.push((root, path, contents));
        }
    }
    let stale: Vec<(Root, String)> =
        stale.into_iter().filter(|(root, p)| dirs.get(*root).join(p).is_file()).collect();
    if changed.is_empty() && stale.is_empty() {
        return Ok(report);
    }

    let journal = match stage(dirs, &changed, &stale, steps) {
        Ok(journal) => journal,
        Err((e, dirs)) => {
            // A crash leaves the staging folders for the next run to remove; an ordinary
            // failure (a full disk) cleans up now, and the folders are as they were.
            if !matches!(e, OutputError::Stopped(_)) {
                let _ = fs::remove_dir_all(dirs.output.join(STAGING_DIR));
                if let Some(w) = &dirs.workflow {
                    let _ = fs::remove_dir_all(w.join(STAGING_DIR));
                }
            }
            return Err(e);
        }
    };
    apply(&journal, steps)?;
    report.written = changed.iter().map(|(r, p, _)| (*r, (*p).to_owned())).collect();
    report.removed = stale;
    Ok(report)
}

/// Compares the folders with a generation under a shared lock, so a write in progress is
/// waited for rather than seen half-way. A workflow folder that does not exist has every
/// workflow file missing.
pub(crate) fn compare(
    roots: &Roots<'_>,
    generation: &Generation<'_>,
) -> Result<Vec<Drift>, OutputError> {
    let dir = roots.output;
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(OutputError::InTheWay {
                path: dir.to_owned(),
                what: "a file",
                needed: "the output folder".into(),
            });
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(OutputError::MissingFolder { path: dir.to_owned() });
        }
        Err(e) => return Err(OutputError::io("read", dir, e)),
    }
    let workflow = workflow_dir(roots, generation)?;
    if let Some(w) = &workflow
        && w.exists()
        && !w.is_dir()
    {
        return Err(OutputError::InTheWay {
            path: w.clone(),
            what: "a file",
            needed: "the workflow folder".into(),
        });
    }
    let _lock = FolderLock::acquire(dir, Access::Shared, &mut || {})?;
    let workflow = workflow.filter(|w| w.is_dir());
    let _workflow_lock = match &workflow {
        Some(w) => Some(FolderLock::acquire(w, Access::Shared, &mut || {})?),
        None => None,
    };
    if dir.join(STAGING_DIR).join(JOURNAL).exists() {
        return Err(OutputError::Interrupted { path: dir.to_owned() });
    }
    let dirs = Dirs { output: dir.to_owned(), workflow };
    let mut drift = Vec::new();
    for &(root, path, expected) in &generation.files {
        let on_disk = match dirs.of(root) {
            Some(folder) => read_file(&folder.join(path), path)?,
            None => None,
        };
        match on_disk {
            None => {
                drift.push(Drift::Missing { root, path: path.into(), expected: expected.into() })
            }
            Some(actual) if actual != expected.as_bytes() => drift.push(Drift::Changed {
                root,
                path: path.into(),
                expected: expected.into(),
                actual: String::from_utf8_lossy(&actual).into_owned(),
            }),
            Some(_) => {}
        }
    }
    for (root, path) in stale_files(&dirs, generation, &mut Vec::new())? {
        if let Some(actual) = read_file(&dirs.get(root).join(&path), &path)? {
            let actual = String::from_utf8_lossy(&actual).into_owned();
            drift.push(Drift::Stale { root, path, actual });
        }
    }
    Ok(drift)
}

fn ensure_folder(dir: &Path, what: &str) -> Result<(), OutputError> {
    if dir.exists() && !dir.is_dir() {
        return Err(OutputError::InTheWay {
            path: dir.to_owned(),
            what: "a file",
            needed: what.into(),
        });
    }
    fs::create_dir_all(dir).map_err(|e| OutputError::io("create the folder", dir, e))
}

/// Anything on disk that would stop a file from being put in place, found before anything is
/// written: a folder where a file goes, a file where a folder must be.
fn preflight(dirs: &Dirs, files: &[(Root, &str, &str)]) -> Result<(), OutputError> {
    for &(root, path, _) in files {
        let mut prefix = dirs.get(root).to_path_buf();
        let parts: Vec<&str> = path.split('/').collect();
        for (i, part) in parts.iter().enumerate() {
            prefix.push(part);
            let last = i + 1 == parts.len();
            let Ok(meta) = fs::symlink_metadata(&prefix) else { break };
            if last && meta.is_dir() {
                return Err(OutputError::InTheWay {
                    path: prefix,
                    what: "a folder",
                    needed: format!("the file `{path}`"),
                });
            }
            if !last && !prefix.is_dir() {
                return Err(OutputError::InTheWay {
                    path: prefix,
                    what: "a file",
                    needed: format!("the folder of `{path}`"),
                });
            }
        }
    }
    Ok(())
}

/// The journal: for each root, staged file name → target path, then the files to remove.
struct Journal {
    moves: Vec<(Root, String, String)>,
    remove: Vec<(Root, String)>,
    dirs: Dirs,
}

impl Journal {
    fn staging(&self, root: Root) -> PathBuf {
        self.dirs.get(root).join(STAGING_DIR)
    }
}

/// Writes every changed file into the staging folder of its root, then the journal into the
/// output folder's, all flushed to disk. On failure the folders come back for the clean-up.
fn stage(
    dirs: Dirs,
    changed: &[(Root, &str, &str)],
    stale: &[(Root, String)],
    steps: &mut Steps,
) -> Result<Journal, (OutputError, Dirs)> {
    let mut journal = Journal { moves: Vec::new(), remove: stale.to_vec(), dirs };
    match stage_into(&mut journal, changed, steps) {
        Ok(()) => Ok(journal),
        Err(e) => Err((e, journal.dirs)),
    }
}

fn stage_into(
    journal: &mut Journal,
    changed: &[(Root, &str, &str)],
    steps: &mut Steps,
) -> Result<(), OutputError> {
    let staging = journal.staging(Root::Output);
    steps.step(&staging)?;
    fs::create_dir(&staging).map_err(|e| OutputError::io("create the folder", &staging, e))?;
    if changed.iter().any(|(root, _, _)| *root == Root::Workflow) {
        let workflow_staging = journal.staging(Root::Workflow);
        steps.step(&workflow_staging)?;
        fs::create_dir(&workflow_staging)
            .map_err(|e| OutputError::io("create the folder", &workflow_staging, e))?;
    }
    for (i, &(root, path, contents)) in changed.iter().enumerate() {
        let name = format!("{i}.staged");
        let staged = journal.staging(root).join(&name);
        steps.step(&staged)?;
        write_synced(&staged, contents.as_bytes())
            .map_err(|e| OutputError::io("write", journal.dirs.get(root).join(path), e))?;
        journal.moves.push((root, name, path.to_owned()));
    }
    if journal.dirs.workflow.is_some() {
        sync_dir(&journal.staging(Root::Workflow));
    }
    let text = journal_text(journal);
    let tmp = staging.join("journal.tmp");
    steps.step(&tmp)?;
    write_synced(&tmp, text.as_bytes()).map_err(|e| OutputError::io("write", &tmp, e))?;
    let committed = staging.join(JOURNAL);
    steps.step(&committed)?;
    fs::rename(&tmp, &committed).map_err(|e| OutputError::io("write", &committed, e))?;
    sync_dir(&staging);
    Ok(())
}

/// Carries out a committed journal: moves every staged file still in a staging folder into
/// place, removes the stale files, then the workflow folder's staging folder, the journal and
/// the output folder's staging folder. Running it again after a stop anywhere finishes the
/// same work.
fn apply(journal: &Journal, steps: &mut Steps) -> Result<(), OutputError> {
    for (root, name, path) in &journal.moves {
        let staged = journal.staging(*root).join(name);
        if !staged.exists() {
            continue; // moved before an earlier run stopped
        }
        let target = journal.dirs.get(*root).join(path);
        if let Some(parent) = target.parent()
            && !parent.is_dir()
        {
            steps.step(parent)?;
            fs::create_dir_all(parent)
                .map_err(|e| OutputError::io("create the folder", parent, e))?;
        }
        steps.step(&target)?;
        fs::rename(&staged, &target).map_err(|e| OutputError::io("replace", &target, e))?;
    }
    sync_dir(&journal.dirs.output);
    if let Some(w) = &journal.dirs.workflow {
        sync_dir(w);
    }
    for (root, path) in &journal.remove {
        let dir = journal.dirs.get(*root);
        let target = dir.join(path);
        if target.is_file() {
            steps.step(&target)?;
            fs::remove_file(&target).map_err(|e| OutputError::io("remove", &target, e))?;
        }
        remove_empty_parents(dir, path, steps)?;
    }
    if journal.dirs.workflow.is_some() {
        let workflow_staging = journal.staging(Root::Workflow);
        if workflow_staging.exists() {
            steps.step(&workflow_staging)?;
            fs::remove_dir_all(&workflow_staging)
                .map_err(|e| OutputError::io("remove", &workflow_staging, e))?;
        }
    }
    let staging = journal.staging(Root::Output);
    let committed = staging.join(JOURNAL);
    steps.step(&committed)?;
    fs::remove_file(&committed).map_err(|e| OutputError::io("remove", &committed, e))?;
    steps.step(&staging)?;
    fs::remove_dir_all(&staging).map_err(|e| OutputError::io("remove", &staging, e))?;
    sync_dir(&journal.dirs.output);
    Ok(())
}

/// Folders a removed companion file leaves empty go too; the output folder itself stays.
fn remove_empty_parents(dir: &Path, path: &str, steps: &mut Steps) -> Result<(), OutputError> {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    while !parts.is_empty() {
        let folder = dir.join(parts.join("/"));
        let empty = fs::read_dir(&folder).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty {
            break;
        }
        steps.step(&folder)?;
        fs::remove_dir(&folder).map_err(|e| OutputError::io("remove", &folder, e))?;
        parts.pop();
    }
    Ok(())
}

/// Finishes or undoes what an earlier, stopped run left: a committed journal is carried out
/// (in the folders it names); a staging folder without one is removed, in the output folder
/// and in the workflow folder.
fn recover(dirs: &Dirs, steps: &mut Steps) -> Result<(), OutputError> {
    let staging = dirs.output.join(STAGING_DIR);
    if is_staging_folder(&staging)? {
        let journal =
            fs::read(staging.join(JOURNAL)).ok().and_then(|b| parse_journal(&b, &dirs.output));
        match journal {
            Some(journal) => apply(&journal, steps)?,
            None => {
                steps.step(&staging)?;
                fs::remove_dir_all(&staging).map_err(|e| OutputError::io("remove", &staging, e))?;
            }
        }
    }
    if let Some(w) = &dirs.workflow {
        // With no journal left, what a stopped run staged here was never committed.
        let staging = w.join(STAGING_DIR);
        if is_staging_folder(&staging)? {
            steps.step(&staging)?;
            fs::remove_dir_all(&staging).map_err(|e| OutputError::io("remove", &staging, e))?;
        }
    }
    Ok(())
}

/// Whether a staging folder is there; a file by its name is in the way.
fn is_staging_folder(staging: &Path) -> Result<bool, OutputError> {
    match fs::symlink_metadata(staging) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(OutputError::io("read", staging, e)),
        Ok(m) if !m.is_dir() => Err(OutputError::InTheWay {
            path: staging.to_owned(),
            what: "a file",
            needed: "the folder synth stages files in".into(),
        }),
        Ok(_) => Ok(true),
    }
}

fn root_name(root: Root) -> &'static str {
    match root {
        Root::Output => "output",
        Root::Workflow => "workflow",
    }
}

fn journal_text(journal: &Journal) -> String {
    let moves: Vec<serde_json::Value> = journal
        .moves
        .iter()
        .map(|(root, from, to)| serde_json::json!([root_name(*root), from, to]))
        .collect();
    let remove: Vec<serde_json::Value> = journal
        .remove
        .iter()
        .map(|(root, path)| serde_json::json!([root_name(*root), path]))
        .collect();
    let workflow = journal.dirs.workflow.as_ref().map(|w| w.to_string_lossy().into_owned());
    serde_json::json!({ "moves": moves, "remove": remove, "workflowFolder": workflow }).to_string()
}

/// The journal, if it is one this module wrote; any path in it outside its folder (a hand
/// edit) makes it void, and so does a workflow file without an absolute workflow folder.
fn parse_journal(bytes: &[u8], output: &Path) -> Option<Journal> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let workflow = match value.get("workflowFolder")? {
        serde_json::Value::Null => None,
        w => Some(PathBuf::from(w.as_str()?)).filter(|w| w.is_absolute()),
    };
    let root = |v: &serde_json::Value| match v.as_str()? {
        "output" => Some(Root::Output),
        "workflow" if workflow.is_some() => Some(Root::Workflow),
        _ => None,
    };
    let mut moves = Vec::new();
    for m in value.get("moves")?.as_array()? {
        let entry = m.as_array()?;
        let (from, to) = (entry.get(1)?.as_str()?, entry.get(2)?.as_str()?);
        if !from.ends_with(".staged") || from.contains('/') || !is_inside(to) {
            return None;
        }
        moves.push((root(entry.first()?)?, from.to_owned(), to.to_owned()));
    }
    let mut remove = Vec::new();
    for r in value.get("remove")?.as_array()? {
        let entry = r.as_array()?;
        let path = entry.get(1)?.as_str()?;
        if !is_inside(path) {
            return None;
        }
        remove.push((root(entry.first()?)?, path.to_owned()));
    }
    let dirs = Dirs { output: output.to_owned(), workflow };
    Some(Journal { moves, remove, dirs })
}

/// Files the manifest already in the output folder lists that this generation does not
/// produce, in either folder. A manifest that cannot be understood is noted, and then
/// replaced.
fn stale_files(
    dirs: &Dirs,
    generation: &Generation<'_>,
    notes: &mut Vec<String>,
) -> Result<Vec<(Root, String)>, OutputError> {
    let Some(old) = read_file(&dirs.output.join(MANIFEST_FILE), MANIFEST_FILE)? else {
        return Ok(Vec::new());
    };
    let Ok(old) = serde_json::from_slice::<serde_json::Value>(&old) else {
        notes.push(format!(
            "{} is not a manifest stackwright can read, so files an earlier synth wrote and \
             this one no longer does were not looked for; remove any such files by hand",
            dirs.output.join(MANIFEST_FILE).display()
        ));
        return Ok(Vec::new());
    };
    let listed = |key: &str| old.get(key).and_then(|f| f.as_array()).cloned().unwrap_or_default();
    let mut stale: Vec<(Root, String)> = listed("files")
        .iter()
        .filter_map(|f| f.as_str())
        // Only paths inside the folder: a manifest edited by hand cannot point elsewhere.
        .filter(|f| is_inside(f))
        .filter(|f| *f != MANIFEST_FILE && !generation.all_files.iter().any(|a| a == f))
        .map(|f| (Root::Output, f.to_owned()))
        .collect();
    // Workflow files are looked for only in the workflow folder given this time: a file the
    // manifest lists is never removed from a folder guessed elsewhere.
    if dirs.workflow.is_some() {
        stale.extend(
            listed(WORKFLOW_FILES_KEY)
                .iter()
                .filter_map(|f| f.as_str())
                .filter(|f| is_inside(f))
                .filter(|f| !generation.all_workflow_files.iter().any(|a| a == f))
                .map(|f| (Root::Workflow, f.to_owned())),
        );
    }
    Ok(stale)
}

/// The file's bytes, `None` when it does not exist; a folder in its place is named as such.
fn read_file(path: &Path, relative: &str) -> Result<Option<Vec<u8>>, OutputError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(_) if path.is_dir() => Err(OutputError::InTheWay {
            path: path.to_owned(),
            what: "a folder",
            needed: format!("the file `{relative}`"),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => Ok(None),
        Err(e) => Err(OutputError::io("read", path, e)),
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Flushes a folder's entries (the renames in it) to disk. Best effort: not every platform
/// can open a folder as a file, and the data itself was flushed already.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

//! Writing a generation of files into the output folder as one transaction.
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

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::assembly::is_inside;
use super::lock::{Access, FolderLock};
use super::output_error::OutputError;
use super::{Drift, MANIFEST_FILE, WriteReport};

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

/// What one write puts in the folder.
pub(crate) struct Generation<'a> {
    /// Every file with its contents, the manifest last.
    pub(crate) files: Vec<(&'a str, &'a str)>,
    /// Every file of the app, written this time or not (an unselected stack's template is
    /// not stale).
    pub(crate) all_files: &'a [String],
}

pub(crate) fn write(
    dir: &Path,
    generation: &Generation<'_>,
    on_wait: &mut dyn FnMut(),
    steps: &mut Steps,
) -> Result<WriteReport, OutputError> {
    ensure_folder(dir)?;
    let _lock = FolderLock::acquire(dir, Access::Exclusive, on_wait)?;
    recover(dir, steps)?;
    preflight(dir, &generation.files)?;

    let mut report = WriteReport::default();
    let stale = stale_files(dir, generation.all_files, &mut report.notes)?;
    let mut changed = Vec::new();
    for &(path, contents) in &generation.files {
        if read_file(&dir.join(path), path)?.as_deref() == Some(contents.as_bytes()) {
            report.unchanged.push(path.to_owned());
        } else {
            changed.push((path, contents));
        }
    }
    let stale: Vec<String> = stale.into_iter().filter(|p| dir.join(p).is_file()).collect();
    if changed.is_empty() && stale.is_empty() {
        return Ok(report);
    }

    let staging = dir.join(STAGING_DIR);
    let journal = match stage(&staging, &changed, &stale, steps) {
        Ok(journal) => journal,
        Err(e) => {
            // A crash leaves the staging folder for the next run to remove; an ordinary
            // failure (a full disk) cleans up now, and the folder is as it was.
            if !matches!(e, OutputError::Stopped(_)) {
                let _ = fs::remove_dir_all(&staging);
            }
            return Err(e);
        }
    };
    apply(dir, &journal, steps)?;
    report.written = changed.iter().map(|(p, _)| (*p).to_owned()).collect();
    report.removed = stale;
    Ok(report)
}

/// Compares the folder with a generation under a shared lock, so a write in progress is
/// waited for rather than seen half-way.
pub(crate) fn compare(dir: &Path, generation: &Generation<'_>) -> Result<Vec<Drift>, OutputError> {
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
    let _lock = FolderLock::acquire(dir, Access::Shared, &mut || {})?;
    if dir.join(STAGING_DIR).join(JOURNAL).exists() {
        return Err(OutputError::Interrupted { path: dir.to_owned() });
    }
    let mut drift = Vec::new();
    for &(path, expected) in &generation.files {
        match read_file(&dir.join(path), path)? {
            None => drift.push(Drift::Missing { path: path.into(), expected: expected.into() }),
            Some(actual) if actual != expected.as_bytes() => drift.push(Drift::Changed {
                path: path.into(),
                expected: expected.into(),
                actual: String::from_utf8_lossy(&actual).into_owned(),
            }),
            Some(_) => {}
        }
    }
    for path in stale_files(dir, generation.all_files, &mut Vec::new())? {
        if let Some(actual) = read_file(&dir.join(&path), &path)? {
            drift
                .push(Drift::Stale { path, actual: String::from_utf8_lossy(&actual).into_owned() });
        }
    }
    Ok(drift)
}

fn ensure_folder(dir: &Path) -> Result<(), OutputError> {
    if dir.exists() && !dir.is_dir() {
        return Err(OutputError::InTheWay {
            path: dir.to_owned(),
            what: "a file",
            needed: "the output folder".into(),
        });
    }
    fs::create_dir_all(dir).map_err(|e| OutputError::io("create the folder", dir, e))
}

/// Anything on disk that would stop a file from being put in place, found before anything is
/// written: a folder where a file goes, a file where a folder must be.
fn preflight(dir: &Path, files: &[(&str, &str)]) -> Result<(), OutputError> {
    for &(path, _) in files {
        let mut prefix = dir.to_path_buf();
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

/// The journal: staged file name → target path, then the files to remove.
struct Journal {
    moves: Vec<(String, String)>,
    remove: Vec<String>,
    staging: PathBuf,
}

/// Writes every changed file and then the journal into the staging folder, flushed to disk.
fn stage(
    staging: &Path,
    changed: &[(&str, &str)],
    stale: &[String],
    steps: &mut Steps,
) -> Result<Journal, OutputError> {
    steps.step(staging)?;
    fs::create_dir(staging).map_err(|e| OutputError::io("create the folder", staging, e))?;
    let mut moves = Vec::with_capacity(changed.len());
    for (i, &(path, contents)) in changed.iter().enumerate() {
        let name = format!("{i}.staged");
        let staged = staging.join(&name);
        steps.step(&staged)?;
        write_synced(&staged, contents.as_bytes())
            .map_err(|e| OutputError::io("write", dir_join(staging, path), e))?;
        moves.push((name, path.to_owned()));
    }
    let journal = Journal { moves, remove: stale.to_vec(), staging: staging.to_owned() };
    let text = journal_text(&journal);
    let tmp = staging.join("journal.tmp");
    steps.step(&tmp)?;
    write_synced(&tmp, text.as_bytes()).map_err(|e| OutputError::io("write", &tmp, e))?;
    let committed = staging.join(JOURNAL);
    steps.step(&committed)?;
    fs::rename(&tmp, &committed).map_err(|e| OutputError::io("write", &committed, e))?;
    sync_dir(staging);
    Ok(journal)
}

/// The target a staged file stands for, for error messages: the staged name means nothing
/// to a user.
fn dir_join(staging: &Path, path: &str) -> PathBuf {
    staging.parent().map_or_else(|| PathBuf::from(path), |d| d.join(path))
}

/// Carries out a committed journal: moves every staged file still in the staging folder into
/// place, removes the stale files, then the journal and the staging folder. Running it again
/// after a stop anywhere finishes the same work.
fn apply(dir: &Path, journal: &Journal, steps: &mut Steps) -> Result<(), OutputError> {
    for (name, path) in &journal.moves {
        let staged = journal.staging.join(name);
        if !staged.exists() {
            continue; // moved before an earlier run stopped
        }
        let target = dir.join(path);
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
    sync_dir(dir);
    for path in &journal.remove {
        let target = dir.join(path);
        if target.is_file() {
            steps.step(&target)?;
            fs::remove_file(&target).map_err(|e| OutputError::io("remove", &target, e))?;
        }
        remove_empty_parents(dir, path, steps)?;
    }
    let committed = journal.staging.join(JOURNAL);
    steps.step(&committed)?;
    fs::remove_file(&committed).map_err(|e| OutputError::io("remove", &committed, e))?;
    steps.step(&journal.staging)?;
    fs::remove_dir_all(&journal.staging)
        .map_err(|e| OutputError::io("remove", &journal.staging, e))?;
    sync_dir(dir);
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

/// Finishes or undoes what an earlier, stopped run left: a committed journal is carried out;
/// a staging folder without one is removed.
fn recover(dir: &Path, steps: &mut Steps) -> Result<(), OutputError> {
    let staging = dir.join(STAGING_DIR);
    match fs::symlink_metadata(&staging) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(OutputError::io("read", &staging, e)),
        Ok(m) if !m.is_dir() => {
            return Err(OutputError::InTheWay {
                path: staging,
                what: "a file",
                needed: "the folder synth stages files in".into(),
            });
        }
        Ok(_) => {}
    }
    let journal = fs::read(staging.join(JOURNAL)).ok().and_then(|b| parse_journal(&b, &staging));
    match journal {
        Some(journal) => apply(dir, &journal, steps),
        None => {
            steps.step(&staging)?;
            fs::remove_dir_all(&staging).map_err(|e| OutputError::io("remove", &staging, e))
        }
    }
}

fn journal_text(journal: &Journal) -> String {
    let moves: Vec<serde_json::Value> =
        journal.moves.iter().map(|(from, to)| serde_json::json!([from, to])).collect();
    serde_json::json!({ "moves": moves, "remove": journal.remove }).to_string()
}

/// The journal, if it is one this module wrote; any path in it outside the folder (a hand
/// edit) makes it void.
fn parse_journal(bytes: &[u8], staging: &Path) -> Option<Journal> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let mut moves = Vec::new();
    for m in value.get("moves")?.as_array()? {
        let pair = m.as_array()?;
        let (from, to) = (pair.first()?.as_str()?, pair.get(1)?.as_str()?);
        if !from.ends_with(".staged") || from.contains('/') || !is_inside(to) {
            return None;
        }
        moves.push((from.to_owned(), to.to_owned()));
    }
    let mut remove = Vec::new();
    for r in value.get("remove")?.as_array()? {
        let r = r.as_str()?;
        if !is_inside(r) {
            return None;
        }
        remove.push(r.to_owned());
    }
    Some(Journal { moves, remove, staging: staging.to_owned() })
}

/// Files the manifest already in `dir` lists that this generation does not produce. A
/// manifest that cannot be understood is noted, and then replaced.
fn stale_files(
    dir: &Path,
    all_files: &[String],
    notes: &mut Vec<String>,
) -> Result<Vec<String>, OutputError> {
    let Some(old) = read_file(&dir.join(MANIFEST_FILE), MANIFEST_FILE)? else {
        return Ok(Vec::new());
    };
    let Ok(old) = serde_json::from_slice::<serde_json::Value>(&old) else {
        notes.push(format!(
            "{} is not a manifest stackwright can read, so files an earlier synth wrote and \
             this one no longer does were not looked for; remove any such files by hand",
            dir.join(MANIFEST_FILE).display()
        ));
        return Ok(Vec::new());
    };
    let listed = old.get("files").and_then(|f| f.as_array()).cloned().unwrap_or_default();
    Ok(listed
        .iter()
        .filter_map(|f| f.as_str())
        // Only paths inside the folder: a manifest edited by hand cannot point elsewhere.
        .filter(|f| is_inside(f))
        .filter(|f| *f != MANIFEST_FILE && !all_files.iter().any(|a| a == f))
        .map(str::to_owned)
        .collect())
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

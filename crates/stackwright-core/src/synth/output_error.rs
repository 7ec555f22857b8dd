//! What can go wrong reading or writing the output folder, each naming the file and what to do.

use std::io;
use std::path::PathBuf;

/// A problem with the output folder. Synthesis already passed; this is about the disk.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    /// Reading, writing, renaming or removing a file failed.
    #[error("cannot {action} {}: {source}{}", path.display(), io_hint(source))]
    Io {
        /// What was being done: `read`, `write`, `replace`, `remove`, `create the folder`, ...
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// Something that is not a file sits where a file must go, or a file sits where a folder
    /// must be.
    #[error("{}: {what} is in the way of {needed}; move it away or remove it", path.display())]
    InTheWay {
        /// The obstacle.
        path: PathBuf,
        /// What it is: `a folder`, `a file`.
        what: &'static str,
        /// What synthesis must put there.
        needed: String,
    },
    /// The output folder does not exist (for `check` and `diff`).
    #[error("the output folder {} does not exist; run synth to create it", path.display())]
    MissingFolder {
        /// The folder.
        path: PathBuf,
    },
    /// An earlier synth was interrupted while it replaced files; the folder holds part of
    /// the old generation and part of the new until the next synth finishes the switch.
    #[error(
        "an earlier synth into {} was interrupted while it replaced files; run synth again to \
         finish it",
        path.display()
    )]
    Interrupted {
        /// The folder.
        path: PathBuf,
    },
    /// The app writes files for the workflow folder, and no workflow folder was given.
    #[error(
        "the app writes the workflow file `{file}` but no workflow folder was given; pass one \
         (`Roots::with_workflow`, or `synth --workflow-dir DIR`)"
    )]
    NoWorkflowFolder {
        /// The first workflow file.
        file: String,
    },
    /// The workflow folder given is the output folder.
    #[error(
        "{} is both the output folder and the workflow folder; give the workflows a folder \
         of their own",
        path.display()
    )]
    SameFolder {
        /// The folder.
        path: PathBuf,
    },
    /// The write was stopped on purpose at a given step (crash-consistency tests).
    #[doc(hidden)]
    #[error("stopped after {0} steps")]
    Stopped(usize),
}

impl OutputError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        OutputError::Io { action, path: path.into(), source }
    }
}

/// What to do about the commonest failures, so the message says more than the errno.
fn io_hint(e: &io::Error) -> &'static str {
    match e.kind() {
        io::ErrorKind::PermissionDenied => {
            "; give yourself write access to it, or choose another --out"
        }
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            "; free some space and synth again (the folder still holds the previous generation)"
        }
        io::ErrorKind::InvalidFilename => "; the name is too long for this filesystem: shorten it",
        _ => "",
    }
}

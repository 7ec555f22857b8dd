//! One writer at a time in an output folder, and no reader while it writes.
//!
//! On Unix the folder itself is locked (`flock` on its handle): nothing is added to the
//! folder, and no lock file can outlive a crash, because the kernel drops the lock with the
//! process. Elsewhere a hidden `.stackwright.lock` file in the folder is locked instead; it
//! stays, empty, because deleting a lock file while another process waits on it would let a
//! third one lock a new file and run beside the second.

use std::fs::File;
use std::path::Path;

use super::output_error::OutputError;

/// A held lock on an output folder; released when dropped.
pub(crate) struct FolderLock {
    _file: File,
}

/// Shared (readers) or exclusive (the writer).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Shared,
    Exclusive,
}

impl FolderLock {
    /// Locks `dir`, which must exist. When another process holds the lock, `on_wait` is
    /// called once and the call blocks until the lock is free.
    pub(crate) fn acquire(
        dir: &Path,
        access: Access,
        on_wait: &mut dyn FnMut(),
    ) -> Result<FolderLock, OutputError> {
        let file = open(dir)?;
        let attempt = match access {
            Access::Shared => file.try_lock_shared(),
            Access::Exclusive => file.try_lock(),
        };
        match attempt {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                on_wait();
                let locked = match access {
                    Access::Shared => file.lock_shared(),
                    Access::Exclusive => file.lock(),
                };
                locked.map_err(|e| OutputError::io("lock", dir, e))?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(OutputError::io("lock", dir, e)),
        }
        Ok(FolderLock { _file: file })
    }
}

#[cfg(unix)]
fn open(dir: &Path) -> Result<File, OutputError> {
    File::open(dir).map_err(|e| OutputError::io("open", dir, e))
}

#[cfg(not(unix))]
fn open(dir: &Path) -> Result<File, OutputError> {
    let path = dir.join(".stackwright.lock");
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| OutputError::io("open", path, e))
}

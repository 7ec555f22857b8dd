//! The ids handles carry: which workflow, which job, which step.

use std::sync::atomic::{AtomicU64, Ordering};

/// Tells workflows apart, so a handle from one is never silently used in another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct WorkflowId(u64);

impl WorkflowId {
    pub(crate) fn fresh() -> WorkflowId {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        WorkflowId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// A job's position in its workflow.
pub(crate) type JobIndex = usize;
/// A step's position in its job.
pub(crate) type StepIndex = usize;

//! SQS: queues with dead-letter queues, TLS-only resource policies and grants.

mod queue;

pub use queue::{DeadLetterQueue, Queue, QueueEncryption, QueueProps};
pub(crate) use queue::{FifoSettings, fifo_methods};

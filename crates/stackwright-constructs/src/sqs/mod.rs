//! SQS: queues with dead-letter queues, TLS-only resource policies and grants.

mod queue;

pub(crate) use queue::check_name;
pub use queue::{DeadLetterQueue, Queue, QueueEncryption, QueueProps};

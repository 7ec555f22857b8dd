//! SQS: queues with dead-letter queues, TLS-only resource policies and grants.

mod queue;

pub use queue::{DeadLetterQueue, Queue, QueueEncryption, QueueProps};

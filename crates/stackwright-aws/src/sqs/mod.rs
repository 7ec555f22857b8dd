//! Amazon SQS: `AWS::SQS::*`.

mod queue;
mod queue_policy;

pub use queue::{Queue, QueueRef};
pub use queue_policy::{QueuePolicy, QueuePolicyRef};

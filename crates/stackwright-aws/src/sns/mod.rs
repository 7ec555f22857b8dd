//! Amazon SNS: `AWS::SNS::*`.

mod subscription;
mod topic;
mod topic_policy;

pub use subscription::{Protocol, Subscription, SubscriptionRef};
pub use topic::{Topic, TopicRef};
pub use topic_policy::{TopicPolicy, TopicPolicyRef};

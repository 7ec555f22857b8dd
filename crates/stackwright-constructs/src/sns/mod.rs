//! SNS: topics with subscriptions, TLS-only resource policies and grants.

mod topic;

pub(crate) use topic::is_aws_managed_key;
pub use topic::{AWS_MANAGED_SNS_KEY, Subscriber, Topic, TopicProps};

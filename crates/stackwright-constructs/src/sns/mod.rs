//! SNS: topics with subscriptions, TLS-only resource policies and grants.

mod topic;

pub use topic::{Subscriber, Topic, TopicProps};

//! `AWS::SNS::TopicPolicy`.

use stackwright_core::{Handle, Json, Props, Resource, ResourceId, ResourceType, Val};

/// `AWS::SNS::TopicPolicy`: the resource policy of one or more topics.
///
/// Reference: <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sns-topicpolicy.html>
#[derive(Clone, Debug, PartialEq)]
pub struct TopicPolicy {
    /// `PolicyDocument` (required).
    pub policy_document: Val<Json>,
    /// `Topics` (required): the topic ARNs.
    pub topics: Val<Vec<String>>,
}

impl TopicPolicy {
    /// A policy for these topics.
    pub fn new(
        policy_document: impl Into<Val<Json>>,
        topics: impl Into<Val<Vec<String>>>,
    ) -> TopicPolicy {
        TopicPolicy {
            policy_document: policy_document.into(),
            topics: topics.into(),
        }
    }
}

impl Resource for TopicPolicy {
    fn resource_type(&self) -> &str {
        "AWS::SNS::TopicPolicy"
    }
    fn properties(&self) -> Props {
        let mut p = Props::new();
        p.set("PolicyDocument", &self.policy_document)
            .set("Topics", &self.topics);
        p
    }
}

impl ResourceType for TopicPolicy {
    type Handle = TopicPolicyRef;
}

/// Handle to an `AWS::SNS::TopicPolicy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TopicPolicyRef {
    id: ResourceId,
}

impl Handle for TopicPolicyRef {
    fn from_id(id: ResourceId) -> Self {
        TopicPolicyRef { id }
    }
    fn id(&self) -> ResourceId {
        self.id
    }
}

//! `AWS::SQS::QueuePolicy`.

use stackwright_core::{Handle, Json, Props, Resource, ResourceId, ResourceType, Val};

/// `AWS::SQS::QueuePolicy`: the resource policy of one or more queues.
///
/// Reference: <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queuepolicy.html>
#[derive(Clone, Debug, PartialEq)]
pub struct QueuePolicy {
    /// `PolicyDocument` (required).
    pub policy_document: Val<Json>,
    /// `Queues` (required): the queue URLs.
    pub queues: Val<Vec<String>>,
}

impl QueuePolicy {
    /// A policy for these queues.
    pub fn new(
        policy_document: impl Into<Val<Json>>,
        queues: impl Into<Val<Vec<String>>>,
    ) -> QueuePolicy {
        QueuePolicy {
            policy_document: policy_document.into(),
            queues: queues.into(),
        }
    }
}

impl Resource for QueuePolicy {
    fn resource_type(&self) -> &str {
        "AWS::SQS::QueuePolicy"
    }
    fn properties(&self) -> Props {
        let mut p = Props::new();
        p.set("PolicyDocument", &self.policy_document)
            .set("Queues", &self.queues);
        p
    }
}

impl ResourceType for QueuePolicy {
    type Handle = QueuePolicyRef;
}

/// Handle to an `AWS::SQS::QueuePolicy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QueuePolicyRef {
    id: ResourceId,
}

impl Handle for QueuePolicyRef {
    fn from_id(id: ResourceId) -> Self {
        QueuePolicyRef { id }
    }
    fn id(&self) -> ResourceId {
        self.id
    }
}

//! `AWS::SQS::Queue`.

use stackwright_core::{
    Expr, Handle, Json, PropertyProblem, Props, Resource, ResourceId, ResourceType, Val, get_att,
};

use crate::Tag;
use crate::constraint::{int_range, str_chars, str_len};

/// `AWS::SQS::Queue`: a standard or FIFO message queue. No property is required.
///
/// Reference: <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html>
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Queue {
    /// `ContentBasedDeduplication` (FIFO only). Update: no interruption.
    pub content_based_deduplication: Option<Val<bool>>,
    /// `DeduplicationScope`: `messageGroup` or `queue` (FIFO only).
    pub deduplication_scope: Option<Val<String>>,
    /// `DelaySeconds`: 0 to 900. Update: no interruption.
    pub delay_seconds: Option<Val<i64>>,
    /// `FifoQueue`. Update: replacement.
    pub fifo_queue: Option<Val<bool>>,
    /// `FifoThroughputLimit`: `perQueue` or `perMessageGroupId`.
    pub fifo_throughput_limit: Option<Val<String>>,
    /// `KmsDataKeyReusePeriodSeconds`: 60 to 86,400.
    pub kms_data_key_reuse_period_seconds: Option<Val<i64>>,
    /// `KmsMasterKeyId`: a KMS key ID, ARN or alias for server-side encryption.
    pub kms_master_key_id: Option<Val<String>>,
    /// `MaximumMessageSize`: 1,024 to 1,048,576 bytes.
    pub maximum_message_size: Option<Val<i64>>,
    /// `MessageRetentionPeriod`: 60 to 1,209,600 seconds.
    pub message_retention_period: Option<Val<i64>>,
    /// `QueueName`: up to 80 characters; FIFO names end in `.fifo`. Update: replacement.
    pub queue_name: Option<Val<String>>,
    /// `ReceiveMessageWaitTimeSeconds`: 0 to 20.
    pub receive_message_wait_time_seconds: Option<Val<i64>>,
    /// `RedriveAllowPolicy` (JSON).
    pub redrive_allow_policy: Option<Val<Json>>,
    /// `RedrivePolicy` (JSON): `deadLetterTargetArn` and `maxReceiveCount`.
    pub redrive_policy: Option<Val<Json>>,
    /// `SqsManagedSseEnabled`: SSE with SQS-owned keys.
    pub sqs_managed_sse_enabled: Option<Val<bool>>,
    /// `Tags`.
    pub tags: Vec<Tag>,
    /// `VisibilityTimeout`: 0 to 43,200 seconds.
    pub visibility_timeout: Option<Val<i64>>,
}

impl Queue {
    /// A queue with CloudFormation's defaults.
    pub fn new() -> Queue {
        Queue::default()
    }

    setters! {
        /// Sets `ContentBasedDeduplication`.
        content_based_deduplication: bool;
        /// Sets `DeduplicationScope`.
        deduplication_scope: String;
        /// Sets `DelaySeconds`.
        delay_seconds: i64;
        /// Sets `FifoQueue`.
        fifo_queue: bool;
        /// Sets `FifoThroughputLimit`.
        fifo_throughput_limit: String;
        /// Sets `KmsDataKeyReusePeriodSeconds`.
        kms_data_key_reuse_period_seconds: i64;
        /// Sets `KmsMasterKeyId`.
        kms_master_key_id: String;
        /// Sets `MaximumMessageSize`.
        maximum_message_size: i64;
        /// Sets `MessageRetentionPeriod`.
        message_retention_period: i64;
        /// Sets `QueueName`.
        queue_name: String;
        /// Sets `ReceiveMessageWaitTimeSeconds`.
        receive_message_wait_time_seconds: i64;
        /// Sets `RedriveAllowPolicy`.
        redrive_allow_policy: Json;
        /// Sets `RedrivePolicy`.
        redrive_policy: Json;
        /// Sets `SqsManagedSseEnabled`.
        sqs_managed_sse_enabled: bool;
        /// Sets `VisibilityTimeout`.
        visibility_timeout: i64;
    }

    /// Adds a tag.
    pub fn tag(mut self, tag: Tag) -> Self {
        self.tags.push(tag);
        self
    }
}

impl Resource for Queue {
    fn resource_type(&self) -> &str {
        "AWS::SQS::Queue"
    }

    fn properties(&self) -> Props {
        let mut p = Props::new();
        p.set_opt("QueueName", &self.queue_name)
            .set_opt("FifoQueue", &self.fifo_queue)
            .set_opt(
                "ContentBasedDeduplication",
                &self.content_based_deduplication,
            )
            .set_opt("DeduplicationScope", &self.deduplication_scope)
            .set_opt("FifoThroughputLimit", &self.fifo_throughput_limit)
            .set_opt("VisibilityTimeout", &self.visibility_timeout)
            .set_opt("MessageRetentionPeriod", &self.message_retention_period)
            .set_opt("DelaySeconds", &self.delay_seconds)
            .set_opt("MaximumMessageSize", &self.maximum_message_size)
            .set_opt(
                "ReceiveMessageWaitTimeSeconds",
                &self.receive_message_wait_time_seconds,
            )
            .set_opt("RedrivePolicy", &self.redrive_policy)
            .set_opt("RedriveAllowPolicy", &self.redrive_allow_policy)
            .set_opt("SqsManagedSseEnabled", &self.sqs_managed_sse_enabled)
            .set_opt("KmsMasterKeyId", &self.kms_master_key_id)
            .set_opt(
                "KmsDataKeyReusePeriodSeconds",
                &self.kms_data_key_reuse_period_seconds,
            );
        if let Some(tags) = Tag::list(&self.tags) {
            p.set_expr("Tags", tags);
        }
        p
    }

    fn validate(&self, out: &mut Vec<PropertyProblem>) {
        int_range(out, "DelaySeconds", &self.delay_seconds, 0, 900);
        int_range(
            out,
            "KmsDataKeyReusePeriodSeconds",
            &self.kms_data_key_reuse_period_seconds,
            60,
            86_400,
        );
        int_range(
            out,
            "MaximumMessageSize",
            &self.maximum_message_size,
            1_024,
            1_048_576,
        );
        int_range(
            out,
            "MessageRetentionPeriod",
            &self.message_retention_period,
            60,
            1_209_600,
        );
        int_range(
            out,
            "ReceiveMessageWaitTimeSeconds",
            &self.receive_message_wait_time_seconds,
            0,
            20,
        );
        int_range(
            out,
            "VisibilityTimeout",
            &self.visibility_timeout,
            0,
            43_200,
        );
        str_len(out, "QueueName", &self.queue_name, 1, 80);
        let name_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.';
        str_chars(
            out,
            "QueueName",
            &self.queue_name,
            name_char,
            "letters, digits, `-`, `_` (and `.fifo` at the end)",
        );
        let fifo = matches!(
            self.fifo_queue.as_ref().map(Val::expr),
            Some(Expr::Bool(true))
        );
        if let Some(Expr::Str(name)) = self.queue_name.as_ref().map(Val::expr) {
            if fifo != name.ends_with(".fifo") {
                out.push(PropertyProblem::new(
                    "QueueName",
                    if fifo {
                        format!("`{name}` names a FIFO queue, so it must end in `.fifo`")
                    } else {
                        format!(
                            "`{name}` ends in `.fifo`, which only FIFO queues may; set FifoQueue"
                        )
                    },
                ));
            }
        }
    }
}

impl ResourceType for Queue {
    type Handle = QueueRef;
}

/// Handle to an `AWS::SQS::Queue`. `Ref` returns the queue URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QueueRef {
    id: ResourceId,
}

impl Handle for QueueRef {
    fn from_id(id: ResourceId) -> Self {
        QueueRef { id }
    }
    fn id(&self) -> ResourceId {
        self.id
    }
}

impl QueueRef {
    /// `Ref`: the queue URL.
    pub fn queue_url(&self) -> Val<String> {
        self.reference()
    }
    /// `Fn::GetAtt Arn`.
    pub fn arn(&self) -> Val<String> {
        get_att(self.id, "Arn")
    }
    /// `Fn::GetAtt QueueName`.
    pub fn queue_name(&self) -> Val<String> {
        get_att(self.id, "QueueName")
    }
}

//! The `Queue` construct.

use stackwright_aws::sqs as l1;
use stackwright_core::kind;
use stackwright_core::{ConstructRef, Expr, Handle, Scope, Val};

use crate::Duration;
use crate::iam::{
    DocumentKind, Grantee, PolicyDocument, PolicySlot, PolicyStatement, ResourcePolicy,
    ResourcePolicyState, deny_insecure_transport, grant_with_key, resource_policy_methods,
};

/// A queue that receives the messages another queue could not process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DeadLetterQueue {
    /// The dead-letter queue.
    pub queue: Queue,
    /// Receives after which a message moves there (1 to 1,000).
    pub max_receive_count: u32,
}

/// How messages are encrypted at rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum QueueEncryption {
    /// SQS-owned keys (SSE-SQS): free, no key policy to manage. The default.
    #[default]
    SqsManaged,
    /// A KMS key (ID, ARN or alias); grants then include the KMS actions the key needs.
    Kms(Val<kind::KmsKey>),
    /// No encryption at rest.
    Unencrypted,
}

/// How to build a [`Queue`]. Every field has a default; the builder methods set them.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueProps {
    queue_name: Option<Val<String>>,
    fifo: bool,
    content_based_deduplication: bool,
    visibility_timeout: Option<Duration>,
    retention_period: Option<Duration>,
    delivery_delay: Option<Duration>,
    receive_message_wait_time: Option<Duration>,
    max_message_size_bytes: Option<u32>,
    dead_letter_queue: Option<DeadLetterQueue>,
    encryption: QueueEncryption,
    enforce_ssl: bool,
}

impl Default for QueueProps {
    fn default() -> Self {
        QueueProps {
            queue_name: None,
            fifo: false,
            content_based_deduplication: false,
            visibility_timeout: None,
            retention_period: None,
            delivery_delay: None,
            receive_message_wait_time: None,
            max_message_size_bytes: None,
            dead_letter_queue: None,
            encryption: QueueEncryption::SqsManaged,
            enforce_ssl: true,
        }
    }
}

impl QueueProps {
    /// Defaults: a standard queue, SSE-SQS encryption, TLS-only access.
    pub fn new() -> QueueProps {
        QueueProps::default()
    }

    /// Fixes the queue name (FIFO names end in `.fifo`).
    pub fn queue_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.queue_name = Some(name.into());
        self
    }

    fifo_methods!("queue");

    /// How long a received message stays hidden from other consumers (at most 12 hours).
    pub fn visibility_timeout(mut self, d: Duration) -> Self {
        self.visibility_timeout = Some(d);
        self
    }

    /// How long messages are kept (1 minute to 14 days).
    pub fn retention_period(mut self, d: Duration) -> Self {
        self.retention_period = Some(d);
        self
    }

    /// How long new messages stay invisible (at most 15 minutes).
    pub fn delivery_delay(mut self, d: Duration) -> Self {
        self.delivery_delay = Some(d);
        self
    }

    /// Long polling: how long a receive waits for messages (at most 20 seconds).
    pub fn receive_message_wait_time(mut self, d: Duration) -> Self {
        self.receive_message_wait_time = Some(d);
        self
    }

    /// The largest message accepted (1 KiB to 1 MiB).
    pub fn max_message_size_bytes(mut self, n: u32) -> Self {
        self.max_message_size_bytes = Some(n);
        self
    }

    /// Moves messages received `max_receive_count` times to `queue`.
    pub fn dead_letter_queue(mut self, queue: &Queue, max_receive_count: u32) -> Self {
        self.dead_letter_queue = Some(DeadLetterQueue { queue: *queue, max_receive_count });
        self
    }

    /// Sets the encryption at rest.
    pub fn encryption(mut self, e: QueueEncryption) -> Self {
        self.encryption = e;
        self
    }

    /// Allows plain-HTTP access too (the default denies it in the queue policy).
    pub fn allow_insecure_transport(mut self, on: bool) -> Self {
        self.enforce_ssl = !on;
        self
    }
}

/// An SQS queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Queue {
    node: ConstructRef<ResourcePolicyState>,
    resource: l1::QueueRef,
    fifo: bool,
}

impl Queue {
    /// Creates the queue as the construct `id` in `scope`.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str, props: QueueProps) -> Queue {
        let key = match &props.encryption {
            QueueEncryption::Kms(key) => Some(key),
            _ => None,
        };
        let state = ResourcePolicyState::new("Queue").encrypted_with(key, "alias/aws/sqs");
        let (node, mut inner) = scope.construct(id, state);
        // Out-of-range values are reported here in the units the user wrote and left out of
        // the L1, so its own range check does not report them a second time in seconds.
        let mut within = |what: &str, d: Option<Duration>, min: u64, max: u64, range: &str| {
            let d = d?;
            if d.as_seconds() < min || d.as_seconds() > max {
                inner.error(
                    "sqs.duration-range",
                    format!("{what} is {d}"),
                    format!("SQS allows {range}"),
                );
                return None;
            }
            Some(Val::from(d.as_int()))
        };
        let mut q = l1::Queue::new();
        q.visibility_timeout = within(
            "visibility_timeout",
            props.visibility_timeout,
            0,
            43_200,
            "0 seconds to 12 hours",
        );
        q.message_retention_period = within(
            "retention_period",
            props.retention_period,
            60,
            1_209_600,
            "1 minute to 14 days",
        );
        q.delay_seconds =
            within("delivery_delay", props.delivery_delay, 0, 900, "0 seconds to 15 minutes");
        q.receive_message_wait_time_seconds = within(
            "receive_message_wait_time",
            props.receive_message_wait_time,
            0,
            20,
            "0 to 20 seconds",
        );
        q.maximum_message_size = match props.max_message_size_bytes {
            Some(n) if !(1_024..=1_048_576).contains(&n) => {
                inner.error(
                    "sqs.max-message-size-bytes",
                    format!("max_message_size_bytes is {n}"),
                    "SQS allows 1,024 to 1,048,576",
                );
                None
            }
            n => n.map(Val::from),
        };
        check(&mut inner, &props);
        q.queue_name = props.queue_name.clone();
        if props.fifo {
            q.fifo_queue = Some(true.into());
        }
        if props.content_based_deduplication {
            q.content_based_deduplication = Some(true.into());
        }
        match &props.encryption {
            // SSE-SQS is the service default for new queues; stating it keeps the template
            // honest about what it relies on.
            QueueEncryption::SqsManaged => q.sqs_managed_sse_enabled = Some(true.into()),
            QueueEncryption::Kms(key) => {
                q.kms_master_key_id = Some(key.clone());
            }
            QueueEncryption::Unencrypted => q.sqs_managed_sse_enabled = Some(false.into()),
        }
        if let Some(dlq) = props.dead_letter_queue {
            q.redrive_policy = Some(Val::from_expr(Expr::Map(vec![
                ("deadLetterTargetArn".into(), dlq.queue.arn().into_expr()),
                ("maxReceiveCount".into(), Expr::Int(dlq.max_receive_count.into())),
            ])));
        }
        let queue = Queue { node, resource: inner.add("Resource", q), fifo: props.fifo };
        if props.encryption == QueueEncryption::SqsManaged {
            // Encrypted at rest all the same; scanners that count only KMS keys are told why.
            let reason = "encrypted at rest with SQS-managed keys (SqsManagedSseEnabled)";
            inner.suppress(
                queue.resource.id(),
                stackwright_core::Suppression::new(&crate::rules::SQS_KMS_KEY, reason),
            );
        }
        if props.enforce_ssl {
            queue.add_to_resource_policy(
                &mut inner,
                deny_insecure_transport("sqs:*", [queue.arn().into()]),
            );
        }
        queue
    }

    /// The L1 handle, for escape hatches.
    pub fn resource(&self) -> l1::QueueRef {
        self.resource
    }

    /// The queue ARN.
    pub fn arn(&self) -> Val<kind::QueueArn> {
        self.resource.arn()
    }

    /// The queue name (the `QueueName` attribute).
    pub fn queue_name(&self) -> Val<String> {
        stackwright_core::get_att(self.resource.id(), "QueueName")
    }

    /// The queue URL (not an ARN: IAM and event sources want [`arn`](Self::arn)).
    pub fn queue_url(&self) -> Val<kind::QueueUrl> {
        // `Ref` gives the URL, as people write it.
        self.resource.reference()
    }

    /// Whether it is a FIFO queue.
    pub fn is_fifo(&self) -> bool {
        self.fifo
    }

    resource_policy_methods!(QUEUE_POLICY, l1::QueuePolicyRef, queue_url);

    /// Lets `grantee` send messages.
    #[track_caller]
    pub fn grant_send(&self, scope: &mut Scope<'_>, grantee: &impl Grantee) {
        self.grant(
            scope,
            grantee,
            &["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
            KMS_SEND,
        );
    }

    /// Lets `grantee` receive and delete messages.
    #[track_caller]
    pub fn grant_consume(&self, scope: &mut Scope<'_>, grantee: &impl Grantee) {
        let actions = [
            "sqs:ReceiveMessage",
            "sqs:ChangeMessageVisibility",
            "sqs:GetQueueUrl",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
        ];
        self.grant(scope, grantee, &actions, KMS_CONSUME);
    }

    /// Lets `grantee` delete every message in the queue.
    #[track_caller]
    pub fn grant_purge(&self, scope: &mut Scope<'_>, grantee: &impl Grantee) {
        self.grant(
            scope,
            grantee,
            &["sqs:PurgeQueue", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
            &[],
        );
    }

    fn grant(
        &self,
        scope: &mut Scope<'_>,
        grantee: &impl Grantee,
        actions: &[&str],
        kms_actions: &[&str],
    ) {
        let statement =
            PolicyStatement::allow().actions(actions.iter().copied()).resource(self.arn());
        let key =
            scope.app().get::<l1::Queue>(self.resource).and_then(|q| q.kms_master_key_id.clone());
        if key.is_some() && !kms_actions.is_empty() {
            ResourcePolicyState::key_granted(scope.app(), self.node);
        }
        grant_with_key(scope, grantee, statement, key, kms_actions);
    }
}

/// The queue's `Policy`: an `AWS::SQS::QueuePolicy` on the queue.
static QUEUE_POLICY: ResourcePolicy<l1::QueuePolicy> = ResourcePolicy {
    slot: PolicySlot {
        slot: "Policy",
        property: "PolicyDocument",
        made_by_owner: false,
        kind: DocumentKind::Resource,
        apply: |p, doc, _| p.policy_document = doc,
    },
    make: |target| {
        l1::QueuePolicy::new(l1::QueuePolicyRequired {
            policy_document: PolicyDocument::new().to_val(),
            // The target is the queue's own `Ref`, its URL.
            queues: vec![Val::<kind::QueueUrl>::assume(target)],
        })
    },
    what: "the queue's resource policy",
};

const KMS_SEND: &[&str] = &["kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Decrypt"];
const KMS_CONSUME: &[&str] = &["kms:Decrypt"];

/// The FIFO settings queues and topics share, checked the same way for both.
pub(crate) struct FifoSettings {
    pub(crate) fifo: bool,
    pub(crate) dedup: bool,
}

impl FifoSettings {
    /// Reports a literal `name` SQS or SNS would reject and deduplication without FIFO.
    pub(crate) fn check(&self, scope: &mut Scope<'_>, name: Option<&Val<String>>, what: &str) {
        if let Some(Expr::Str(name)) = name.map(Val::expr) {
            check_name(scope, name, self.fifo, what);
        }
        if self.dedup && !self.fifo {
            scope.error(
                "messaging.content-based-deduplication",
                format!("content_based_deduplication needs a FIFO {what}"),
                "call .fifo(true) too",
            );
        }
    }
}

/// The FIFO builder methods of queue and topic props, for a struct with `fifo` and
/// `content_based_deduplication` fields.
macro_rules! fifo_methods {
    ($what:literal) => {
        #[doc = concat!("Makes it a FIFO ", $what, ".")]
        pub fn fifo(mut self, on: bool) -> Self {
            self.fifo = on;
            self
        }

        /// Deduplicates FIFO messages by a hash of their body.
        pub fn content_based_deduplication(mut self, on: bool) -> Self {
            self.content_based_deduplication = on;
            self
        }
    };
}
pub(crate) use fifo_methods;

fn check(scope: &mut Scope<'_>, props: &QueueProps) {
    let fifo = FifoSettings { fifo: props.fifo, dedup: props.content_based_deduplication };
    fifo.check(scope, props.queue_name.as_ref(), "queue");
    if let Some(dlq) = props.dead_letter_queue {
        if !(1..=1_000).contains(&dlq.max_receive_count) {
            scope.error(
                "sqs.dead-letter-queue",
                format!("dead_letter_queue max_receive_count is {}", dlq.max_receive_count),
                "SQS allows 1 to 1,000",
            );
        }
        if dlq.queue.fifo != props.fifo {
            scope.error(
                "sqs.dead-letter-queue-type",
                if props.fifo {
                    "the dead-letter queue of a FIFO queue must be a FIFO queue too"
                } else {
                    "the dead-letter queue of a standard queue must be a standard queue too"
                },
                "",
            );
        }
    }
}

/// Names: at most 80 characters of letters, digits, `-` and `_`; `.fifo` at the end exactly
/// when the queue (or topic, at most 256 characters) is FIFO.
fn check_name(scope: &mut Scope<'_>, name: &str, fifo: bool, what: &str) {
    let max = if what == "queue" { 80 } else { 256 };
    let stem = name.strip_suffix(".fifo").unwrap_or(name);
    if name.is_empty() || name.chars().count() > max {
        scope.error(
            "sqs.name-length",
            format!("{what} name `{name}` must be 1 to {max} characters long"),
            "",
        );
    }
    if let Some(bad) = stem.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        scope.error(
            "sqs.name-characters",
            format!("{what} name `{name}` contains `{bad}`"),
            "use letters, digits, `-` and `_` (and `.fifo` at the end)",
        );
    }
    match (fifo, name.ends_with(".fifo")) {
        (true, false) => scope.error(
            "sqs.fifo-name",
            format!("`{name}` names a FIFO {what}, so it must end in `.fifo`"),
            "",
        ),
        (false, true) => scope.error(
            "sqs.fifo-name",
            format!("`{name}` ends in `.fifo`, which only FIFO {what}s may"),
            "call .fifo(true)",
        ),
        _ => {}
    }
}

//! The `Topic` construct.

use stackwright_aws::sns as l1;
use stackwright_core::kind;
use stackwright_core::{ConstructRef, Handle, Scope, Val};

use crate::iam::{
    DocumentKind, Grantee, PolicyDocument, PolicySlot, PolicyStatement, Principal, ResourcePolicy,
    ResourcePolicyState, check_key_for_grants, deny_insecure_transport, grant_with_key,
    resource_policy_methods,
};
use crate::sqs::{FifoSettings, Queue, fifo_methods};

/// How to build a [`Topic`].
#[derive(Clone, Debug, PartialEq)]
pub struct TopicProps {
    topic_name: Option<Val<String>>,
    display_name: Option<Val<String>>,
    fifo: bool,
    content_based_deduplication: bool,
    master_key: Option<Val<kind::KmsKey>>,
    encrypted: bool,
    enforce_ssl: bool,
}

/// The AWS managed key of SNS, which encrypts a topic given no key of its own.
pub const AWS_MANAGED_SNS_KEY: &str = "alias/aws/sns";

impl Default for TopicProps {
    fn default() -> Self {
        TopicProps {
            topic_name: None,
            display_name: None,
            fifo: false,
            content_based_deduplication: false,
            master_key: None,
            encrypted: true,
            enforce_ssl: true,
        }
    }
}

impl TopicProps {
    /// Defaults: a standard topic, encrypted at rest with the AWS managed key
    /// `alias/aws/sns`, TLS-only publishing.
    pub fn new() -> TopicProps {
        TopicProps::default()
    }

    /// Fixes the topic name (FIFO names end in `.fifo`).
    pub fn topic_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.topic_name = Some(name.into());
        self
    }

    /// Sets the display name (used as the SMS sender and in email subjects).
    pub fn display_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    fifo_methods!("topic");

    /// Encrypts messages at rest with this KMS key (ID, ARN or alias) instead of the AWS
    /// managed key. AWS services that publish to the topic (CloudWatch alarms, CodeStar
    /// Notifications) need a customer managed key whose policy lets them use it.
    pub fn master_key(mut self, key: impl Into<Val<kind::KmsKey>>) -> Self {
        self.master_key = Some(key.into());
        self
    }

    /// Whether messages are encrypted at rest (default `true`: with the AWS managed key
    /// `alias/aws/sns` unless [`master_key`](Self::master_key) gives one). `false` leaves
    /// the topic unencrypted and drops a key given.
    pub fn encrypted(mut self, on: bool) -> Self {
        self.encrypted = on;
        self
    }

    /// Allows plain-HTTP publishing too (the default denies it in the topic policy).
    pub fn allow_insecure_transport(mut self, on: bool) -> Self {
        self.enforce_ssl = !on;
        self
    }
}

/// Where a subscription delivers.
#[derive(Clone, Debug, PartialEq)]
pub enum Subscriber {
    /// An email address (the owner confirms the subscription by mail).
    Email(Val<String>),
    /// An SQS queue; its resource policy is extended to let the topic send to it.
    Queue {
        /// The queue.
        queue: Queue,
        /// Deliver the message body as is, without the SNS envelope.
        raw_message_delivery: bool,
    },
    /// A Lambda function ARN.
    Lambda(Val<String>),
    /// An HTTPS endpoint.
    Https(Val<String>),
    /// A phone number for SMS.
    Sms(Val<String>),
}

impl Subscriber {
    /// An email subscriber.
    pub fn email(address: impl Into<Val<String>>) -> Subscriber {
        Subscriber::Email(address.into())
    }

    /// A queue subscriber with raw message delivery.
    pub fn queue(queue: &Queue) -> Subscriber {
        Subscriber::Queue { queue: *queue, raw_message_delivery: true }
    }
}

/// An SNS topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Topic {
    node: ConstructRef<ResourcePolicyState>,
    resource: l1::TopicRef,
    fifo: bool,
}

impl Topic {
    /// Creates the topic as the construct `id` in `scope`.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str, props: TopicProps) -> Topic {
        let (node, mut inner) = scope.construct(id, ResourcePolicyState::new("Topic"));
        let fifo = FifoSettings { fifo: props.fifo, dedup: props.content_based_deduplication };
        fifo.check(&mut inner, props.topic_name.as_ref(), "topic");
        let mut t = l1::Topic::new();
        t.topic_name = props.topic_name;
        t.display_name = props.display_name;
        if props.fifo {
            t.fifo_topic = Some(true.into());
        }
        if props.content_based_deduplication {
            t.content_based_deduplication = Some(true.into());
        }
        if let (true, Some(key)) = (props.encrypted, &props.master_key) {
            check_key_for_grants(&mut inner, key, AWS_MANAGED_SNS_KEY, "topic");
        }
        t.kms_master_key_id = match (props.encrypted, props.master_key) {
            (false, _) => None,
            (true, Some(key)) => Some(key),
            (true, None) => Some(AWS_MANAGED_SNS_KEY.into()),
        };
        let topic = Topic { node, resource: inner.add("Resource", t), fifo: props.fifo };
        if props.enforce_ssl {
            let deny = deny_insecure_transport("sns:Publish", [topic.arn().into()]);
            topic.add_to_resource_policy(&mut inner, deny);
        }
        topic
    }

    /// The L1 handle, for escape hatches.
    pub fn resource(&self) -> l1::TopicRef {
        self.resource
    }

    /// The topic ARN.
    pub fn arn(&self) -> Val<kind::TopicArn> {
        // `Ref` gives the ARN, as people write it.
        self.resource.reference()
    }

    /// The topic name (the `TopicName` attribute).
    pub fn topic_name(&self) -> Val<String> {
        stackwright_core::get_att(self.resource.id(), "TopicName")
    }

    /// Subscribes an endpoint, as the child `id` of the topic.
    #[track_caller]
    pub fn add_subscription(
        &self,
        scope: &mut Scope<'_>,
        id: &str,
        subscriber: Subscriber,
    ) -> l1::SubscriptionRef {
        let sub = match &subscriber {
            Subscriber::Email(a) => l1::Subscription::new(l1::SubscriptionRequired {
                protocol: l1::subscription::SubscriptionProtocol::Email,
                topic_arn: self.arn(),
            })
            .endpoint(a.clone()),
            Subscriber::Lambda(arn) => l1::Subscription::new(l1::SubscriptionRequired {
                protocol: l1::subscription::SubscriptionProtocol::Lambda,
                topic_arn: self.arn(),
            })
            .endpoint(arn.clone()),
            Subscriber::Https(url) => l1::Subscription::new(l1::SubscriptionRequired {
                protocol: l1::subscription::SubscriptionProtocol::Https,
                topic_arn: self.arn(),
            })
            .endpoint(url.clone()),
            Subscriber::Sms(n) => l1::Subscription::new(l1::SubscriptionRequired {
                protocol: l1::subscription::SubscriptionProtocol::Sms,
                topic_arn: self.arn(),
            })
            .endpoint(n.clone()),
            Subscriber::Queue { queue, raw_message_delivery } => {
                if queue.is_fifo() != self.fifo
                    && let Some(topic) = scope.app().scope_of(self.node.id())
                {
                    topic.into_child(id).error(
                        "sns.subscription-fifo",
                        "a FIFO topic delivers only to FIFO queues, and a standard topic \
                             only to standard queues",
                        "",
                    );
                }
                let allow = PolicyStatement::allow()
                    .principal(Principal::service("sns.amazonaws.com"))
                    .action("sqs:SendMessage")
                    .resource(queue.arn())
                    .condition("ArnEquals", "aws:SourceArn", self.arn().into_json());
                queue.add_to_resource_policy(scope, allow);
                let mut s = l1::Subscription::new(l1::SubscriptionRequired {
                    protocol: l1::subscription::SubscriptionProtocol::Sqs,
                    topic_arn: self.arn(),
                })
                .endpoint(queue.arn());
                if *raw_message_delivery {
                    s = s.raw_message_delivery(true);
                }
                s
            }
        };
        match scope.app().scope_of(self.node.id()) {
            Some(mut topic) => topic.add(id, sub),
            None => {
                scope.foreign_handle("add_subscription");
                // Keep going so every other problem is still reported; synth fails anyway.
                scope.add(id, sub)
            }
        }
    }

    resource_policy_methods!(TOPIC_POLICY, l1::TopicPolicyRef, arn);

    /// Lets `grantee` publish to the topic (with the KMS actions an encrypted topic needs).
    #[track_caller]
    pub fn grant_publish(&self, scope: &mut Scope<'_>, grantee: &impl Grantee) {
        let statement = PolicyStatement::allow().action("sns:Publish").resource(self.arn());
        // The AWS managed key's own policy lets every principal of the account use it through
        // SNS, and an alias is no resource an IAM statement can name.
        let key = scope
            .app()
            .get::<l1::Topic>(self.resource)
            .and_then(|t| t.kms_master_key_id.clone())
            .filter(|k| !is_aws_managed_key(k));
        grant_with_key(scope, grantee, statement, key, &["kms:Decrypt", "kms:GenerateDataKey*"]);
    }
}

/// The topic's `Policy`: an `AWS::SNS::TopicPolicy` on the topic.
static TOPIC_POLICY: ResourcePolicy<l1::TopicPolicy> = ResourcePolicy {
    slot: PolicySlot {
        slot: "Policy",
        property: "PolicyDocument",
        made_by_owner: false,
        kind: DocumentKind::Resource,
        apply: |p, doc, _| p.policy_document = doc,
    },
    make: |target| {
        l1::TopicPolicy::new(l1::TopicPolicyRequired {
            policy_document: PolicyDocument::new().to_val(),
            topics: vec![target],
        })
    },
    what: "the topic's resource policy",
};

/// Whether `key` is the AWS managed key of SNS.
pub(crate) fn is_aws_managed_key(key: &Val<kind::KmsKey>) -> bool {
    matches!(key.expr(), stackwright_core::Expr::Str(k) if k == AWS_MANAGED_SNS_KEY)
}

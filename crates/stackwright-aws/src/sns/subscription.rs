//! `AWS::SNS::Subscription`.

use stackwright_core::{
    Expr, Handle, Json, PropertyProblem, Props, Resource, ResourceId, ResourceType, Val,
};

/// The delivery protocol of a subscription. `Other` carries values AWS adds later.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// `http`.
    Http,
    /// `https`.
    Https,
    /// `email`.
    Email,
    /// `email-json`.
    EmailJson,
    /// `sms`.
    Sms,
    /// `sqs`.
    Sqs,
    /// `application` (mobile push).
    Application,
    /// `lambda`.
    Lambda,
    /// `firehose`.
    Firehose,
    /// A protocol this version does not know yet.
    Other(String),
}

impl Protocol {
    /// The value as written in a template.
    pub fn as_str(&self) -> &str {
        match self {
            Protocol::Http => "http",
            Protocol::Https => "https",
            Protocol::Email => "email",
            Protocol::EmailJson => "email-json",
            Protocol::Sms => "sms",
            Protocol::Sqs => "sqs",
            Protocol::Application => "application",
            Protocol::Lambda => "lambda",
            Protocol::Firehose => "firehose",
            Protocol::Other(s) => s,
        }
    }
}

impl From<Protocol> for Val<String> {
    fn from(p: Protocol) -> Val<String> {
        Val::from_expr(Expr::Str(p.as_str().to_owned()))
    }
}

/// `AWS::SNS::Subscription`: delivers a topic's messages to an endpoint.
///
/// Reference: <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sns-subscription.html>
#[derive(Clone, Debug, PartialEq)]
pub struct Subscription {
    /// `TopicArn` (required). Update: replacement.
    pub topic_arn: Val<String>,
    /// `Protocol` (required). Update: replacement.
    pub protocol: Val<String>,
    /// `Endpoint`: address, URL or ARN, depending on the protocol. Update: replacement.
    pub endpoint: Option<Val<String>>,
    /// `FilterPolicy` (JSON).
    pub filter_policy: Option<Val<Json>>,
    /// `FilterPolicyScope`: `MessageAttributes` or `MessageBody`.
    pub filter_policy_scope: Option<Val<String>>,
    /// `RawMessageDelivery`.
    pub raw_message_delivery: Option<Val<bool>>,
    /// `RedrivePolicy` (JSON): a dead-letter queue for undeliverable messages.
    pub redrive_policy: Option<Val<Json>>,
    /// `Region` of the topic, for cross-region subscriptions.
    pub region: Option<Val<String>>,
}

impl Subscription {
    /// A subscription of `protocol` to a topic.
    pub fn new(
        topic_arn: impl Into<Val<String>>,
        protocol: impl Into<Val<String>>,
    ) -> Subscription {
        Subscription {
            topic_arn: topic_arn.into(),
            protocol: protocol.into(),
            endpoint: None,
            filter_policy: None,
            filter_policy_scope: None,
            raw_message_delivery: None,
            redrive_policy: None,
            region: None,
        }
    }

    setters! {
        /// Sets `Endpoint`.
        endpoint: String;
        /// Sets `FilterPolicy`.
        filter_policy: Json;
        /// Sets `FilterPolicyScope`.
        filter_policy_scope: String;
        /// Sets `RawMessageDelivery`.
        raw_message_delivery: bool;
        /// Sets `RedrivePolicy`.
        redrive_policy: Json;
        /// Sets `Region`.
        region: String;
    }
}

impl Resource for Subscription {
    fn resource_type(&self) -> &str {
        "AWS::SNS::Subscription"
    }

    fn properties(&self) -> Props {
        let mut p = Props::new();
        p.set("TopicArn", &self.topic_arn)
            .set("Protocol", &self.protocol)
            .set_opt("Endpoint", &self.endpoint)
            .set_opt("FilterPolicy", &self.filter_policy)
            .set_opt("FilterPolicyScope", &self.filter_policy_scope)
            .set_opt("RawMessageDelivery", &self.raw_message_delivery)
            .set_opt("RedrivePolicy", &self.redrive_policy)
            .set_opt("Region", &self.region);
        p
    }

    fn validate(&self, out: &mut Vec<PropertyProblem>) {
        let protocol = self.protocol.expr().as_str();
        let raw = matches!(
            self.raw_message_delivery.as_ref().map(Val::expr),
            Some(Expr::Bool(true))
        );
        if raw && protocol.is_some_and(|p| !["http", "https", "sqs", "firehose"].contains(&p)) {
            out.push(PropertyProblem::new(
                "RawMessageDelivery",
                format!(
                    "raw delivery works only for http, https, sqs and firehose, not `{}`",
                    protocol.unwrap_or("")
                ),
            ));
        }
    }
}

impl ResourceType for Subscription {
    type Handle = SubscriptionRef;
}

/// Handle to an `AWS::SNS::Subscription`. `Ref` returns the subscription ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SubscriptionRef {
    id: ResourceId,
}

impl Handle for SubscriptionRef {
    fn from_id(id: ResourceId) -> Self {
        SubscriptionRef { id }
    }
    fn id(&self) -> ResourceId {
        self.id
    }
}

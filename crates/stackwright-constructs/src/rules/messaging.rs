//! Rules for topics and queues that look at their companions in the template: the resource
//! policies that name them and the queues that use them as dead-letter queues.

use stackwright_core::security::ResourceView;
use stackwright_core::{SecurityRule, Severity};

use super::checks::{refers_to, tls_only};

/// Topics refuse publishers that do not use TLS.
pub static SNS_TLS_ONLY: SecurityRule = SecurityRule {
    id: "sns.tls-only",
    severity: Severity::Medium,
    resource_types: &["AWS::SNS::Topic"],
    cdk_nag: &["AwsSolutions-SNS3"],
    checkov: &[],
    guard: &[],
    message: "no topic policy denies requests made without TLS",
    fix: "use sns::Topic, whose policy denies aws:SecureTransport false, or add an \
          AWS::SNS::TopicPolicy with that Deny statement",
    check: |r, out| tls_only(r, "AWS::SNS::TopicPolicy", "Topics", "PolicyDocument", out),
};

/// Queues refuse requests that do not use TLS.
pub static SQS_TLS_ONLY: SecurityRule = SecurityRule {
    id: "sqs.tls-only",
    severity: Severity::Medium,
    resource_types: &["AWS::SQS::Queue"],
    cdk_nag: &["AwsSolutions-SQS4"],
    checkov: &[],
    guard: &[],
    message: "no queue policy denies requests made without TLS",
    fix: "use sqs::Queue, whose policy denies aws:SecureTransport false, or add an \
          AWS::SQS::QueuePolicy with that Deny statement",
    check: |r, out| tls_only(r, "AWS::SQS::QueuePolicy", "Queues", "PolicyDocument", out),
};

/// Queues move messages that keep failing to a dead-letter queue, or are one.
pub static SQS_DEAD_LETTER_QUEUE: SecurityRule = SecurityRule {
    id: "sqs.dead-letter-queue",
    severity: Severity::Low,
    resource_types: &["AWS::SQS::Queue"],
    cdk_nag: &["AwsSolutions-SQS3"],
    checkov: &[],
    guard: &[],
    message: "the queue has no dead-letter queue and is not one, so a message that always \
              fails is retried until it expires",
    fix: "QueueProps::dead_letter_queue(dlq, max_receives)",
    check: dead_letter_queue,
};

/// Where resources of the template name the queue they send failed messages to.
const DEAD_LETTER_TARGETS: [&str; 3] = [
    "RedrivePolicy.deadLetterTargetArn",
    "DeadLetterConfig.TargetArn",
    "DeadLetterQueue.TargetArn",
];

fn dead_letter_queue(r: &ResourceView<'_>, out: &mut Vec<String>) {
    if r.property("RedrivePolicy").is_some() {
        return;
    }
    let is_one = r.template().any(|other| {
        DEAD_LETTER_TARGETS
            .iter()
            .filter_map(|path| other.property(path))
            .any(|target| refers_to(target, r.logical_id()))
    });
    if !is_one {
        out.push(String::new());
    }
}

//! The topic construct: subscriptions, policies and grants.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use serde_json::json;
use stackwright_constructs::iam::{Principal, Role, RoleProps};
use stackwright_constructs::sns::{Subscriber, Topic, TopicProps};
use stackwright_constructs::sqs::{Queue, QueueProps};
use stackwright_core::App;

#[test]
fn queue_subscriptions_open_the_queue_policy_to_the_topic() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let topic = Topic::new(&mut s, "Events", TopicProps::new());
    let queue = Queue::new(&mut s, "Jobs", QueueProps::new());
    topic.add_subscription(&mut s, "JobsSubscription", Subscriber::queue(&queue));
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["EventsJobsSubscription"],
        json!({
            "Type": "AWS::SNS::Subscription",
            "Properties": {
                "TopicArn": {"Ref": "Events"},
                "Protocol": "sqs",
                "Endpoint": {"Fn::GetAtt": ["Jobs", "Arn"]},
                "RawMessageDelivery": true
            }
        })
    );
    assert_eq!(
        t["Resources"]["JobsPolicy"]["Properties"]["PolicyDocument"]["Statement"][1],
        json!({
            "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": {"Fn::GetAtt": ["Jobs", "Arn"]},
            "Condition": {"ArnEquals": {"aws:SourceArn": {"Ref": "Events"}}}
        })
    );
}

#[test]
fn topics_deny_plain_http_and_grant_publish() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let topic = Topic::new(&mut s, "Approvals", TopicProps::new().display_name("Approvals"));
    let role = Role::new(
        &mut s,
        "Pipeline",
        RoleProps::new(Principal::service("codepipeline.amazonaws.com")),
    );
    topic.grant_publish(&mut s, &role);
    topic.add_subscription(&mut s, "Ops", Subscriber::email("ops@example.com"));
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["ApprovalsPolicy"]["Properties"],
        json!({
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "sns:Publish",
                    "Resource": {"Ref": "Approvals"},
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}
                }]
            },
            "Topics": [{"Ref": "Approvals"}]
        })
    );
    assert_eq!(
        t["Resources"]["PipelineDefaultPolicy"]["Properties"]["PolicyDocument"]["Statement"],
        json!([{"Effect": "Allow", "Action": "sns:Publish", "Resource": {"Ref": "Approvals"}}])
    );
    assert_eq!(
        t["Resources"]["ApprovalsOps"]["Properties"],
        json!({"TopicArn": {"Ref": "Approvals"}, "Protocol": "email", "Endpoint": "ops@example.com"})
    );
}

#[test]
fn mismatched_fifo_settings_are_reported() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let topic = Topic::new(&mut s, "T", TopicProps::new().content_based_deduplication(true));
    let fifo = Queue::new(&mut s, "Q", QueueProps::new().fifo(true));
    topic.add_subscription(&mut s, "Sub", Subscriber::queue(&fifo));
    Topic::new(&mut s, "Named", TopicProps::new().fifo(true).topic_name("events"));
    assert_eq!(
        errors(&app),
        vec![
            "S/T: content_based_deduplication needs a FIFO topic; call .fifo(true) too",
            "S/T/Sub: a FIFO topic delivers only to FIFO queues, and a standard topic only to standard queues",
            "S/Named: `events` names a FIFO topic, so it must end in `.fifo`",
        ]
    );
}

/// A topic with a resource policy (the TLS-only one every topic gets) takes alarm
/// notifications only when its policy lets CloudWatch publish: the alarm adds that, for itself.
#[test]
fn alarm_actions_let_cloudwatch_publish_for_that_alarm() {
    use stackwright_constructs::cloudwatch::{Alarm, AlarmProps, ComparisonOperator, Metric};
    let mut app = App::new();
    let mut s = app.stack("S");
    let topic = Topic::new(&mut s, "Ops", TopicProps::new());
    let metric = Metric::new("AWS/SQS", "ApproximateAgeOfOldestMessage");
    let props = AlarmProps::new(metric, ComparisonOperator::GreaterThanThreshold, 300.0)
        .alarm_action(&topic)
        .ok_action(&topic);
    Alarm::new(&mut s, "Stuck", props);
    let t = template(&app, "S");
    let alarm = &t["Resources"]["Stuck"]["Properties"];
    assert_eq!(alarm["AlarmActions"], json!([{"Ref": "Ops"}]));
    assert_eq!(alarm["OKActions"], json!([{"Ref": "Ops"}]));
    assert_eq!(alarm.get("InsufficientDataActions"), None);
    let statements = &t["Resources"]["OpsPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(statements.as_array().map(Vec::len), Some(2), "{statements}");
    assert_eq!(
        statements[1],
        json!({
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": {"Ref": "Ops"},
            "Condition": {"ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": ["Stuck", "Arn"]}}}
        })
    );
}

/// CloudWatch cannot use the key of an encrypted topic unless the key's policy says so, and
/// the alarm cannot change a key it does not own: it says so as a warning.
#[test]
fn an_alarm_notifying_an_encrypted_topic_warns_about_the_key() {
    use stackwright_constructs::cloudwatch::{Alarm, AlarmProps, ComparisonOperator, Metric};
    let mut app = App::new();
    let mut s = app.stack("S");
    let topic = Topic::new(&mut s, "Ops", TopicProps::new().master_key("alias/ops"));
    let metric = Metric::new("AWS/SQS", "ApproximateAgeOfOldestMessage");
    let props = AlarmProps::new(metric, ComparisonOperator::GreaterThanThreshold, 300.0)
        .alarm_action(&topic);
    Alarm::new(&mut s, "Stuck", props);
    let assembly = app.synth(stackwright_core::Format::Json).unwrap_or_else(|d| panic!("{d}"));
    let warnings: Vec<String> = assembly.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["S/Stuck: the topic it notifies is encrypted with a KMS key: CloudWatch can publish \
          only if the key's policy lets cloudwatch.amazonaws.com use it (kms:Decrypt, \
          kms:GenerateDataKey*); the AWS managed key alias/aws/sns does not"]
    );
}

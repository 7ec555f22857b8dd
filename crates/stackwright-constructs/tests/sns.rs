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

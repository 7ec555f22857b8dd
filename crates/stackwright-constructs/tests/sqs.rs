//! The queue construct: the article's orders queue, its policies, its grants and its checks.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use serde_json::json;
use stackwright_constructs::Duration;
use stackwright_constructs::iam::{Principal, Role, RoleProps};
use stackwright_constructs::sqs::{Queue, QueueEncryption, QueueProps};
use stackwright_core::App;

fn orders_app() -> App {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let dlq = Queue::new(&mut s, "DeadLetterQueue", QueueProps::new().queue_name("orders-dlq"));
    Queue::new(
        &mut s,
        "OrdersQueue",
        QueueProps::new()
            .queue_name("orders-queue")
            .visibility_timeout(Duration::seconds(300))
            .retention_period(Duration::days(14))
            .dead_letter_queue(&dlq, 3),
    );
    app
}

#[test]
fn the_orders_queue_matches_the_article() {
    let t = template(&orders_app(), "Orders");
    // The article's CloudFormation listing, plus the encryption the construct states and the
    // word to scanners that count only KMS keys.
    assert_eq!(
        t["Resources"]["OrdersQueue"],
        json!({
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "QueueName": "orders-queue",
                "VisibilityTimeout": 300,
                "MessageRetentionPeriod": 1_209_600,
                "RedrivePolicy": {
                    "deadLetterTargetArn": {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]},
                    "maxReceiveCount": 3
                },
                "SqsManagedSseEnabled": true
            },
            "Metadata": {"checkov": {"skip": [{
                "id": "CKV_AWS_27",
                "comment": "encrypted at rest with SQS-managed keys (SqsManagedSseEnabled)"
            }]}}
        })
    );
}

#[test]
fn queues_deny_plain_http_by_default() {
    let t = template(&orders_app(), "Orders");
    assert_eq!(
        t["Resources"]["OrdersQueuePolicy"],
        json!({
            "Type": "AWS::SQS::QueuePolicy",
            "Properties": {
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "sqs:*",
                        "Resource": {"Fn::GetAtt": ["OrdersQueue", "Arn"]},
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}}
                    }]
                },
                "Queues": [{"Ref": "OrdersQueue"}]
            }
        })
    );
    let mut app = App::new();
    Queue::new(&mut app.stack("S"), "Q", QueueProps::new().allow_insecure_transport(true));
    let t = template(&app, "S");
    assert_eq!(t["Resources"].as_object().map(|r| r.len()), Some(1));
}

#[test]
fn grants_are_least_privilege_and_merge_into_one_policy() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let q = Queue::new(&mut s, "Jobs", QueueProps::new());
    let role =
        Role::new(&mut s, "Worker", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")));
    q.grant_consume(&mut s, &role);
    q.grant_send(&mut s, &role);
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["WorkerDefaultPolicy"],
        json!({
            "Type": "AWS::IAM::Policy",
            "Properties": {
                "PolicyName": "WorkerDefaultPolicy",
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Effect": "Allow",
                        "Action": [
                            "sqs:ReceiveMessage",
                            "sqs:ChangeMessageVisibility",
                            "sqs:GetQueueUrl",
                            "sqs:DeleteMessage",
                            "sqs:GetQueueAttributes",
                            "sqs:SendMessage"
                        ],
                        "Resource": {"Fn::GetAtt": ["Jobs", "Arn"]}
                    }]
                },
                "Roles": [{"Ref": "Worker"}]
            }
        })
    );
}

#[test]
fn kms_encrypted_queues_grant_the_key_too() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let q =
        Queue::new(&mut s, "Jobs", QueueProps::new().encryption(QueueEncryption::Kms(key.into())));
    let role =
        Role::new(&mut s, "Worker", RoleProps::new(Principal::service("lambda.amazonaws.com")));
    q.grant_consume(&mut s, &role);
    let t = template(&app, "S");
    let statements =
        &t["Resources"]["WorkerDefaultPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(statements[1], json!({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key}));
    assert_eq!(t["Resources"]["Jobs"]["Properties"]["KmsMasterKeyId"], key);
}

#[test]
fn impossible_settings_are_reported_together() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let fifo_dlq =
        Queue::new(&mut s, "FifoDLQ", QueueProps::new().fifo(true).queue_name("dlq.fifo"));
    Queue::new(
        &mut s,
        "Bad",
        QueueProps::new()
            .visibility_timeout(Duration::hours(13))
            .retention_period(Duration::days(15))
            .delivery_delay(Duration::minutes(16))
            .receive_message_wait_time(Duration::seconds(21))
            .max_message_size_bytes(100)
            .content_based_deduplication(true)
            .dead_letter_queue(&fifo_dlq, 0),
    );
    assert_eq!(
        errors(&app),
        vec![
            "S/Bad: visibility_timeout is 13 hours; SQS allows 0 seconds to 12 hours",
            "S/Bad: retention_period is 15 days; SQS allows 1 minute to 14 days",
            "S/Bad: delivery_delay is 16 minutes; SQS allows 0 seconds to 15 minutes",
            "S/Bad: receive_message_wait_time is 21 seconds; SQS allows 0 to 20 seconds",
            "S/Bad: max_message_size_bytes is 100; SQS allows 1,024 to 1,048,576",
            "S/Bad: content_based_deduplication needs a FIFO queue; call .fifo(true) too",
            "S/Bad: dead_letter_queue max_receive_count is 0; SQS allows 1 to 1,000",
            "S/Bad: the dead-letter queue of a standard queue must be a standard queue too",
        ]
    );
}

#[test]
fn queue_names_are_checked() {
    let mut app = App::new();
    let mut s = app.stack("S");
    Queue::new(&mut s, "A", QueueProps::new().fifo(true).queue_name("jobs"));
    Queue::new(&mut s, "B", QueueProps::new().queue_name("jobs.fifo"));
    Queue::new(&mut s, "C", QueueProps::new().queue_name("no spaces"));
    assert_eq!(
        errors(&app),
        vec![
            "S/A: `jobs` names a FIFO queue, so it must end in `.fifo`",
            "S/B: `jobs.fifo` ends in `.fifo`, which only FIFO queues may; call .fifo(true)",
            "S/C: queue name `no spaces` contains ` `; use letters, digits, `-` and `_` (and `.fifo` at the end)",
        ]
    );
}

#[test]
fn queues_and_topics_name_themselves_by_attribute() {
    use stackwright_constructs::sns::{Topic, TopicProps};
    let mut app = App::new();
    let mut s = app.stack("S");
    let queue = Queue::new(&mut s, "Jobs", QueueProps::new());
    let topic = Topic::new(&mut s, "Done", TopicProps::new());
    s.add_output("Queue", stackwright_core::Output::new(queue.queue_name()));
    s.add_output("Topic", stackwright_core::Output::new(topic.topic_name()));
    let t = template(&app, "S");
    assert_eq!(t["Outputs"]["Queue"]["Value"], json!({"Fn::GetAtt": ["Jobs", "QueueName"]}));
    assert_eq!(t["Outputs"]["Topic"]["Value"], json!({"Fn::GetAtt": ["Done", "TopicName"]}));
}

//! Reference kinds at synth: a literal given where a kind belongs is checked against the
//! kind's form, with the property's path and a fix; references, parameters and dynamic
//! references pass.
#![allow(clippy::panic)] // assertions panic

mod common;

use stackwright_aws::{ecs, lambda};
use stackwright_constructs::ec2::{SecurityGroup, Vpc, VpcProps};
use stackwright_constructs::elbv2::{TargetGroup, TargetGroupProps};
use stackwright_constructs::sqs::{Queue, QueueEncryption, QueueProps};
use stackwright_core::kind::KmsKey;
use stackwright_core::{App, Parameter, Val};

#[test]
fn a_literal_of_the_wrong_kind_is_an_error_naming_the_property() {
    let mut app = App::new();
    let mut s = app.stack("S");
    // A role's name where its ARN belongs, a VPC ID where a security group ID belongs.
    s.add("Task", ecs::TaskDefinition::new().execution_role_arn("my-execution-role"));
    s.add(
        "Fn",
        lambda::Function::new(lambda::FunctionRequired {
            code: lambda::function::Code::new().zip_file("x"),
            role: "arn:aws:iam::1:role/r",
        })
        .vpc_config(
            lambda::function::VpcConfig::new()
                .security_group_ids(vec![Val::from("vpc-0123456789abcdef0")]),
        ),
    );
    TargetGroup::new(&mut s, "Tg", TargetGroupProps::in_vpc_id("sg-0123456789abcdef0", 80));
    assert_eq!(
        common::errors(&app),
        [
            "S/Task: property `ExecutionRoleArn`: `my-execution-role` is not an IAM role ARN \
             (`AWS::IAM::Role.Arn`, such as `arn:aws:iam::123456789012:role/my-role`): pass the \
             attribute of the resource it refers to, or a value of that form",
            "S/Fn: property `Role`: `arn:aws:iam::1:role/r` is not an IAM role ARN \
             (`AWS::IAM::Role.Arn`, such as `arn:aws:iam::123456789012:role/my-role`): pass the \
             attribute of the resource it refers to, or a value of that form",
            "S/Fn: property `VpcConfig.SecurityGroupIds.0`: `vpc-0123456789abcdef0` is not a \
             security group ID (`AWS::EC2::SecurityGroup.Id`, such as `sg-0123456789abcdef0`): \
             pass the attribute of the resource it refers to, or a value of that form",
            "S/Tg/Resource: property `VpcId`: `sg-0123456789abcdef0` is not a VPC ID \
             (`AWS::EC2::VPC.Id`, such as `vpc-0123456789abcdef0`): pass the attribute of the \
             resource it refers to, or a value of that form",
        ]
    );
}

#[test]
fn references_parameters_and_dynamic_references_pass() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new());
    let sg = SecurityGroup::new(&mut s, "Sg", &vpc, "app");
    let role = s.add_parameter("ExecutionRoleArn", Parameter::string());
    s.add("Task", ecs::TaskDefinition::new().execution_role_arn(role));
    s.add(
        "Fn",
        lambda::Function::new(lambda::FunctionRequired {
            code: lambda::function::Code::new().zip_file("x"),
            role: "{{resolve:ssm:/app/function-role-arn}}",
        })
        .vpc_config(
            lambda::function::VpcConfig::new()
                .security_group_ids(vec![sg.group_id()])
                .subnet_ids(vpc.private_subnet_ids()),
        ),
    );
    assert_eq!(common::errors(&app), Vec::<String>::new());
}

#[test]
fn a_union_kind_takes_each_of_its_members() {
    let mut app = App::new();
    let mut s = app.stack("S");
    for (id, key) in [
        ("ByAlias", "alias/aws/sqs"),
        ("ById", "1234abcd-12ab-34cd-56ef-1234567890ab"),
        ("ByArn", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        ("Wrong", "orders-key"),
    ] {
        let props = QueueProps::new().encryption(QueueEncryption::Kms(Val::<KmsKey>::from(key)));
        Queue::new(&mut s, id, props);
    }
    assert_eq!(
        common::errors(&app),
        ["S/Wrong/Resource: property `KmsMasterKeyId`: `orders-key` is not a KMS key ARN, key ID \
          or alias name (`AWS::KMS::Key.Arn|AWS::KMS::Key.Id|AWS::KMS::Alias.AliasName`, such as \
          `alias/aws/sns`): pass the attribute of the resource it refers to, or a value of that \
          form"]
    );
}

#[test]
fn a_customer_key_given_by_alias_is_reported_at_its_topic_or_queue_once_a_grant_needs_it() {
    use stackwright_constructs::iam::{Principal, Role, RoleProps};
    use stackwright_constructs::sns::{Topic, TopicProps};
    let mut app = App::new();
    let mut s = app.stack("S");
    let publisher =
        Role::new(&mut s, "Publisher", RoleProps::new(Principal::service("lambda.amazonaws.com")));
    let alerts = Topic::new(&mut s, "Alerts", TopicProps::new().master_key("alias/alerts"));
    alerts.grant_publish(&mut s, &publisher);
    // Not granted: the alias is fine as the topic's key.
    Topic::new(&mut s, "Quiet", TopicProps::new().master_key("alias/quiet"));
    let managed = Topic::new(&mut s, "Managed", TopicProps::new().master_key("alias/aws/sns"));
    managed.grant_publish(&mut s, &publisher);
    let props = QueueProps::new().encryption(QueueEncryption::Kms("alias/orders".into()));
    let orders = Queue::new(&mut s, "Orders", props);
    orders.grant_send(&mut s, &publisher);
    assert_eq!(
        common::errors(&app),
        [
            "S/Alerts: the topic is encrypted with the alias `alias/alerts` and a grant needs its \
             key; an IAM statement cannot name a key by alias; pass the key's ARN (`key.arn()` \
             of a key in this app, or the ARN of the key the alias points to)",
            "S/Orders: the queue is encrypted with the alias `alias/orders` and a grant needs its \
             key; an IAM statement cannot name a key by alias; pass the key's ARN (`key.arn()` \
             of a key in this app, or the ARN of the key the alias points to)",
        ]
    );
}

#[test]
fn a_key_given_by_id_is_granted_by_its_arn() {
    use stackwright_constructs::iam::{Principal, Role, RoleProps};
    let mut app = App::new();
    let mut s = app.stack("S");
    let key = "1234abcd-12ab-34cd-56ef-1234567890ab";
    let queue = Queue::new(
        &mut s,
        "Orders",
        QueueProps::new().encryption(QueueEncryption::Kms(key.into())),
    );
    let role =
        Role::new(&mut s, "Worker", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")));
    queue.grant_send(&mut s, &role);
    let t = common::template(&app, "S");
    let statements =
        &t["Resources"]["WorkerDefaultPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    let kms = statements
        .as_array()
        .and_then(|a| a.iter().find(|st| st["Action"].to_string().contains("kms:")))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        kms["Resource"],
        serde_json::json!({"Fn::Sub": format!("arn:${{AWS::Partition}}:kms:${{AWS::Region}}:${{AWS::AccountId}}:key/{key}")})
    );
}

#[test]
fn a_statement_takes_the_arn_attributes_and_a_queue_policy_checks_its_queue_urls() {
    use stackwright_aws::{dynamodb, iam, sqs};
    use stackwright_constructs::iam::{PolicyDocument, PolicyStatement};

    let mut app = App::new();
    let mut s = app.stack("S");
    let keys = serde_json::json!([{"AttributeName": "id", "KeyType": "HASH"}]);
    let table = s.add(
        "Orders",
        dynamodb::Table::new(dynamodb::TableRequired {
            key_schema: Val::<stackwright_core::Json>::from(keys),
        }),
    );
    let queue = Queue::new(&mut s, "Queue", QueueProps::new());
    let read = PolicyDocument::with([PolicyStatement::allow()
        .action("dynamodb:GetItem")
        .action("sqs:ReceiveMessage")
        .resource(table.arn())
        .resource(queue.arn())]);
    s.add(
        "Read",
        iam::ManagedPolicy::new(iam::ManagedPolicyRequired { policy_document: read.to_val() }),
    );
    // A queue policy names its queues by URL; an ARN there is refused at synth.
    let anyone = PolicyDocument::with([PolicyStatement::allow()
        .principal(stackwright_constructs::iam::Principal::account("123456789012"))
        .action("sqs:SendMessage")
        .resource(queue.arn())]);
    s.add(
        "Policy",
        sqs::QueuePolicy::new(sqs::QueuePolicyRequired {
            policy_document: anyone.to_val(),
            queues: vec![queue.queue_url(), Val::from("arn:aws:sqs:us-east-1:123456789012:other")],
        }),
    );
    assert_eq!(
        common::errors(&app),
        [
            "S/Policy: property `Queues.1`: `arn:aws:sqs:us-east-1:123456789012:other` is not an SQS \
          queue URL (`AWS::SQS::Queue.Url`, such as \
          `https://sqs.us-east-1.amazonaws.com/123456789012/my-queue`): pass the attribute of the \
          resource it refers to, or a value of that form"
        ]
    );
}

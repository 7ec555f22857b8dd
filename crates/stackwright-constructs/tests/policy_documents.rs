//! A policy document is checked for its kind wherever it goes: a typed `PolicyDocument` or
//! raw JSON, in an L1 bucket, queue, topic, key, repository or role property, reported at
//! the resource with the property's name.

#![allow(clippy::panic)]

mod common;

use common::{errors, template};
use proptest::prelude::*;
use serde_json::json;
use stackwright_aws::{ecr, iam, kms, s3, sns, sqs};
use stackwright_constructs::iam::{PolicyDocument, PolicyStatement, Principal};
use stackwright_core::{App, Cond, Parameter};

fn allow_send() -> PolicyStatement {
    PolicyStatement::allow().action("sqs:SendMessage")
}

#[test]
fn a_typed_resource_policy_without_a_principal_is_refused_in_an_l1_queue_policy() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let doc = PolicyDocument::with([allow_send().resource("arn:aws:sqs:eu-west-1:123456789012:q")]);
    s.add(
        "Policy",
        sqs::QueuePolicy::new(sqs::QueuePolicyRequired {
            policy_document: doc.to_val(),
            queues: vec!["https://sqs.eu-west-1.amazonaws.com/123456789012/q".to_owned()],
        }),
    );
    assert_eq!(
        errors(&app),
        [
            "S/Policy: property `PolicyDocument`: statement 0: has no Principal; a resource policy must say whom it applies to"
        ]
    );
}

#[test]
fn raw_json_is_checked_the_same_as_a_typed_document() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let topic = s.add("Topic", sns::Topic::new());
    s.add(
        "Policy",
        sns::TopicPolicy::new(sns::TopicPolicyRequired {
            policy_document: json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "publish-from-events",
                    "Effect": "Permit",
                    "Principal": {"Service": "events"},
                    "Action": "sns:Publish",
                    "Resource": "my-topic",
                }],
            }),
            topics: [topic.reference()],
        }),
    );
    assert_eq!(
        errors(&app),
        [
            "S/Policy: property `PolicyDocument`: statement 0 (`publish-from-events`): Effect `Permit` is neither `Allow` nor `Deny`",
            "S/Policy: property `PolicyDocument`: statement 0 (`publish-from-events`): service principal `events` must be a service endpoint such as `codebuild.amazonaws.com`",
            "S/Policy: property `PolicyDocument`: statement 0 (`publish-from-events`): resource `my-topic` is not an ARN (or `*`)",
        ]
    );
}

#[test]
fn a_trust_policy_with_a_resource_or_another_action_is_refused_in_an_l1_role() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let trust = PolicyDocument::with([PolicyStatement::allow()
        .principal(Principal::service("codebuild.amazonaws.com"))
        .action("s3:GetObject")
        .resource("*")]);
    s.add(
        "Role",
        iam::Role::new(iam::RoleRequired { assume_role_policy_document: trust.to_val() }),
    );
    assert_eq!(
        errors(&app),
        [
            "S/Role: property `AssumeRolePolicyDocument`: statement 0: has a Resource, which trust policies must not",
            "S/Role: property `AssumeRolePolicyDocument`: statement 0: action `s3:GetObject` is not an `sts:` action; a trust policy only allows assuming the role",
        ]
    );
}

#[test]
fn an_inline_policy_of_an_l1_role_is_an_identity_policy() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let trust = PolicyDocument::with([PolicyStatement::allow()
        .principal(Principal::service("codebuild.amazonaws.com"))
        .action("sts:AssumeRole")]);
    let inline = PolicyDocument::with([PolicyStatement::allow()
        .principal(Principal::account("123456789012"))
        .action("s3:GetObject")]);
    s.add(
        "Role",
        iam::Role::new(iam::RoleRequired { assume_role_policy_document: trust.to_val() }).policies(
            vec![iam::role::Policy::new(iam::role::PolicyRequired {
                policy_document: inline.to_val(),
                policy_name: "read",
            })],
        ),
    );
    assert_eq!(
        errors(&app),
        [
            "S/Role: property `Policies.0.PolicyDocument`: statement 0: has a Principal, which identity policies must not; the principal is whoever the policy is attached to",
            "S/Role: property `Policies.0.PolicyDocument`: statement 0: has no Resource; name the resources it applies to",
        ]
    );
}

#[test]
fn bucket_key_and_repository_policies_are_checked_for_their_kind() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let no_principal = json!({"Version": "2012-10-17", "Statement": {
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
    }});
    s.add(
        "BucketPolicy",
        s3::BucketPolicy::new(s3::BucketPolicyRequired {
            bucket: "b",
            policy_document: no_principal.clone(),
        }),
    );
    s.add("Key", kms::Key::new().key_policy(json!({"Version": "2012-10-17", "Statement": []})));
    // A repository policy needs a principal but may leave the resource out.
    s.add(
        "Repo",
        ecr::Repository::new().repository_policy_text(json!({"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "ecr:BatchGetImage"},
            {"Effect": "Allow", "Action": "ecr:BatchGetImage"},
        ]})),
    );
    assert_eq!(
        errors(&app),
        [
            "S/BucketPolicy: property `PolicyDocument`: statement 0: has no Principal; a resource policy must say whom it applies to",
            "S/Key: property `KeyPolicy`: the policy document has no statements; IAM rejects an empty policy",
            "S/Repo: property `RepositoryPolicyText`: statement 1: has no Principal; a repository policy must say whom it applies to",
        ]
    );
}

#[test]
fn keys_iam_does_not_know_are_refused() {
    let mut app = App::new();
    let mut s = app.stack("S");
    s.add(
        "Policy",
        iam::ManagedPolicy::new(iam::ManagedPolicyRequired {
            policy_document: json!({
                "Version": "2012-10-18",
                "Statements": [],
                "Statement": [{
                    "Effect": "Allow",
                    "Action": ["s3:GetObject", "s3 GetObject"],
                    "NotAction": "s3:PutObject",
                    "Resources": "*",
                }],
            }),
        }),
    );
    assert_eq!(
        errors(&app),
        [
            "S/Policy: property `PolicyDocument`: the policy document has the key `Statements`, which IAM does not take; a document has `Version`, `Id` and `Statement`",
            "S/Policy: property `PolicyDocument`: Version `2012-10-18` is not one IAM knows; use `2012-10-17`",
            "S/Policy: property `PolicyDocument`: statement 0: has the key `Resources`, which a statement does not take",
            "S/Policy: property `PolicyDocument`: statement 0: has both Action and NotAction; use one",
            "S/Policy: property `PolicyDocument`: statement 0: action `s3 GetObject` is not of the form `service:Action` (or `*`)",
            "S/Policy: property `PolicyDocument`: statement 0: has no Resource; name the resources it applies to",
        ]
    );
}

#[test]
fn parts_known_at_deploy_time_pass() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let admin = s.add_parameter("AdminArn", Parameter::string());
    let stage = s.add_parameter("Stage", Parameter::string());
    s.add_condition("Prod", Cond::equals(stage, "prod"));
    // A statement chosen by a condition, and a principal from a parameter.
    s.add(
        "Policy",
        sqs::QueuePolicy::new(sqs::QueuePolicyRequired {
            policy_document: json!({"Version": "2012-10-17", "Statement": [
                {"Fn::If": ["Prod", {"Effect": "Allow"}, {"Ref": "AWS::NoValue"}]},
            ]}),
            queues: vec!["https://sqs.eu-west-1.amazonaws.com/123456789012/q".to_owned()],
        }),
    );
    let doc = PolicyDocument::with([PolicyStatement::allow()
        .principal(Principal::arn(admin))
        .action("sqs:SendMessage")
        .resource("*")]);
    s.add(
        "Other",
        sqs::QueuePolicy::new(sqs::QueuePolicyRequired {
            policy_document: doc.to_val(),
            queues: vec!["https://sqs.eu-west-1.amazonaws.com/123456789012/q".to_owned()],
        }),
    );
    assert_eq!(errors(&app), Vec::<String>::new());
    let t = template(&app, "S");
    let statement = &t["Resources"]["Policy"]["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!(statement["Fn::If"][0], "Prod");
    let principal =
        &t["Resources"]["Other"]["Properties"]["PolicyDocument"]["Statement"][0]["Principal"];
    assert_eq!(principal["AWS"], json!({"Ref": "AdminArn"}));
}

/// Any JSON built from the words a policy uses, in any shape.
fn policy_like_json() -> impl Strategy<Value = serde_json::Value> {
    let word = prop::sample::select(vec![
        "Version",
        "Statement",
        "Sid",
        "Effect",
        "Allow",
        "Deny",
        "Principal",
        "NotPrincipal",
        "AWS",
        "Service",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
        "*",
        "s3:GetObject",
        "sts:AssumeRole",
        "arn:aws:s3:::b",
        "123456789012",
        "Ref",
        "Fn::If",
        "",
    ]);
    let leaf = prop_oneof![
        word.clone().prop_map(|w| json!(w)),
        any::<i64>().prop_map(|n| json!(n)),
        any::<bool>().prop_map(|b| json!(b)),
        Just(serde_json::Value::Null),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
            prop::collection::vec((word.clone(), inner), 0..6).prop_map(|entries| {
                serde_json::Value::Object(
                    entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
                )
            }),
        ]
    })
}

/// A well-formed statement of a resource policy.
fn resource_statement() -> impl Strategy<Value = PolicyStatement> {
    (
        prop::sample::select(vec!["sqs:SendMessage", "sqs:*", "SQS:ReceiveMessage", "*"]),
        prop::sample::select(vec!["events.amazonaws.com", "sns.amazonaws.com.cn"]),
        prop::option::of("[A-Za-z0-9]{1,8}"),
        any::<bool>(),
    )
        .prop_map(|(action, service, sid, deny)| {
            let s = if deny { PolicyStatement::deny() } else { PolicyStatement::allow() };
            let s = s
                .action(action)
                .principal(Principal::service(service))
                .resource("arn:aws:sqs:eu-west-1:123456789012:q");
            match sid {
                Some(sid) => s.sid(sid),
                None => s,
            }
        })
}

proptest! {
    /// Whatever JSON goes into a policy property, synth reports it at the resource or passes
    /// it; it never panics.
    #[test]
    fn any_json_in_a_policy_property_is_checked_without_panicking(doc in policy_like_json()) {
        let mut app = App::new();
        let mut s = app.stack("S");
        s.add("Key", kms::Key::new().key_policy(doc));
        for e in errors(&app) {
            // The document's problems, or a `Ref` or condition that names nothing.
            prop_assert!(e.starts_with("S/Key: "), "{e}");
        }
    }

    /// A document of well-formed statements passes, and taking the principal out of one of
    /// them is reported for exactly that statement.
    #[test]
    fn only_the_statement_without_a_principal_is_reported(
        statements in prop::collection::vec(resource_statement(), 1..6),
        pick in any::<prop::sample::Index>(),
    ) {
        let mut statements = statements;
        // Sids must be unique; the check says so, but that is not what this property is about.
        let mut seen = Vec::new();
        for (i, s) in statements.iter_mut().enumerate() {
            let sid = format!("S{i}");
            seen.push(sid.clone());
            *s = s.clone().sid(sid);
        }
        let mut doc = PolicyDocument::new();
        for s in &statements {
            doc.add(s.clone());
        }
        prop_assert_eq!(doc.validate(stackwright_constructs::iam::DocumentKind::Resource), Vec::<String>::new());

        let i = pick.index(statements.len());
        let mut broken = PolicyDocument::new();
        for (j, s) in statements.iter().enumerate() {
            let s = if j == i {
                PolicyStatement::allow().sid(seen[j].clone()).action("sqs:SendMessage").resource("*")
            } else {
                s.clone()
            };
            broken.add(s);
        }
        prop_assert_eq!(
            broken.validate(stackwright_constructs::iam::DocumentKind::Resource),
            vec![format!(
                "statement {i} (`{}`): has no Principal; a resource policy must say whom it applies to",
                seen[i]
            )]
        );
    }
}

#[test]
fn services_own_sids_partition_domains_and_named_accounts_pass() {
    let mut app = App::new();
    let mut s = app.stack("S");
    // KMS's default statement, a Sid repeated as S3 allows, a service of an isolated
    // partition, and CloudFront's origin access identity (an IAM ARN whose account is a name).
    s.add(
        "Key",
        kms::Key::new().key_policy(json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"},
            {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
             "Principal": {"Service": "logs.us-iso-east-1.c2s.ic.gov"}, "Action": "kms:Decrypt", "Resource": "*"},
        ]})),
    );
    let oai = stackwright_core::Arn::new("iam", "user", "CloudFront Origin Access Identity E1")
        .global()
        .account("cloudfront");
    let read = PolicyDocument::with([PolicyStatement::allow()
        .principal(Principal::arn(oai))
        .action("s3:GetObject")
        .resource("arn:aws:s3:::b/*")]);
    s.add(
        "BucketPolicy",
        s3::BucketPolicy::new(s3::BucketPolicyRequired {
            bucket: "b",
            policy_document: read.to_val(),
        }),
    );
    assert_eq!(errors(&app), Vec::<String>::new());
}

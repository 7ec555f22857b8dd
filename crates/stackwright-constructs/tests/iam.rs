//! Roles, trust policies, policy documents and their checks.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use serde_json::json;
use stackwright_constructs::Duration;
use stackwright_constructs::iam::{
    DocumentKind, PolicyDocument, PolicyStatement, Principal, Role, RoleProps,
};
use stackwright_core::App;

#[test]
fn the_cross_account_trust_policy_matches_the_article() {
    let mut app = App::new();
    let mut s = app.stack("Prod");
    Role::new(
        &mut s,
        "DeployRole",
        RoleProps::new(Principal::arn("arn:aws:iam::111111111111:role/CodeBuildRole"))
            .role_name("DeployRole"),
    );
    let t = template(&app, "Prod");
    let article: serde_json::Value = serde_json::from_str(
        r#"{
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": { "AWS": "arn:aws:iam::111111111111:role/CodeBuildRole" },
                    "Action": "sts:AssumeRole"
                }
            ]
        }"#,
    )
    .unwrap_or_default();
    assert_eq!(t["Resources"]["DeployRole"]["Properties"]["AssumeRolePolicyDocument"], article);
    assert_eq!(t["Resources"]["DeployRole"]["Properties"]["RoleName"], "DeployRole");
}

#[test]
fn principals_group_by_kind_and_accounts_are_partition_aware() {
    let mut app = App::new();
    let mut s = app.stack("S");
    Role::new(
        &mut s,
        "R",
        RoleProps::new(Principal::service("codebuild.amazonaws.com"))
            .also_assumed_by(Principal::service("codepipeline.amazonaws.com"))
            .also_assumed_by(Principal::account("222222222222"))
            .external_id("tooling"),
    );
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["R"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0],
        json!({
            "Effect": "Allow",
            "Principal": {
                "AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::222222222222:root"},
                "Service": ["codebuild.amazonaws.com", "codepipeline.amazonaws.com"]
            },
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "tooling"}}
        })
    );
}

#[test]
fn grants_create_one_default_policy_named_after_itself() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let build =
        Role::new(&mut s, "Build", RoleProps::new(Principal::service("codebuild.amazonaws.com")));
    let deploy =
        Role::new(&mut s, "Deploy", RoleProps::new(Principal::service("codebuild.amazonaws.com")));
    deploy.grant_pass_role(&mut s, &build);
    deploy.grant_assume_role(&mut s, &build);
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["BuildDefaultPolicy"]["Properties"],
        json!({
            "PolicyName": "BuildDefaultPolicy",
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Action": ["iam:PassRole", "sts:AssumeRole"],
                    "Resource": {"Fn::GetAtt": ["Deploy", "Arn"]}
                }]
            },
            "Roles": [{"Ref": "Build"}]
        })
    );
    assert!(t["Resources"].get("DeployDefaultPolicy").is_none());
}

#[test]
fn bad_role_settings_are_reported() {
    let mut app = App::new();
    let mut s = app.stack("S");
    Role::new(
        &mut s,
        "R",
        RoleProps::new(Principal::service("codebuild"))
            .also_assumed_by(Principal::account("12345"))
            .max_session_duration(Duration::minutes(30)),
    );
    Role::new(
        &mut s,
        "Named",
        RoleProps::new(Principal::arn("CodeBuildRole")).role_name("has space"),
    );
    assert_eq!(
        errors(&app),
        vec![
            "S/R: trust policy: statement 0: account principal `12345` must be a 12-digit account ID",
            "S/R: trust policy: statement 0: service principal `codebuild` must be a service endpoint such as `codebuild.amazonaws.com`",
            "S/R: max_session_duration is 30 minutes; IAM allows 1 to 12 hours",
            "S/Named: trust policy: statement 0: principal `CodeBuildRole` is not an ARN",
            "S/Named/Resource: property `RoleName`: `has space` does not match the pattern `^[\\w+=,.@-]+$`",
        ]
    );
}

#[test]
fn policy_documents_follow_iams_rules() {
    let doc = PolicyDocument::with([
        PolicyStatement::allow().sid("Dup"),
        PolicyStatement::allow()
            .sid("Dup")
            .action("s3:GetObject")
            .not_actions(["s3:PutObject"])
            .resource("bucket"),
        PolicyStatement::allow().sid("bad-sid").action("GetObject").resource("*"),
        PolicyStatement::allow().action("s3:GetObject").principal(Principal::Any),
    ]);
    assert_eq!(
        doc.validate(DocumentKind::Identity),
        vec![
            "statement 0 (`Dup`): has no Action; add at least one action",
            "statement 0 (`Dup`): has no Resource; name the resources it applies to",
            "statement 1 (`Dup`): Sid `Dup` is used twice; Sids must be unique in a document",
            "statement 1 (`Dup`): has both Action and NotAction; use one",
            "statement 1 (`Dup`): resource `bucket` is not an ARN (or `*`)",
            "statement 2 (`bad-sid`): Sid `bad-sid` may contain only letters and digits",
            "statement 2 (`bad-sid`): action `GetObject` is not of the form `service:Action` (or `*`)",
            "statement 3: has a Principal, which identity policies must not; the principal is whoever the policy is attached to",
            "statement 3: has no Resource; name the resources it applies to",
        ]
    );
    let resource_doc = PolicyDocument::with([PolicyStatement::allow().action("sqs:SendMessage")]);
    assert_eq!(
        resource_doc.validate(DocumentKind::Resource),
        vec![
            "statement 0: has no Principal; a resource policy must say whom it applies to",
            "statement 0: has no Resource; name the resources it applies to",
        ]
    );
    let trust = PolicyDocument::with([PolicyStatement::allow()
        .action("s3:GetObject")
        .resource("*")
        .principal(Principal::service("ec2.amazonaws.com"))]);
    assert_eq!(
        trust.validate(DocumentKind::Trust),
        vec![
            "statement 0: has a Resource, which trust policies must not",
            "statement 0: action `s3:GetObject` is not an `sts:` action; a trust policy only allows assuming the role",
        ]
    );
    assert_eq!(
        PolicyDocument::new().validate(DocumentKind::Identity),
        vec!["the policy document has no statements; IAM rejects an empty policy"]
    );
}

#[test]
fn bad_statements_added_by_hand_fail_synthesis() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let role = Role::new(&mut s, "R", RoleProps::new(Principal::service("lambda.amazonaws.com")));
    role.add_to_policy(&mut s, PolicyStatement::allow().action("logs:CreateLogStream"));
    assert_eq!(
        errors(&app),
        vec![
            "S/DefaultPolicy: property `PolicyDocument`: statement 0: has no Resource; name the resources it applies to"
                .replace("S/DefaultPolicy", "S/R/DefaultPolicy")
        ]
    );
}

#[test]
fn actions_are_read_without_regard_to_case_and_written_as_given() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let role = Role::new(&mut s, "R", RoleProps::new(Principal::service("lambda.amazonaws.com")));
    role.add_to_policy(
        &mut s,
        PolicyStatement::allow()
            .actions(["S3:GetObject", "s3:getobject", "s3:GETOBJECT", "s3:ListBucket"])
            .resource("arn:aws:s3:::reports/*"),
    );
    // The same action in another case, granted later, is already there.
    role.add_to_policy(
        &mut s,
        PolicyStatement::allow()
            .actions(["s3:ListBUCKET", "S3:PutObject"])
            .resource("arn:aws:s3:::reports/*"),
    );
    role.add_to_policy(
        &mut s,
        PolicyStatement::allow()
            .action("SQS:SendMessage")
            .resource("arn:aws:sqs:us-east-1:123456789012:jobs"),
    );
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["RDefaultPolicy"]["Properties"]["PolicyDocument"]["Statement"],
        json!([
            {
                "Effect": "Allow",
                "Action": ["S3:GetObject", "s3:ListBucket", "S3:PutObject"],
                "Resource": "arn:aws:s3:::reports/*"
            },
            {
                "Effect": "Allow",
                "Action": "SQS:SendMessage",
                "Resource": "arn:aws:sqs:us-east-1:123456789012:jobs"
            }
        ])
    );
    let trust = PolicyDocument::with([PolicyStatement::allow()
        .action("STS:AssumeRole")
        .principal(Principal::service("ec2.amazonaws.com"))]);
    assert_eq!(trust.validate(DocumentKind::Trust), Vec::<String>::new());
}

#[test]
fn malformed_actions_are_reported_exactly() {
    let bad = [
        "",
        "s3",
        "GetObject",
        ":GetObject",
        "s3:",
        "s3 :GetObject",
        "s3:Get Object",
        "s3:Get:Object",
        "s_3:GetObject",
    ];
    let doc = PolicyDocument::with([PolicyStatement::allow().actions(bad).resource("*")]);
    let expected: Vec<String> = bad
        .iter()
        .map(|a| format!("statement 0: action `{a}` is not of the form `service:Action` (or `*`)"))
        .collect();
    assert_eq!(doc.validate(DocumentKind::Identity), expected);
    let ok = PolicyDocument::with([PolicyStatement::allow()
        .actions(["*", "s3:*", "S3:Get*", "ec2:Describe?", "execute-api:Invoke", "Kms:Decrypt"])
        .resource("*")]);
    assert_eq!(ok.validate(DocumentKind::Identity), Vec::<String>::new());
}

#[test]
fn a_trust_policy_replaced_through_the_escape_hatch_is_checked_by_the_l1() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let role =
        Role::new(&mut s, "R", RoleProps::new(Principal::service("codebuild.amazonaws.com")));
    // The construct checked its own document; this one it never saw.
    if let Some(l1) = s.app().get_mut::<stackwright_aws::iam::Role>(role.resource()) {
        l1.assume_role_policy_document = serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "codebuild"}, "Action": "sts:AssumeRole"},
        ]})
        .into();
    }
    assert_eq!(
        errors(&app),
        ["S/R/Resource: property `AssumeRolePolicyDocument`: statement 0: service principal \
          `codebuild` must be a service endpoint such as `codebuild.amazonaws.com`"]
    );
}

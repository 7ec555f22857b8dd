//! Customer managed keys, and log groups encrypted with one: the key's policy lets
//! CloudWatch Logs of the stack's region use it for those log groups only.
#![allow(clippy::panic)] // assertions panic

use serde_json::{Value, json};
use stackwright_constructs::codebuild::{Project, ProjectProps, Source};
use stackwright_constructs::ecs::{
    ContainerDefinition, ContainerImage, FargateTaskDefinition, FargateTaskDefinitionProps,
};
use stackwright_constructs::kms::{Key, KeyProps};
use stackwright_constructs::lambda::{Code, Function, FunctionProps, Runtime};
use stackwright_constructs::rules;
use stackwright_core::{App, Format};

/// The synthesized JSON of one stack, parsed.
fn template(app: &App, stack: &str) -> Value {
    let assembly = app.synth(Format::Json).unwrap_or_else(|d| panic!("synthesis failed:\n{d}"));
    let body = assembly.stack(stack).map(|s| s.body.clone()).unwrap_or_default();
    serde_json::from_str(&body).unwrap_or_default()
}

/// A task definition of family `web` with one container, its log group encrypted with
/// `key` when one is given.
fn task(app: &mut App, key: Option<&Key>) {
    let mut s = app.stack("S");
    let mut props = FargateTaskDefinitionProps::new("web");
    if let Some(key) = key {
        props = props.log_encryption_key(key);
    }
    let task = FargateTaskDefinition::new(&mut s, "Task", props);
    task.add_container(
        &mut s,
        ContainerDefinition::new("web", ContainerImage::uri("public.ecr.aws/nginx/nginx:1.27")),
    );
}

/// The account administers the key.
fn admin() -> Value {
    json!({
        "Effect": "Allow",
        "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
        "Action": "kms:*",
        "Resource": "*"
    })
}

/// What CloudWatch Logs of the stack's region may do with the key, for `group`.
fn logs(group: &str) -> Value {
    json!({
        "Effect": "Allow",
        "Principal": {"Service": {"Fn::Sub": "logs.${AWS::Region}.${AWS::URLSuffix}"}},
        "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        "Resource": "*",
        "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": {
            "Fn::Sub": format!("arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:{group}")
        }}}
    })
}

#[test]
fn a_key_rotates_and_the_account_administers_it() {
    let mut app = App::new();
    let mut s = app.stack("S");
    Key::new(&mut s, "Key", KeyProps::new().description("logs"));
    Key::new(&mut s, "Fixed", KeyProps::new().rotation(false));
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["Key"]["Properties"],
        json!({
            "Description": "logs",
            "EnableKeyRotation": true,
            "KeyPolicy": {"Version": "2012-10-17", "Statement": [admin()]}
        })
    );
    assert_eq!(t["Resources"]["Fixed"]["Properties"]["EnableKeyRotation"], false);
}

#[test]
fn a_task_definitions_log_group_is_encrypted_with_the_key_given() {
    let mut app = App::new();
    app.add_rule_pack(rules::PACK);
    let mut s = app.stack("S");
    let key = Key::new(&mut s, "LogKey", KeyProps::new());
    task(&mut app, Some(&key));
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["TaskLogGroup"]["Properties"],
        json!({
            "KmsKeyId": {"Fn::GetAtt": ["LogKey", "Arn"]},
            "LogGroupName": "/ecs/web",
            "RetentionInDays": 30
        })
    );
    // The statement names the group by its name, so the key policy does not refer to the
    // group and the group can refer to the key.
    assert_eq!(
        t["Resources"]["LogKey"]["Properties"]["KeyPolicy"]["Statement"],
        json!([admin(), logs("/ecs/web")])
    );
    // Neither the log group nor the key is a finding of the pack.
    let assembly = app.synth(Format::Json).unwrap_or_else(|d| panic!("{d}"));
    let found: Vec<&str> = assembly
        .findings()
        .iter()
        .filter(|f| f.logical_id == "TaskLogGroup" || f.logical_id == "LogKey")
        .map(|f| f.rule.id)
        .collect();
    assert_eq!(found, Vec::<&str>::new());
}

#[test]
fn function_and_project_log_groups_share_a_key_for_the_accounts_groups_in_the_region() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let key = Key::new(&mut s, "LogKey", KeyProps::new());
    Function::new(
        &mut s,
        "Fn",
        FunctionProps::new(
            Runtime::Python313,
            "app.handler",
            Code::inline("def handler(e, c): pass"),
        )
        .log_encryption_key(&key),
    );
    Project::new(&mut s, "Build", ProjectProps::new(Source::CodePipeline).log_encryption_key(&key));
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["FnLogGroup"]["Properties"]["KmsKeyId"],
        json!({"Fn::GetAtt": ["LogKey", "Arn"]})
    );
    assert_eq!(
        t["Resources"]["BuildLogGroup"]["Properties"]["KmsKeyId"],
        json!({"Fn::GetAtt": ["LogKey", "Arn"]})
    );
    // The groups' names are generated at deployment: one statement for the account's groups
    // in the region, given once however many groups use the key.
    assert_eq!(
        t["Resources"]["LogKey"]["Properties"]["KeyPolicy"]["Statement"],
        json!([admin(), logs("*")])
    );
}

#[test]
fn without_a_key_log_groups_use_cloudwatch_logs_own_encryption() {
    let mut app = App::new();
    task(&mut app, None);
    let t = template(&app, "S");
    assert_eq!(t["Resources"]["TaskLogGroup"]["Properties"].get("KmsKeyId"), None);
}

//! The cross-account example: the article's trust policy, the artifact store shared with the
//! production account, the error a handle across accounts gets, and the reviewed snapshots.

#![allow(clippy::panic)] // assertions panic

use cross_account::{ACTION_ROLE_ARN, TargetRoles, production, tooling};
use serde_json::{Value, json};
use stackwright::testing::Template;
use stackwright::{App, Format};

fn template(stack: &str) -> Value {
    match Template::from_stack(&cross_account::app(), stack) {
        Ok(t) => t.to_json().clone(),
        Err(e) => panic!("{stack} does not synthesize: {e}"),
    }
}

/// The statements of a policy document.
fn statements(doc: &Value) -> &Vec<Value> {
    match doc["Statement"].as_array() {
        Some(s) => s,
        None => panic!("no statements in {doc}"),
    }
}

/// The article's trust policy listing, as printed.
const ARTICLE_TRUST_POLICY: &str = r#"{
"Version": "2012-10-17",
"Statement": [
{
"Effect": "Allow",
"Principal": {
"AWS": "arn:aws:iam::111111111111:role/CodeBuildRole"
},
"Action": "sts:AssumeRole"
}
]
}"#;

#[test]
fn the_deploy_role_trusts_the_tooling_codebuild_role_as_in_the_article() {
    let article: Value = match serde_json::from_str(ARTICLE_TRUST_POLICY) {
        Ok(v) => v,
        Err(e) => panic!("the listing does not parse: {e}"),
    };
    let t = template("Production");
    let role = &t["Resources"]["DeployRole"]["Properties"];
    assert_eq!(role["AssumeRolePolicyDocument"], article);
    assert_eq!(role["RoleName"], "DeployRole");
    // The only thing it may do there: roll the production service.
    assert_eq!(
        statements(&t["Resources"]["DeployRoleDefaultPolicy"]["Properties"]["PolicyDocument"]),
        &vec![json!({
            "Effect": "Allow",
            "Action": ["ecs:UpdateService", "ecs:DescribeServices"],
            "Resource": {"Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/prod/myapp"}
        })]
    );
}

#[test]
fn the_build_role_assumes_the_deploy_role_by_literal_arn() {
    let t = template("Tooling");
    let r = &t["Resources"];
    assert_eq!(r["CodeBuildRole"]["Properties"]["RoleName"], "CodeBuildRole");
    let policy = statements(&r["CodeBuildRoleDefaultPolicy"]["Properties"]["PolicyDocument"]);
    assert_eq!(
        policy[0],
        json!({
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": "arn:aws:iam::222222222222:role/DeployRole"
        })
    );
    let spec = r["DeployBuild"]["Properties"]["Source"]["BuildSpec"].as_str().unwrap_or_default();
    for command in [
        "CREDENTIALS=$(aws sts assume-role --role-arn arn:aws:iam::222222222222:role/DeployRole --role-session-name deploy)",
        "export AWS_ACCESS_KEY_ID=$(echo $CREDENTIALS | jq -r '.Credentials.AccessKeyId')",
        "export AWS_SECRET_ACCESS_KEY=$(echo $CREDENTIALS | jq -r '.Credentials.SecretAccessKey')",
        "export AWS_SESSION_TOKEN=$(echo $CREDENTIALS | jq -r '.Credentials.SessionToken')",
        "aws ecs update-service --cluster prod --service myapp --force-new-deployment",
    ] {
        assert!(spec.contains(&format!("      - {command}\n")), "missing `{command}` in\n{spec}");
    }
}

#[test]
fn the_artifact_key_and_bucket_let_the_production_action_role_in() {
    let t = template("Tooling");
    let r = &t["Resources"];
    let store = &r["Pipeline"]["Properties"]["ArtifactStore"];
    assert_eq!(
        store["EncryptionKey"]["Id"],
        json!({"Fn::GetAtt": ["PipelineArtifactsKey", "Arn"]})
    );
    assert_eq!(store["EncryptionKey"]["Type"], "KMS");

    let key = statements(&r["PipelineArtifactsKey"]["Properties"]["KeyPolicy"]);
    assert!(
        key.contains(&json!({
            "Effect": "Allow",
            "Principal": {"AWS": ACTION_ROLE_ARN},
            "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
            "Resource": "*"
        })),
        "key policy: {key:#?}"
    );
    let bucket = statements(&r["PipelineArtifactsBucketPolicy"]["Properties"]["PolicyDocument"]);
    assert_eq!(
        bucket[1..],
        [
            json!({
                "Effect": "Allow",
                "Principal": {"AWS": ACTION_ROLE_ARN},
                "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
                "Resource": {"Fn::Sub": "${PipelineArtifactsBucket.Arn}/*"}
            }),
            json!({
                "Effect": "Allow",
                "Principal": {"AWS": ACTION_ROLE_ARN},
                "Action": ["s3:GetBucketLocation", "s3:ListBucket"],
                "Resource": {"Fn::GetAtt": ["PipelineArtifactsBucket", "Arn"]}
            }),
        ]
    );
    // The pipeline may assume it, and its CloudFormation action runs as it.
    let pipeline = statements(&r["PipelineRoleDefaultPolicy"]["Properties"]["PolicyDocument"]);
    assert!(pipeline.contains(&json!({
        "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": ACTION_ROLE_ARN
    })));
    let deploy = &r["Pipeline"]["Properties"]["Stages"][2]["Actions"][0];
    assert_eq!(deploy["RoleArn"], ACTION_ROLE_ARN);
    assert_eq!(deploy["Configuration"]["ActionMode"], "CREATE_UPDATE");
    assert_eq!(
        deploy["Configuration"]["RoleArn"],
        "arn:aws:iam::222222222222:role/CloudFormationExecutionRole"
    );
}

#[test]
fn a_handle_from_the_production_account_does_not_synthesize() {
    // WRONG on purpose: the tooling build role names the production role by its handle.
    let mut app = App::new();
    let prod = production(&mut app);
    tooling(
        &mut app,
        TargetRoles { deploy_role_arn: prod.deploy_role.arn(), ..TargetRoles::literal() },
    );
    let errors = match app.synth(Format::Json) {
        Ok(_) => panic!("a reference across accounts synthesized"),
        Err(d) => d.errors,
    };
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        ["CodeBuildRole/DefaultPolicy: references `DeployRole/Resource` in stack `Production` \
             (222222222222/us-east-1) from stack `Tooling` (111111111111/us-east-1); \
             CloudFormation exports only work within one account and region. Give the resource \
             a fixed physical name and pass it as a literal or a parameter, or (for IAM) use a \
             role in the target account that trusts this one"]
    );
}

#[test]
fn synthesized_files_match_the_reviewed_snapshots() {
    for format in [Format::Json, Format::Yaml] {
        let assembly = match cross_account::app().synth(format) {
            Ok(a) => a,
            Err(d) => panic!("the example does not synthesize:\n{d}"),
        };
        // Same program, same bytes: a second synthesis must not differ in any way.
        assert_eq!(cross_account::app().synth(format).ok(), Some(assembly.clone()));
        assert!(assembly.warnings().is_empty(), "warnings: {:?}", assembly.warnings());
        // The rule pack finds what checkov found in the recorded run, suppressed or not.
        if format == Format::Json {
            let recording = include_str!("../../../snapshots/checkov/cross-account.json");
            if let Err(diff) =
                stackwright::testing::checkov_parity(&cross_account::app(), &assembly, recording)
            {
                panic!("the rule pack and the recorded checkov run disagree:\n{diff}");
            }
        }
        insta::with_settings!({
            snapshot_path => "../../../snapshots",
            prepend_module_to_snapshot => false,
        }, {
            for (file, body) in assembly.files() {
                insta::assert_snapshot!(format!("cross-account__{}__{file}", format.extension()), body);
            }
        });
    }
}

//! The synthesized pipeline against the article's listings ("CodeBuild Environment" and
//! "Pipeline Definition with CloudFormation"), transcribed here by hand. Comparisons are on
//! parsed JSON, so key order does not matter but every name, value and `Ref` target does.

#![allow(clippy::panic)] // assertions panic

use serde_json::{Map, Value, json};
use stackwright::testing::Template;

fn template() -> Value {
    match Template::from_stack(&pipeline_l1::app(), "CicdPipeline") {
        Ok(t) => t.to_json().clone(),
        Err(e) => panic!("the example does not synthesize:\n{e}"),
    }
}

fn properties(template: &Value, logical_id: &str) -> Value {
    template["Resources"][logical_id]["Properties"].clone()
}

/// The article writes the CodeBuild API's camelCase keys; CloudFormation capitalizes them.
fn capitalize_keys(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let mut chars = k.chars();
                    let k = chars
                        .next()
                        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                        .unwrap_or_default();
                    (k, capitalize_keys(v))
                })
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(capitalize_keys).collect()),
        other => other,
    }
}

#[test]
fn the_codebuild_environment_is_the_articles() {
    let article = json!({
        "environment": {
            "type": "LINUX_CONTAINER",
            "image": "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
            "computeType": "BUILD_GENERAL1_MEDIUM",
            "privilegedMode": true,
            "environmentVariables": [
                {
                    "name": "ECR_REPO_URI",
                    "value": "123456789.dkr.ecr.us-east-1.amazonaws.com/myapp",
                    "type": "PLAINTEXT"
                }
            ]
        }
    });
    let project = properties(&template(), "CodeBuildProject");
    assert_eq!(project["Environment"], capitalize_keys(article)["Environment"]);
    // Built inside the pipeline: source and artifacts come from it.
    assert_eq!(project["Source"], json!({ "Type": "CODEPIPELINE" }));
    assert_eq!(project["Artifacts"], json!({ "Type": "CODEPIPELINE" }));
}

#[test]
fn the_pipeline_is_the_articles() {
    let type_id = |category: &str, owner: &str, provider: &str| json!({ "Category": category, "Owner": owner, "Provider": provider, "Version": "1" });
    let artifacts = |name: &str| json!([{ "Name": name }]);
    let stages = json!([
        {
            "Name": "Source",
            "Actions": [{
                "Name": "GitHubSource",
                "ActionTypeId": type_id("Source", "ThirdParty", "GitHub"),
                "Configuration": {
                    "Owner": "my-org",
                    "Repo": "my-app",
                    "Branch": "main",
                    "OAuthToken": { "Ref": "GitHubToken" }
                },
                "OutputArtifacts": artifacts("SourceOutput")
            }]
        },
        {
            "Name": "Build",
            "Actions": [{
                "Name": "DockerBuild",
                "ActionTypeId": type_id("Build", "AWS", "CodeBuild"),
                "Configuration": { "ProjectName": { "Ref": "CodeBuildProject" } },
                "InputArtifacts": artifacts("SourceOutput"),
                "OutputArtifacts": artifacts("BuildOutput")
            }]
        },
        {
            "Name": "ApproveStaging",
            "Actions": [{
                "Name": "ManualApproval",
                "ActionTypeId": type_id("Approval", "AWS", "Manual"),
                "Configuration": { "NotificationArn": { "Ref": "ApprovalSNSTopic" } }
            }]
        },
        {
            "Name": "DeployProduction",
            "Actions": [{
                "Name": "DeployECS",
                "ActionTypeId": type_id("Deploy", "AWS", "ECS"),
                // The article's `!Ref ECSCluster` / `!Ref ECSService`: the cluster and the
                // service live in another stack, so here they are parameters.
                "Configuration": {
                    "ClusterName": { "Ref": "ClusterName" },
                    "ServiceName": { "Ref": "ServiceName" }
                },
                "InputArtifacts": artifacts("BuildOutput")
            }]
        }
    ]);

    let template = template();
    assert_eq!(template["Resources"]["MyPipeline"]["Type"], "AWS::CodePipeline::Pipeline");
    let pipeline = properties(&template, "MyPipeline");
    assert_eq!(pipeline["Stages"], stages);
    assert_eq!(pipeline["Name"], "myapp-pipeline");
    assert_eq!(pipeline["RoleArn"], json!({ "Fn::GetAtt": ["PipelineRole", "Arn"] }));
    assert_eq!(
        pipeline["ArtifactStore"],
        json!({ "Type": "S3", "Location": { "Ref": "ArtifactBucket" } })
    );
    // The article's OAuth token is a secret parameter.
    assert_eq!(
        template["Parameters"]["GitHubToken"],
        json!({ "Type": "String", "NoEcho": true,
                "Description": "OAuth token CodePipeline uses to read the GitHub repository" })
    );
}

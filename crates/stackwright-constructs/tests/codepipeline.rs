//! The pipeline construct: the article's pipeline, its role and store, triggers,
//! notifications, every kind of action, and the checks CodePipeline would make.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use serde_json::{Value, json};
use stackwright_aws::codebuild::ProjectRef;
use stackwright_aws::codebuild::project::{
    Artifacts, ArtifactsRequired, Environment, EnvironmentRequired, Project, ProjectRequired,
    Source, SourceRequired,
};
use stackwright_aws::codedeploy::{Application, DeploymentGroup, DeploymentGroupRequired};
use stackwright_constructs::codepipeline::*;
use stackwright_constructs::iam::{Principal, Role, RoleProps};
use stackwright_constructs::sns::{Topic, TopicProps};
use stackwright_core::{App, Format, Handle, Parameter, Scope};

const CONNECTION: &str = "arn:aws:codestar-connections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";

/// A CodeBuild project built from the L1 types, with a role of its own.
fn project(s: &mut Scope<'_>, id: &str) -> ProjectRef {
    let role = Role::new(
        s,
        &format!("{id}Role"),
        RoleProps::new(Principal::service("codebuild.amazonaws.com")),
    );
    s.add(
        id,
        Project::new(ProjectRequired {
            artifacts: Artifacts::new(ArtifactsRequired { r#type: "CODEPIPELINE" }),
            environment: Environment::new(EnvironmentRequired {
                compute_type: "BUILD_GENERAL1_MEDIUM",
                image: "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
                r#type: "LINUX_CONTAINER",
            })
            .privileged_mode(true),
            service_role: role.arn(),
            source: Source::new(SourceRequired { r#type: "CODEPIPELINE" }),
        }),
    )
}

/// The article's pipeline: GitHub source, Docker build, approval, ECS deploy.
fn article_app() -> App {
    let mut app = App::new();
    let mut s = app.stack("Cicd");
    let token = s.add_parameter(
        "GitHubToken",
        Parameter::string().description("OAuth token for the GitHub repository").no_echo(),
    );
    let cluster = s
        .add_parameter("ECSCluster", Parameter::string().description("ECS cluster of the service"));
    let service =
        s.add_parameter("ECSService", Parameter::string().description("ECS service to deploy"));
    let build = project(&mut s, "CodeBuildProject");
    let topic = Topic::new(&mut s, "ApprovalSNSTopic", TopicProps::new().encrypted(false));

    let source = Artifact::new("SourceOutput");
    let image = Artifact::new("BuildOutput");
    let pipeline =
        Pipeline::new(&mut s, "MyPipeline", PipelineProps::new().pipeline_name("myapp-pipeline"));
    pipeline.add_stage(
        &mut s,
        "Source",
        [GitHubSource::new("GitHubSource", "my-org", "my-app", token.value(), &source)
            .branch("main")],
    );
    pipeline.add_stage(
        &mut s,
        "Build",
        [CodeBuildAction::from_resource("DockerBuild", build, &source).output(&image)],
    );
    pipeline.add_stage(
        &mut s,
        "ApproveStaging",
        [ManualApproval::new("ManualApproval").notify(&topic)],
    );
    pipeline.add_stage(
        &mut s,
        "DeployProduction",
        [EcsDeploy::from_names("DeployECS", cluster.value(), service.value(), &image)],
    );
    pipeline.notify_on(
        &mut s,
        &topic,
        [
            PipelineEvent::ExecutionFailed,
            PipelineEvent::ExecutionSucceeded,
            PipelineEvent::ManualApprovalNeeded,
        ],
    );
    app
}

/// Every kind of action, triggers and a cross-account deployment.
fn everything_app() -> App {
    let mut app = App::new();
    let mut s = app.stack("Everything");
    let deploy_role = s.add_parameter(
        "DeployRoleArn",
        Parameter::string().description("Role CloudFormation deploys with"),
    );
    let build = project(&mut s, "Build");
    let tests = project(&mut s, "Tests");
    let application = s.add("App", Application::new().compute_platform("ECS"));
    let group = s.add(
        "Group",
        DeploymentGroup::new(DeploymentGroupRequired {
            application_name: application.reference(),
            service_role_arn: "arn:aws:iam::123456789012:role/codedeploy-ecs",
        }),
    );
    let topic = Topic::new(&mut s, "Events", TopicProps::new().encrypted(false));

    let source = Artifact::new("Source");
    let image = Artifact::new("Image");
    let built = Artifact::new("Built");
    let outputs = Artifact::new("StackOutputs");
    let pipeline = Pipeline::new(
        &mut s,
        "Pipeline",
        PipelineProps::new()
            .cross_account(true)
            .execution_mode(ExecutionMode::Queued)
            .restart_execution_on_update(true)
            .variable(
                Variable::new("Environment")
                    .default_value("staging")
                    .description("Where to deploy"),
            ),
    );
    pipeline.add_stage(
        &mut s,
        "Source",
        (
            CodeStarConnectionSource::new("Checkout", CONNECTION, "my-org/my-app", "main", &source)
                .codebuild_clone_ref(true)
                .variables_namespace("SourceVariables"),
            EcrSource::new("BaseImage", "base-images", &image).image_tag("stable"),
        ),
    );
    pipeline.add_git_trigger(
        &mut s,
        GitTrigger::new("Checkout")
            .on_push(
                PushFilter::branches(["main", "release/*"])
                    .exclude_branches(["release/old"])
                    .file_paths(["src/**"]),
            )
            .on_push(PushFilter::tags(["v*"]))
            .on_pull_request(
                PullRequestFilter::branches(["main"])
                    .events([PullRequestEvent::Open, PullRequestEvent::Updated]),
            ),
    );
    let stage = pipeline.add_stage(
        &mut s,
        "Build",
        [CodeBuildAction::from_resource("Compile", build, &source)
            .extra_input(&image)
            .env("COMMIT", "#{SourceVariables.CommitId}")
            .env("STACK", stackwright_core::pseudo::stack_name())
            .output(&built)],
    );
    stage.add_action(
        &mut s,
        CodeBuildAction::from_resource("UnitTests", tests, &built)
            .test(true)
            .batch(true)
            .run_order(2),
    );
    pipeline.add_stage(
        &mut s,
        "Approve",
        [ManualApproval::new("Approve")
            .notify(&topic)
            .message("Staging looks good?")
            .review_url("https://staging.example.com")],
    );
    pipeline.add_stage(
        &mut s,
        "Deploy",
        (
            CodeDeployEcsDeploy::from_resources(
                "BlueGreen",
                application,
                group,
                built.at_path("taskdef.json"),
                built.at_path("appspec.yml"),
            )
            .image(&image, "IMAGE1_NAME"),
            CloudFormationAction::create_update(
                "Infra",
                "my-app-infra",
                built.at_path("infra.yaml"),
            )
            .deployment_role(deploy_role)
            .capabilities([Capability::NamedIam, Capability::AutoExpand])
            .parameter("ImageTag", "#{SourceVariables.CommitId}")
            .parameter("Stage", "staging")
            .output(&outputs, "outputs.json"),
            CloudFormationAction::create_update(
                "ProdInfra",
                "my-app-prod",
                built.at_path("infra.yaml"),
            )
            .cross_account_role("arn:aws:iam::210987654321:role/pipeline-deploy")
            .deployment_role("arn:aws:iam::210987654321:role/cfn-exec")
            .run_order(2),
            LambdaInvoke::from_name("Smoke", "smoke-test")
                .user_parameters("https://staging.example.com")
                .input(&outputs)
                .run_order(3),
        ),
    );
    pipeline.add_event_trigger(
        &mut s,
        "OnUpload",
        EventTrigger::s3_object_created("my-drop-bucket", "releases/app.zip"),
    );
    pipeline.notify_on(&mut s, &topic, [PipelineEvent::ExecutionFailed]);
    app
}

/// The stages of the pipeline resource `id`.
fn stages(t: &Value, id: &str) -> Value {
    t["Resources"][id]["Properties"]["Stages"].clone()
}

/// The statements of a policy resource.
fn statements(t: &Value, id: &str) -> Vec<Value> {
    t["Resources"][id]["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The actions of a statement, as a list.
fn actions_of(statement: &Value) -> Vec<String> {
    match &statement["Action"] {
        Value::String(a) => vec![a.clone()],
        Value::Array(list) => list.iter().filter_map(|a| a.as_str().map(str::to_owned)).collect(),
        _ => Vec::new(),
    }
}

/// The statement of a policy that has `action`.
fn statement_with(t: &Value, policy: &str, action: &str) -> Value {
    statements(t, policy)
        .into_iter()
        .find(|s| actions_of(s).iter().any(|a| a == action))
        .unwrap_or_else(|| panic!("no statement of {policy} allows {action}"))
}

#[test]
fn the_article_pipeline_matches_the_listing() {
    let t = template(&article_app(), "Cicd");
    // The article's listing, with what the construct adds stated: GitHub v1 is started by a
    // webhook, so it does not poll.
    assert_eq!(
        stages(&t, "MyPipeline"),
        json!([
            {
                "Name": "Source",
                "Actions": [{
                    "Name": "GitHubSource",
                    "ActionTypeId": {"Category": "Source", "Owner": "ThirdParty", "Provider": "GitHub", "Version": "1"},
                    "Configuration": {
                        "Owner": "my-org",
                        "Repo": "my-app",
                        "Branch": "main",
                        "OAuthToken": {"Ref": "GitHubToken"},
                        "PollForSourceChanges": false
                    },
                    "OutputArtifacts": [{"Name": "SourceOutput"}]
                }]
            },
            {
                "Name": "Build",
                "Actions": [{
                    "Name": "DockerBuild",
                    "ActionTypeId": {"Category": "Build", "Owner": "AWS", "Provider": "CodeBuild", "Version": "1"},
                    "Configuration": {"ProjectName": {"Ref": "CodeBuildProject"}},
                    "InputArtifacts": [{"Name": "SourceOutput"}],
                    "OutputArtifacts": [{"Name": "BuildOutput"}]
                }]
            },
            {
                "Name": "ApproveStaging",
                "Actions": [{
                    "Name": "ManualApproval",
                    "ActionTypeId": {"Category": "Approval", "Owner": "AWS", "Provider": "Manual", "Version": "1"},
                    "Configuration": {"NotificationArn": {"Ref": "ApprovalSNSTopic"}}
                }]
            },
            {
                "Name": "DeployProduction",
                "Actions": [{
                    "Name": "DeployECS",
                    "ActionTypeId": {"Category": "Deploy", "Owner": "AWS", "Provider": "ECS", "Version": "1"},
                    "Configuration": {
                        "ClusterName": {"Ref": "ECSCluster"},
                        "ServiceName": {"Ref": "ECSService"}
                    },
                    "InputArtifacts": [{"Name": "BuildOutput"}]
                }]
            }
        ])
    );
    let p = &t["Resources"]["MyPipeline"];
    assert_eq!(p["Properties"]["Name"], "myapp-pipeline");
    assert_eq!(p["Properties"]["PipelineType"], "V2");
    assert_eq!(p["Properties"]["RoleArn"], json!({"Fn::GetAtt": ["MyPipelineRole", "Arn"]}));
    assert_eq!(
        p["Properties"]["ArtifactStore"],
        json!({"Location": {"Ref": "MyPipelineArtifactsBucket"}, "Type": "S3"})
    );
    // A new pipeline starts at once: its role's policy must exist first.
    assert_eq!(p["DependsOn"], "MyPipelineRoleDefaultPolicy");
}

#[test]
fn the_github_v1_source_warns_and_gets_a_webhook() {
    let assembly = article_app().synth(Format::Json).unwrap_or_else(|d| panic!("{d}"));
    let warnings: Vec<String> = assembly.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        vec![
            "Cicd/MyPipeline: action `Source/GitHubSource`: GitHub version 1 source actions \
             (OAuth tokens) are deprecated by AWS; use CodeStarConnectionSource with a \
             CodeStar connection"
        ]
    );
    let t = template(&article_app(), "Cicd");
    assert_eq!(
        t["Resources"]["MyPipelineGitHubSourceWebhook"]["Properties"],
        json!({
            "Authentication": "GITHUB_HMAC",
            "AuthenticationConfiguration": {"SecretToken": {"Ref": "GitHubToken"}},
            "Filters": [{"JsonPath": "$.ref", "MatchEquals": "refs/heads/main"}],
            "RegisterWithThirdParty": true,
            "TargetAction": "GitHubSource",
            "TargetPipeline": {"Ref": "MyPipeline"},
            "TargetPipelineVersion": {"Fn::GetAtt": ["MyPipeline", "Version"]}
        })
    );
}

#[test]
fn the_pipeline_role_has_least_privilege_and_no_star_action() {
    for (app, stack, policy) in [
        (article_app(), "Cicd", "MyPipelineRoleDefaultPolicy"),
        (everything_app(), "Everything", "PipelineRoleDefaultPolicy"),
    ] {
        let t = template(&app, stack);
        let all = statements(&t, policy);
        assert!(!all.is_empty());
        for s in &all {
            assert_eq!(s["Effect"], "Allow");
            for a in actions_of(s) {
                assert!(a != "*" && !a.ends_with(":*"), "{a} in {s}");
            }
        }
        // Only the pipeline role: no other role for the actions.
        let roles: Vec<&String> = t["Resources"]
            .as_object()
            .map(|r| {
                r.iter().filter(|(_, v)| v["Type"] == "AWS::IAM::Role").map(|(k, _)| k).collect()
            })
            .unwrap_or_default();
        assert!(roles.iter().all(|r| !r.contains("Source") && !r.contains("Deploy")), "{roles:?}");
    }
    let t = template(&article_app(), "Cicd");
    let p = "MyPipelineRoleDefaultPolicy";
    // (an action, the part of its statement checked as a JSON pointer, "" for the whole
    // statement, and what that part must be)
    let expected = [
        ("s3:PutObject", "/Resource", json!({"Fn::Sub": "${MyPipelineArtifactsBucket.Arn}/*"})),
        (
            "s3:GetBucketVersioning",
            "",
            json!({
                "Effect": "Allow",
                "Action": ["s3:GetBucketVersioning", "s3:GetBucketLocation"],
                "Resource": {"Fn::GetAtt": ["MyPipelineArtifactsBucket", "Arn"]}
            }),
        ),
        (
            "codebuild:StartBuild",
            "",
            json!({
                "Effect": "Allow",
                "Action": ["codebuild:BatchGetBuilds", "codebuild:StartBuild"],
                "Resource": {"Fn::GetAtt": ["CodeBuildProject", "Arn"]}
            }),
        ),
        ("sns:Publish", "/Resource", json!({"Ref": "ApprovalSNSTopic"})),
        (
            "ecs:UpdateService",
            "/Resource",
            json!({"Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/${ECSCluster}/${ECSService}"}),
        ),
        (
            "iam:PassRole",
            "/Condition",
            json!({"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}),
        ),
    ];
    for (action, part, want) in expected {
        assert_eq!(statement_with(&t, p, action).pointer(part), Some(&want), "{action}");
    }
    // The build project's own role may use the artifact store.
    assert_eq!(
        statements(&t, "CodeBuildProjectRoleDefaultPolicy"),
        vec![json!({
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
            "Resource": {"Fn::Sub": "${MyPipelineArtifactsBucket.Arn}/*"}
        })]
    );
}

#[test]
fn the_artifact_bucket_is_private_versioned_encrypted_and_tls_only() {
    let t = template(&article_app(), "Cicd");
    assert_eq!(
        t["Resources"]["MyPipelineArtifactsBucket"],
        json!({
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                ]},
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": true,
                    "BlockPublicPolicy": true,
                    "IgnorePublicAcls": true,
                    "RestrictPublicBuckets": true
                },
                "VersioningConfiguration": {"Status": "Enabled"}
            },
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain"
        })
    );
    assert_eq!(
        statements(&t, "MyPipelineArtifactsBucketPolicy"),
        vec![json!({
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [
                {"Fn::GetAtt": ["MyPipelineArtifactsBucket", "Arn"]},
                {"Fn::Sub": "${MyPipelineArtifactsBucket.Arn}/*"}
            ],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}
        })]
    );
}

#[test]
fn a_cross_account_pipeline_encrypts_artifacts_with_a_shared_key() {
    let t = template(&everything_app(), "Everything");
    let r = &t["Resources"];
    assert_eq!(
        r["Pipeline"]["Properties"]["ArtifactStore"],
        json!({
            "EncryptionKey": {"Id": {"Fn::GetAtt": ["PipelineArtifactsKey", "Arn"]}, "Type": "KMS"},
            "Location": {"Ref": "PipelineArtifactsBucket"},
            "Type": "S3"
        })
    );
    assert_eq!(
        r["PipelineArtifactsBucket"]["Properties"]["BucketEncryption"],
        json!({"ServerSideEncryptionConfiguration": [{
            "BucketKeyEnabled": true,
            "ServerSideEncryptionByDefault": {
                "KMSMasterKeyID": {"Fn::GetAtt": ["PipelineArtifactsKey", "Arn"]},
                "SSEAlgorithm": "aws:kms"
            }
        }]})
    );
    let key = &r["PipelineArtifactsKey"];
    assert_eq!(key["Properties"]["EnableKeyRotation"], true);
    let cross = "arn:aws:iam::210987654321:role/pipeline-deploy";
    assert_eq!(
        key["Properties"]["KeyPolicy"]["Statement"],
        json!([
            {
                "Effect": "Allow",
                "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
                "Action": "kms:*",
                "Resource": "*"
            },
            {
                "Effect": "Allow",
                "Principal": {"AWS": cross},
                "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
                "Resource": "*"
            }
        ])
    );
    // The other account's role reads and writes artifacts through the bucket policy.
    let bucket_policy = statements(&t, "PipelineArtifactsBucketPolicy");
    assert_eq!(
        bucket_policy[1],
        json!({
            "Effect": "Allow",
            "Principal": {"AWS": cross},
            "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
            "Resource": {"Fn::Sub": "${PipelineArtifactsBucket.Arn}/*"}
        })
    );
    let p = "PipelineRoleDefaultPolicy";
    assert_eq!(
        statement_with(&t, p, "kms:Decrypt")["Resource"],
        json!({"Fn::GetAtt": ["PipelineArtifactsKey", "Arn"]})
    );
    assert_eq!(statement_with(&t, p, "sts:AssumeRole")["Resource"], json!(cross));
    // The cross-account action runs as that role; its deployment role is that account's.
    let prod = &stages(&t, "Pipeline")[3]["Actions"][2];
    assert_eq!(prod["RoleArn"], json!(cross));
    assert_eq!(prod["Configuration"]["RoleArn"], "arn:aws:iam::210987654321:role/cfn-exec");
    assert_eq!(prod["RunOrder"], 2);
}

#[test]
fn pipeline_settings_render() {
    let t = template(&everything_app(), "Everything");
    let p = &t["Resources"]["Pipeline"]["Properties"];
    assert_eq!(p["PipelineType"], "V2");
    assert_eq!(p["ExecutionMode"], "QUEUED");
    assert_eq!(p["RestartExecutionOnUpdate"], true);
    assert_eq!(
        p["Variables"],
        json!([{"DefaultValue": "staging", "Description": "Where to deploy", "Name": "Environment"}])
    );
}

#[test]
fn connection_sources_and_git_triggers_render() {
    let t = template(&everything_app(), "Everything");
    let source = &stages(&t, "Pipeline")[0]["Actions"];
    assert_eq!(
        source[0],
        json!({
            "ActionTypeId": {"Category": "Source", "Owner": "AWS", "Provider": "CodeStarSourceConnection", "Version": "1"},
            "Configuration": {
                "ConnectionArn": CONNECTION,
                "FullRepositoryId": "my-org/my-app",
                "BranchName": "main",
                "OutputArtifactFormat": "CODEBUILD_CLONE_REF"
            },
            "Name": "Checkout",
            "Namespace": "SourceVariables",
            "OutputArtifacts": [{"Name": "Source"}]
        })
    );
    assert_eq!(
        t["Resources"]["Pipeline"]["Properties"]["Triggers"],
        json!([{
            "GitConfiguration": {
                "PullRequest": [{
                    "Branches": {"Includes": ["main"]},
                    "Events": ["OPEN", "UPDATED"]
                }],
                "Push": [
                    {
                        "Branches": {"Excludes": ["release/old"], "Includes": ["main", "release/*"]},
                        "FilePaths": {"Includes": ["src/**"]}
                    },
                    {"Tags": {"Includes": ["v*"]}}
                ],
                "SourceActionName": "Checkout"
            },
            "ProviderType": "CodeStarSourceConnection"
        }])
    );
    assert_eq!(
        statement_with(&t, "PipelineRoleDefaultPolicy", "codestar-connections:UseConnection")["Resource"],
        json!(CONNECTION)
    );
    // The build reads the clone reference, so its project may use the connection too.
    assert_eq!(
        statement_with(&t, "BuildRoleDefaultPolicy", "codestar-connections:UseConnection")["Resource"],
        json!(CONNECTION)
    );
    assert!(
        statements(&t, "TestsRoleDefaultPolicy")
            .iter()
            .all(|s| !actions_of(s).contains(&"codestar-connections:UseConnection".to_owned()))
    );
}

#[test]
fn ecr_and_s3_rules_start_the_pipeline_through_one_events_role() {
    let t = template(&everything_app(), "Everything");
    let r = &t["Resources"];
    let arn = json!({"Fn::Sub": "arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${Pipeline}"});
    let target = json!([{
        "Arn": arn,
        "Id": "Pipeline",
        "RoleArn": {"Fn::GetAtt": ["PipelineEventsRole", "Arn"]}
    }]);
    assert_eq!(
        r["PipelineBaseImageTrigger"]["Properties"],
        json!({
            "Description": "Starts the pipeline when the image is pushed",
            "EventPattern": {
                "source": ["aws.ecr"],
                "detail-type": ["ECR Image Action"],
                "detail": {
                    "action-type": ["PUSH"],
                    "result": ["SUCCESS"],
                    "repository-name": ["base-images"],
                    "image-tag": ["stable"]
                }
            },
            "State": "ENABLED",
            "Targets": target
        })
    );
    assert_eq!(
        r["PipelineOnUpload"]["Properties"]["EventPattern"],
        json!({
            "source": ["aws.s3"],
            "detail-type": ["Object Created"],
            "detail": {
                "bucket": {"name": ["my-drop-bucket"]},
                "object": {"key": ["releases/app.zip"]}
            }
        })
    );
    assert_eq!(r["PipelineOnUpload"]["Properties"]["Targets"], target);
    assert_eq!(
        r["PipelineEventsRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": "events.amazonaws.com"})
    );
    assert_eq!(
        statements(&t, "PipelineEventsRoleDefaultPolicy"),
        vec![
            json!({"Effect": "Allow", "Action": "codepipeline:StartPipelineExecution", "Resource": arn})
        ]
    );
    assert_eq!(
        stages(&t, "Pipeline")[0]["Actions"][1]["Configuration"],
        json!({"RepositoryName": "base-images", "ImageTag": "stable"})
    );
    assert_eq!(
        statement_with(&t, "PipelineRoleDefaultPolicy", "ecr:DescribeImages")["Resource"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/base-images"})
    );
}

#[test]
fn notifications_go_to_the_topic_which_allows_them() {
    let t = template(&article_app(), "Cicd");
    let r = &t["Resources"];
    assert_eq!(
        r["MyPipelineNotifications"]["Properties"],
        json!({
            "DetailType": "FULL",
            "EventTypeIds": [
                "codepipeline-pipeline-pipeline-execution-failed",
                "codepipeline-pipeline-pipeline-execution-succeeded",
                "codepipeline-pipeline-manual-approval-needed"
            ],
            "Name": {"Fn::Sub": [
                "MyPipelineNotifications-${Var0}",
                {"Var0": {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}}
            ]},
            "Resource": {"Fn::Sub": "arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${MyPipeline}"},
            "Targets": [{"TargetAddress": {"Ref": "ApprovalSNSTopic"}, "TargetType": "SNS"}]
        })
    );
    // The service checks the topic policy when the rule is created.
    assert_eq!(r["MyPipelineNotifications"]["DependsOn"], "ApprovalSNSTopicPolicy");
    assert_eq!(
        statements(&t, "ApprovalSNSTopicPolicy")[1],
        json!({
            "Effect": "Allow",
            "Principal": {"Service": "codestar-notifications.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": {"Ref": "ApprovalSNSTopic"}
        })
    );
}

#[test]
fn build_actions_render_inputs_variables_and_batches() {
    let t = template(&everything_app(), "Everything");
    let build = &stages(&t, "Pipeline")[1]["Actions"];
    assert_eq!(
        build[0]["Configuration"],
        json!({
            "ProjectName": {"Ref": "Build"},
            "PrimarySource": "Source",
            "EnvironmentVariables": {"Fn::Sub":
                "[{\"name\":\"COMMIT\",\"value\":\"#{SourceVariables.CommitId}\",\"type\":\"PLAINTEXT\"},{\"name\":\"STACK\",\"value\":\"${AWS::StackName}\",\"type\":\"PLAINTEXT\"}]"
            }
        })
    );
    assert_eq!(build[0]["InputArtifacts"], json!([{"Name": "Source"}, {"Name": "Image"}]));
    assert_eq!(
        build[1],
        json!({
            "ActionTypeId": {"Category": "Test", "Owner": "AWS", "Provider": "CodeBuild", "Version": "1"},
            "Configuration": {"ProjectName": {"Ref": "Tests"}, "BatchEnabled": true},
            "InputArtifacts": [{"Name": "Built"}],
            "Name": "UnitTests",
            "RunOrder": 2
        })
    );
    assert_eq!(
        actions_of(&statement_with(&t, "PipelineRoleDefaultPolicy", "codebuild:StartBuildBatch")),
        vec![
            "codebuild:BatchGetBuilds",
            "codebuild:StartBuild",
            "codebuild:BatchGetBuildBatches",
            "codebuild:StartBuildBatch"
        ]
    );
}

#[test]
fn approvals_render_their_message_and_link() {
    let t = template(&everything_app(), "Everything");
    assert_eq!(
        stages(&t, "Pipeline")[2]["Actions"][0]["Configuration"],
        json!({
            "NotificationArn": {"Ref": "Events"},
            "CustomData": "Staging looks good?",
            "ExternalEntityLink": "https://staging.example.com"
        })
    );
}

#[test]
fn deploy_actions_render_and_grant_what_they_touch() {
    let t = template(&everything_app(), "Everything");
    let deploy = &stages(&t, "Pipeline")[3]["Actions"];
    assert_eq!(
        deploy[0],
        json!({
            "ActionTypeId": {"Category": "Deploy", "Owner": "AWS", "Provider": "CodeDeployToECS", "Version": "1"},
            "Configuration": {
                "ApplicationName": {"Ref": "App"},
                "DeploymentGroupName": {"Ref": "Group"},
                "TaskDefinitionTemplateArtifact": "Built",
                "TaskDefinitionTemplatePath": "taskdef.json",
                "AppSpecTemplateArtifact": "Built",
                "AppSpecTemplatePath": "appspec.yml",
                "Image1ArtifactName": "Image",
                "Image1ContainerName": "IMAGE1_NAME"
            },
            "InputArtifacts": [{"Name": "Built"}, {"Name": "Image"}],
            "Name": "BlueGreen"
        })
    );
    assert_eq!(
        deploy[1]["Configuration"],
        json!({
            "ActionMode": "CREATE_UPDATE",
            "StackName": "my-app-infra",
            "TemplatePath": "Built::infra.yaml",
            "RoleArn": {"Ref": "DeployRoleArn"},
            "Capabilities": "CAPABILITY_NAMED_IAM,CAPABILITY_AUTO_EXPAND",
            "ParameterOverrides": "{\"ImageTag\":\"#{SourceVariables.CommitId}\",\"Stage\":\"staging\"}",
            "OutputFileName": "outputs.json"
        })
    );
    assert_eq!(deploy[1]["OutputArtifacts"], json!([{"Name": "StackOutputs"}]));
    assert_eq!(
        deploy[3]["Configuration"],
        json!({"FunctionName": "smoke-test", "UserParameters": "https://staging.example.com"})
    );
    let p = "PipelineRoleDefaultPolicy";
    assert_eq!(
        statement_with(&t, p, "codedeploy:CreateDeployment")["Resource"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:${App}/${Group}"})
    );
    assert_eq!(
        statement_with(&t, p, "cloudformation:CreateStack")["Resource"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/my-app-infra/*"})
    );
    let pass = statements(&t, p)
        .into_iter()
        .find(|s| s["Resource"] == json!({"Ref": "DeployRoleArn"}))
        .unwrap_or_default();
    assert_eq!(
        pass,
        json!({
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": {"Ref": "DeployRoleArn"},
            "Condition": {"StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}}
        })
    );
    assert_eq!(
        statement_with(&t, p, "lambda:InvokeFunction")["Resource"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:smoke-test"})
    );
}

/// CodeCommit and S3 sources, an ECS deployment, a second region.
fn sources_app() -> App {
    let mut app = App::new();
    let mut s = app.stack("S");
    let (a, b) = (Artifact::new("A"), Artifact::new("B"));
    let p = Pipeline::new(
        &mut s,
        "P",
        PipelineProps::new().regional_artifact_store(
            RegionalStore::new("eu-west-1", "artifacts-eu").kms_key(
                "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
            ),
        ),
    );
    p.add_stage(
        &mut s,
        "Source",
        (
            CodeCommitSource::new("Repo", "my-repo", "main", &a),
            S3Source::new("Drop", "my-bucket", "app.zip", &b),
        ),
    );
    p.add_stage(
        &mut s,
        "Deploy",
        (
            EcsDeploy::from_names("Ship", "prod", "web", &b)
                .image_file("images.json")
                .deployment_timeout(stackwright_constructs::Duration::minutes(15)),
            CloudFormationAction::create_update("EuStack", "app-eu", b.at_path("t.yaml"))
                .deployment_role("arn:aws:iam::123456789012:role/cfn-exec")
                .region("eu-west-1"),
        ),
    )
    .disable_inbound_transition(&mut s, "Opened by hand after review");
    app
}

#[test]
fn other_sources_render_and_start_the_pipeline_by_events() {
    let app = sources_app();
    let t = template(&app, "S");
    let source = &stages(&t, "P")[0]["Actions"];
    assert_eq!(
        source[0]["Configuration"],
        json!({"RepositoryName": "my-repo", "BranchName": "main", "PollForSourceChanges": false})
    );
    assert_eq!(
        source[1]["Configuration"],
        json!({"S3Bucket": "my-bucket", "S3ObjectKey": "app.zip", "PollForSourceChanges": false})
    );
    assert_eq!(
        stages(&t, "P")[1]["Actions"][0]["Configuration"],
        json!({"ClusterName": "prod", "ServiceName": "web", "FileName": "images.json", "DeploymentTimeout": 15})
    );
    let r = &t["Resources"];
    assert_eq!(
        r["PRepoTrigger"]["Properties"]["EventPattern"],
        json!({
            "source": ["aws.codecommit"],
            "detail-type": ["CodeCommit Repository State Change"],
            "resources": [{"Fn::Sub": "arn:${AWS::Partition}:codecommit:${AWS::Region}:${AWS::AccountId}:my-repo"}],
            "detail": {
                "event": ["referenceCreated", "referenceUpdated"],
                "referenceType": ["branch"],
                "referenceName": ["main"]
            }
        })
    );
    assert_eq!(
        r["PDropTrigger"]["Properties"]["EventPattern"]["detail-type"],
        json!(["Object Created"])
    );
    assert_eq!(
        statement_with(&t, "PRoleDefaultPolicy", "codecommit:GetBranch")["Resource"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:codecommit:${AWS::Region}:${AWS::AccountId}:my-repo"})
    );
    // The stack in another region is named in that region.
    assert_eq!(
        statement_with(&t, "PRoleDefaultPolicy", "cloudformation:CreateStack")["Resource"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:cloudformation:eu-west-1:${AWS::AccountId}:stack/app-eu/*"})
    );
    let object = json!({"Fn::Sub": "arn:${AWS::Partition}:s3:::my-bucket/app.zip"});
    assert_eq!(
        statements(&t, "PRoleDefaultPolicy")
            .into_iter()
            .find(|s| s["Resource"] == object)
            .map(|s| actions_of(&s)),
        Some(vec!["s3:GetObject".to_owned(), "s3:GetObjectVersion".to_owned()])
    );
}

#[test]
fn a_users_bucket_and_role_are_used_as_given() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let role =
        Role::new(&mut s, "Mine", RoleProps::new(Principal::service("codepipeline.amazonaws.com")));
    let a = Artifact::new("A");
    let p = Pipeline::new(
        &mut s,
        "P",
        PipelineProps::new()
            .role(&role)
            .artifact_bucket_kms("my-artifacts", "arn:aws:kms:us-east-1:123456789012:key/abc"),
    );
    p.add_stage(&mut s, "Source", [S3Source::new("Drop", "in", "a.zip", &a).trigger(false)]);
    p.add_stage(&mut s, "Approve", [ManualApproval::new("Ok")]);
    assert_eq!(p.artifact_bucket(), None);
    let t = template(&app, "S");
    let r = t["Resources"].as_object().cloned().unwrap_or_default();
    let mut ids: Vec<&String> = r.keys().collect();
    ids.sort();
    assert_eq!(ids, ["Mine", "MineDefaultPolicy", "P"]);
    assert_eq!(
        t["Resources"]["P"]["Properties"]["ArtifactStore"],
        json!({
            "EncryptionKey": {"Id": "arn:aws:kms:us-east-1:123456789012:key/abc", "Type": "KMS"},
            "Location": "my-artifacts",
            "Type": "S3"
        })
    );
    assert_eq!(
        statement_with(&t, "MineDefaultPolicy", "s3:PutObject")["Resource"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:s3:::my-artifacts/*"})
    );
}

#[test]
fn synthesis_is_deterministic() {
    for format in [Format::Json, Format::Yaml] {
        let one = everything_app().synth(format).unwrap_or_else(|d| panic!("{d}"));
        let two = everything_app().synth(format).unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(one.files(), two.files());
    }
}

/// Writes the test apps' templates for cfn-lint when `CODEPIPELINE_LINT_DIR` is set:
/// `CODEPIPELINE_LINT_DIR=/tmp/cp cargo test --test codepipeline`, then
/// `scripts/lint-templates.sh /tmp/cp`.
#[test]
fn write_templates_for_cfn_lint() {
    let Some(dir) = std::env::var_os("CODEPIPELINE_LINT_DIR") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let apps =
        [("article", article_app()), ("everything", everything_app()), ("sources", sources_app())];
    for (name, app) in apps {
        for format in [Format::Json, Format::Yaml] {
            let out = dir.join(format!("{name}-{}", format.extension()));
            let assembly = app.synth(format).unwrap_or_else(|d| panic!("{d}"));
            if let Err(e) = assembly.write(&out) {
                panic!("{e}");
            }
        }
    }
}

// ---- Checks -------------------------------------------------------------------------

/// The errors of an app with one pipeline `P` in stack `S`, built by `build`.
fn checked(build: impl FnOnce(&mut Scope<'_>, &Pipeline)) -> Vec<String> {
    checked_with(PipelineProps::new(), build)
}

/// The errors of an app with one pipeline `P` of `props` in stack `S`, built by `build`.
fn checked_with(
    props: PipelineProps,
    build: impl FnOnce(&mut Scope<'_>, &Pipeline),
) -> Vec<String> {
    let mut app = App::new();
    let mut s = app.stack("S");
    let p = Pipeline::new(&mut s, "P", props);
    build(&mut s, &p);
    errors(&app)
}

fn s3(name: &str, out: &Artifact) -> S3Source {
    S3Source::new(name, "bucket", "key.zip", out).trigger(false)
}

#[test]
fn a_pipeline_needs_two_stages() {
    let a = Artifact::new("A");
    assert_eq!(
        checked(|s, p| {
            p.add_stage(s, "Source", [s3("Fetch", &a)]);
        }),
        vec![
            "S/P: property `Stages`: the pipeline has 1 stage; CodePipeline needs at \
             least two: a source stage and a stage that acts on its output"
        ]
    );
    assert_eq!(
        checked(|_, _| {}),
        vec![
            "S/P: property `Stages`: the pipeline has 0 stages; CodePipeline needs at \
             least two: a source stage and a stage that acts on its output"
        ]
    );
}

#[test]
fn sources_belong_in_the_first_stage_and_only_there() {
    let (a, b) = (Artifact::new("A"), Artifact::new("B"));
    assert_eq!(
        checked(|s, p| {
            p.add_stage(s, "Source", (s3("Fetch", &a), ManualApproval::new("Approve")));
            p.add_stage(s, "Build", [s3("Late", &b)]);
        }),
        vec![
            "S/P: property `Stages.0.Actions.1.ActionTypeId`: action `Source/Approve` \
             is a manual approval action in the first stage, which may hold only source \
             actions; move it to a later stage",
            "S/P: property `Stages.1.Actions.0.ActionTypeId`: action `Build/Late` is \
             a source action in stage `Build`; source actions belong in the first stage only",
        ]
    );
}

#[test]
fn stage_and_action_names_are_checked() {
    let (a, b) = (Artifact::new("A"), Artifact::new("B"));
    assert_eq!(
        checked(|s, p| {
            p.add_stage(s, "Source", [s3("Fetch", &a), s3("Fetch", &b)]);
            p.add_stage(s, "Gate", [ManualApproval::new("Look here")]);
            p.add_stage(s, "Gate", [ManualApproval::new("Ok")]);
            p.add_stage(s, "Empty", Vec::<Action>::new());
        }),
        vec![
            "S/P: property `Stages.0.Actions.1.Name`: action name `Fetch` is used \
             twice in stage `Source`; action names must be unique within a stage",
            "S/P: property `Stages.1.Actions.0.Name`: action name `Look here` \
             contains ` `; use letters, digits, `.`, `@`, `_` and `-`",
            "S/P: property `Stages.2.Name`: stage name `Gate` is used twice; stage \
             names must be unique in a pipeline",
            "S/P: property `Stages.3.Actions`: stage `Empty` has no actions; add at \
             least one",
        ]
    );
}

#[test]
fn run_orders_are_1_to_999() {
    let a = Artifact::new("A");
    assert_eq!(
        checked(|s, p| {
            p.add_stage(s, "Source", [s3("Fetch", &a)]);
            p.add_stage(
                s,
                "Gate",
                [
                    ManualApproval::new("Zero").run_order(0),
                    ManualApproval::new("Big").run_order(1000),
                    ManualApproval::new("Fine").run_order(999),
                ],
            );
        }),
        vec![
            "S/P: property `Stages.1.Actions.0.RunOrder`: action `Gate/Zero` has run \
             order 0; CodePipeline allows 1 to 999",
            "S/P: property `Stages.1.Actions.1.RunOrder`: action `Gate/Big` has run \
             order 1000; CodePipeline allows 1 to 999",
        ]
    );
}

#[test]
fn artifact_counts_follow_the_action_type() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let build = project(&mut s, "Build");
    let p = Pipeline::new(&mut s, "P", PipelineProps::new());
    let src: Vec<Artifact> = (0..7).map(|i| Artifact::new(format!("In{i}"))).collect();
    p.add_stage(
        &mut s,
        "Source",
        src.iter().enumerate().map(|(i, a)| s3(&format!("Fetch{i}"), a)).collect::<Vec<_>>(),
    );
    let mut many = CodeBuildAction::from_resource("Many", build, &src[0]);
    for a in &src[1..6] {
        many = many.extra_input(a);
    }
    let mut outs = CodeBuildAction::from_resource("Outs", build, &src[0]);
    for i in 0..6 {
        outs = outs.output(&Artifact::new(format!("Out{i}")));
    }
    let mut lambda = LambdaInvoke::from_name("Fn", "f");
    for a in &src[0..6] {
        lambda = lambda.input(a);
    }
    p.add_stage(&mut s, "Build", (many, outs, lambda));
    let raw = |name: &str, category: &str, provider: &str| {
        Action::custom(name, category, "AWS", provider, "1", json!({}).into())
    };
    p.add_stage(
        &mut s,
        "Deploy",
        [
            raw("Ecs", "Deploy", "ECS").output(&Artifact::new("EcsOut")),
            raw("Gate", "Approval", "Manual").input(&src[0]),
            raw("Cfn", "Deploy", "CloudFormation")
                .output(&Artifact::new("Cfn1"))
                .output(&Artifact::new("Cfn2")),
        ],
    );
    assert_eq!(
        errors(&app),
        vec![
            "S/P: property `Stages.1.Actions.0.InputArtifacts`: action `Build/Many` \
             has 6 input artifacts; a CodeBuild action takes 1 to 5",
            "S/P: property `Stages.1.Actions.1.OutputArtifacts`: action `Build/Outs` \
             has 6 output artifacts; a CodeBuild action produces 0 to 5",
            "S/P: property `Stages.1.Actions.2.InputArtifacts`: action `Build/Fn` has \
             6 input artifacts; a Lambda action takes 0 to 5",
            "S/P: property `Stages.2.Actions.0.InputArtifacts`: action `Deploy/Ecs` \
             has 0 input artifacts; an ECS action takes exactly 1",
            "S/P: property `Stages.2.Actions.0.OutputArtifacts`: action `Deploy/Ecs` \
             has 1 output artifact; an ECS action produces none",
            "S/P: property `Stages.2.Actions.1.InputArtifacts`: action `Deploy/Gate` \
             has 1 input artifact; a manual approval action takes none",
            "S/P: property `Stages.2.Actions.2.OutputArtifacts`: action `Deploy/Cfn` \
             has 2 output artifacts; a CloudFormation action produces 0 to 1",
        ]
    );
}

#[test]
fn a_source_produces_exactly_one_artifact() {
    let a = Artifact::new("A");
    assert_eq!(
        checked(|s, p| {
            p.add_stage(
                s,
                "Source",
                [Action::custom("Raw", "Source", "AWS", "S3", "1", json!({}).into()).input(&a)],
            );
            p.add_stage(s, "Gate", [ManualApproval::new("Ok")]);
        }),
        vec![
            "S/P: property `Stages.0.Actions.0.InputArtifacts`: action `Source/Raw` \
             has 1 input artifact; a source action takes none",
            "S/P: property `Stages.0.Actions.0.OutputArtifacts`: action `Source/Raw` \
             has 0 output artifacts; a source action produces exactly 1",
            "S/P: property `Stages.0.Actions.0.InputArtifacts`: action `Source/Raw` \
             reads artifact `A`, which no action produces; produce it in an earlier stage or \
             fix the name",
        ]
    );
}

#[test]
fn an_artifact_is_read_only_after_an_earlier_action_produced_it() {
    let (a, b, c) = (Artifact::new("A"), Artifact::new("B"), Artifact::new("C"));
    assert_eq!(
        checked(|s, p| {
            p.add_stage(s, "Source", [s3("Fetch", &a)]);
            p.add_stage(
                s,
                "Work",
                [
                    // Same run order as the producer: runs beside it, so too early.
                    LambdaInvoke::from_name("Early", "f").input(&b),
                    LambdaInvoke::from_name("Make", "f").input(&a).output(&b),
                    // A lower run order of the same stage produced it: fine.
                    LambdaInvoke::from_name("Use", "f").input(&b).run_order(2),
                    LambdaInvoke::from_name("Ahead", "f").input(&c),
                    LambdaInvoke::from_name("Missing", "f").input(&Artifact::new("Nope")),
                ],
            );
            p.add_stage(s, "Later", [LambdaInvoke::from_name("MakeC", "f").output(&c)]);
        }),
        vec![
            "S/P: property `Stages.1.Actions.0.InputArtifacts`: action `Work/Early` \
             reads artifact `B`, which `Work/Make` produces only later; an action may read \
             only what earlier stages, or lower run orders of its own stage, produce",
            "S/P: property `Stages.1.Actions.3.InputArtifacts`: action `Work/Ahead` \
             reads artifact `C`, which `Later/MakeC` produces only later; an action may read \
             only what earlier stages, or lower run orders of its own stage, produce",
            "S/P: property `Stages.1.Actions.4.InputArtifacts`: action \
             `Work/Missing` reads artifact `Nope`, which no action produces; produce it in an \
             earlier stage or fix the name",
        ]
    );
}

#[test]
fn artifact_names_are_unique_and_well_formed() {
    let (a, bad) = (Artifact::new("A"), Artifact::new("my artifact"));
    assert_eq!(
        checked(|s, p| {
            p.add_stage(s, "Source", [s3("One", &a), s3("Two", &a), s3("Three", &bad)]);
            p.add_stage(s, "Gate", [ManualApproval::new("Ok")]);
        }),
        vec![
            "S/P: property `Stages.0.Actions.1.OutputArtifacts`: artifact `A` is \
             produced by both `Source/One` and `Source/Two`; artifact names must be unique in \
             a pipeline",
            "S/P: property `Stages.0.Actions.2.OutputArtifacts`: action \
             `Source/Three`: artifact name `my artifact` contains ` `; use letters, digits, \
             `_` and `-`",
        ]
    );
}

#[test]
fn a_cross_account_action_needs_a_kms_store() {
    let a = Artifact::new("A");
    assert_eq!(
        checked(|s, p| {
            p.add_stage(s, "Source", [s3("Fetch", &a)]);
            p.add_stage(
                s,
                "Prod",
                [CloudFormationAction::create_update("Deploy", "app", a.at_path("t.yaml"))
                    .cross_account_role("arn:aws:iam::210987654321:role/deployer")],
            );
        }),
        vec![
            "S/P: property `Stages.1.Actions.0.RoleArn`: action `Prod/Deploy` runs as \
             a role of another account, which cannot read artifacts encrypted with S3-managed \
             keys; make the artifact store KMS-encrypted with PipelineProps::cross_account(true)"
        ]
    );
}

#[test]
fn a_literal_github_token_is_an_error() {
    let a = Artifact::new("A");
    assert_eq!(
        checked(|s, p| {
            p.add_stage(s, "Source", [GitHubSource::new("Gh", "o", "r", "ghp_secret", &a)]);
            p.add_stage(s, "Gate", [ManualApproval::new("Ok")]);
        }),
        vec![
            "S/P: action `Source/Gh`: the GitHub OAuth token is a literal, so it would be \
             stored in the template; pass a NoEcho parameter or a Secrets Manager dynamic \
             reference"
        ]
    );
}

#[test]
fn action_settings_are_checked() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let build = project(&mut s, "Build");
    let a = Artifact::new("A");
    let p = Pipeline::new(&mut s, "P", PipelineProps::new());
    p.add_stage(
        &mut s,
        "Source",
        [CodeStarConnectionSource::new("Git", CONNECTION, "no-owner", "main", &a)],
    );
    p.add_stage(
        &mut s,
        "Work",
        (
            CodeBuildAction::from_resource("Build", build, &a).combine_artifacts(true),
            EcsDeploy::from_names("Ship", "c", "s", &a)
                .deployment_timeout(stackwright_constructs::Duration::minutes(90)),
            CloudFormationAction::execute_change_set("Exec", "app", "cs")
                .deployment_role("arn:aws:iam::123456789012:role/x"),
        ),
    );
    assert_eq!(
        errors(&app),
        vec![
            "S/P: action `Source/Git`: repository `no-owner` must be written `owner/repository`",
            "S/P: action `Work/Build`: combine_artifacts needs a batch build; call .batch(true) too",
            "S/P: action `Work/Ship`: deployment_timeout is 90 minutes; ECS allows whole \
             minutes from 1 to 60",
            "S/P: action `Work/Exec`: a change set executes with the role it was created \
             with; drop deployment_role here",
        ]
    );
}

#[test]
fn v1_pipelines_have_no_triggers_or_variables() {
    let a = Artifact::new("A");
    let v1 = PipelineProps::new()
        .pipeline_type(PipelineType::V1)
        .execution_mode(ExecutionMode::Parallel)
        .variable(Variable::new("Env"));
    assert_eq!(
        checked_with(v1, |s, p| {
            p.add_stage(
                s,
                "Source",
                [CodeStarConnectionSource::new("Git", CONNECTION, "o/r", "main", &a)],
            );
            p.add_stage(s, "Gate", [ManualApproval::new("Ok")]);
            p.add_git_trigger(s, GitTrigger::new("Git").on_push(PushFilter::branches(["main"])));
        }),
        vec![
            "S/P: property `Triggers`: git triggers need pipeline type V2",
            "S/P: property `Variables`: pipeline variables need pipeline type V2",
            "S/P: property `ExecutionMode`: a V1 pipeline runs only in SUPERSEDED \
             mode; use pipeline type V2",
        ]
    );
}

#[test]
fn git_triggers_are_checked() {
    let a = Artifact::new("A");
    assert_eq!(
        checked(|s, p| {
            p.add_stage(s, "Source", [s3("Fetch", &a)]);
            p.add_stage(s, "Gate", [ManualApproval::new("Ok")]);
            p.add_git_trigger(s, GitTrigger::new("Fetch").on_push(PushFilter::branches(["main"])));
            p.add_git_trigger(
                s,
                GitTrigger::new("Fetch")
                    .on_push(PushFilter::tags(["v*"]).file_paths(["src/**"]))
                    .on_pull_request(PullRequestFilter::default()),
            );
        }),
        vec![
            "S/P: property `Triggers.0`: git trigger on `Fetch`: the first stage has \
             no CodeStar connection source action of that name",
            "S/P: property `Triggers.1`: git trigger on `Fetch`: the first stage has \
             no CodeStar connection source action of that name",
            "S/P: property `Triggers.1`: source action `Fetch` has two git triggers; \
             put all its filters in one",
            "S/P: property `Triggers.1`: git trigger on `Fetch`: a push filter filters \
             on tags, or on branches and file paths, not both",
            "S/P: property `Triggers.1`: git trigger on `Fetch`: a pull request filter \
             needs branches",
        ]
    );
}

#[test]
fn pipeline_names_are_checked() {
    let mut app = App::new();
    let mut s = app.stack("S");
    Pipeline::new(&mut s, "P", PipelineProps::new().pipeline_name("my pipeline"));
    let errs = errors(&app);
    assert_eq!(
        errs[0],
        "S/P: pipeline name `my pipeline` contains ` `; use letters, digits, `.`, `@`, `_` and `-`"
    );
}

#[test]
fn a_clone_reference_is_read_by_codebuild_only() {
    let a = Artifact::new("A");
    assert_eq!(
        checked(|s, p| {
            p.add_stage(
                s,
                "Source",
                [CodeCommitSource::new("Repo", "r", "main", &a)
                    .codebuild_clone_ref(true)
                    .trigger(false)],
            );
            p.add_stage(s, "Work", [LambdaInvoke::from_name("Fn", "f").input(&a)]);
        }),
        vec![
            "S/P: property `Stages.1.Actions.0.InputArtifacts`: action `Work/Fn` reads \
             artifact `A`, a CODEBUILD_CLONE_REF, which only CodeBuild actions can read; output \
             a zip instead"
        ]
    );
}

#[test]
fn transitions_regions_and_stages_added_later() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let a = Artifact::new("A");
    let p = Pipeline::new(
        &mut s,
        "P",
        PipelineProps::new().regional_artifact_store(
            RegionalStore::new("eu-west-1", "artifacts-eu")
                .kms_key("arn:aws:kms:eu-west-1:123456789012:key/eu"),
        ),
    );
    p.add_stage(&mut s, "Source", [s3("Fetch", &a)]);
    let prod = p.add_stage(
        &mut s,
        "Prod",
        [CloudFormationAction::create_update("Eu", "app", a.at_path("t.yaml"))
            .deployment_role("arn:aws:iam::123456789012:role/cfn")
            .region("eu-west-1")],
    );
    prod.disable_inbound_transition(&mut s, "Opened by hand after review");
    prod.add_action(
        &mut s,
        CloudFormationAction::create_update("Us", "app", a.at_path("t.yaml"))
            .deployment_role("arn:aws:iam::123456789012:role/cfn")
            .region("us-west-2"),
    );
    assert_eq!(
        errors(&app),
        vec![
            "S/P: property `Stages.1.Actions.1.Region`: action `Prod/Us` runs in \
             `us-west-2`, which has no artifact store; add one with \
             PipelineProps::regional_artifact_store"
        ]
    );
    let mut app = App::new();
    let mut s = app.stack("S");
    let p = Pipeline::new(
        &mut s,
        "P",
        PipelineProps::new()
            .regional_artifact_store(RegionalStore::new("eu-west-1", "artifacts-eu")),
    );
    p.add_stage(&mut s, "Source", [s3("Fetch", &a)]);
    p.add_stage(&mut s, "Prod", [ManualApproval::new("Ok")])
        .disable_inbound_transition(&mut s, "Opened by hand");
    let t = template(&app, "S");
    let props = &t["Resources"]["P"]["Properties"];
    assert_eq!(
        props["ArtifactStores"],
        json!([
            {"ArtifactStore": {"Location": {"Ref": "PArtifactsBucket"}, "Type": "S3"}, "Region": {"Ref": "AWS::Region"}},
            {"ArtifactStore": {"Location": "artifacts-eu", "Type": "S3"}, "Region": "eu-west-1"}
        ])
    );
    assert_eq!(props["ArtifactStore"], Value::Null);
    assert_eq!(
        props["DisableInboundStageTransitions"],
        json!([{"Reason": "Opened by hand", "StageName": "Prod"}])
    );
}

#[test]
fn an_encrypted_topic_gets_a_warning_about_its_key() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let a = Artifact::new("A");
    let topic = Topic::new(&mut s, "T", TopicProps::new().master_key("alias/mine"));
    let p = Pipeline::new(&mut s, "P", PipelineProps::new());
    p.add_stage(&mut s, "Source", [s3("Fetch", &a)]);
    p.add_stage(&mut s, "Gate", [ManualApproval::new("Ok")]);
    p.notify_on(&mut s, &topic, [PipelineEvent::ExecutionFailed]);
    let assembly = app.synth(Format::Json).unwrap_or_else(|d| panic!("{d}"));
    let warnings: Vec<String> = assembly.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        vec![
            "S/P: the topic is encrypted with a KMS key: its key policy must let \
             codestar-notifications.amazonaws.com use it (kms:GenerateDataKey*, kms:Decrypt), \
             or no notification arrives"
        ]
    );
    // The AWS managed key, the topic's default, can never work.
    let mut app = App::new();
    let mut s = app.stack("S");
    let topic = Topic::new(&mut s, "T", TopicProps::new());
    let p = Pipeline::new(&mut s, "P", PipelineProps::new());
    p.add_stage(&mut s, "Source", [s3("Fetch", &a)]);
    p.add_stage(&mut s, "Gate", [ManualApproval::new("Ok")]);
    p.notify_on(&mut s, &topic, [PipelineEvent::ExecutionFailed]);
    let assembly = app.synth(Format::Json).unwrap_or_else(|d| panic!("{d}"));
    let warnings: Vec<String> = assembly.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        vec![
            "S/P: the topic is encrypted with the AWS managed key alias/aws/sns, which CodeStar \
             Notifications cannot use: no notification arrives; give the topic a customer \
             managed key whose policy lets codestar-notifications.amazonaws.com use it \
             (TopicProps::master_key), or turn its encryption off (.encrypted(false))"
        ]
    );
}

#[test]
fn the_created_artifact_bucket_can_be_named_for_other_accounts() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let (src, out) = (Artifact::new("Src"), Artifact::new("Out"));
    let props = PipelineProps::new().artifact_bucket_name("myapp-artifacts").cross_account(true);
    let p = Pipeline::new(&mut s, "P", props);
    p.add_stage(&mut s, "Source", [S3Source::new("Fetch", "in-bucket", "app.zip", &src)]);
    let build = project(&mut s, "Build");
    p.add_stage(
        &mut s,
        "Build",
        [CodeBuildAction::from_resource("Build", build, &src).output(&out)],
    );
    let t = template(&app, "S");
    assert_eq!(t["Resources"]["PArtifactsBucket"]["Properties"]["BucketName"], "myapp-artifacts");
}

#[test]
fn plain_text_action_variables_follow_the_one_secret_rule() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let (source, out) = (Artifact::new("Src"), Artifact::new("Out"));
    let build = project(&mut s, "Build");
    let p = Pipeline::new(&mut s, "P", PipelineProps::new());
    p.add_stage(&mut s, "Source", [s3("Fetch", &source)]);
    let action = CodeBuildAction::from_resource("Make", build, &source)
        .output(&out)
        .env("DEPLOY_CREDENTIAL", "x")
        .env("STAGE", "AKIAABCDEFGHIJKLMNOP")
        .env_secret("API_TOKEN", "prod/app:token");
    p.add_stage(&mut s, "Build", [action]);
    let assembly = app.synth(Format::Json).unwrap_or_else(|d| panic!("{d}"));
    let warnings: Vec<String> = assembly.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "S/P: action `Build/Make`: environment variable `DEPLOY_CREDENTIAL` looks like a \
             secret but is plain text; use env_secret or env_parameter",
            "S/P: action `Build/Make`: environment variable `STAGE` holds what looks like an AWS \
             access key ID; never put credentials in plain text, the build runs with the \
             project's role",
        ]
    );
}

#[test]
fn an_invoked_function_of_the_app_may_report_the_job_result() {
    use stackwright_constructs::lambda::{Code, Function, FunctionProps, Runtime};
    let mut app = App::new();
    let mut s = app.stack("S");
    let smoke = Function::new(
        &mut s,
        "Smoke",
        FunctionProps::new(
            Runtime::Nodejs24X,
            "index.handler",
            Code::inline("exports.handler = async () => {};"),
        ),
    );
    let source = Artifact::new("Src");
    let p = Pipeline::new(&mut s, "P", PipelineProps::new());
    p.add_stage(&mut s, "Source", [S3Source::new("Src", "bucket", "app.zip", &source)]);
    p.add_stage(&mut s, "Check", [LambdaInvoke::new("Smoke", &smoke).input(&source)]);
    let t = template(&app, "S");
    let statements = t["Resources"]["SmokeServiceRoleDefaultPolicy"]["Properties"]["PolicyDocument"]
        ["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        statements.contains(&json!({
            "Action": ["codepipeline:PutJobFailureResult", "codepipeline:PutJobSuccessResult"],
            "Effect": "Allow",
            "Resource": "*"
        })),
        "{statements:#?}"
    );
    let config = &t["Resources"]["P"]["Properties"]["Stages"][1]["Actions"][0]["Configuration"];
    assert_eq!(config["FunctionName"], json!({"Ref": "Smoke"}));
}

#[test]
fn the_artifact_bucket_logs_access_on_request() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let a = Artifact::new("A");
    let p = Pipeline::new(&mut s, "P", PipelineProps::new().artifact_access_logs("my-logs", "p/"));
    p.add_stage(&mut s, "Source", [s3("Fetch", &a)]);
    p.add_stage(&mut s, "Gate", [ManualApproval::new("Ok")]);
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["PArtifactsBucket"]["Properties"]["LoggingConfiguration"],
        json!({"DestinationBucketName": "my-logs", "LogFilePrefix": "p/"})
    );
}

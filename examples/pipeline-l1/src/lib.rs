//! The article's CI pipeline (GitHub source, Docker build in CodeBuild, manual approval,
//! ECS deploy) built from the generated L1 types only: no L2 construct, no grant. Every
//! permission is written out, so this is also what the L2 constructs save you from.
//!
//! The ECS cluster and service live in another stack; their names are parameters.

use stackwright::aws::codebuild::project::{
    Artifacts, ArtifactsRequired, Environment, EnvironmentRequired, EnvironmentVariable,
    EnvironmentVariableRequired, Project, ProjectRequired, Source, SourceRequired,
};
use stackwright::aws::codepipeline::pipeline::{
    ActionDeclaration, ActionDeclarationRequired, ActionTypeId, ActionTypeIdRequired,
    ArtifactStore, ArtifactStoreRequired, InputArtifact, InputArtifactRequired, OutputArtifact,
    OutputArtifactRequired, Pipeline, PipelineRequired, StageDeclaration, StageDeclarationRequired,
};
use stackwright::aws::iam::{Policy, PolicyRequired, Role, RoleRequired};
use stackwright::aws::s3::bucket::{
    Bucket, BucketEncryption, BucketEncryptionRequired, PublicAccessBlockConfiguration,
    ServerSideEncryptionByDefault, ServerSideEncryptionByDefaultRequired, ServerSideEncryptionRule,
    VersioningConfiguration, VersioningConfigurationRequired,
};
use stackwright::aws::s3::{BucketPolicy, BucketPolicyRequired};
use stackwright::aws::sns::Topic;
use stackwright::prelude::*;
use stackwright::serde_json::json;

/// The image repository the build pushes to (the article's `ECR_REPO_URI`).
pub const ECR_REPO_URI: &str = "123456789.dkr.ecr.us-east-1.amazonaws.com/myapp";

/// Builds the app.
pub fn app() -> App {
    let mut app = App::new();
    app.add_rule_pack(stackwright::rules::PACK);
    let mut stack = app.stack("CicdPipeline");
    stack.set_description("CI/CD pipeline: GitHub source, CodeBuild, manual approval, ECS deploy");

    let github_token = stack.add_parameter(
        "GitHubToken",
        Parameter::string()
            .description("OAuth token CodePipeline uses to read the GitHub repository")
            .no_echo(),
    );
    let cluster_name = stack.add_parameter(
        "ClusterName",
        Parameter::string().description("ECS cluster that runs the service to deploy"),
    );
    let service_name = stack.add_parameter(
        "ServiceName",
        Parameter::string().description("ECS service the pipeline deploys"),
    );

    // Artifacts pass between stages through this bucket: private, encrypted at rest,
    // versioned so an overwritten artifact can still be read back.
    let bucket = stack.add(
        "ArtifactBucket",
        Bucket::new()
            .bucket_encryption(BucketEncryption::new(BucketEncryptionRequired {
                server_side_encryption_configuration: [ServerSideEncryptionRule::new()
                    .server_side_encryption_by_default(ServerSideEncryptionByDefault::new(
                        ServerSideEncryptionByDefaultRequired { sse_algorithm: "AES256" },
                    ))],
            }))
            .public_access_block_configuration(
                PublicAccessBlockConfiguration::new()
                    .block_public_acls(true)
                    .block_public_policy(true)
                    .ignore_public_acls(true)
                    .restrict_public_buckets(true),
            )
            .versioning_configuration(VersioningConfiguration::new(
                VersioningConfigurationRequired { status: "Enabled" },
            )),
    );
    stack.suppress(
        bucket.id(),
        Suppression::new(
            &stackwright::rules::S3_ACCESS_LOGS,
            "the artifact bucket is private and TLS-only and only the pipeline's roles use it; \
             CloudTrail records that use",
        ),
    );
    let objects = sub!("{}/*", bucket.arn());
    stack.add(
        "ArtifactBucketPolicy",
        BucketPolicy::new(BucketPolicyRequired {
            bucket: bucket.reference(),
            policy_document: document([object([
                ("Sid", "DenyInsecureTransport".into()),
                ("Effect", "Deny".into()),
                ("Principal", "*".into()),
                ("Action", "s3:*".into()),
                ("Resource", strings([bucket.arn(), objects.clone()])),
                ("Condition", json!({ "Bool": { "aws:SecureTransport": "false" } }).into()),
            ])]),
        }),
    );

    let topic = stack.add(
        "ApprovalSNSTopic",
        Topic::new()
            .display_name("myapp production approvals")
            // Encrypted at rest with the AWS managed key of SNS.
            .kms_master_key_id("alias/aws/sns"),
    );

    stack.suppress(
        topic.id(),
        Suppression::new(
            &stackwright::rules::SNS_TLS_ONLY,
            "only the pipeline's approval action publishes, through the SNS API over TLS",
        ),
    );

    let build_role = stack.add(
        "CodeBuildRole",
        Role::new(RoleRequired { assume_role_policy_document: trust("codebuild.amazonaws.com") }),
    );
    let project = stack.add(
        "CodeBuildProject",
        Project::new(ProjectRequired {
            artifacts: Artifacts::new(ArtifactsRequired { r#type: "CODEPIPELINE" }),
            environment: Environment::new(EnvironmentRequired {
                compute_type: "BUILD_GENERAL1_MEDIUM",
                image: "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
                r#type: "LINUX_CONTAINER",
            })
            // Docker-in-Docker: the build produces the image.
            .privileged_mode(true)
            .environment_variables([EnvironmentVariable::new(
                EnvironmentVariableRequired { name: "ECR_REPO_URI", value: ECR_REPO_URI },
            )
            .r#type("PLAINTEXT")]),
            service_role: build_role.arn(),
            source: Source::new(SourceRequired { r#type: "CODEPIPELINE" }),
        }),
    );
    // A separate policy, not `Role.Policies`: it names the project, which names the role.
    let log_group = sub!(
        "arn:{}:logs:{}:{}:log-group:/aws/codebuild/{}",
        pseudo::partition(),
        pseudo::region(),
        pseudo::account_id(),
        project.reference()
    );
    stack.suppress(
        project.id(),
        Suppression::new(
            &stackwright::rules::CODEBUILD_KMS,
            "build output goes to the private, TLS-only artifact bucket under the AWS managed S3 \
             key",
        ),
    );
    let build_policy = stack.add(
        "CodeBuildPolicy",
        Policy::new(PolicyRequired {
            policy_document: document([
                allow(
                    ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                    [log_group.clone(), sub!("{}:*", log_group)],
                ),
                allow(["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], [objects.clone()]),
                // ECR issues login tokens for the registry, not per repository: `*` is required.
                allow(["ecr:GetAuthorizationToken"], ["*".into()]),
                allow(
                    [
                        "ecr:BatchCheckLayerAvailability",
                        "ecr:BatchGetImage",
                        "ecr:CompleteLayerUpload",
                        "ecr:GetDownloadUrlForLayer",
                        "ecr:InitiateLayerUpload",
                        "ecr:PutImage",
                        "ecr:UploadLayerPart",
                    ],
                    // The article's registry account `123456789` is a placeholder (account IDs
                    // have 12 digits, and IAM rejects the ARN): the repository is this account's.
                    [sub!(
                        "arn:{}:ecr:us-east-1:{}:repository/myapp",
                        pseudo::partition(),
                        pseudo::account_id()
                    )],
                ),
            ]),
            policy_name: "CodeBuildPolicy",
        })
        .roles([build_role.reference()]),
    );

    let pipeline_role = stack.add(
        "PipelineRole",
        Role::new(RoleRequired {
            assume_role_policy_document: trust("codepipeline.amazonaws.com"),
        }),
    );
    let ecs_arn = |kind: &str, rest: Val<String>| {
        sub!(
            "arn:{}:ecs:{}:{}:{}/{}",
            pseudo::partition(),
            pseudo::region(),
            pseudo::account_id(),
            kind,
            rest
        )
    };
    let service = ecs_arn("service", sub!("{}/{}", cluster_name, service_name));
    let pipeline_policy = stack.add(
        "PipelinePolicy",
        Policy::new(PolicyRequired {
            policy_document: document([
                allow(["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], [objects]),
                allow(["s3:GetBucketLocation", "s3:GetBucketVersioning"], [bucket.arn()]),
                allow(["codebuild:BatchGetBuilds", "codebuild:StartBuild"], [project.arn()]),
                allow(["sns:Publish"], [topic.reference().into()]),
                allow(["ecs:DescribeServices", "ecs:UpdateService"], [service]),
                // The deploy registers a new revision of the service's task definition; its
                // family is defined with the service, so any family in this account and region.
                allow(
                    ["ecs:RegisterTaskDefinition", "ecs:TagResource"],
                    [ecs_arn("task-definition", "*".into())],
                ),
                allow(["ecs:DescribeTasks"], [ecs_arn("task", sub!("{}/*", cluster_name))]),
                // DescribeTaskDefinition has no resource-level permissions: `*` is required.
                allow(["ecs:DescribeTaskDefinition"], ["*".into()]),
                // ListTasks is scoped by the `ecs:cluster` condition, not by resource.
                allow_when(
                    ["ecs:ListTasks"],
                    ["*".into()],
                    object([(
                        "ArnEquals",
                        object([("ecs:cluster", ecs_arn("cluster", cluster_name.value()).into())]),
                    )]),
                ),
                // The new revision keeps the service's task and execution roles, which live
                // with the service; only ECS tasks may receive them.
                allow_when(
                    ["iam:PassRole"],
                    [sub!("arn:{}:iam::{}:role/*", pseudo::partition(), pseudo::account_id())],
                    json!({ "StringEquals": { "iam:PassedToService": "ecs-tasks.amazonaws.com" } })
                        .into(),
                ),
            ]),
            policy_name: "PipelinePolicy",
        })
        .roles([pipeline_role.reference()]),
    );

    let source = ActionDeclaration::new(ActionDeclarationRequired {
        action_type_id: ActionTypeId::new(ActionTypeIdRequired {
            category: "Source",
            owner: "ThirdParty",
            provider: "GitHub",
            version: "1",
        }),
        name: "GitHubSource",
    })
    .configuration(object([
        ("Owner", "my-org".into()),
        ("Repo", "my-app".into()),
        ("Branch", "main".into()),
        ("OAuthToken", github_token.value().into()),
    ]))
    .output_artifacts([OutputArtifact::new(OutputArtifactRequired { name: "SourceOutput" })]);
    let build = ActionDeclaration::new(ActionDeclarationRequired {
        action_type_id: ActionTypeId::new(ActionTypeIdRequired {
            category: "Build",
            owner: "AWS",
            provider: "CodeBuild",
            version: "1",
        }),
        name: "DockerBuild",
    })
    .configuration(object([("ProjectName", project.reference().into())]))
    .input_artifacts([InputArtifact::new(InputArtifactRequired { name: "SourceOutput" })])
    .output_artifacts([OutputArtifact::new(OutputArtifactRequired { name: "BuildOutput" })]);
    let approve = ActionDeclaration::new(ActionDeclarationRequired {
        action_type_id: ActionTypeId::new(ActionTypeIdRequired {
            category: "Approval",
            owner: "AWS",
            provider: "Manual",
            version: "1",
        }),
        name: "ManualApproval",
    })
    .configuration(object([("NotificationArn", topic.reference().into())]));
    let deploy = ActionDeclaration::new(ActionDeclarationRequired {
        action_type_id: ActionTypeId::new(ActionTypeIdRequired {
            category: "Deploy",
            owner: "AWS",
            provider: "ECS",
            version: "1",
        }),
        name: "DeployECS",
    })
    .configuration(object([
        ("ClusterName", cluster_name.value().into()),
        ("ServiceName", service_name.value().into()),
    ]))
    .input_artifacts([InputArtifact::new(InputArtifactRequired { name: "BuildOutput" })]);

    let pipeline = stack.add(
        "MyPipeline",
        Pipeline::new(PipelineRequired {
            role_arn: pipeline_role.arn(),
            stages: [
                StageDeclaration::new(StageDeclarationRequired {
                    actions: [source],
                    name: "Source",
                }),
                StageDeclaration::new(StageDeclarationRequired { actions: [build], name: "Build" }),
                StageDeclaration::new(StageDeclarationRequired {
                    actions: [approve],
                    name: "ApproveStaging",
                }),
                StageDeclaration::new(StageDeclarationRequired {
                    actions: [deploy],
                    name: "DeployProduction",
                }),
            ],
        })
        .name("myapp-pipeline")
        .artifact_store(ArtifactStore::new(ArtifactStoreRequired {
            location: bucket.reference(),
            r#type: "S3",
        })),
    );
    // A new pipeline starts at once: both roles need their permissions before it does.
    // Nothing in the pipeline references the policies, so CloudFormation needs telling.
    if let Some(node) = stack.node(pipeline) {
        node.add_dependency(build_policy.id()).add_dependency(pipeline_policy.id());
    }

    stack.add_output("PipelineName", Output::new(pipeline.reference()).description("The pipeline"));
    stack.add_output(
        "ProjectName",
        Output::new(project.reference()).description("The CodeBuild project that builds the image"),
    );
    stack.add_output(
        "ArtifactBucketName",
        Output::new(bucket.reference()).description("Where pipeline artifacts are kept"),
    );
    app
}

/// A JSON object whose values may hold typed references (`json!` cannot carry them).
fn object<const N: usize>(entries: [(&str, Val<Json>); N]) -> Val<Json> {
    let entries = entries.into_iter();
    Val::from_expr(Expr::Map(entries.map(|(k, v)| (k.to_owned(), v.into_expr())).collect()))
}

/// A list of strings as JSON.
fn strings<const N: usize>(items: [Val<String>; N]) -> Val<Json> {
    Val::<Vec<String>>::from(items).into_json()
}

/// A policy document.
fn document<const N: usize>(statements: [Val<Json>; N]) -> Val<Json> {
    object([
        ("Version", "2012-10-17".into()),
        ("Statement", Val::<Vec<Json>>::from(statements).into_json()),
    ])
}

/// An `Allow` statement.
fn allow<const A: usize, const R: usize>(
    actions: [&str; A],
    resources: [Val<String>; R],
) -> Val<Json> {
    object([
        ("Effect", "Allow".into()),
        ("Action", Val::<Vec<String>>::from(actions).into_json()),
        ("Resource", strings(resources)),
    ])
}

/// An `Allow` statement with a `Condition`.
fn allow_when<const A: usize, const R: usize>(
    actions: [&str; A],
    resources: [Val<String>; R],
    condition: Val<Json>,
) -> Val<Json> {
    object([
        ("Effect", "Allow".into()),
        ("Action", Val::<Vec<String>>::from(actions).into_json()),
        ("Resource", strings(resources)),
        ("Condition", condition),
    ])
}

/// The trust policy of a role that an AWS service assumes.
fn trust(service: &str) -> Val<Json> {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": service },
            "Action": "sts:AssumeRole"
        }]
    })
    .into()
}

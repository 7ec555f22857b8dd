//! The build side of the estate, end to end, with constructs: the image repository with its
//! lifecycle rules, the CodeBuild project with the article's environment and buildspec, and
//! the pipeline GitHub (CodeStar connection) -> Build -> manual approval (SNS) -> ECS deploy,
//! with notifications. Compare with `examples/pipeline-l1`, the same pipeline in L1 types.
//!
//! The ECS cluster and service and the CodeStar connection live outside this stack (the
//! connection needs a one-time handshake in the console); their names come in as parameters.

use stackwright::codebuild::{
    Artifacts, BuildSpec, BuildSpecLocation, Cache, ComputeType, EnvironmentVariable,
    LinuxBuildImage, LocalCacheMode, Phase, Project, ProjectProps, Source,
};
use stackwright::codepipeline::{
    Artifact, CodeBuildAction, CodeStarConnectionSource, EcsDeploy, ManualApproval, Pipeline,
    PipelineEvent, PipelineProps,
};
use stackwright::ecr::{
    LifecycleRule, Repository, RepositoryEncryption, RepositoryProps, TagMutability,
};
use stackwright::prelude::*;
use stackwright::rules;
use stackwright::sns::{Subscriber, Topic, TopicProps};

/// The article's buildspec: tests before the image build, the image tagged with the commit.
pub fn buildspec() -> BuildSpec {
    BuildSpec::new()
        .variable("NODE_ENV", "production")
        .variable("AWS_DEFAULT_REGION", "us-east-1")
        .parameter_store("DB_PASSWORD", "/myapp/prod/db-password")
        .secrets_manager("API_KEY", "prod/myapp:api_key")
        .install(Phase::with_commands(["echo \"Installing dependencies...\"", "npm ci"]).runtime_version("nodejs", "18"))
        .pre_build(Phase::with_commands([
            "echo \"Running tests...\"",
            "npm test",
            "echo \"Logging in to ECR...\"",
            "aws ecr get-login-password --region $AWS_DEFAULT_REGION | docker login --username AWS --password-stdin $ECR_REPO_URI",
        ]))
        .build(Phase::with_commands([
            "echo \"Building Docker image...\"",
            "docker build -t $ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION .",
            "docker tag $ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION $ECR_REPO_URI:latest",
        ]))
        .post_build(Phase::with_commands([
            "echo \"Pushing to ECR...\"",
            "docker push $ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION",
            "docker push $ECR_REPO_URI:latest",
            "echo \"Writing image definitions file...\"",
            r#"printf '[{"name":"myapp","imageUri":"%s"}]' $ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION > imagedefinitions.json"#,
        ]))
        .artifacts(Artifacts::new(["imagedefinitions.json", "appspec.yml", "taskdef.json"]))
        .cache_paths(["/root/.npm/**/*", "node_modules/**/*"])
}

/// Builds the app.
pub fn app() -> App {
    let mut app = App::new();
    app.add_rule_pack(stackwright::rules::PACK);
    let mut s = app.stack("BuildSide");
    s.set_description("Image repository, Docker build and the pipeline that ships it to ECS");
    let param = |s: &mut Scope<'_>, name: &str, what: &str| {
        s.add_parameter(name, Parameter::string().description(what))
    };
    let connection = param(&mut s, "ConnectionArn", "CodeStar connection to GitHub");
    let cluster = param(&mut s, "ClusterName", "ECS cluster running the service");
    let service = param(&mut s, "ServiceName", "ECS service to deploy");
    let approver = param(&mut s, "ApproverEmail", "Who approves production deployments");

    let repo = Repository::new(
        &mut s,
        "Repository",
        RepositoryProps::new()
            .repository_name("myapp")
            // KMS with the AWS managed key; tags never move, except `latest`, which the build
            // pushes on every run.
            .encryption(RepositoryEncryption::AwsManagedKms)
            .image_tag_mutability(TagMutability::ImmutableWithExclusion(vec!["latest".into()]))
            .lifecycle_rule(
                LifecycleRule::expire_untagged_after_days(1).description("Expire untagged images"),
            )
            .lifecycle_rule(
                LifecycleRule::keep_last(10).tag_prefixes(["v"]).description("Keep last 10 images"),
            ),
    );

    s.suppress(
        repo.node(),
        Suppression::new(
            &rules::ECR_IMMUTABLE_TAGS,
            "the build pushes `latest` on every run; every other tag is immutable",
        ),
    );
    let project = Project::new(
        &mut s,
        "DockerBuild",
        ProjectProps::new(Source::CodePipeline)
            .buildspec(BuildSpecLocation::Companion(buildspec(), "buildspec.yml".into()))
            .build_image(LinuxBuildImage::AMAZON_LINUX_2_5)
            .compute_type(ComputeType::Medium)
            .privileged(true)
            // The buildspec's cache paths, and Docker layers, kept on the build host.
            .cache(Cache::Local(vec![LocalCacheMode::Custom, LocalCacheMode::DockerLayer]))
            .environment_variable(
                "ECR_REPO_URI",
                EnvironmentVariable::plaintext(repo.repository_uri()),
            ),
    );
    repo.grant_pull_push(&mut s, &project);
    s.suppress(
        project.node(),
        Suppression::new(
            &rules::LOGS_KMS,
            "CloudWatch Logs encrypts the log data at rest; the logs hold build and service \
             output, no customer data",
        ),
    );
    s.suppress(
        project.node(),
        Suppression::new(
            &rules::CODEBUILD_KMS,
            "build output goes to the pipeline's private, TLS-only artifact bucket under the AWS \
             managed S3 key",
        ),
    );

    let approvals = Topic::new(
        &mut s,
        "ApprovalTopic",
        TopicProps::new()
            .display_name("Approvals")
            // CodeStar Notifications cannot use the AWS managed key alias/aws/sns.
            .encrypted(false),
    );
    s.suppress(
        approvals.resource().id(),
        Suppression::new(
            &rules::SNS_ENCRYPTED,
            "CodeStar Notifications cannot publish to a topic under the AWS managed key, and \
             the messages carry only pipeline names and console links",
        ),
    );
    approvals.add_subscription(&mut s, "Approver", Subscriber::email(approver));

    let (source, image) = (Artifact::new("SourceOutput"), Artifact::new("BuildOutput"));
    let pipeline =
        Pipeline::new(&mut s, "Pipeline", PipelineProps::new().pipeline_name("myapp-pipeline"));
    s.suppress(
        pipeline.node(),
        Suppression::new(
            &rules::S3_ACCESS_LOGS,
            "the artifact bucket is private and TLS-only and only the pipeline's roles use it; \
             CloudTrail records that use",
        ),
    );
    let github =
        CodeStarConnectionSource::new("GitHubSource", connection, "my-org/my-app", "main", &source);
    pipeline.add_stage(&mut s, "Source", [github]);
    pipeline.add_stage(
        &mut s,
        "Build",
        [CodeBuildAction::new("DockerBuild", &project, &source).output(&image)],
    );
    pipeline.add_stage(
        &mut s,
        "ApproveStaging",
        [ManualApproval::new("ManualApproval").notify(&approvals)],
    );
    pipeline.add_stage(
        &mut s,
        "DeployProduction",
        [EcsDeploy::from_names("DeployECS", cluster, service, &image)],
    );
    pipeline.notify_on(
        &mut s,
        &approvals,
        [PipelineEvent::ExecutionFailed, PipelineEvent::ExecutionSucceeded],
    );
    app
}

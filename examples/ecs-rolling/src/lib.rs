//! The article's Fargate service with a rolling deployment instead of blue/green: ECS
//! replaces tasks itself behind one target group, and the deployment circuit breaker rolls a
//! failing deployment back. The pipeline GitHub (CodeStar connection) -> Build -> ECS deploy
//! rolls the service onto the image named in the build's `imagedefinitions.json`.

use stackwright::codebuild::{
    BuildSpec, BuildSpecLocation, ComputeType, EnvironmentVariable, LinuxBuildImage, Phase,
    Project, ProjectProps, Source,
};
use stackwright::codepipeline::{
    Artifact, CodeBuildAction, CodeStarConnectionSource, EcsDeploy, Pipeline, PipelineProps,
};
use stackwright::ec2::{Vpc, VpcProps};
use stackwright::ecr::{LifecycleRule, Repository, RepositoryEncryption, RepositoryProps};
use stackwright::ecs::{
    Cluster, ClusterProps, ContainerDefinition, ContainerImage, Deployment, FargateService,
    FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps,
};
use stackwright::elbv2::{
    ApplicationLoadBalancer, LoadBalancerProps, TargetGroup, TargetGroupProps,
};
use stackwright::prelude::*;
use stackwright::rules;

const IMAGE: &str = "$ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION";

/// Tests, then the image tagged with the commit; the task definition adds the command that
/// writes `imagedefinitions.json` for the deploy.
pub fn buildspec() -> BuildSpec {
    BuildSpec::new()
        .variable("NODE_ENV", "production")
        .install(Phase::with_commands(["npm ci"]).runtime_version("nodejs", "22"))
        .pre_build(Phase::with_commands([
            "npm test",
            "aws ecr get-login-password --region $AWS_REGION | docker login --username AWS --password-stdin $ECR_REPO_URI",
        ]))
        .build(Phase::with_commands([format!("docker build -t {IMAGE} .")]))
        .post_build(Phase::with_commands([
            format!("docker push {IMAGE}"),
        ]))
}

/// Builds the app.
pub fn app() -> App {
    let mut app = App::new();
    app.add_rule_pack(stackwright::rules::PACK);
    let mut s = app.stack("EcsRolling");
    s.set_description("myapp on Fargate behind an ALB, rolled out by ECS from a pipeline");
    let connection = s.add_parameter(
        "ConnectionArn",
        Parameter::string().description("CodeStar connection to GitHub"),
    );

    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new().max_azs(2));
    s.suppress(
        vpc.node(),
        Suppression::new(
            &rules::EC2_VPC_FLOW_LOGS,
            "flow logs are not kept yet; add an AWS::EC2::FlowLog when traffic must be audited",
        ),
    );
    let alb = ApplicationLoadBalancer::new(&mut s, "Alb", LoadBalancerProps::public_in(&vpc));
    let targets = TargetGroup::new(
        &mut s,
        "Targets",
        TargetGroupProps::new(&vpc, 8080).health_check_path("/health"),
    );
    alb.add_listener(&mut s, "Listener", 80, &targets);
    // The article's choice: plain HTTP, since the estate has no domain name or certificate
    // yet. With one, add_https_listener serves HTTPS and redirects port 80 to it.
    for (rule, reason) in [
        (&rules::ELB_HTTPS_LISTENER, "plain HTTP until the estate has a domain and certificate"),
        (&rules::ELB_TLS_POLICY, "plain HTTP until the estate has a domain and certificate"),
        (&rules::EC2_OPEN_HTTP, "a public load balancer: its listener ports are open by design"),
        (&rules::ELB_ACCESS_LOGS, "request logs are not kept yet; LoadBalancerProps::access_logs"),
    ] {
        s.suppress(alb.node(), Suppression::new(rule, reason));
    }

    let repo = Repository::new(
        &mut s,
        "Repository",
        RepositoryProps::new()
            .repository_name("myapp")
            .encryption(RepositoryEncryption::AwsManagedKms)
            .lifecycle_rule(
                LifecycleRule::expire_untagged_after_days(1).description("Expire untagged images"),
            )
            .lifecycle_rule(
                LifecycleRule::keep_last(10).tag_prefixes(["v"]).description("Keep last 10 images"),
            ),
    );
    let cluster = Cluster::new(&mut s, "Cluster", ClusterProps::new());
    let task = FargateTaskDefinition::new(
        &mut s,
        "TaskDefinition",
        FargateTaskDefinitionProps::new("myapp").cpu(512).memory(1024),
    );
    task.add_container(
        &mut s,
        ContainerDefinition::new("myapp", ContainerImage::ecr(&repo, "latest"))
            .port(8080)
            .environment("NODE_ENV", "production"),
    );
    let service = FargateService::new(
        &mut s,
        "Service",
        FargateServiceProps::new(&cluster, &task)
            .desired_count(2)
            .vpc(&vpc)
            .target_group(&targets)
            .deployment(Deployment::Rolling {
                circuit_breaker_rollback: true,
                min_healthy_percent: 100,
                max_percent: 200,
            }),
    );

    let project = Project::new(
        &mut s,
        "DockerBuild",
        ProjectProps::new(Source::CodePipeline)
            .buildspec(BuildSpecLocation::Companion(buildspec(), "buildspec.yml".into()))
            .build_image(LinuxBuildImage::AMAZON_LINUX_2023_5)
            .compute_type(ComputeType::Medium)
            .privileged(true)
            .environment_variable(
                "ECR_REPO_URI",
                EnvironmentVariable::plaintext(repo.repository_uri()),
            ),
    );
    s.suppress(
        task.node(),
        Suppression::new(
            &rules::LOGS_KMS,
            "CloudWatch Logs encrypts the log data at rest; the logs hold build and service \
             output, no customer data",
        ),
    );
    s.suppress(
        task.node(),
        Suppression::new(
            &rules::ECS_ENVIRONMENT_VARIABLES,
            "NODE_ENV is configuration, not a secret",
        ),
    );
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
    task.image_definitions_built_by(&mut s, &project, IMAGE);
    repo.grant_pull_push(&mut s, &project);

    let (source, build) = (Artifact::new("SourceOutput"), Artifact::new("BuildOutput"));
    let pipeline =
        Pipeline::new(&mut s, "Pipeline", PipelineProps::new().pipeline_name("myapp-rolling"));
    s.suppress(
        pipeline.node(),
        Suppression::new(
            &rules::S3_ACCESS_LOGS,
            "the artifact bucket is private and TLS-only and only the pipeline's roles use it; \
             CloudTrail records that use",
        ),
    );
    pipeline.add_stage(
        &mut s,
        "Source",
        [CodeStarConnectionSource::new(
            "GitHubSource",
            connection,
            "my-org/my-app",
            "main",
            &source,
        )],
    );
    pipeline.add_stage(
        &mut s,
        "Build",
        [CodeBuildAction::new("DockerBuild", &project, &source).output(&build)],
    );
    pipeline.add_stage(&mut s, "Deploy", [EcsDeploy::new("DeployECS", &service, &build)]);

    s.add_output("LoadBalancerUrl", Output::new(sub!("http://{}", alb.dns_name())));
    app
}

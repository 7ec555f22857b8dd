//! The flagship example: the article's whole estate in one stack.
//!
//! - build: the `myapp` image repository with its lifecycle rules, the Docker build
//!   (`buildspec.yml`) and the pipeline GitHub (CodeStar connection) -> Build -> manual
//!   approval (SNS, by email) -> blue/green deployment through CodeDeploy, with notifications;
//! - run: a VPC over two zones, an ALB with a production (80) and a test (8080) listener in
//!   front of the blue and green target groups, and the Fargate service of `myapp`;
//! - deploy: the CodeDeploy deployment group (terminate blue after 60 minutes, roll back on
//!   failure or on target 5xx errors), and `taskdef.json` and `appspec.yml` generated from
//!   the same definitions, which the build hands to the deploy action;
//! - messaging: the orders queue with its dead-letter queue, consumed by the service's tasks;
//! - the same delivery as a GitHub Actions workflow (`myapp-delivery.yml`), beside the
//!   pipeline: GitHub's OIDC provider and the role the workflow assumes, trusted for `main`
//!   only and allowed what its jobs do. The cluster, service and CodeDeploy names are fixed,
//!   so the workflow can name them; the values only the deployed stack knows (the image
//!   repository's URI, the task's role ARNs) are stack outputs the build job reads.

use stackwright::cloudwatch::{Alarm, AlarmProps, ComparisonOperator, Metric, Statistic};
use stackwright::codebuild::{
    BuildSpec, BuildSpecLocation, Cache, ComputeType, EnvironmentVariable as Env, LinuxBuildImage,
    LocalCacheMode, Phase, Project, ProjectProps, Source,
};
use stackwright::codedeploy::{
    EcsApplication, EcsBlueGreen, EcsDeploymentGroup, EcsDeploymentGroupProps,
};
use stackwright::codepipeline::{
    Artifact, CodeBuildAction, CodeDeployEcsDeploy, CodeStarConnectionSource, ManualApproval,
    Pipeline, PipelineEvent, PipelineProps,
};
use stackwright::ec2::{Vpc, VpcProps};
use stackwright::ecr::{
    LifecycleRule, Repository, RepositoryEncryption, RepositoryProps, TagMutability,
};
use stackwright::ecs::{
    Cluster, ClusterProps, ContainerDefinition, ContainerImage, Deployment, FargateService,
    FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps, TaskDefinitionFile,
};
use stackwright::elbv2::{
    ApplicationLoadBalancer, LoadBalancerProps, TargetGroup, TargetGroupProps,
};
use stackwright::github::{
    GithubOidcProvider, GithubRole, GithubRoleProps, GithubSubject, PipelineWorkflow,
    PipelineWorkflowProps,
};
use stackwright::kms::{Key, KeyProps};
use stackwright::prelude::*;
use stackwright::rules;
use stackwright::sns::{Subscriber, Topic, TopicProps};
use stackwright::sqs::{Queue, QueueProps};

const IMAGE: &str = "$ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION";

/// The account and region the estate lives in: the workflow names its role by ARN.
pub const ACCOUNT: &str = "123456789012";
/// The region.
pub const REGION: &str = "us-east-1";

/// The article's buildspec: tests before the image build, the image tagged with the commit.
/// The task definition and the service add the commands that write the files the deploy
/// reads into the artifact: `imagedefinitions.json`, `imageDetail.json` (where the
/// blue/green action reads the image for `<IMAGE1_NAME>`), `appspec.yml` and `taskdef.json`.
pub fn buildspec() -> BuildSpec {
    BuildSpec::new()
        .variable("NODE_ENV", "production")
        .variable("AWS_DEFAULT_REGION", "us-east-1")
        .parameter_store("DB_PASSWORD", "/myapp/prod/db-password")
        .secrets_manager("API_KEY", "prod/myapp:api_key")
        .install(Phase::with_commands(["echo \"Installing dependencies...\"", "npm ci"]).runtime_version("nodejs", "22"))
        .pre_build(Phase::with_commands([
            "echo \"Running tests...\"",
            "npm test",
            "echo \"Logging in to ECR...\"",
            "aws ecr get-login-password --region $AWS_DEFAULT_REGION | docker login --username AWS --password-stdin $ECR_REPO_URI",
        ]))
        .build(Phase::with_commands([
            "echo \"Building Docker image...\"".to_owned(),
            format!("docker build -t {IMAGE} ."),
            format!("docker tag {IMAGE} $ECR_REPO_URI:latest"),
        ]))
        .post_build(Phase::with_commands([
            "echo \"Pushing to ECR...\"".to_owned(),
            format!("docker push {IMAGE}"),
            "docker push $ECR_REPO_URI:latest".to_owned(),
            "echo \"Writing image definitions file...\"".to_owned(),
        ]))
        .cache_paths(["/root/.npm/**/*", "node_modules/**/*"])
}

/// Builds the app.
pub fn app() -> App {
    app_and_workflow().0
}

/// Builds the app, and returns with it the workflow that renders its delivery (for the
/// bench that times the rendering).
pub fn app_and_workflow() -> (App, PipelineWorkflow) {
    let mut app = App::new();
    app.add_rule_pack(stackwright::rules::PACK);
    let mut s = app.stack("MyApp");
    s.set_environment(Environment::new(ACCOUNT, REGION));
    s.set_description("myapp: image build, blue/green pipeline, Fargate service, orders queue");
    let connection =
        s.add_parameter("ConnectionArn", Parameter::string().description("GitHub connection"));
    let approver = s.add_parameter(
        "ApproverEmail",
        Parameter::string()
            .description("Email address that receives deployment approval requests")
            .allowed_pattern(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
            .constraint_description("must be an email address"),
    );

    // Messaging: the orders queue, its dead-letter queue and the approval topic.
    let dlq = Queue::new(&mut s, "DeadLetterQueue", QueueProps::new().queue_name("orders-dlq"));
    let orders = Queue::new(
        &mut s,
        "OrdersQueue",
        QueueProps::new()
            .queue_name("orders-queue")
            .visibility_timeout(Duration::seconds(300))
            .retention_period(Duration::days(14))
            .dead_letter_queue(&dlq, 3),
    );
    let approvals = Topic::new(
        &mut s,
        "ApprovalTopic",
        TopicProps::new()
            .display_name("Deployment approvals")
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

    // Network: two zones, the load balancer and its blue and green target groups.
    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new().max_azs(2));
    s.suppress(
        vpc.node(),
        Suppression::new(
            &rules::EC2_VPC_FLOW_LOGS,
            "flow logs are not kept yet; add an AWS::EC2::FlowLog when traffic must be audited",
        ),
    );
    let alb = ApplicationLoadBalancer::new(&mut s, "Alb", LoadBalancerProps::public_in(&vpc));
    let target_group = |s: &mut Scope<'_>, id: &str| {
        TargetGroup::new(s, id, TargetGroupProps::new(&vpc, 8080).health_check_path("/health"))
    };
    let (blue, green) = (target_group(&mut s, "Blue"), target_group(&mut s, "Green"));
    let production = alb.add_listener(&mut s, "ProductionListener", 80, &blue);
    let test = alb.add_listener(&mut s, "TestListener", 8080, &green);
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

    // The image and the service that runs it; its tasks consume the orders.
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
    // Fixed names, which the workflow's deploy job names.
    let cluster = Cluster::new(&mut s, "Cluster", ClusterProps::new().cluster_name("production"));
    // The service's and the build's logs are encrypted with a key of the app's own.
    let log_key = Key::new(
        &mut s,
        "LogKey",
        KeyProps::new().description("Encrypts the logs of the service and its build"),
    );
    let task = FargateTaskDefinition::new(
        &mut s,
        "TaskDefinition",
        FargateTaskDefinitionProps::new("myapp").cpu(512).memory(1024).log_encryption_key(&log_key),
    );
    task.add_container(
        &mut s,
        ContainerDefinition::new("myapp", ContainerImage::ecr(&repo, "latest"))
            .port(8080)
            .environment("NODE_ENV", "production"),
    );
    orders.grant_consume(&mut s, &task);
    approvals.grant_publish(&mut s, &task);
    let service = FargateService::new(
        &mut s,
        "Service",
        FargateServiceProps::new(&cluster, &task)
            .service_name("myapp-service")
            .desired_count(2)
            .vpc(&vpc)
            .target_group(&blue)
            .deployment(Deployment::CodeDeploy),
    );
    // Blue/green: roll back on failure and when targets answer with 5xx errors.
    let errors = Alarm::new(
        &mut s,
        "Target5xxAlarm",
        AlarmProps::new(
            Metric::new("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count")
                .dimension("LoadBalancer", alb.resource().load_balancer_full_name()),
            ComparisonOperator::GreaterThanThreshold,
            5.0,
        )
        .statistic(Statistic::Sum)
        .period(Duration::minutes(1))
        .evaluation_periods(2)
        .description("myapp targets answer with 5xx errors"),
    );
    let deployments = EcsApplication::named(&mut s, "Deployments", "myapp");
    let group = EcsDeploymentGroup::new(
        &mut s,
        "BlueGreen",
        EcsDeploymentGroupProps::new(
            &service,
            EcsBlueGreen::new(&blue, &green, &production).test_listener(&test),
        )
        .application(deployments)
        .deployment_group_name("myapp-blue-green")
        .terminate_blue_after(Duration::minutes(60))
        .alarm(&errors),
    );

    // The build, and the files CodeDeploy reads from its output: it copies them from the
    // committed output folder, filling in the role ARNs.
    let project = Project::new(
        &mut s,
        "DockerBuild",
        ProjectProps::new(Source::CodePipeline)
            .buildspec(BuildSpecLocation::Companion(buildspec(), "buildspec.yml".into()))
            .build_image(LinuxBuildImage::AMAZON_LINUX_2023_5)
            .compute_type(ComputeType::Medium)
            .privileged(true)
            .cache(Cache::Local(vec![LocalCacheMode::Custom, LocalCacheMode::DockerLayer]))
            .environment_variable("ECR_REPO_URI", Env::plaintext(repo.repository_uri()))
            .log_encryption_key(&log_key),
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
            &rules::CODEBUILD_KMS,
            "build output goes to the pipeline's private, TLS-only artifact bucket under the AWS \
             managed S3 key",
        ),
    );
    task.image_definitions_built_by(&mut s, &project, IMAGE);
    task.image_detail_built_by(&mut s, &project, IMAGE);
    if let Some(spec) = service.app_spec() {
        spec.built_by(&project).add_file(&mut s, "appspec.yml");
    }
    task.add_taskdef_file(&mut s, "taskdef.json", TaskDefinitionFile::new().built_by(&project));
    repo.grant_pull_push(&mut s, &project);

    let (source, build) = (Artifact::new("SourceOutput"), Artifact::new("BuildOutput"));
    let pipeline =
        Pipeline::new(&mut s, "Pipeline", PipelineProps::new().pipeline_name("myapp-pipeline"));
    let github =
        CodeStarConnectionSource::new("GitHubSource", connection, "my-org/my-app", "main", &source);
    let docker = CodeBuildAction::new("DockerBuild", &project, &source).output(&build);
    let (taskdef, appspec) = (build.at_path("taskdef.json"), build.at_path("appspec.yml"));
    let deploy = CodeDeployEcsDeploy::new("DeployECS", &group, taskdef, appspec);
    s.suppress(
        pipeline.node(),
        Suppression::new(
            &rules::S3_ACCESS_LOGS,
            "the artifact bucket is private and TLS-only and only the pipeline's roles use it; \
             CloudTrail records that use",
        ),
    );
    pipeline.add_stage(&mut s, "Source", [github]);
    pipeline.add_stage(&mut s, "Build", [docker]);
    pipeline.add_stage(
        &mut s,
        "ApproveStaging",
        [ManualApproval::new("ManualApproval").notify(&approvals)],
    );
    pipeline.add_stage(&mut s, "DeployProduction", [deploy.image(&build, "IMAGE1_NAME")]);
    pipeline.notify_on(
        &mut s,
        &approvals,
        [PipelineEvent::ExecutionFailed, PipelineEvent::ExecutionSucceeded],
    );

    // The same delivery as a GitHub Actions workflow, and the role it assumes.
    let provider = GithubOidcProvider::new(&mut s, "GithubOidc");
    let role = GithubRole::new(
        &mut s,
        "GithubDeliveryRole",
        &provider,
        GithubRoleProps::new(
            "myapp-github-delivery",
            [GithubSubject::branch("my-org/my-app", "main")],
        )
        .description("Assumed by the myapp-delivery workflow of my-org/my-app on main"),
    );
    let workflow = PipelineWorkflow::new(
        &mut s,
        "Delivery",
        &pipeline,
        &role,
        PipelineWorkflowProps::new("myapp-delivery", "myapp delivery", REGION),
    );

    s.add_output("LoadBalancerUrl", Output::new(sub!("http://{}", alb.dns_name())));
    s.add_output("OrdersQueueUrl", Output::new(orders.queue_url()));
    (app, workflow)
}

//! A Node.js application on EC2 instances of an Auto Scaling group behind an ALB, deployed in
//! place by CodeDeploy one instance at a time. The pipeline GitHub (CodeStar connection) ->
//! Build -> CodeDeploy builds the revision with `appspec.yml` at its root and rolls it out;
//! a deployment stops and rolls back when the targets answer with 5xx errors.

use stackwright::autoscaling::{AutoScalingGroup, AutoScalingGroupProps};
use stackwright::cloudwatch::{Alarm, AlarmProps, ComparisonOperator, Metric, Statistic};
use stackwright::codebuild::{
    Artifacts, BuildSpec, BuildSpecLocation, LinuxBuildImage, Phase, Project, ProjectProps, Source,
};
use stackwright::codedeploy::{
    AppSpecFile, FileExistsBehavior, Permission, Script, ServerAppSpec, ServerDeploymentConfig,
    ServerDeploymentGroup, ServerDeploymentGroupProps, ServerHook, ServerOs,
};
use stackwright::codepipeline::{
    Artifact, CodeBuildAction, CodeDeployServerDeploy, CodeStarConnectionSource, Pipeline,
    PipelineProps,
};
use stackwright::ec2::{Vpc, VpcProps};
use stackwright::elbv2::{
    ApplicationLoadBalancer, LoadBalancerProps, TargetGroup, TargetGroupProps, TargetType,
};
use stackwright::prelude::*;
use stackwright::rules;

/// Tests and builds the application; the revision is the built application, its scripts and
/// (added by the appspec) `appspec.yml` at the root.
pub fn buildspec() -> BuildSpec {
    BuildSpec::new()
        .install(Phase::with_commands(["npm ci"]).runtime_version("nodejs", "22"))
        .pre_build(Phase::with_commands(["npm test"]))
        .build(Phase::with_commands(["npm run build", "npm prune --omit=dev"]))
        .artifacts(Artifacts::new([
            "dist/**/*",
            "node_modules/**/*",
            "scripts/**/*",
            "package.json",
        ]))
}

/// What CodeDeploy does on each instance: stop the running application, copy the revision to
/// `/opt/myapp` owned by the `myapp` user, start it and check its health endpoint.
pub fn appspec(project: &Project) -> ServerAppSpec {
    ServerAppSpec::new(ServerOs::Linux)
        .file(AppSpecFile::new("/", "/opt/myapp"))
        .file_exists_behavior(FileExistsBehavior::Overwrite)
        .permission(Permission::new("/opt/myapp").pattern("**").owner("myapp").group("myapp"))
        .hook(
            ServerHook::ApplicationStop,
            Script::new("scripts/stop.sh").timeout(Duration::seconds(60)).runas("root"),
        )
        .hook(
            ServerHook::AfterInstall,
            Script::new("scripts/configure.sh").timeout(Duration::seconds(120)).runas("root"),
        )
        .hook(
            ServerHook::ApplicationStart,
            Script::new("scripts/start.sh").timeout(Duration::seconds(60)).runas("root"),
        )
        .hook(
            ServerHook::ValidateService,
            Script::new("scripts/validate.sh").timeout(Duration::seconds(120)).runas("myapp"),
        )
        .built_by(project)
}

/// Builds the app.
pub fn app() -> App {
    let mut app = App::new();
    app.add_rule_pack(rules::PACK);
    let mut s = app.stack("Ec2Rolling");
    s.set_description("myapp on EC2 behind an ALB, rolled out by CodeDeploy from a pipeline");
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
        TargetGroupProps::new(&vpc, 8080)
            .target_type(TargetType::Instance)
            .health_check_path("/health")
            .deregistration_delay(Duration::seconds(30)),
    );
    alb.add_listener(&mut s, "Listener", 80, &targets);
    // Plain HTTP, as the article's estate has it until it has a domain name and certificate;
    // with one, add_https_listener serves HTTPS and redirects port 80 to it.
    for (rule, reason) in [
        (&rules::ELB_HTTPS_LISTENER, "plain HTTP until the estate has a domain and certificate"),
        (&rules::ELB_TLS_POLICY, "plain HTTP until the estate has a domain and certificate"),
        (&rules::EC2_OPEN_HTTP, "a public load balancer: its listener ports are open by design"),
        (&rules::ELB_ACCESS_LOGS, "request logs are not kept yet; LoadBalancerProps::access_logs"),
    ] {
        s.suppress(alb.node(), Suppression::new(rule, reason));
    }

    let fleet = AutoScalingGroup::new(
        &mut s,
        "Fleet",
        AutoScalingGroupProps::new(&vpc, "t3.small")
            .min_capacity(2)
            .max_capacity(4)
            .desired_capacity(2)
            .code_deploy_agent(true)
            .ssm_managed(true)
            .user_data("dnf install -y nodejs22")
            .user_data("useradd --system --home-dir /opt/myapp myapp")
            .target_group(&targets),
    );
    s.suppress(
        fleet.node(),
        Suppression::new(
            &rules::AUTOSCALING_NOTIFICATIONS,
            "CodeDeploy reports the deployments that fail on an instance, and the group's \
             activity history records each launch and termination",
        ),
    );

    let errors = Alarm::new(
        &mut s,
        "Target5xxAlarm",
        AlarmProps::new(
            Metric::new("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count")
                .dimension("LoadBalancer", alb.resource().load_balancer_full_name())
                .dimension("TargetGroup", targets.target_group_full_name()),
            ComparisonOperator::GreaterThanThreshold,
            5.0,
        )
        .statistic(Statistic::Sum)
        .period(Duration::minutes(1))
        .evaluation_periods(2)
        .description("myapp instances answer with 5xx errors"),
    );
    let group = ServerDeploymentGroup::new(
        &mut s,
        "Deployment",
        ServerDeploymentGroupProps::new()
            .auto_scaling_group(&fleet)
            .load_balancer(&targets)
            .deployment_config(ServerDeploymentConfig::OneAtATime)
            .alarm(&errors),
    );

    let project = Project::new(
        &mut s,
        "Build",
        ProjectProps::new(Source::CodePipeline)
            .buildspec(BuildSpecLocation::Companion(buildspec(), "buildspec.yml".into()))
            .build_image(LinuxBuildImage::AMAZON_LINUX_2023_5),
    );
    group.add_appspec_file(&mut s, "appspec.yml", &appspec(&project));

    let (source, revision) = (Artifact::new("SourceOutput"), Artifact::new("Revision"));
    let pipeline =
        Pipeline::new(&mut s, "Pipeline", PipelineProps::new().pipeline_name("myapp-ec2"));
    s.suppress(
        pipeline.node(),
        Suppression::new(
            &rules::S3_ACCESS_LOGS,
            "the artifact bucket is private and TLS-only and only the pipeline's roles use it; \
             CloudTrail records that use",
        ),
    );
    s.suppress(
        project.node(),
        Suppression::new(
            &rules::LOGS_KMS,
            "CloudWatch Logs encrypts the log data at rest; the logs hold build output, no \
             customer data",
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
        [CodeBuildAction::new("Build", &project, &source).output(&revision)],
    );
    pipeline.add_stage(
        &mut s,
        "Deploy",
        [CodeDeployServerDeploy::new("Deploy", &group, &revision)],
    );

    s.add_output("LoadBalancerUrl", Output::new(sub!("http://{}", alb.dns_name())));
    app
}

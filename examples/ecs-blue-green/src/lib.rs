//! The article's blue/green deploy side ("Deploying to ECS with Blue/Green"), with the two
//! files CodeDeploy reads generated from the same definitions as the template:
//!
//! - a Fargate service of `myapp` behind a load balancer with a production (80) and a test
//!   (8080) listener, deployed by CodeDeploy between a blue and a green target group;
//! - the deployment group: all traffic at once, blue terminated 60 minutes after success,
//!   rollback on failure;
//! - `appspec.yml`, and `taskdef.json` with the execution role's ARN and the log region as
//!   text: the stack's account and region are fixed and the role has the article's name,
//!   so nothing is left for a build to fill in. The task has no task role, as in the
//!   article: it is granted nothing.
//!
//! The article's account `123456789` is a placeholder (account IDs have 12 digits, and IAM
//! rejects the ARN); this stack deploys to `123456789012`.

use stackwright::codedeploy::{EcsBlueGreen, EcsDeploymentGroup, EcsDeploymentGroupProps};
use stackwright::ec2::{Vpc, VpcProps};
use stackwright::ecr::{Repository, RepositoryEncryption, RepositoryProps};
use stackwright::ecs::{
    Cluster, ClusterProps, ContainerDefinition, ContainerImage, Deployment, FargateService,
    FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps, TaskDefinitionFile,
};
use stackwright::elbv2::{
    ApplicationLoadBalancer, LoadBalancerProps, TargetGroup, TargetGroupProps,
};
use stackwright::prelude::*;
use stackwright::rules;

/// The account the stack deploys to.
pub const ACCOUNT: &str = "123456789012";

/// The article's region.
pub const REGION: &str = "us-east-1";

/// Builds the app.
pub fn app() -> App {
    let mut app = App::new();
    app.add_rule_pack(stackwright::rules::PACK);
    let mut s = app.stack("EcsBlueGreen");
    s.set_description("myapp on Fargate, deployed blue/green by CodeDeploy");
    s.set_environment(Environment::new(ACCOUNT, REGION));

    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new().max_azs(2));
    s.suppress(
        vpc.node(),
        Suppression::new(
            &rules::EC2_VPC_FLOW_LOGS,
            "flow logs are not kept yet; add an AWS::EC2::FlowLog when traffic must be audited",
        ),
    );
    let alb = ApplicationLoadBalancer::new(&mut s, "Alb", LoadBalancerProps::public_in(&vpc));
    let group = |s: &mut Scope<'_>, id: &str| {
        TargetGroup::new(s, id, TargetGroupProps::new(&vpc, 8080).health_check_path("/health"))
    };
    let (blue, green) = (group(&mut s, "Blue"), group(&mut s, "Green"));
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

    let repo = Repository::new(
        &mut s,
        "Repository",
        RepositoryProps::new()
            .repository_name("myapp")
            .encryption(RepositoryEncryption::AwsManagedKms),
    );
    let task = FargateTaskDefinition::new(
        &mut s,
        "TaskDefinition",
        FargateTaskDefinitionProps::new("myapp")
            .cpu(512)
            .memory(1024)
            .execution_role_name("ecsTaskExecutionRole"),
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
    task.add_container(
        &mut s,
        ContainerDefinition::new("myapp", ContainerImage::ecr(&repo, "latest"))
            .port(8080)
            .environment("NODE_ENV", "production"),
    );
    let cluster = Cluster::new(&mut s, "Cluster", ClusterProps::new());
    let service = FargateService::new(
        &mut s,
        "Service",
        FargateServiceProps::new(&cluster, &task)
            .desired_count(2)
            .vpc(&vpc)
            .target_group(&blue)
            .deployment(Deployment::CodeDeploy),
    );
    EcsDeploymentGroup::new(
        &mut s,
        "BlueGreen",
        EcsDeploymentGroupProps::new(
            &service,
            EcsBlueGreen::new(&blue, &green, &production).test_listener(&test),
        )
        .terminate_blue_after(Duration::minutes(60)),
    );
    if let Some(spec) = service.app_spec() {
        spec.add_file(&mut s, "appspec.yml");
    }
    task.add_taskdef_file(&mut s, "taskdef.json", TaskDefinitionFile::new());
    app
}

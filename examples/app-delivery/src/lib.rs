//! An app that delivers itself: three stacks (the network, the service, and the pipeline
//! that deploys them), whose committed templates the pipeline deploys as they are, in the
//! order the app gives, with no synth step in the pipeline.
//!
//! - `Network`: a VPC.
//! - `Service`: a queue and the function that works it, and a security group in the
//!   network's VPC (an import of `Network`'s export, so `Service` depends on `Network`). Its
//!   `RetentionSeconds` parameter has no default: the pipeline must give it.
//! - `Delivery`: the pipeline. Source, then a build that runs `check` (a commit whose
//!   templates are not what its code synthesizes goes no further), then the pipeline's own
//!   stack (a change to the pipeline is deployed first, and the run starts over as the new
//!   pipeline), then `Network` and `Service` in dependency order, `Service` through a change
//!   set a person reviews, then a smoke test that reads the service's queue URL from its
//!   stack's outputs.
//! - The same delivery as a GitHub Actions workflow (`.github/workflows/app-delivery.yml`),
//!   assuming a role of the `Delivery` stack that only `main` of `my-org/app` may assume.
//!   The workflow names that role and the deployment role by ARN, so the app's stacks are
//!   pinned to one account and region and both roles have fixed names.

use stackwright::codebuild::{
    BuildSpec, BuildSpecLocation, EnvironmentVariable as Env, LinuxBuildImage, Phase, Project,
    ProjectProps, Source,
};
use stackwright::codepipeline::{
    Artifact, CodeBuildAction, CodeStarConnectionSource, Pipeline, PipelineProps, StackDeploy,
};
use stackwright::ec2::{NatGateways, SecurityGroup, Vpc, VpcProps};
use stackwright::github::{
    GithubOidcProvider, GithubRole, GithubRoleProps, GithubSubject, PipelineWorkflow,
    PipelineWorkflowProps,
};
use stackwright::iam::{Grantee, PolicyStatement, Principal, Role, RoleProps};
use stackwright::lambda::{Code, Function, FunctionProps, Runtime};
use stackwright::prelude::*;
use stackwright::rules;
use stackwright::sqs::{Queue, QueueProps};

/// The account the app is deployed to.
pub const ACCOUNT: &str = "111111111111";

/// The region the app is deployed to.
pub const REGION: &str = "us-east-1";

/// The connection to the GitHub repository the app lives in.
pub const CONNECTION_ARN: &str = "arn:aws:codeconnections:us-east-1:111111111111:connection/2f0f4bd5-8d1f-4a5e-9b0e-3c1c5d7f9a21";

/// The function's code: it logs each message.
const WORKER_SOURCE: &str = "\
exports.handler = async (event) => {
  for (const record of event.Records) console.log(record.body);
};
";

/// Why the VPC keeps no flow logs.
const FLOW_LOGS_REASON: &str =
    "flow logs are not kept yet; add an AWS::EC2::FlowLog when traffic must be audited";

/// Why the builds need no customer key.
const BUILD_KMS_REASON: &str = "build output goes to the pipeline's private, TLS-only artifact \
                                bucket under the AWS managed S3 key";

/// What CloudWatch Logs keeps is build and worker output, which its own encryption covers.
const LOGS_REASON: &str = "CloudWatch Logs encrypts the log data at rest; the logs hold build and worker output, no \
     customer data";

/// The check build: the committed templates must be what the code synthesizes.
fn check_buildspec() -> BuildSpec {
    BuildSpec::new()
        .install(Phase::with_commands([
            "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal",
        ]))
        .build(Phase::with_commands([". \"$HOME/.cargo/env\"", "cargo run --locked -- check"]))
}

/// Builds the app.
pub fn app() -> App {
    let mut app = App::new();
    app.add_rule_pack(rules::PACK);

    let (network, vpc) = {
        let mut s = app.stack("Network");
        s.set_environment(Environment::new(ACCOUNT, REGION));
        s.set_description("The network the service runs in");
        let vpc =
            Vpc::new(&mut s, "Vpc", VpcProps::new().max_azs(2).nat_gateways(NatGateways::None));
        s.suppress(vpc.node(), Suppression::new(&rules::EC2_VPC_FLOW_LOGS, FLOW_LOGS_REASON));
        (s.stack_id(), vpc)
    };

    let (service, retention) = {
        let mut s = app.stack("Service");
        s.set_environment(Environment::new(ACCOUNT, REGION));
        s.set_description("The orders queue and the function that works it");
        let retention = s.add_parameter(
            "RetentionSeconds",
            Parameter::number()
                .description("How long the orders queue keeps a message, in seconds")
                .min_value(60.0)
                .max_value(1_209_600.0),
        );
        SecurityGroup::new(&mut s, "WorkerSecurityGroup", &vpc, "Traffic of the worker");
        let queue = Queue::new(&mut s, "Orders", QueueProps::new());
        s.suppress(
            queue.node(),
            Suppression::new(
                &rules::SQS_DEAD_LETTER_QUEUE,
                "the worker retries an order until it succeeds or the queue's retention ends",
            ),
        );
        if let Some(node) = s.node(queue.resource()) {
            node.add_override("Properties.MessageRetentionPeriod", retention.number());
        }
        let worker = Function::new(
            &mut s,
            "Worker",
            FunctionProps::new(Runtime::Nodejs24X, "index.handler", Code::inline(WORKER_SOURCE))
                .description("Works the orders queue"),
        );
        queue.grant_consume(&mut s, &worker.role());
        for (rule, reason) in [
            (&rules::LAMBDA_DLQ, "the queue keeps a message until the worker succeeds"),
            (&rules::LAMBDA_IN_VPC, "reaches only the queue, through its public endpoint"),
            (&rules::LAMBDA_CONCURRENCY, "the account's concurrency limit is the bound wanted"),
            (&rules::LOGS_KMS, LOGS_REASON),
        ] {
            s.suppress(worker.node(), Suppression::new(rule, reason));
        }
        s.add_output("OrdersQueueUrl", Output::new(queue.queue_url()));
        (s.stack_id(), retention)
    };

    let mut s = app.stack("Delivery");
    // The app's stacks live in one account and region; the workflow names its role by ARN,
    // which needs them fixed.
    s.set_environment(Environment::new(ACCOUNT, REGION));
    s.set_description("The pipeline that deploys the app's stacks, itself first");
    let delivery = s.stack_id();
    // CloudFormation deploys the app's stacks with this role, never with the pipeline's.
    let deployer = Role::new(
        &mut s,
        "DeploymentRole",
        RoleProps::new(Principal::service("cloudformation.amazonaws.com"))
            // Named, so the workflow can pass it to CloudFormation by ARN.
            .role_name("app-delivery-deployer")
            .description("CloudFormation deploys the app's stacks with this role"),
    );
    // What the app's stacks create, in this account and region; roles only by the names
    // CloudFormation gives them (the stack's name first).
    let partition_account = |service: &str, rest: &str| {
        sub!(
            "arn:{}:{}:{}:{}:{}",
            pseudo::partition(),
            service,
            pseudo::region(),
            pseudo::account_id(),
            rest
        )
    };
    let role = |stack: &str| {
        sub!("arn:{}:iam::{}:role/{}-*", pseudo::partition(), pseudo::account_id(), stack)
    };
    for statement in [
        PolicyStatement::allow()
            .actions([
                "iam:CreateRole",
                "iam:DeleteRole",
                "iam:GetRole",
                "iam:UpdateRole",
                "iam:UpdateAssumeRolePolicy",
                "iam:PutRolePolicy",
                "iam:DeleteRolePolicy",
                "iam:GetRolePolicy",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:PassRole",
            ])
            .resource(role("Network"))
            .resource(role("Service"))
            .resource(role("Delivery")),
        PolicyStatement::allow().action("ec2:*").resource(partition_account("ec2", "*")),
        PolicyStatement::allow().action("sqs:*").resource(partition_account("sqs", "Service-*")),
        PolicyStatement::allow()
            .action("lambda:*")
            .resource(partition_account("lambda", "function:Service-*")),
        PolicyStatement::allow()
            .action("logs:*")
            .resource(partition_account("logs", "log-group:*")),
        PolicyStatement::allow()
            .action("codebuild:*")
            .resource(partition_account("codebuild", "project/*")),
        PolicyStatement::allow()
            .action("codepipeline:*")
            .resource(partition_account("codepipeline", "app-delivery")),
        PolicyStatement::allow()
            .action("s3:*")
            .resource(sub!("arn:{}:s3:::delivery-*", pseudo::partition())),
    ] {
        deployer.add_to_policy(&mut s, statement);
    }
    let check = Project::new(
        &mut s,
        "CheckTemplates",
        ProjectProps::new(Source::CodePipeline)
            .buildspec(BuildSpecLocation::Inline(check_buildspec()))
            .build_image(LinuxBuildImage::AMAZON_LINUX_2023_5),
    );
    let smoke = Project::new(
        &mut s,
        "SmokeTest",
        ProjectProps::new(Source::CodePipeline)
            .buildspec(BuildSpecLocation::Inline(BuildSpec::new().build(Phase::with_commands([
                "aws sqs get-queue-attributes --queue-url \"$QUEUE_URL\" --attribute-names QueueArn",
            ]))))
            .build_image(LinuxBuildImage::AMAZON_LINUX_2023_5)
            .environment_variable("QUEUE_URL", Env::plaintext("set by the pipeline")),
    );

    // The smoke test reads the queue's attributes, of a queue the Service stack names.
    smoke.add_to_principal_policy(
        &mut s,
        PolicyStatement::allow()
            .action("sqs:GetQueueAttributes")
            .resource(partition_account("sqs", "Service-*")),
    );
    for project in [check.node(), smoke.node()] {
        s.suppress(project, Suppression::new(&rules::LOGS_KMS, LOGS_REASON));
        s.suppress(project, Suppression::new(&rules::CODEBUILD_KMS, BUILD_KMS_REASON));
    }

    let source = Artifact::new("SourceOutput");
    let pipeline =
        Pipeline::new(&mut s, "Pipeline", PipelineProps::new().pipeline_name("app-delivery"));
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
        [CodeStarConnectionSource::new("GitHub", CONNECTION_ARN, "my-org/app", "main", &source)],
    );
    pipeline.add_stage(&mut s, "Check", [CodeBuildAction::new("CheckTemplates", &check, &source)]);
    pipeline.add_self_update(
        &mut s,
        "UpdatePipeline",
        StackDeploy::new("Delivery", delivery, &source).deployment_role(&deployer),
    );
    let deploy_network = StackDeploy::new("Network", network, &source).deployment_role(&deployer);
    let deploy_service = StackDeploy::new("Service", service, &source)
        .deployment_role(&deployer)
        .parameter(retention, "345600")
        .review_change_set(true);
    let queue_url = deploy_service.output("OrdersQueueUrl");
    // Listed service first: the run orders follow the dependencies, not this order.
    pipeline.add_stage(&mut s, "Deploy", [deploy_service, deploy_network]);
    pipeline.add_stage(
        &mut s,
        "Verify",
        [CodeBuildAction::new("SmokeTest", &smoke, &source).env("QUEUE_URL", queue_url)],
    );

    // The same delivery as a GitHub Actions workflow, and the role it assumes.
    let provider = GithubOidcProvider::new(&mut s, "GithubOidc");
    let role = GithubRole::new(
        &mut s,
        "GithubDeliveryRole",
        &provider,
        GithubRoleProps::new("app-github-delivery", [GithubSubject::branch("my-org/app", "main")])
            .description("Assumed by the app-delivery workflow of my-org/app on main"),
    );
    PipelineWorkflow::new(
        &mut s,
        "Workflow",
        &pipeline,
        &role,
        PipelineWorkflowProps::new("app-delivery", "app delivery", REGION),
    );
    app
}

//! An app that delivers itself: three stacks (the network, the service, and the pipeline
//! that deploys them), whose committed templates the pipeline deploys as they are, in the
//! order the app gives, with no synth step in the pipeline.
//!
//! - `Network`: a VPC.
//! - `Service`: a queue and the function that works it, in a security group of the network's
//!   VPC (an import of `Network`'s export, so `Service` depends on `Network`). Its
//!   `LogLevel` parameter has no default: the pipeline must give it.
//! - `Delivery`: the pipeline. Source, then a build that runs `check` (a commit whose
//!   templates are not what its code synthesizes goes no further), then the pipeline's own
//!   stack (a change to the pipeline is deployed first, and the run starts over as the new
//!   pipeline), then `Network` and `Service` in dependency order, `Service` through a change
//!   set a person reviews, then a smoke test that reads the service's queue URL from its
//!   stack's outputs.

use stackwright::codebuild::{
    BuildSpec, BuildSpecLocation, EnvironmentVariable as Env, LinuxBuildImage, Phase, Project,
    ProjectProps, Source,
};
use stackwright::codepipeline::{
    Artifact, CodeBuildAction, CodeStarConnectionSource, Pipeline, PipelineProps, StackDeploy,
};
use stackwright::ec2::{NatGateways, SecurityGroup, Vpc, VpcProps};
use stackwright::iam::{PolicyStatement, Principal, Role, RoleProps};
use stackwright::lambda::{Code, Function, FunctionProps, Runtime};
use stackwright::prelude::*;
use stackwright::sqs::{Queue, QueueProps};

/// The connection to the GitHub repository the app lives in.
pub const CONNECTION_ARN: &str = "arn:aws:codeconnections:us-east-1:111111111111:connection/2f0f4bd5-8d1f-4a5e-9b0e-3c1c5d7f9a21";

/// The function's code: it logs each message at the configured level.
const WORKER_SOURCE: &str = "\
exports.handler = async (event) => {
  for (const record of event.Records) {
    if (process.env.LOG_LEVEL === 'debug') console.log(record.body);
  }
};
";

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

    let (network, vpc) = {
        let mut s = app.stack("Network");
        s.set_description("The network the service runs in");
        let vpc =
            Vpc::new(&mut s, "Vpc", VpcProps::new().max_azs(2).nat_gateways(NatGateways::None));
        (s.stack_id(), vpc)
    };

    let (service, log_level) = {
        let mut s = app.stack("Service");
        s.set_description("The orders queue and the function that works it");
        let log_level = s.add_parameter(
            "LogLevel",
            Parameter::string()
                .description("How much the worker logs")
                .allowed_values(["info", "debug"]),
        );
        let group =
            SecurityGroup::new(&mut s, "WorkerSecurityGroup", &vpc, "Traffic of the worker");
        let queue = Queue::new(&mut s, "Orders", QueueProps::new());
        let worker = Function::new(
            &mut s,
            "Worker",
            FunctionProps::new(Runtime::Nodejs24X, "index.handler", Code::inline(WORKER_SOURCE))
                .environment("LOG_LEVEL", log_level.value())
                .description("Works the orders queue"),
        );
        queue.grant_consume(&mut s, &worker.role());
        s.add_output("OrdersQueueUrl", Output::new(queue.queue_url()));
        s.add_output("WorkerSecurityGroupId", Output::new(group.group_id()));
        (s.stack_id(), log_level)
    };

    let mut s = app.stack("Delivery");
    s.set_description("The pipeline that deploys the app's stacks, itself first");
    let delivery = s.stack_id();
    // CloudFormation deploys the app's stacks with this role, never with the pipeline's.
    let deployer = Role::new(
        &mut s,
        "DeploymentRole",
        RoleProps::new(Principal::service("cloudformation.amazonaws.com"))
            .description("CloudFormation deploys the app's stacks with this role"),
    );
    deployer.add_to_policy(
        &mut s,
        PolicyStatement::allow()
            .actions([
                "ec2:*",
                "sqs:*",
                "lambda:*",
                "logs:*",
                "iam:*",
                "codebuild:*",
                "codepipeline:*",
                "events:*",
                "s3:*",
                "kms:*",
                "ssm:GetParameters",
            ])
            .resource("*"),
    );
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

    let source = Artifact::new("SourceOutput");
    let pipeline =
        Pipeline::new(&mut s, "Pipeline", PipelineProps::new().pipeline_name("app-delivery"));
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
        .parameter(log_level, "info")
        .review_change_set(true);
    let queue_url = deploy_service.output("OrdersQueueUrl");
    // Listed service first: the run orders follow the dependencies, not this order.
    pipeline.add_stage(&mut s, "Deploy", [deploy_service, deploy_network]);
    pipeline.add_stage(
        &mut s,
        "Verify",
        [CodeBuildAction::new("SmokeTest", &smoke, &source).env("QUEUE_URL", queue_url)],
    );
    app
}

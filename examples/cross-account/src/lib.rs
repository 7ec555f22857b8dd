//! A cross-account deployment, as the article sets it up: the pipeline runs in the tooling
//! account, and the production account holds the roles it assumes.
//!
//! - `Production` (222222222222): `DeployRole`, trusting the tooling account's
//!   `CodeBuildRole`, which may roll the ECS service; the role CloudFormation deploys with;
//!   and the role the pipeline's CloudFormation action runs as, trusting the tooling account.
//! - `Tooling` (111111111111): the CodeBuild project (role `CodeBuildRole`) whose buildspec
//!   assumes `DeployRole` and forces a new deployment of the service, and the pipeline
//!   Source -> Build -> CloudFormation deploy into production, its artifacts encrypted with a
//!   KMS key the production action role may use.
//!
//! CloudFormation exports work within one account and region only, so the two stacks share
//! no handles: every role the tooling account names has a fixed name, and the tooling stack
//! names it by a literal ARN ([`DEPLOY_ROLE_ARN`] and the others below). A handle passed
//! across would fail synthesis with `SynthError::CrossEnvironmentReference`.

use stackwright::codebuild::{BuildSpec, BuildSpecLocation, Phase, Project, ProjectProps, Source};
use stackwright::codepipeline::{
    Artifact, CloudFormationAction, CodeBuildAction, CodeStarConnectionSource, Pipeline,
    PipelineProps,
};
use stackwright::iam::{PolicyStatement, Principal, Role, RoleProps};
use stackwright::kind;
use stackwright::prelude::*;
use stackwright::rules;

/// The tooling account, where the pipeline runs.
pub const TOOLING_ACCOUNT: &str = "111111111111";
/// The production account, deployed to.
pub const PRODUCTION_ACCOUNT: &str = "222222222222";
/// Both accounts work in this region.
pub const REGION: &str = "us-east-1";

/// The tooling account's CodeBuild role, trusted by [`DEPLOY_ROLE_ARN`].
pub const CODEBUILD_ROLE_ARN: &str = "arn:aws:iam::111111111111:role/CodeBuildRole";
/// The production role the build assumes to roll the ECS service.
pub const DEPLOY_ROLE_ARN: &str = "arn:aws:iam::222222222222:role/DeployRole";
/// The production role the pipeline's CloudFormation action runs as.
pub const ACTION_ROLE_ARN: &str = "arn:aws:iam::222222222222:role/PipelineDeployActionRole";
/// The production role CloudFormation deploys the application stack with.
pub const CFN_EXECUTION_ROLE_ARN: &str =
    "arn:aws:iam::222222222222:role/CloudFormationExecutionRole";

/// The pipeline's artifact bucket, named so the production action role can name it.
pub const ARTIFACT_BUCKET: &str = "myapp-pipeline-artifacts-111111111111-us-east-1";
/// The application stack the pipeline deploys into production.
pub const APP_STACK: &str = "myapp";

/// The roles of the production stack, as handles: usable inside `Production` only.
#[derive(Clone, Copy, Debug)]
pub struct ProductionRoles {
    /// Assumed by the tooling account's CodeBuild role.
    pub deploy_role: Role,
    /// Assumed by the tooling account's pipeline for the CloudFormation action.
    pub action_role: Role,
    /// Passed to CloudFormation.
    pub execution_role: Role,
}

/// The production roles the tooling stack refers to, by ARN.
#[derive(Clone, Debug)]
pub struct TargetRoles {
    /// The role the build assumes ([`DEPLOY_ROLE_ARN`]).
    pub deploy_role_arn: Val<kind::RoleArn>,
    /// The role the CloudFormation action runs as ([`ACTION_ROLE_ARN`]).
    pub action_role_arn: Val<kind::RoleArn>,
    /// The role CloudFormation deploys with ([`CFN_EXECUTION_ROLE_ARN`]).
    pub execution_role_arn: Val<kind::RoleArn>,
}

impl TargetRoles {
    /// The production roles by their literal ARNs, the only way to name them from the
    /// tooling account.
    pub fn literal() -> TargetRoles {
        TargetRoles {
            deploy_role_arn: Val::from(DEPLOY_ROLE_ARN),
            action_role_arn: Val::from(ACTION_ROLE_ARN),
            execution_role_arn: Val::from(CFN_EXECUTION_ROLE_ARN),
        }
    }
}

/// The article's buildspec: assume the production role, then roll the service with it.
pub fn buildspec() -> BuildSpec {
    BuildSpec::new().build(Phase::with_commands([
        "CREDENTIALS=$(aws sts assume-role --role-arn arn:aws:iam::222222222222:role/DeployRole --role-session-name deploy)",
        "export AWS_ACCESS_KEY_ID=$(echo $CREDENTIALS | jq -r '.Credentials.AccessKeyId')",
        "export AWS_SECRET_ACCESS_KEY=$(echo $CREDENTIALS | jq -r '.Credentials.SecretAccessKey')",
        "export AWS_SESSION_TOKEN=$(echo $CREDENTIALS | jq -r '.Credentials.SessionToken')",
        "aws ecs update-service --cluster prod --service myapp --force-new-deployment",
    ]))
}

/// Adds the `Production` stack: the roles the tooling account assumes.
pub fn production(app: &mut App) -> ProductionRoles {
    let mut s = app.stack("Production");
    s.set_environment(Environment::new(PRODUCTION_ACCOUNT, REGION));
    s.set_description("Roles the tooling account's pipeline and build assume to deploy here");

    // The article's trust policy: only the tooling account's CodeBuild role.
    let deploy_role = Role::new(
        &mut s,
        "DeployRole",
        RoleProps::new(Principal::arn(CODEBUILD_ROLE_ARN))
            .role_name("DeployRole")
            .description("Assumed by the tooling account's CodeBuild role to roll the service"),
    );
    let service = sub!(
        "arn:{}:ecs:{}:{}:service/prod/myapp",
        pseudo::partition(),
        pseudo::region(),
        pseudo::account_id()
    );
    deploy_role.add_to_policy(
        &mut s,
        PolicyStatement::allow()
            .actions(["ecs:UpdateService", "ecs:DescribeServices"])
            .resource(service.clone()),
    );

    // What the application stack creates: its task definitions and the service.
    let execution_role = Role::new(
        &mut s,
        "CloudFormationExecutionRole",
        RoleProps::new(Principal::service("cloudformation.amazonaws.com"))
            .role_name("CloudFormationExecutionRole")
            .description("CloudFormation deploys the application stack with this role"),
    );
    execution_role.add_to_policy(
        &mut s,
        PolicyStatement::allow()
            .actions([
                "ecs:CreateService",
                "ecs:UpdateService",
                "ecs:DeleteService",
                "ecs:DescribeServices",
            ])
            .resource(service),
    );
    execution_role.add_to_policy(
        &mut s,
        PolicyStatement::allow()
            .actions([
                "ecs:RegisterTaskDefinition",
                "ecs:DeregisterTaskDefinition",
                "ecs:DescribeTaskDefinition",
            ])
            .resource("*"),
    );

    // The pipeline in the tooling account runs its CloudFormation action as this role.
    let action_role = Role::new(
        &mut s,
        "PipelineDeployActionRole",
        RoleProps::new(Principal::account(TOOLING_ACCOUNT))
            .role_name("PipelineDeployActionRole")
            .description("Assumed by the tooling account's pipeline to deploy the application"),
    );
    s.suppress(
        action_role.node(),
        Suppression::new(
            &rules::IAM_ACCOUNT_TRUST,
            "the tooling account's pipeline role assumes it, and that account's own policies \
             decide which of its roles may",
        ),
    );
    action_role.add_to_policy(
        &mut s,
        PolicyStatement::allow()
            .actions([
                "cloudformation:CreateStack",
                "cloudformation:UpdateStack",
                "cloudformation:DescribeStacks",
                "cloudformation:DescribeStackEvents",
                "cloudformation:GetTemplate",
            ])
            .resource(sub!(
                "arn:{}:cloudformation:{}:{}:stack/{}/*",
                pseudo::partition(),
                pseudo::region(),
                pseudo::account_id(),
                APP_STACK
            )),
    );
    action_role.add_to_policy(
        &mut s,
        PolicyStatement::allow().action("iam:PassRole").resource(execution_role.arn()).condition(
            "StringEquals",
            "iam:PassedToService",
            "cloudformation.amazonaws.com",
        ),
    );
    // The artifacts it reads live in the tooling account: its bucket by name, and the key
    // (whose ID is only known there) through the tooling account's keys, which the key's own
    // policy narrows to the pipeline's.
    action_role.add_to_policy(
        &mut s,
        PolicyStatement::allow()
            .actions(["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"])
            .resource(format!("arn:aws:s3:::{ARTIFACT_BUCKET}/*")),
    );
    action_role.add_to_policy(
        &mut s,
        PolicyStatement::allow()
            .actions(["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*"])
            .resource(format!("arn:aws:kms:{REGION}:{TOOLING_ACCOUNT}:key/*")),
    );
    ProductionRoles { deploy_role, action_role, execution_role }
}

/// Adds the `Tooling` stack: the build that rolls the service and the pipeline.
pub fn tooling(app: &mut App, target: TargetRoles) {
    let mut s = app.stack("Tooling");
    s.set_environment(Environment::new(TOOLING_ACCOUNT, REGION));
    s.set_description("Pipeline and build that deploy myapp into the production account");
    let connection = s.add_parameter(
        "ConnectionArn",
        Parameter::string().description("CodeStar connection to GitHub"),
    );

    // Fixed name: the production account's DeployRole trusts it by ARN.
    let build_role = Role::new(
        &mut s,
        "CodeBuildRole",
        RoleProps::new(Principal::service("codebuild.amazonaws.com")).role_name("CodeBuildRole"),
    );
    build_role.add_to_policy(
        &mut s,
        PolicyStatement::allow().action("sts:AssumeRole").resource(target.deploy_role_arn),
    );
    let project = Project::new(
        &mut s,
        "DeployBuild",
        ProjectProps::new(Source::CodePipeline)
            .buildspec(BuildSpecLocation::Inline(buildspec()))
            .description("Rolls the production ECS service as the production DeployRole")
            .role(&build_role),
    );

    let source = Artifact::new("SourceOutput");
    let pipeline = Pipeline::new(
        &mut s,
        "Pipeline",
        PipelineProps::new()
            .pipeline_name("myapp-cross-account")
            .artifact_bucket_name(ARTIFACT_BUCKET)
            .cross_account(true),
    );
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
    pipeline.add_stage(&mut s, "Build", [CodeBuildAction::new("Deploy", &project, &source)]);
    pipeline.add_stage(
        &mut s,
        "DeployProduction",
        [CloudFormationAction::create_update(
            "DeployStack",
            APP_STACK,
            source.at_path("infra/myapp.template.json"),
        )
        .cross_account_role(target.action_role_arn)
        .deployment_role(target.execution_role_arn)],
    );
}

/// Builds the app: production first (it holds the roles), then tooling.
pub fn app() -> App {
    let mut app = App::new();
    app.add_rule_pack(stackwright::rules::PACK);
    production(&mut app);
    tooling(&mut app, TargetRoles::literal());
    app
}

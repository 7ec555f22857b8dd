//! The `aws-actions/*` steps: credentials through OIDC, ECR login, ECS task definitions
//! and deployments, CloudFormation stacks.

use crate::action::ActionRef;
use crate::expr::{Expr, Text, Value};
use crate::step::{Step, StepHandle, UsesAction};

/// The kind of an `aws-actions/configure-aws-credentials` step.
#[derive(Debug)]
pub struct ConfigureAwsCredentials;
impl UsesAction for ConfigureAwsCredentials {}

/// `aws-actions/configure-aws-credentials@v4` assuming `role` (its ARN) through GitHub's
/// OIDC token in `region`. The job needs `id-token: write`; no access key is ever given.
pub fn configure_aws_credentials(
    role: impl Into<Text>,
    region: &str,
) -> Step<ConfigureAwsCredentials> {
    let mut step = Step::uses_action(ActionRef::new("aws-actions/configure-aws-credentials", "v4"));
    step.data.set_input("role-to-assume", Value::Text(role.into()));
    step.data.set_input("aws-region", Value::from(region));
    step
}

impl<I> Step<ConfigureAwsCredentials, I> {
    /// The session name CloudTrail records (default `GitHubActions`).
    pub fn role_session_name(mut self, name: &str) -> Self {
        self.data.set_input("role-session-name", Value::from(name));
        self
    }

    /// How long the credentials last, in seconds (900 to 43200).
    pub fn role_duration_seconds(mut self, seconds: i64) -> Self {
        self.data.set_input("role-duration-seconds", Value::Int(seconds));
        self
    }
}

impl StepHandle<ConfigureAwsCredentials> {
    /// The `aws-account-id` output: the account of the assumed role.
    pub fn aws_account_id(&self) -> Expr {
        self.output("aws-account-id")
    }
}

/// The kind of an `aws-actions/amazon-ecr-login` step.
#[derive(Debug)]
pub struct EcrLogin;
impl UsesAction for EcrLogin {}

/// `aws-actions/amazon-ecr-login@v2`: logs docker in to the account's ECR registry.
pub fn ecr_login() -> Step<EcrLogin> {
    Step::uses_action(ActionRef::new("aws-actions/amazon-ecr-login", "v2"))
}

impl<I> Step<EcrLogin, I> {
    /// Masks the docker password in the log (the action's default is to mask it).
    pub fn mask_password(mut self, mask: bool) -> Self {
        self.data.set_input("mask-password", Value::Bool(mask));
        self
    }

    /// Logs in to the registries of these account ids instead of the role's own.
    pub fn registries(mut self, account_ids: &[&str]) -> Self {
        self.data.set_input("registries", Value::from(account_ids.join(",")));
        self
    }
}

impl StepHandle<EcrLogin> {
    /// The `registry` output: `<account>.dkr.ecr.<region>.amazonaws.com`.
    pub fn registry(&self) -> Expr {
        self.output("registry")
    }
}

/// The kind of an `aws-actions/amazon-ecs-render-task-definition` step.
#[derive(Debug)]
pub struct EcsRenderTaskDefinition;
impl UsesAction for EcsRenderTaskDefinition {}

/// `aws-actions/amazon-ecs-render-task-definition@v1`: writes `image` into the container
/// `container_name` of the task definition file `task_definition`, giving a new file
/// (the step's [`task_definition`](StepHandle::<EcsRenderTaskDefinition>::task_definition)
/// output).
pub fn ecs_render_task_definition(
    task_definition: impl Into<Text>,
    container_name: &str,
    image: impl Into<Text>,
) -> Step<EcsRenderTaskDefinition> {
    let mut step =
        Step::uses_action(ActionRef::new("aws-actions/amazon-ecs-render-task-definition", "v1"));
    step.data.set_input("task-definition", Value::Text(task_definition.into()));
    step.data.set_input("container-name", Value::from(container_name));
    step.data.set_input("image", Value::Text(image.into()));
    step
}

impl StepHandle<EcsRenderTaskDefinition> {
    /// The `task-definition` output: the path of the rendered task definition file.
    pub fn task_definition(&self) -> Expr {
        self.output("task-definition")
    }
}

/// The kind of an `aws-actions/amazon-ecs-deploy-task-definition` step.
#[derive(Debug)]
pub struct EcsDeployTaskDefinition;
impl UsesAction for EcsDeployTaskDefinition {}

/// `aws-actions/amazon-ecs-deploy-task-definition@v2`: registers the task definition file
/// `task_definition` and, with [`Step::service`], deploys it.
pub fn ecs_deploy_task_definition(
    task_definition: impl Into<Text>,
) -> Step<EcsDeployTaskDefinition> {
    let mut step =
        Step::uses_action(ActionRef::new("aws-actions/amazon-ecs-deploy-task-definition", "v2"));
    step.data.set_input("task-definition", Value::Text(task_definition.into()));
    step
}

impl<I> Step<EcsDeployTaskDefinition, I> {
    /// The service to update with the new task definition.
    pub fn service(mut self, service: impl Into<Text>) -> Self {
        self.data.set_input("service", Value::Text(service.into()));
        self
    }

    /// The cluster of the service (default `default`).
    pub fn cluster(mut self, cluster: impl Into<Text>) -> Self {
        self.data.set_input("cluster", Value::Text(cluster.into()));
        self
    }

    /// Waits until the service is stable (or the CodeDeploy deployment is done).
    pub fn wait_for_service_stability(mut self, wait: bool) -> Self {
        self.data.set_input("wait-for-service-stability", Value::Bool(wait));
        self
    }

    /// Deploys blue/green through CodeDeploy: `appspec` is the AppSpec file, `application`
    /// and `deployment_group` the CodeDeploy names.
    pub fn codedeploy(
        mut self,
        appspec: &str,
        application: impl Into<Text>,
        deployment_group: impl Into<Text>,
    ) -> Self {
        self.data.set_input("codedeploy-appspec", Value::from(appspec));
        self.data.set_input("codedeploy-application", Value::Text(application.into()));
        self.data.set_input("codedeploy-deployment-group", Value::Text(deployment_group.into()));
        self
    }
}

impl StepHandle<EcsDeployTaskDefinition> {
    /// The `task-definition-arn` output: the registered revision.
    pub fn task_definition_arn(&self) -> Expr {
        self.output("task-definition-arn")
    }

    /// The `codedeploy-deployment-id` output of a blue/green deployment.
    pub fn codedeploy_deployment_id(&self) -> Expr {
        self.output("codedeploy-deployment-id")
    }
}

/// A capability a CloudFormation deployment acknowledges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capability {
    /// `CAPABILITY_IAM`.
    Iam,
    /// `CAPABILITY_NAMED_IAM`.
    NamedIam,
    /// `CAPABILITY_AUTO_EXPAND` (macros, the SAM transform).
    AutoExpand,
}

impl Capability {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Capability::Iam => "CAPABILITY_IAM",
            Capability::NamedIam => "CAPABILITY_NAMED_IAM",
            Capability::AutoExpand => "CAPABILITY_AUTO_EXPAND",
        }
    }
}

/// The kind of an `aws-actions/aws-cloudformation-github-deploy` step.
#[derive(Debug)]
pub struct CloudFormationDeploy;
impl UsesAction for CloudFormationDeploy {}

/// `aws-actions/aws-cloudformation-github-deploy@v1`: creates or updates stack `name` from
/// the template file `template` through a change set.
pub fn cloudformation_deploy(name: &str, template: &str) -> Step<CloudFormationDeploy> {
    let mut step =
        Step::uses_action(ActionRef::new("aws-actions/aws-cloudformation-github-deploy", "v1"));
    step.data.set_input("name", Value::from(name));
    step.data.set_input("template", Value::from(template));
    step
}

impl<I> Step<CloudFormationDeploy, I> {
    /// The capabilities the stack needs.
    pub fn capabilities(mut self, capabilities: &[Capability]) -> Self {
        let list: Vec<&str> = capabilities.iter().map(|c| c.as_str()).collect();
        self.data.set_input("capabilities", Value::from(list.join(",")));
        self
    }

    /// Parameter values, `Key=Value` joined by commas as the action takes them.
    pub fn parameter_overrides(mut self, overrides: &[(&str, &str)]) -> Self {
        let list: Vec<String> = overrides.iter().map(|(k, v)| format!("{k}={v}")).collect();
        self.data.set_input("parameter-overrides", Value::from(list.join(",")));
        self
    }

    /// The role CloudFormation deploys with (`role-arn`), which the job's role passes.
    pub fn role_arn(mut self, arn: impl Into<Text>) -> Self {
        self.data.set_input("role-arn", Value::from(arn.into()));
        self
    }

    /// Creates the change set `change_set_name` without executing it
    /// (`no-execute-changeset`), for review before a later job executes it.
    pub fn no_execute_changeset(mut self, change_set_name: &str) -> Self {
        self.data.set_input("no-execute-changeset", Value::from("1"));
        self.data.set_input("change-set-name", Value::from(change_set_name));
        self
    }

    /// Succeeds when the change set is empty instead of failing.
    pub fn no_fail_on_empty_changeset(mut self, yes: bool) -> Self {
        self.data.set_input("no-fail-on-empty-changeset", Value::from(if yes { "1" } else { "0" }));
        self
    }
}

impl StepHandle<CloudFormationDeploy> {
    /// The `stack-id` output.
    pub fn stack_id(&self) -> Expr {
        self.output("stack-id")
    }

    /// The stack output `name`, which the action passes on as a step output.
    pub fn stack_output(&self, name: &str) -> Expr {
        self.output(name)
    }
}

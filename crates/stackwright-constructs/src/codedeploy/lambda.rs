//! The Lambda deployment group: CloudFormation's own form of SAM's `DeploymentPreference`.

use stackwright_aws::codedeploy as l1;
use stackwright_aws::codedeploy::deployment_config::DeploymentConfigComputePlatform;
use stackwright_aws::codedeploy::deployment_group as dg;
use stackwright_core::{Handle, Scope, Val, pseudo, sub};

use super::config::config_name;
use super::{AutoRollback, LambdaApplication, LambdaDeploymentConfig, rollback};
use crate::cloudwatch::Alarm;
use crate::iam::{Grantee, PolicyStatement, Principal, Role, RoleProps};
use crate::lambda::{Alias, Function, function_arn};

/// How to build a [`LambdaDeploymentGroup`].
#[derive(Clone, Debug, PartialEq)]
pub struct LambdaDeploymentGroupProps {
    alias: Alias,
    config: LambdaDeploymentConfig,
    application: Option<LambdaApplication>,
    deployment_group_name: Option<Val<String>>,
    auto_rollback: AutoRollback,
    alarms: Vec<Val<String>>,
    pre_traffic_hook: Option<Val<String>>,
    post_traffic_hook: Option<Val<String>>,
}

impl LambdaDeploymentGroupProps {
    /// Moves `alias` to each new version the way `config` says (SAM's `AutoPublishAlias`
    /// and `DeploymentPreference.Type`). A failed deployment rolls back.
    pub fn new(alias: &Alias, config: LambdaDeploymentConfig) -> LambdaDeploymentGroupProps {
        LambdaDeploymentGroupProps {
            alias: *alias,
            config,
            application: None,
            deployment_group_name: None,
            auto_rollback: AutoRollback::default(),
            alarms: Vec::new(),
            pre_traffic_hook: None,
            post_traffic_hook: None,
        }
    }

    /// Uses this application (otherwise the group creates its own, the child
    /// `Application`).
    pub fn application(mut self, application: LambdaApplication) -> Self {
        self.application = Some(application);
        self
    }

    /// Fixes the deployment group name (otherwise CloudFormation generates one).
    pub fn deployment_group_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.deployment_group_name = Some(name.into());
        self
    }

    /// Sets when CodeDeploy rolls back by itself.
    pub fn auto_rollback(mut self, rollback: AutoRollback) -> Self {
        self.auto_rollback = rollback;
        self
    }

    /// Adds an alarm that stops (and by default rolls back) a deployment when it fires.
    pub fn alarm(mut self, alarm: &Alarm) -> Self {
        self.alarms.push(alarm.name());
        self
    }

    /// Adds an alarm by name.
    pub fn alarm_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.alarms.push(name.into());
        self
    }

    /// Runs `hook` before traffic moves (SAM's `Hooks.PreTraffic`). The hook reports its
    /// result with `codedeploy:PutLifecycleEventHookExecutionStatus`; see
    /// [`LambdaDeploymentGroup::grant_hook_status`].
    pub fn pre_traffic_hook(self, hook: &Function) -> Self {
        self.pre_traffic_hook_name(hook.function_name())
    }

    /// Runs the function named `name` before traffic moves.
    pub fn pre_traffic_hook_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.pre_traffic_hook = Some(name.into());
        self
    }

    /// Runs `hook` after all traffic moved (SAM's `Hooks.PostTraffic`).
    pub fn post_traffic_hook(self, hook: &Function) -> Self {
        self.post_traffic_hook_name(hook.function_name())
    }

    /// Runs the function named `name` after all traffic moved.
    pub fn post_traffic_hook_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.post_traffic_hook = Some(name.into());
        self
    }
}

/// A CodeDeploy deployment group that shifts a Lambda alias to new versions gradually,
/// with its own service role; the alias gets the `CodeDeployLambdaAliasUpdate` update
/// policy, so CloudFormation hands each alias update to CodeDeploy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LambdaDeploymentGroup {
    resource: l1::DeploymentGroupRef,
    application: LambdaApplication,
    role: Role,
}

impl LambdaDeploymentGroup {
    /// Creates the deployment group as the construct `id` in `scope`, with the children
    /// `ServiceRole` and, unless one is given, `Application`.
    pub fn new(
        scope: &mut Scope<'_>,
        id: &str,
        props: LambdaDeploymentGroupProps,
    ) -> LambdaDeploymentGroup {
        let mut inner = scope.child(id);
        let application =
            props.application.unwrap_or_else(|| LambdaApplication::new(&mut inner, "Application"));
        let role = Role::new(
            &mut inner,
            "ServiceRole",
            RoleProps::new(Principal::service("codedeploy.amazonaws.com")).managed_policy(sub!(
                "arn:{}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda",
                pseudo::partition()
            )),
        );
        // The managed policy only lets CodeDeploy invoke hooks named `CodeDeployHook_*`;
        // these hooks by their own names instead.
        let hooks: Vec<Val<String>> = [&props.pre_traffic_hook, &props.post_traffic_hook]
            .into_iter()
            .flatten()
            .map(|name| function_arn(name.clone()))
            .collect();
        if !hooks.is_empty() {
            let mut s = PolicyStatement::allow().action("lambda:InvokeFunction");
            for arn in hooks {
                s = s.resource(arn);
            }
            role.add_to_policy(&mut inner, s);
        }
        let config = config_name(
            &mut inner,
            props.config.resolve(),
            DeploymentConfigComputePlatform::Lambda,
        );
        let mut g = l1::DeploymentGroup::new(application.application_name(), role.arn())
            .deployment_style(
                dg::DeploymentStyle::new()
                    .deployment_type(dg::DeploymentStyleDeploymentType::BlueGreen)
                    .deployment_option(dg::DeploymentStyleDeploymentOption::WithTrafficControl),
            );
        g.deployment_config_name = config;
        g.deployment_group_name = props.deployment_group_name;
        rollback::apply(&mut inner, &mut g, props.auto_rollback, props.alarms);
        let resource = inner.add("Resource", g);

        let mut update = vec![
            ("ApplicationName", application.application_name().into_json()),
            ("DeploymentGroupName", resource.reference().into_json()),
        ];
        if let Some(hook) = props.pre_traffic_hook {
            update.push(("BeforeAllowTrafficHook", hook.into_json()));
        }
        if let Some(hook) = props.post_traffic_hook {
            update.push(("AfterAllowTrafficHook", hook.into_json()));
        }
        let policy = Val::object([("CodeDeployLambdaAliasUpdate", Val::object(update))]);
        match inner.node(props.alias.resource()) {
            Some(node) => {
                node.set_update_policy(policy);
            }
            None => inner.foreign_handle("the alias"),
        }
        LambdaDeploymentGroup { resource, application, role }
    }

    /// The L1 handle.
    pub fn resource(&self) -> l1::DeploymentGroupRef {
        self.resource
    }

    /// The application.
    pub fn application(&self) -> LambdaApplication {
        self.application
    }

    /// The role CodeDeploy uses.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The application name.
    pub fn application_name(&self) -> Val<String> {
        self.application.application_name()
    }

    /// The deployment group name (`Ref`).
    pub fn deployment_group_name(&self) -> Val<String> {
        self.resource.reference()
    }

    /// Lets a hook function report its result to deployments of this group
    /// (`codedeploy:PutLifecycleEventHookExecutionStatus`).
    pub fn grant_hook_status(&self, scope: &mut Scope<'_>, hook: &impl Grantee) {
        hook.add_to_principal_policy(
            scope,
            PolicyStatement::allow()
                .action("codedeploy:PutLifecycleEventHookExecutionStatus")
                .resource(sub!(
                    "arn:{}:codedeploy:{}:{}:deploymentgroup:{}/{}",
                    pseudo::partition(),
                    pseudo::region(),
                    pseudo::account_id(),
                    self.application_name(),
                    self.deployment_group_name()
                )),
        );
    }
}

//! What the ECS, Lambda and server deployment groups share: the settings every group takes, and the
//! steps that build one (node, application, service role, configuration, rollback).

use stackwright_aws::codedeploy as l1;
use stackwright_aws::codedeploy::deployment_config::DeploymentConfigComputePlatform;
use stackwright_aws::codedeploy::deployment_group as dg;
use stackwright_core::{Arn, ConstructRef, ConstructState, Scope, Suppression, Val};

use super::config::{Resolved, config_name};
use super::{AutoRollback, rollback};
use crate::Stateless;
use crate::iam::{Principal, Role, RoleProps};

/// The CodeDeploy application a group belongs to, created by the group when none is given.
pub(crate) trait Application: Copy {
    /// Creates the application as the child `id` of `scope`.
    fn create(scope: &mut Scope<'_>, id: &str) -> Self;
    /// Its name.
    fn name(&self) -> Val<String>;
}

/// The settings every deployment group takes.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct GroupSettings<A> {
    pub(crate) application: Option<A>,
    pub(crate) deployment_group_name: Option<Val<String>>,
    pub(crate) auto_rollback: AutoRollback,
    pub(crate) alarms: Vec<Val<String>>,
}

impl<A> Default for GroupSettings<A> {
    fn default() -> Self {
        GroupSettings {
            application: None,
            deployment_group_name: None,
            auto_rollback: AutoRollback::default(),
            alarms: Vec::new(),
        }
    }
}

/// The builder methods of [`GroupSettings`], for a props struct with a `group` field.
macro_rules! group_settings_methods {
    ($application:ty) => {
        /// Uses this application (otherwise the group creates its own, the child
        /// `Application`).
        pub fn application(mut self, application: $application) -> Self {
            self.group.application = Some(application);
            self
        }

        /// Fixes the deployment group name (otherwise CloudFormation generates one).
        pub fn deployment_group_name(
            mut self,
            name: impl Into<stackwright_core::Val<String>>,
        ) -> Self {
            self.group.deployment_group_name = Some(name.into());
            self
        }

        /// Sets when CodeDeploy rolls back by itself.
        pub fn auto_rollback(mut self, rollback: super::AutoRollback) -> Self {
            self.group.auto_rollback = rollback;
            self
        }

        /// Adds an alarm that stops (and by default rolls back) a deployment when it fires.
        pub fn alarm(mut self, alarm: &crate::cloudwatch::Alarm) -> Self {
            self.group.alarms.push(alarm.alarm_name());
            self
        }

        /// Adds an alarm by name.
        pub fn alarm_name(mut self, name: impl Into<stackwright_core::Val<String>>) -> Self {
            self.group.alarms.push(name.into());
            self
        }
    };
}
pub(crate) use group_settings_methods;

/// The accessors of a deployment group struct with `node`, `resource`, `application` and
/// `role` fields.
macro_rules! group_accessors {
    ($application:ty) => {
        /// The construct node, for its path and children.
        pub fn node(&self) -> stackwright_core::ConstructRef<crate::Stateless> {
            self.node
        }

        /// The L1 handle.
        pub fn resource(&self) -> stackwright_aws::codedeploy::DeploymentGroupRef {
            self.resource
        }

        /// The application.
        pub fn application(&self) -> $application {
            self.application
        }

        /// The role CodeDeploy uses.
        pub fn role(&self) -> crate::iam::Role {
            self.role
        }

        /// The application name, as the pipeline's deploy actions take it.
        pub fn application_name(&self) -> stackwright_core::Val<String> {
            super::group::Application::name(&self.application)
        }

        /// The deployment group name (`Ref`), as the pipeline's deploy actions take it.
        pub fn deployment_group_name(&self) -> stackwright_core::Val<String> {
            stackwright_core::Handle::reference(&self.resource)
        }
    };
}
pub(crate) use group_accessors;

/// A group being built: its node, its scope, and the collaborators it created.
pub(crate) struct Begun<'a, A, S: ConstructState = Stateless> {
    pub(crate) node: ConstructRef<S>,
    pub(crate) scope: Scope<'a>,
    pub(crate) application: A,
    pub(crate) role: Role,
}

/// Starts the group `id`: its node, its application (the given one, or the child
/// `Application`) and its service role `ServiceRole` with the AWS managed policy
/// `managed_policy` (`service-role/AWSCodeDeployRoleForLambda`).
#[track_caller]
pub(crate) fn begin<'a, A: Application>(
    scope: &'a mut Scope<'_>,
    id: &str,
    kind: &'static str,
    settings: &GroupSettings<A>,
    managed_policy: &str,
) -> Begun<'a, A> {
    begin_with(scope, id, Stateless::new(kind), settings, managed_policy)
}

/// [`begin`] with a state of the group's own.
#[track_caller]
pub(crate) fn begin_with<'a, A: Application, S: ConstructState>(
    scope: &'a mut Scope<'_>,
    id: &str,
    state: S,
    settings: &GroupSettings<A>,
    managed_policy: &str,
) -> Begun<'a, A, S> {
    let (node, mut inner) = scope.construct(id, state);
    let application = settings.application.unwrap_or_else(|| A::create(&mut inner, "Application"));
    let policy = Arn::new("iam", "policy", managed_policy).global().account("aws").to_val();
    let role = Role::new(
        &mut inner,
        "ServiceRole",
        RoleProps::new(Principal::service("codedeploy.amazonaws.com")).managed_policy(policy),
    );
    // The policy AWS writes for this very role: what CodeDeploy needs changes with the
    // service, and AWS keeps the policy in step.
    let reason =
        format!("{managed_policy} is the policy AWS maintains for CodeDeploy's service role");
    inner.suppress(role.node(), Suppression::new(&crate::rules::IAM_AWS_MANAGED_POLICY, reason));
    Begun { node, scope: inner, application, role }
}

/// Finishes the group: its configuration (a child `DeploymentConfig` for steps of one's
/// own), a blue/green deployment style with traffic control, what `platform_settings` adds,
/// the name and rollback settings, and the L1 as the child `Resource`.
pub(crate) fn finish<A: Application>(
    begun: &mut Begun<'_, A>,
    settings: GroupSettings<A>,
    config: Resolved,
    platform: DeploymentConfigComputePlatform,
    platform_settings: impl FnOnce(dg::DeploymentGroup) -> dg::DeploymentGroup,
) -> l1::DeploymentGroupRef {
    let config = config_name(&mut begun.scope, config, platform);
    let style = dg::DeploymentStyle::new()
        .deployment_type(dg::DeploymentStyleDeploymentType::BlueGreen)
        .deployment_option(dg::DeploymentStyleDeploymentOption::WithTrafficControl);
    finish_with(begun, settings, config, style, platform_settings)
}

/// Finishes the group with the configuration name already resolved and the given deployment
/// style: what `platform_settings` adds, the name and rollback settings, and the L1 as the
/// child `Resource`.
pub(crate) fn finish_with<A: Application, S: ConstructState>(
    begun: &mut Begun<'_, A, S>,
    settings: GroupSettings<A>,
    config: Option<Val<String>>,
    style: dg::DeploymentStyle,
    platform_settings: impl FnOnce(dg::DeploymentGroup) -> dg::DeploymentGroup,
) -> l1::DeploymentGroupRef {
    let g = l1::DeploymentGroup::new(l1::DeploymentGroupRequired {
        application_name: begun.application.name(),
        service_role_arn: begun.role.arn(),
    })
    .deployment_style(style);
    let mut g = platform_settings(g);
    g.deployment_config_name = config;
    g.deployment_group_name = settings.deployment_group_name;
    rollback::apply(&mut begun.scope, &mut g, settings.auto_rollback, settings.alarms);
    begun.scope.add("Resource", g)
}

/// The ARN of the deployment group `group` of the application `application`.
pub(crate) fn deployment_group_arn(application: Val<String>, group: Val<String>) -> Val<String> {
    let name = stackwright_core::sub!("{}/{}", application, group);
    Arn::new("codedeploy", "deploymentgroup", name).colon().to_val()
}

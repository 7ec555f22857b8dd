//! The Lambda deployment group: CloudFormation's own form of SAM's `DeploymentPreference`.

use stackwright_aws::codedeploy as l1;
use stackwright_aws::codedeploy::deployment_config::DeploymentConfigComputePlatform;
use stackwright_core::{Arn, ConstructRef, Handle, Scope, Val};

use super::group::{GroupSettings, begin, finish, group_accessors, group_settings_methods};
use super::{LambdaApplication, LambdaDeploymentConfig, deployment_group_arn};
use crate::Stateless;
use crate::iam::{Grantee, PolicyStatement, Role};
use crate::lambda::{Alias, Function};

/// How to build a [`LambdaDeploymentGroup`].
#[derive(Clone, Debug, PartialEq)]
pub struct LambdaDeploymentGroupProps {
    alias: Alias,
    config: LambdaDeploymentConfig,
    group: GroupSettings<LambdaApplication>,
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
            group: GroupSettings::default(),
            pre_traffic_hook: None,
            post_traffic_hook: None,
        }
    }

    group_settings_methods!(LambdaApplication);

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
    node: ConstructRef<Stateless>,
    resource: l1::DeploymentGroupRef,
    application: LambdaApplication,
    role: Role,
}

impl LambdaDeploymentGroup {
    /// Creates the deployment group as the construct `id` in `scope`, with the children
    /// `ServiceRole` and, unless one is given, `Application`.
    #[track_caller]
    pub fn new(
        scope: &mut Scope<'_>,
        id: &str,
        props: LambdaDeploymentGroupProps,
    ) -> LambdaDeploymentGroup {
        let mut begun = begin(
            scope,
            id,
            "LambdaDeploymentGroup",
            &props.group,
            "service-role/AWSCodeDeployRoleForLambda",
        );
        let (application, role) = (begun.application, begun.role);
        // The managed policy only lets CodeDeploy invoke hooks named `CodeDeployHook_*`;
        // these hooks by their own names instead.
        let hooks: Vec<Val<String>> = [&props.pre_traffic_hook, &props.post_traffic_hook]
            .into_iter()
            .flatten()
            .map(|name| Arn::new("lambda", "function", name.clone()).colon().to_val())
            .collect();
        if !hooks.is_empty() {
            let mut s = PolicyStatement::allow().action("lambda:InvokeFunction");
            for arn in hooks {
                s = s.resource(arn);
            }
            role.add_to_policy(&mut begun.scope, s);
        }
        let config = props.config.resolve();
        let resource =
            finish(&mut begun, props.group, config, DeploymentConfigComputePlatform::Lambda, |g| g);
        let node = begun.node;
        let inner = &mut begun.scope;

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
        LambdaDeploymentGroup { node, resource, application, role }
    }

    group_accessors!(LambdaApplication);

    /// Lets a hook function report its result to deployments of this group
    /// (`codedeploy:PutLifecycleEventHookExecutionStatus`).
    #[track_caller]
    pub fn grant_hook_status(&self, scope: &mut Scope<'_>, hook: &impl Grantee) {
        hook.add_to_principal_policy(
            scope,
            PolicyStatement::allow()
                .action("codedeploy:PutLifecycleEventHookExecutionStatus")
                .resource(deployment_group_arn(
                    self.application_name(),
                    self.deployment_group_name(),
                )),
        );
    }
}

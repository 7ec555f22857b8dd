//! Deploying a stack of the same app: the template path, capabilities and parameters follow
//! from the stack itself, so none of them is restated as a string.

use stackwright_core::kind;
use stackwright_core::{ParameterRef, StackId, Val};

use super::super::action::{Action, ActionType, Common, push_unique};
use super::super::artifact::Artifact;
use crate::iam::Role;

/// Deploys a stack of the app that holds the pipeline (`Deploy/AWS/CloudFormation`), from
/// its template committed in the source artifact.
///
/// Everything a plain [`CloudFormationAction`](super::CloudFormationAction) is told, this one
/// derives from the stack at synth:
/// - the template's path in the source: the output folder and format of the synth;
/// - the capabilities: `CAPABILITY_IAM` for IAM resources, `CAPABILITY_NAMED_IAM` when one
///   is named, `CAPABILITY_AUTO_EXPAND` for transforms (SAM);
/// - the parameter overrides, checked against the stack's parameters: one it does not
///   declare, or a parameter without a default left out, is a synth error;
/// - the run order: stacks deployed in one stage go in dependency order, independent ones
///   side by side, and a stage order that contradicts the stacks' dependencies is an error;
/// - the region: the stack's own, when its environment fixes one.
///
/// A stack in another account deploys through that account's roles:
/// [`cross_account_role`](StackDeploy::cross_account_role) for the action and
/// [`deployment_role_arn`](StackDeploy::deployment_role_arn) for CloudFormation; without them
/// it is a synth error. [`review_change_set`](StackDeploy::review_change_set) makes the
/// deployment a change set, a manual approval and its execution.
#[derive(Clone, Debug, PartialEq)]
pub struct StackDeploy {
    common: Common,
    target: AppStack,
}

/// A deployment of a stack of the app, kept on the [`Action`] until the pipeline renders it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct AppStack {
    pub(crate) stack: StackId,
    pub(crate) source: Artifact,
    pub(crate) overrides: Vec<(Override, Val<String>)>,
    pub(crate) deployment_role: Option<Val<kind::RoleArn>>,
    pub(crate) cross_account_role: Option<Val<kind::RoleArn>>,
    pub(crate) review: bool,
}

/// Which parameter an override sets.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Override {
    /// A parameter declared on a stack of the app.
    Parameter(ParameterRef),
    /// A parameter by name, checked at synth against the stack's parameters.
    Named(String),
}

impl StackDeploy {
    /// Deploys `stack` (from [`Scope::stack_id`](stackwright_core::Scope::stack_id)) from its
    /// committed template in `source`, as an action named `name`.
    pub fn new(name: impl Into<String>, stack: StackId, source: &Artifact) -> StackDeploy {
        StackDeploy {
            common: Common::new(name),
            target: AppStack {
                stack,
                source: source.clone(),
                overrides: Vec::new(),
                deployment_role: None,
                cross_account_role: None,
                review: false,
            },
        }
    }

    /// Sets parameter `parameter` of the stack (`ParameterOverrides`). A parameter of another
    /// stack is a synth error.
    pub fn parameter(mut self, parameter: ParameterRef, value: impl Into<Val<String>>) -> Self {
        self.target.overrides.push((Override::Parameter(parameter), value.into()));
        self
    }

    /// Sets the parameter named `name`, for a parameter added without keeping its handle; a
    /// name the stack does not declare is a synth error.
    pub fn parameter_named(
        mut self,
        name: impl Into<String>,
        value: impl Into<Val<String>>,
    ) -> Self {
        self.target.overrides.push((Override::Named(name.into()), value.into()));
        self
    }

    /// The role CloudFormation deploys with (`RoleArn`), a role of this app.
    pub fn deployment_role(mut self, role: &Role) -> Self {
        self.target.deployment_role = Some(role.arn());
        self
    }

    /// The role CloudFormation deploys with, by ARN (a role of another account).
    pub fn deployment_role_arn(mut self, arn: impl Into<Val<kind::RoleArn>>) -> Self {
        self.target.deployment_role = Some(arn.into());
        self
    }

    /// Runs the action as this role of the stack's account (the action's `RoleArn`): the
    /// pipeline role may assume it, and it may read the artifact store.
    pub fn cross_account_role(mut self, arn: impl Into<Val<kind::RoleArn>>) -> Self {
        self.target.cross_account_role = Some(arn.into());
        self
    }

    /// Deploys through a change set a person reviews: the change set is created, a manual
    /// approval waits, then the change set is executed.
    pub fn review_change_set(mut self, on: bool) -> Self {
        self.target.review = on;
        self
    }

    /// Runs the action at this position in its stage (1 to 999) instead of the one the
    /// stacks' dependencies give.
    pub fn run_order(mut self, n: i64) -> Self {
        self.common.run_order = Some(n);
        self
    }

    /// The namespace the stack's outputs are published under: the one given with
    /// [`variables_namespace`](StackDeploy::variables_namespace), or the action's name.
    pub fn namespace(&self) -> &str {
        self.common.namespace.as_deref().unwrap_or(&self.common.name)
    }

    /// Publishes the stack's outputs under this namespace instead of the action's name.
    pub fn variables_namespace(mut self, namespace: impl Into<String>) -> Self {
        self.common.namespace = Some(namespace.into());
        self
    }

    /// Output `name` of the stack, as a pipeline variable for later actions
    /// (`#{Namespace.Name}`). An output the stack does not declare is a synth error.
    pub fn output(&self, name: &str) -> Val<String> {
        Val::from(format!("#{{{}.{name}}}", self.namespace()))
    }
}

impl From<StackDeploy> for Action {
    fn from(d: StackDeploy) -> Action {
        let mut common = d.common;
        // The outputs are always published: the namespace costs nothing, and later actions
        // read them by it.
        common.namespace = Some(common.namespace.unwrap_or_else(|| common.name.clone()));
        let mut a = Action::new(
            common,
            ActionType::new("Deploy", "AWS", "CloudFormation", "CloudFormation", (0, 10), (0, 1)),
        );
        push_unique(&mut a.inputs, &d.target.source);
        a.app_stack = Some(Box::new(d.target));
        a
    }
}

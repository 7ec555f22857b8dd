//! The CloudFormation actions: deploy, change sets and deletion of a stack.

use stackwright_core::kind;
use stackwright_core::{Expr, Json, Val, fns, pseudo, sub};

use super::super::action::{
    Action, ActionType, Common, Need, common_methods, push_unique, region_method,
};
use super::super::artifact::{Artifact, ArtifactPath};
use super::arn_in;
use crate::iam::PolicyStatement;

/// A capability a template may need CloudFormation to acknowledge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Capability {
    /// `CAPABILITY_IAM`: the template creates IAM resources.
    Iam,
    /// `CAPABILITY_NAMED_IAM`: the template creates IAM resources with custom names.
    NamedIam,
    /// `CAPABILITY_AUTO_EXPAND`: the template uses macros or nested stacks (SAM).
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Mode {
    CreateUpdate,
    ReplaceChangeSet,
    ExecuteChangeSet,
    DeleteOnly,
}

impl Mode {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Mode::CreateUpdate => "CREATE_UPDATE",
            Mode::ReplaceChangeSet => "CHANGE_SET_REPLACE",
            Mode::ExecuteChangeSet => "CHANGE_SET_EXECUTE",
            Mode::DeleteOnly => "DELETE_ONLY",
        }
    }
}

/// Deploys, prepares, executes or deletes a CloudFormation stack
/// (`Deploy/AWS/CloudFormation`).
///
/// CloudFormation acts with the [`deployment_role`](CloudFormationAction::deployment_role)
/// (`RoleArn`), which the pipeline role may pass to CloudFormation only; the pipeline role
/// itself may act on this stack only. With a
/// [`cross_account_role`](CloudFormationAction::cross_account_role) the action runs as that
/// role of another account instead: the pipeline role may assume it, and it may read the
/// artifact store, which must then be KMS-encrypted.
#[derive(Clone, Debug, PartialEq)]
pub struct CloudFormationAction {
    common: Common,
    mode: Mode,
    stack_name: Val<String>,
    change_set_name: Option<Val<String>>,
    template: Option<ArtifactPath>,
    template_configuration: Option<ArtifactPath>,
    deployment_role: Option<Val<kind::RoleArn>>,
    capabilities: Vec<Capability>,
    parameters: Vec<(String, Val<String>)>,
    output: Option<(Artifact, String)>,
    extra_inputs: Vec<Artifact>,
    cross_account_role: Option<Val<kind::RoleArn>>,
}

common_methods!(CloudFormationAction);
region_method!(CloudFormationAction);

impl CloudFormationAction {
    fn with(
        name: impl Into<String>,
        mode: Mode,
        stack_name: impl Into<Val<String>>,
    ) -> CloudFormationAction {
        CloudFormationAction {
            common: Common::new(name),
            mode,
            stack_name: stack_name.into(),
            change_set_name: None,
            template: None,
            template_configuration: None,
            deployment_role: None,
            capabilities: Vec::new(),
            parameters: Vec::new(),
            output: None,
            extra_inputs: Vec::new(),
            cross_account_role: None,
        }
    }

    /// Creates the stack, or updates it (`CREATE_UPDATE`), from `template`.
    pub fn create_update(
        name: impl Into<String>,
        stack_name: impl Into<Val<String>>,
        template: ArtifactPath,
    ) -> CloudFormationAction {
        CloudFormationAction {
            template: Some(template),
            ..CloudFormationAction::with(name, Mode::CreateUpdate, stack_name)
        }
    }

    /// Creates or replaces the change set `change_set` (`CHANGE_SET_REPLACE`), for review
    /// before [`execute_change_set`](CloudFormationAction::execute_change_set).
    pub fn replace_change_set(
        name: impl Into<String>,
        stack_name: impl Into<Val<String>>,
        change_set: impl Into<Val<String>>,
        template: ArtifactPath,
    ) -> CloudFormationAction {
        CloudFormationAction {
            template: Some(template),
            change_set_name: Some(change_set.into()),
            ..CloudFormationAction::with(name, Mode::ReplaceChangeSet, stack_name)
        }
    }

    /// Executes the change set `change_set` (`CHANGE_SET_EXECUTE`).
    pub fn execute_change_set(
        name: impl Into<String>,
        stack_name: impl Into<Val<String>>,
        change_set: impl Into<Val<String>>,
    ) -> CloudFormationAction {
        CloudFormationAction {
            change_set_name: Some(change_set.into()),
            ..CloudFormationAction::with(name, Mode::ExecuteChangeSet, stack_name)
        }
    }

    /// Deletes the stack (`DELETE_ONLY`).
    pub fn delete_stack(
        name: impl Into<String>,
        stack_name: impl Into<Val<String>>,
    ) -> CloudFormationAction {
        CloudFormationAction::with(name, Mode::DeleteOnly, stack_name)
    }

    /// The role CloudFormation deploys with (`RoleArn`): it needs permission for whatever
    /// the template creates. Without one, CloudFormation would act with the pipeline role.
    pub fn deployment_role(mut self, arn: impl Into<Val<kind::RoleArn>>) -> Self {
        self.deployment_role = Some(arn.into());
        self
    }

    /// Acknowledges capabilities the template needs.
    pub fn capabilities(mut self, capabilities: impl IntoIterator<Item = Capability>) -> Self {
        for c in capabilities {
            if !self.capabilities.contains(&c) {
                self.capabilities.push(c);
            }
        }
        self
    }

    /// Overrides a template parameter (`ParameterOverrides`).
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<Val<String>>) -> Self {
        self.parameters.push((name.into(), value.into()));
        self
    }

    /// Reads parameters, tags and stack policy from a template configuration file.
    pub fn template_configuration(mut self, file: ArtifactPath) -> Self {
        self.template_configuration = Some(file);
        self
    }

    /// Writes the stack's outputs as JSON to `file` in the output artifact.
    pub fn output(mut self, artifact: &Artifact, file: impl Into<String>) -> Self {
        self.output = Some((artifact.clone(), file.into()));
        self
    }

    /// Another input artifact (for files the parameter overrides read).
    pub fn extra_input(mut self, artifact: &Artifact) -> Self {
        push_unique(&mut self.extra_inputs, artifact);
        self
    }

    /// Runs the action as this role of another account (the action's `RoleArn`), which
    /// then passes the deployment role. The artifact store must be KMS-encrypted.
    pub fn cross_account_role(mut self, arn: impl Into<Val<kind::RoleArn>>) -> Self {
        self.cross_account_role = Some(arn.into());
        self
    }

    fn build(self) -> Action {
        let region = self.common.region.clone();
        let mut a = Action::new(
            self.common,
            ActionType::new("Deploy", "AWS", "CloudFormation", "CloudFormation", (0, 10), (0, 1)),
        );
        a.config("ActionMode", self.mode.as_str());
        a.config("StackName", self.stack_name.clone());
        a.config_opt("ChangeSetName", self.change_set_name.clone());
        if let Some(t) = &self.template {
            a.config("TemplatePath", t.to_string());
            push_unique(&mut a.inputs, t.artifact());
        }
        if let Some(t) = &self.template_configuration {
            a.config("TemplateConfiguration", t.to_string());
            push_unique(&mut a.inputs, t.artifact());
        }
        for i in &self.extra_inputs {
            push_unique(&mut a.inputs, i);
        }
        a.config_opt("RoleArn", self.deployment_role.clone());
        if !self.capabilities.is_empty() {
            let list: Vec<&str> = self.capabilities.iter().map(|c| c.as_str()).collect();
            a.config("Capabilities", list.join(","));
        }
        if !self.parameters.is_empty() {
            let object = Val::<Json>::object(
                self.parameters.iter().map(|(k, v)| (k.clone(), v.clone().into_json())),
            );
            a.config("ParameterOverrides", fns::json_text(&object));
        }
        if let Some((artifact, file)) = &self.output {
            a.config("OutputFileName", file.as_str());
            a.outputs.push(artifact.clone());
        }
        let takes_role = !matches!(self.mode, Mode::ExecuteChangeSet);
        match &self.cross_account_role {
            Some(role) => {
                a.role_arn = Some(role.clone());
                a.needs.push(Need::AssumeRole(role.clone()));
            }
            None => {
                a.allow(stack_statement(
                    self.mode,
                    region.unwrap_or_else(pseudo::region),
                    self.stack_name.clone(),
                ));
                match &self.deployment_role {
                    Some(role) => a.allow(pass_role(role.clone())),
                    None if takes_role => a.warnings.push(
                        "no deployment_role: CloudFormation would act with the pipeline role, \
                         which may only run the pipeline; pass the role the stack deploys with"
                            .to_owned(),
                    ),
                    None => {}
                }
            }
        }
        if !takes_role && self.deployment_role.is_some() {
            a.problems.push(
                "a change set executes with the role it was created with; \
                 drop deployment_role here"
                    .to_owned(),
            );
        }
        if let Some(Expr::Str(s)) = self.change_set_name.as_ref().map(Val::expr)
            && s.is_empty()
        {
            a.problems.push("the change set name is empty".to_owned());
        }
        a
    }
}

/// What the pipeline role may do to stack `stack_name` in `region` for an action in `mode`.
pub(crate) fn stack_statement(
    mode: Mode,
    region: Val<String>,
    stack_name: Val<String>,
) -> PolicyStatement {
    let stack = arn_in("cloudformation", region, sub!("stack/{}/*", stack_name));
    let actions: &[&str] = match mode {
        Mode::CreateUpdate => &[
            "cloudformation:CreateStack",
            "cloudformation:UpdateStack",
            "cloudformation:DescribeStacks",
            "cloudformation:DescribeStackEvents",
            "cloudformation:GetTemplate",
        ],
        Mode::ReplaceChangeSet => &[
            "cloudformation:CreateChangeSet",
            "cloudformation:DeleteChangeSet",
            "cloudformation:DescribeChangeSet",
            "cloudformation:DescribeStacks",
        ],
        Mode::ExecuteChangeSet => &[
            "cloudformation:ExecuteChangeSet",
            "cloudformation:DescribeChangeSet",
            "cloudformation:DescribeStacks",
        ],
        Mode::DeleteOnly => &["cloudformation:DeleteStack", "cloudformation:DescribeStacks"],
    };
    PolicyStatement::allow().actions(actions.iter().copied()).resource(stack)
}

/// The pipeline role may pass the deployment role, to CloudFormation only.
pub(crate) fn pass_role(role: Val<kind::RoleArn>) -> PolicyStatement {
    PolicyStatement::allow().action("iam:PassRole").resource(role).condition(
        "StringEquals",
        "iam:PassedToService",
        "cloudformation.amazonaws.com",
    )
}

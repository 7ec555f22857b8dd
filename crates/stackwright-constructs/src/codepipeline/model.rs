//! The pipeline as it lives in the arena: stages and actions kept typed until synth, then
//! rendered into the L1 `AWS::CodePipeline::Pipeline` and checked.

use stackwright_aws::codepipeline::pipeline as l1;
use stackwright_core::kind;
use stackwright_core::{ConstructState, Scope, Val};

use super::action::Action;
use super::trigger::GitTrigger;
use crate::iam::{Policies, PolicyOwner, PolicyStatement, Role};

/// One stage.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct StageModel {
    pub(crate) name: String,
    pub(crate) actions: Vec<Action>,
    pub(crate) transition_disabled: Option<String>,
}

/// The artifact store, as grants and checks need it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Store {
    /// Whether artifacts are encrypted with a KMS key (which other accounts can be given).
    pub(crate) kms: bool,
    pub(crate) bucket_arn: Val<String>,
    pub(crate) key_arn: Option<Val<kind::KmsKeyArn>>,
}

/// What a [`Pipeline`](super::Pipeline) keeps until synth: its stages and actions, triggers,
/// artifact store and the policies of the store it created. Rendered into the L1
/// `AWS::CodePipeline::Pipeline` (the child `Resource`) and checked as CodePipeline checks it.
#[derive(Clone, Debug)]
pub struct PipelineState {
    pub(crate) stages: Vec<StageModel>,
    pub(crate) git_triggers: Vec<GitTrigger>,
    pub(crate) store: Store,
    /// Regions with an artifact store of their own (besides the pipeline's).
    pub(crate) regions: Vec<Val<String>>,
    /// Artifacts that are `CODEBUILD_CLONE_REF`s, with what cloning them takes.
    pub(crate) clone_refs: Vec<(String, PolicyStatement)>,
    pub(crate) events_role: Option<Role>,
    pub(crate) role: Option<Role>,
    /// The artifact bucket's and key's policies, when the pipeline created them.
    pub(crate) policies: Policies,
}

impl PipelineState {
    pub(crate) fn new(store: Store) -> PipelineState {
        PipelineState {
            stages: Vec::new(),
            git_triggers: Vec::new(),
            store,
            regions: Vec::new(),
            clone_refs: Vec::new(),
            events_role: None,
            role: None,
            policies: Policies::default(),
        }
    }

    /// Fills the stages, transitions and triggers into the L1.
    fn fill(&self, p: &mut l1::Pipeline) {
        // Deployments of the app's stacks are completed before this.
        p.stages = self
            .stages
            .iter()
            .map(|s| {
                l1::StageDeclaration::new(l1::StageDeclarationRequired {
                    actions: s.actions.iter().map(Action::declaration),
                    name: s.name.as_str(),
                })
            })
            .collect();
        p.disable_inbound_stage_transitions = self
            .stages
            .iter()
            .filter_map(|s| {
                s.transition_disabled.as_ref().map(|r| {
                    l1::StageTransition::new(l1::StageTransitionRequired {
                        reason: r.as_str(),
                        stage_name: s.name.as_str(),
                    })
                })
            })
            .collect();
        p.triggers = self.git_triggers.iter().map(GitTrigger::declaration).collect();
    }
}

impl ConstructState for PipelineState {
    fn kind(&self) -> &'static str {
        "Pipeline"
    }

    fn renders_last(&self) -> bool {
        // Deploying the app's own stacks reads them whole: their parameters, outputs and
        // resources, and the dependencies between them.
        self.stages.iter().any(|s| s.actions.iter().any(|a| a.app_stack.is_some()))
    }

    fn render(&self, scope: &mut Scope<'_>) {
        self.policies.render(scope);
        let Some(resource) = scope.slot_resource::<l1::PipelineRef>("Resource") else { return };
        let mut state = self.clone();
        let mut stage_problems = Vec::new();
        let home = scope.stack_id();
        super::app_stacks::complete(scope.app(), home, &mut state.stages, &mut stage_problems);
        for (code, message) in stage_problems {
            scope.error(code, message, "");
        }
        let Some(p) = scope.app().get_mut::<l1::Pipeline>(resource) else { return };
        state.fill(p);
        let mut problems = Vec::new();
        super::validate::validate(&state, p, &mut problems);
        // A new pipeline starts at once, so its role's policy must exist first; nothing in
        // the pipeline references the policy, so CloudFormation needs telling.
        let policy = self.role.and_then(|r| r.default_policy(scope.app()));
        if let Some(node) = scope.node(resource) {
            if let Some(policy) = policy {
                node.add_dependency(policy);
            }
            // The stages are checked below in CodePipeline's words.
            node.cover_property_checks([
                "Stages",
                "Stages.*.Name",
                "Stages.*.Actions",
                "Stages.*.Actions.*.Name",
            ]);
        }
        for p in problems {
            scope.error(
                code_of(&p.property),
                format!("property `{}`: {}", p.property, p.message),
                "",
            );
        }
    }
}

impl PolicyOwner for PipelineState {
    fn policies(&self) -> &Policies {
        &self.policies
    }

    fn policies_mut(&mut self) -> &mut Policies {
        &mut self.policies
    }
}

/// The code of a pipeline problem, from the property it is about.
fn code_of(property: &str) -> &'static str {
    let last = property.rsplit('.').find(|c| !c.chars().all(|d| d.is_ascii_digit()));
    match last.unwrap_or(property) {
        "Stages" => "codepipeline.stage-count",
        "Name" => "codepipeline.name",
        "Actions" => "codepipeline.empty-stage",
        "ActionTypeId" => "codepipeline.action-placement",
        "RunOrder" => "codepipeline.run-order",
        "InputArtifacts" | "OutputArtifacts" => "codepipeline.artifacts",
        "Triggers" => "codepipeline.trigger",
        "RoleArn" => "codepipeline.cross-account",
        "Region" => "codepipeline.region",
        "Variables" | "ExecutionMode" => "codepipeline.v1",
        _ => "codepipeline.pipeline",
    }
}

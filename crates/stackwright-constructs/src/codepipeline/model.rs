//! The pipeline as it lives in the arena: stages and actions kept typed until synth, then
//! rendered into the L1 `AWS::CodePipeline::Pipeline` and checked.

use stackwright_aws::codepipeline::pipeline as l1;
use stackwright_core::{PropertyProblem, Props, Resource, ResourceType, Val};

use super::action::Action;
use super::trigger::GitTrigger;

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
    pub(crate) key_arn: Option<Val<String>>,
}

/// The `AWS::CodePipeline::Pipeline` resource of a [`Pipeline`](super::Pipeline).
#[derive(Clone, Debug)]
pub struct PipelineResource {
    /// Everything but the stages and triggers.
    pub(crate) l1: l1::Pipeline,
    pub(crate) stages: Vec<StageModel>,
    pub(crate) git_triggers: Vec<GitTrigger>,
    pub(crate) store: Store,
    /// Regions with an artifact store of their own (besides the pipeline's).
    pub(crate) regions: Vec<Val<String>>,
    /// Artifacts that are `CODEBUILD_CLONE_REF`s, with what cloning them takes.
    pub(crate) clone_refs: Vec<(String, crate::iam::PolicyStatement)>,
    pub(crate) events_role: Option<crate::iam::Role>,
}

impl PipelineResource {
    /// The L1 with stages and triggers filled in.
    pub(crate) fn rendered(&self) -> l1::Pipeline {
        let mut p = self.l1.clone();
        p.stages = self
            .stages
            .iter()
            .map(|s| {
                l1::StageDeclaration::new(
                    s.actions.iter().map(Action::declaration),
                    s.name.as_str(),
                )
            })
            .collect();
        p.disable_inbound_stage_transitions = self
            .stages
            .iter()
            .filter_map(|s| {
                s.transition_disabled
                    .as_ref()
                    .map(|r| l1::StageTransition::new(r.as_str(), s.name.as_str()))
            })
            .collect();
        p.triggers = self.git_triggers.iter().map(GitTrigger::declaration).collect();
        p
    }
}

impl Resource for PipelineResource {
    fn resource_type(&self) -> &str {
        "AWS::CodePipeline::Pipeline"
    }

    fn properties(&self) -> Props {
        self.rendered().properties()
    }

    fn validate(&self, problems: &mut Vec<PropertyProblem>) {
        super::validate::validate(self, problems);
        // The L1's own checks, less those the pipeline makes in its own words.
        let mut l1_problems = Vec::new();
        self.rendered().validate(&mut l1_problems);
        problems.extend(l1_problems.into_iter().filter(|p| {
            let covered = p.property == "Stages"
                || (p.property.starts_with("Stages.")
                    && (p.property.ends_with(".Name") || p.property.ends_with(".Actions")));
            !covered
        }));
    }
}

impl ResourceType for PipelineResource {
    type Handle = l1::PipelineRef;
}

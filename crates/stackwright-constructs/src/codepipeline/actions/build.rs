//! The CodeBuild action: runs a build or test project on artifacts.

use stackwright_aws::codebuild::ProjectRef;
use stackwright_core::{Expr, Json, Val, fns};

use super::super::action::{
    Action, ActionType, BuildProject, Common, Need, common_methods, push_unique,
};
use super::super::artifact::Artifact;
use crate::codebuild::Project;
use crate::codebuild::buildspec::lint::plaintext_secret_warnings;
use crate::iam::PolicyStatement;

/// Runs a CodeBuild project (`AWS/CodeBuild`) on one to five artifacts. The project's source
/// and artifacts must be of type `CODEPIPELINE`.
///
/// The pipeline role may start and watch the build (on this project only); the project's
/// own role, when it is a role of this app, may read and write the artifact store.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeBuildAction {
    common: Common,
    test: bool,
    project: BuildProject,
    inputs: Vec<Artifact>,
    outputs: Vec<Artifact>,
    primary_source: Option<Artifact>,
    env: Vec<(Val<String>, Val<String>, &'static str)>,
    batch: bool,
    combine_artifacts: bool,
}

common_methods!(CodeBuildAction);

impl CodeBuildAction {
    /// A build action (category `Build`) running `project` on `input`. The project's role
    /// may read and write the artifact store.
    pub fn new(name: impl Into<String>, project: &Project, input: &Artifact) -> CodeBuildAction {
        CodeBuildAction::with(name, BuildProject::Construct(*project), input)
    }

    /// A build action running an `AWS::CodeBuild::Project` L1 resource (an escape hatch):
    /// its service role is granted the artifact store when it is a role of this app.
    pub fn from_resource(
        name: impl Into<String>,
        project: ProjectRef,
        input: &Artifact,
    ) -> CodeBuildAction {
        CodeBuildAction::with(name, BuildProject::Resource(project), input)
    }

    /// Variable `name` the build exports (`env.exported-variables` of its buildspec), for
    /// later actions (`#{Namespace.NAME}`). The namespace is the one given with
    /// `variables_namespace`, or the action's name, published for you when a later action
    /// reads it. A variable the project's typed buildspec does not export is a synth error.
    pub fn variable(&self, name: &str) -> Val<String> {
        let namespace = self.common.namespace.as_deref().unwrap_or(&self.common.name);
        Val::from(format!("#{{{namespace}.{name}}}"))
    }

    /// Whether it is a test action (category `Test`) rather than a build (default `false`).
    pub fn test(mut self, on: bool) -> Self {
        self.test = on;
        self
    }

    fn with(name: impl Into<String>, project: BuildProject, input: &Artifact) -> CodeBuildAction {
        CodeBuildAction {
            common: Common::new(name),
            test: false,
            project,
            inputs: vec![input.clone()],
            outputs: Vec::new(),
            primary_source: None,
            env: Vec::new(),
            batch: false,
            combine_artifacts: false,
        }
    }

    /// Another input artifact (CodeBuild sees it as a secondary source named after it).
    pub fn extra_input(mut self, artifact: &Artifact) -> Self {
        push_unique(&mut self.inputs, artifact);
        self
    }

    /// Which input is the primary source (default: the first). Only with extra inputs.
    pub fn primary_source(mut self, artifact: &Artifact) -> Self {
        self.primary_source = Some(artifact.clone());
        push_unique(&mut self.inputs, artifact);
        self
    }

    /// An output artifact. The project's buildspec names the files; with several outputs,
    /// its `secondary-artifacts` are matched by artifact name.
    pub fn output(mut self, artifact: &Artifact) -> Self {
        push_unique(&mut self.outputs, artifact);
        self
    }

    /// Overrides a plain-text environment variable for this action. Values may use
    /// pipeline variables (`#{SourceVariables.CommitId}`).
    pub fn env(mut self, name: impl Into<Val<String>>, value: impl Into<Val<String>>) -> Self {
        self.env.push((name.into(), value.into(), "PLAINTEXT"));
        self
    }

    /// An environment variable read from SSM Parameter Store (`value` is the parameter
    /// name). The project's role needs `ssm:GetParameters` on it.
    pub fn env_parameter(
        mut self,
        name: impl Into<Val<String>>,
        parameter: impl Into<Val<String>>,
    ) -> Self {
        self.env.push((name.into(), parameter.into(), "PARAMETER_STORE"));
        self
    }

    /// An environment variable read from Secrets Manager (`secret-id:json-key:...`). The
    /// project's role needs `secretsmanager:GetSecretValue` on it.
    pub fn env_secret(
        mut self,
        name: impl Into<Val<String>>,
        secret: impl Into<Val<String>>,
    ) -> Self {
        self.env.push((name.into(), secret.into(), "SECRETS_MANAGER"));
        self
    }

    /// Runs a batch build (`BatchEnabled`).
    pub fn batch(mut self, on: bool) -> Self {
        self.batch = on;
        self
    }

    /// With a batch build, combines the builds' artifacts into one output artifact.
    pub fn combine_artifacts(mut self, on: bool) -> Self {
        self.combine_artifacts = on;
        self
    }

    fn build(self) -> Action {
        let category = if self.test { "Test" } else { "Build" };
        let mut a = Action::new(
            self.common,
            ActionType::new(category, "AWS", "CodeBuild", "CodeBuild", (1, 5), (0, 5)),
        );
        a.config("ProjectName", self.project.name());
        if self.inputs.len() > 1 {
            let primary = self.primary_source.clone().or_else(|| self.inputs.first().cloned());
            if let Some(p) = primary {
                a.config("PrimarySource", p.name());
            }
        }
        if !self.env.is_empty() {
            let mut vars = Vec::new();
            for (name, value, kind) in &self.env {
                if let (&"PLAINTEXT", Expr::Str(n)) = (kind, name.expr()) {
                    a.warnings.extend(plaintext_secret_warnings(
                        "environment variable",
                        n,
                        value.expr().as_str(),
                        "use env_secret or env_parameter",
                    ));
                }
                vars.push(Val::<Json>::object([
                    ("name", name.clone().into_json()),
                    ("value", value.clone().into_json()),
                    ("type", Val::<Json>::from(*kind)),
                ]));
            }
            a.config("EnvironmentVariables", fns::json_text(&Val::<Json>::list(vars)));
        }
        if self.batch {
            a.config("BatchEnabled", true);
            if self.combine_artifacts {
                a.config("CombineArtifacts", true);
            }
        } else if self.combine_artifacts {
            a.problems
                .push("combine_artifacts needs a batch build; call .batch(true) too".to_owned());
        }
        let mut actions = vec!["codebuild:BatchGetBuilds", "codebuild:StartBuild"];
        if self.batch {
            actions.extend(["codebuild:BatchGetBuildBatches", "codebuild:StartBuildBatch"]);
        }
        a.allow(PolicyStatement::allow().actions(actions).resource(self.project.arn()));
        a.needs.push(Need::ProjectArtifacts(self.project));
        a.inputs = self.inputs;
        a.outputs = self.outputs;
        a
    }
}

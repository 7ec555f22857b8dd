//! The CodeDeploy-to-ECS action: a blue/green deployment of an ECS service.

use stackwright_aws::codedeploy::{ApplicationRef, DeploymentGroupRef};
use stackwright_core::{Handle, Val, sub};

use super::super::action::{Action, ActionType, Common, Need, common_methods, push_unique};
use super::super::artifact::{Artifact, ArtifactPath};
use super::deploy_ecs::pass_role_to;
use super::regional_arn;
use crate::iam::PolicyStatement;

/// Deploys an ECS service blue/green through CodeDeploy (`Deploy/AWS/CodeDeployToECS`).
///
/// Reads the task definition template (`taskdef.json`) and the AppSpec (`appspec.yml`)
/// from artifacts; each [`image`](CodeDeployEcsDeploy::image) replaces a placeholder
/// (`<IMAGE1_NAME>`) in the task definition with the image URI from an artifact's
/// `imageDetail.json` (what an ECR source or a build writes). Its inputs are exactly the
/// artifacts it references.
///
/// The pipeline role may create deployments in that deployment group only, register
/// task definitions and pass roles to ECS tasks only.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeDeployEcsDeploy {
    common: Common,
    application: Val<String>,
    deployment_group: Val<String>,
    task_definition: ArtifactPath,
    app_spec: ArtifactPath,
    images: Vec<(Artifact, String)>,
    /// The deployment group of this app, when deployed through one.
    group: Option<crate::codedeploy::EcsDeploymentGroup>,
}

common_methods!(CodeDeployEcsDeploy);

impl CodeDeployEcsDeploy {
    /// Deploys through `group`, a blue/green deployment group of this app.
    pub fn new(
        name: impl Into<String>,
        group: &crate::codedeploy::EcsDeploymentGroup,
        task_definition: ArtifactPath,
        app_spec: ArtifactPath,
    ) -> CodeDeployEcsDeploy {
        let (application, deployment_group) =
            (group.application_name(), group.deployment_group_name());
        CodeDeployEcsDeploy {
            group: Some(*group),
            ..CodeDeployEcsDeploy::from_names(
                name,
                application,
                deployment_group,
                task_definition,
                app_spec,
            )
        }
    }

    /// Deploys with the CodeDeploy application and deployment group of these names, outside
    /// this app.
    pub fn from_names(
        name: impl Into<String>,
        application: impl Into<Val<String>>,
        deployment_group: impl Into<Val<String>>,
        task_definition: ArtifactPath,
        app_spec: ArtifactPath,
    ) -> CodeDeployEcsDeploy {
        CodeDeployEcsDeploy {
            common: Common::new(name),
            application: application.into(),
            deployment_group: deployment_group.into(),
            task_definition,
            app_spec,
            images: Vec::new(),
            group: None,
        }
    }

    /// Deploys with a CodeDeploy application and deployment group of this app, by their L1
    /// handles (an escape hatch).
    pub fn from_resources(
        name: impl Into<String>,
        application: ApplicationRef,
        deployment_group: DeploymentGroupRef,
        task_definition: ArtifactPath,
        app_spec: ArtifactPath,
    ) -> CodeDeployEcsDeploy {
        CodeDeployEcsDeploy::from_names(
            name,
            application.reference(),
            deployment_group.reference(),
            task_definition,
            app_spec,
        )
    }

    /// Replaces `<placeholder>` in the task definition with the image URI in `input`'s
    /// `imageDetail.json` (`Image<N>ArtifactName`/`Image<N>ContainerName`, up to four).
    pub fn image(mut self, input: &Artifact, placeholder: impl Into<String>) -> Self {
        self.images.push((input.clone(), placeholder.into()));
        self
    }

    fn build(self) -> Action {
        let mut a = Action::new(
            self.common,
            ActionType::new("Deploy", "AWS", "CodeDeployToECS", "CodeDeployToECS", (1, 5), (0, 0)),
        );
        if let Some(group) = self.group {
            a.needs.push(Need::EcsBlueGreen(group));
        }
        a.config("ApplicationName", self.application.clone());
        a.config("DeploymentGroupName", self.deployment_group.clone());
        a.config("TaskDefinitionTemplateArtifact", self.task_definition.artifact().name());
        a.config("TaskDefinitionTemplatePath", self.task_definition.file());
        a.config("AppSpecTemplateArtifact", self.app_spec.artifact().name());
        a.config("AppSpecTemplatePath", self.app_spec.file());
        push_unique(&mut a.inputs, self.task_definition.artifact());
        push_unique(&mut a.inputs, self.app_spec.artifact());
        if self.images.len() > 4 {
            a.problems.push(format!(
                "{} images are replaced; CodeDeployToECS replaces at most 4",
                self.images.len()
            ));
        }
        for (i, (artifact, placeholder)) in self.images.iter().enumerate().take(4) {
            a.config(&format!("Image{}ArtifactName", i + 1), artifact.name());
            a.config(&format!("Image{}ContainerName", i + 1), placeholder.as_str());
            push_unique(&mut a.inputs, artifact);
        }
        let codedeploy = |rest: Val<String>| regional_arn("codedeploy", rest);
        a.allow(
            PolicyStatement::allow()
                .actions([
                    "codedeploy:GetApplication",
                    "codedeploy:GetApplicationRevision",
                    "codedeploy:RegisterApplicationRevision",
                ])
                .resource(codedeploy(sub!("application:{}", self.application.clone()))),
        );
        a.allow(
            PolicyStatement::allow()
                .actions(["codedeploy:CreateDeployment", "codedeploy:GetDeployment"])
                .resource(codedeploy(sub!(
                    "deploymentgroup:{}/{}",
                    self.application,
                    self.deployment_group
                ))),
        );
        a.allow(
            PolicyStatement::allow()
                .action("codedeploy:GetDeploymentConfig")
                .resource(codedeploy(Val::from("deploymentconfig:*"))),
        );
        a.allow(
            PolicyStatement::allow()
                .action("ecs:RegisterTaskDefinition")
                .resource(regional_arn("ecs", Val::from("task-definition/*"))),
        );
        a.allow(pass_role_to("ecs-tasks.amazonaws.com"));
        a
    }
}

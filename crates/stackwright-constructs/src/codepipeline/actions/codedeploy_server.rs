//! The CodeDeploy action: a deployment of a revision to EC2 or on-premises instances.

use stackwright_core::{Val, sub};

use super::super::action::{Action, ActionType, Common, Need, common_methods};
use super::super::artifact::Artifact;
use super::regional_arn;
use crate::codedeploy::ServerDeploymentGroup;
use crate::iam::PolicyStatement;

/// Deploys a revision to instances through a server deployment group
/// (`Deploy/AWS/CodeDeploy`): the input artifact is the revision, with `appspec.yml` at its
/// root.
///
/// The pipeline role may register revisions of that application and create deployments in
/// that deployment group with its deployment configuration, and nothing else; the instance
/// roles of the group's Auto Scaling groups may read the artifact store, where the agent
/// downloads the revision from.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeDeployServerDeploy {
    common: Common,
    group: ServerDeploymentGroup,
    input: Artifact,
}

common_methods!(CodeDeployServerDeploy);

impl CodeDeployServerDeploy {
    /// Deploys the revision in `input` through `group`, a server deployment group of this
    /// app.
    pub fn new(
        name: impl Into<String>,
        group: &ServerDeploymentGroup,
        input: &Artifact,
    ) -> CodeDeployServerDeploy {
        CodeDeployServerDeploy { common: Common::new(name), group: *group, input: input.clone() }
    }

    fn build(self) -> Action {
        let mut a = Action::new(
            self.common,
            ActionType::new("Deploy", "AWS", "CodeDeploy", "CodeDeploy", (1, 1), (0, 0)),
        );
        let (application, group) =
            (self.group.application_name(), self.group.deployment_group_name());
        a.config("ApplicationName", application.clone());
        a.config("DeploymentGroupName", group.clone());
        a.inputs.push(self.input);
        let codedeploy = |rest: Val<String>| regional_arn("codedeploy", rest);
        a.allow(
            PolicyStatement::allow()
                .actions([
                    "codedeploy:GetApplication",
                    "codedeploy:GetApplicationRevision",
                    "codedeploy:RegisterApplicationRevision",
                ])
                .resource(codedeploy(sub!("application:{}", application.clone()))),
        );
        a.allow(
            PolicyStatement::allow()
                .actions(["codedeploy:CreateDeployment", "codedeploy:GetDeployment"])
                .resource(codedeploy(sub!("deploymentgroup:{}/{}", application, group))),
        );
        // A configuration outside the app is known only by a name the group holds as a
        // template value: any configuration of the account then.
        let config = self
            .group
            .deployment_config_arn()
            .unwrap_or_else(|| codedeploy(Val::from("deploymentconfig:*")));
        a.allow(PolicyStatement::allow().action("codedeploy:GetDeploymentConfig").resource(config));
        a.needs.push(Need::InstancesReadArtifacts(self.group));
        a
    }
}

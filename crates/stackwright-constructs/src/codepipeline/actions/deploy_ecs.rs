//! The ECS standard deployment action: rolls a service onto the image a build produced.

use stackwright_core::kind;
use stackwright_core::{Arn, Json, Val, sub};

use super::super::action::{Action, ActionType, Common, common_methods};
use super::super::artifact::Artifact;
use super::regional_arn;
use crate::Duration;
use crate::ecs::FargateService;
use crate::iam::PolicyStatement;

/// Deploys to an ECS service (`Deploy/AWS/ECS`, a rolling update): reads the image
/// definitions file (`imagedefinitions.json` by default) from its one input artifact.
///
/// The pipeline role may describe and update that service only, register task definition
/// revisions, and pass to ECS tasks (`iam:PassedToService`) exactly the task's execution and
/// task roles, or, for a service outside the app, the account's roles.
#[derive(Clone, Debug, PartialEq)]
pub struct EcsDeploy {
    common: Common,
    cluster: Val<String>,
    service: Val<String>,
    input: Artifact,
    file_name: Option<Val<String>>,
    timeout: Option<Duration>,
    /// What is wrong with the service it deploys to, found when it was given.
    service_problem: Option<String>,
    /// The roles the service's tasks run with, when the service is of this app: the only
    /// roles the deploy may pass.
    task_roles: Vec<Val<kind::RoleArn>>,
}

common_methods!(EcsDeploy);

impl EcsDeploy {
    /// Deploys `input` to `service`, a service of this app. A service CodeDeploy deploys
    /// (`Deployment::CodeDeploy`) is an error: ECS's rolling deploy cannot update it; use
    /// [`CodeDeployEcsDeploy`](crate::codepipeline::CodeDeployEcsDeploy).
    pub fn new(name: impl Into<String>, service: &FargateService, input: &Artifact) -> EcsDeploy {
        let mut action =
            EcsDeploy::from_names(name, service.cluster_name(), service.service_name(), input);
        action.task_roles = service.task_role_arns();
        if service.is_code_deploy() {
            action.service_problem = Some(
                "the service is deployed by CodeDeploy (Deployment::CodeDeploy), which the ECS \
                 rolling deploy action cannot update; deploy it with CodeDeployEcsDeploy"
                    .to_owned(),
            );
        }
        action
    }

    /// Deploys `input` to the service named `service` in the cluster named `cluster`,
    /// outside this app.
    pub fn from_names(
        name: impl Into<String>,
        cluster: impl Into<Val<String>>,
        service: impl Into<Val<String>>,
        input: &Artifact,
    ) -> EcsDeploy {
        EcsDeploy {
            common: Common::new(name),
            cluster: cluster.into(),
            service: service.into(),
            input: input.clone(),
            file_name: None,
            timeout: None,
            service_problem: None,
            task_roles: Vec::new(),
        }
    }

    /// Reads the image definitions from this file instead of `imagedefinitions.json`.
    pub fn image_file(mut self, file: impl Into<Val<String>>) -> Self {
        self.file_name = Some(file.into());
        self
    }

    /// How long the deployment may take (1 to 60 minutes; ECS's default is 60).
    pub fn deployment_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    fn build(self) -> Action {
        let mut a = Action::new(
            self.common,
            ActionType::new("Deploy", "AWS", "ECS", "ECS", (1, 1), (0, 0)),
        );
        a.config("ClusterName", self.cluster.clone());
        a.config("ServiceName", self.service.clone());
        a.config_opt("FileName", self.file_name);
        if let Some(t) = self.timeout {
            let s = t.as_seconds();
            if s % 60 != 0 || !(60..=3_600).contains(&s) {
                a.problems.push(format!(
                    "deployment_timeout is {t}; ECS allows whole minutes from 1 to 60"
                ));
            } else {
                a.config(
                    "DeploymentTimeout",
                    Val::<Json>::from(i64::try_from(s / 60).unwrap_or(60)),
                );
            }
        }
        a.problems.extend(self.service_problem);
        a.inputs.push(self.input);
        for s in ecs_deploy_statements(&self.cluster, &self.service, &self.task_roles) {
            a.allow(s);
        }
        a
    }
}

/// What deploying a new task definition revision to one service takes.
/// Passing roles is narrowed to `task_roles` when they are known (a service of this app), and
/// otherwise to any role of the account passed to ECS tasks.
pub(crate) fn ecs_deploy_statements(
    cluster: &Val<String>,
    service: &Val<String>,
    task_roles: &[Val<kind::RoleArn>],
) -> Vec<PolicyStatement> {
    let ecs = |rest: Val<String>| regional_arn("ecs", rest);
    vec![
        PolicyStatement::allow()
            .actions(["ecs:DescribeServices", "ecs:UpdateService"])
            .resource(ecs(sub!("service/{}/{}", cluster.clone(), service.clone()))),
        // The deploy registers a new revision of the service's task definition, whose family
        // is defined with the service.
        PolicyStatement::allow()
            .actions(["ecs:RegisterTaskDefinition", "ecs:TagResource"])
            .resource(ecs(Val::from("task-definition/*"))),
        PolicyStatement::allow()
            .action("ecs:DescribeTasks")
            .resource(ecs(sub!("task/{}/*", cluster.clone()))),
        // DescribeTaskDefinition has no resource-level permissions.
        PolicyStatement::allow().action("ecs:DescribeTaskDefinition").resource("*"),
        // ListTasks is scoped by the `ecs:cluster` condition, not by resource.
        PolicyStatement::allow().action("ecs:ListTasks").resource("*").condition(
            "ArnEquals",
            "ecs:cluster",
            ecs(sub!("cluster/{}", cluster.clone())).into_json(),
        ),
        if task_roles.is_empty() {
            pass_role_to("ecs-tasks.amazonaws.com")
        } else {
            pass_roles_to(task_roles, "ecs-tasks.amazonaws.com")
        },
    ]
}

/// `iam:PassRole` on exactly `roles`, to one service only.
pub(crate) fn pass_roles_to(roles: &[Val<kind::RoleArn>], service: &str) -> PolicyStatement {
    let mut pass = PolicyStatement::allow().action("iam:PassRole");
    for role in roles {
        pass = pass.resource(role.clone());
    }
    pass.condition("StringEquals", "iam:PassedToService", service)
}

/// `iam:PassRole` on this account's roles, to one service only.
pub(crate) fn pass_role_to(service: &str) -> PolicyStatement {
    PolicyStatement::allow()
        .action("iam:PassRole")
        .resource(Arn::new("iam", "role", "*").global())
        .condition("StringEquals", "iam:PassedToService", service)
}

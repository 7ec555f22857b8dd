//! The role a GitHub workflow assumes.

use stackwright_core::kind;
use stackwright_core::{App, Environment, Scope, StackId, Val};

use super::{GITHUB_AUDIENCE, GITHUB_TOKEN_HOST, GithubOidcProvider, GithubSubject};
use crate::Duration;
use crate::codepipeline::actions::ecs_deploy_statements;
use crate::iam::{Grantee, PolicyStatement, Principal, Role, RoleProps};

/// How to build a [`GithubRole`].
#[derive(Clone, Debug, PartialEq)]
pub struct GithubRoleProps {
    role_name: String,
    subjects: Vec<GithubSubject>,
    description: Option<String>,
    max_session_duration: Option<Duration>,
}

impl GithubRoleProps {
    /// A role named `role_name`, which workflow runs matching `subjects` may assume. The name
    /// is fixed because the workflow names the role by ARN before the stack is deployed.
    pub fn new(
        role_name: impl Into<String>,
        subjects: impl IntoIterator<Item = GithubSubject>,
    ) -> GithubRoleProps {
        GithubRoleProps {
            role_name: role_name.into(),
            subjects: subjects.into_iter().collect(),
            description: None,
            max_session_duration: None,
        }
    }

    /// Sets the description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Sets the longest session (1 to 12 hours; a job's credentials last this long).
    pub fn max_session_duration(mut self, d: Duration) -> Self {
        self.max_session_duration = Some(d);
        self
    }
}

/// A role GitHub workflow runs assume through the account's OIDC provider
/// (`sts:AssumeRoleWithWebIdentity`), trusted only for tokens with audience
/// `sts.amazonaws.com` and a `sub` naming one of its [`GithubSubject`]s. It holds no
/// permissions of its own: grant them like to any role (it is a [`Grantee`]), or let the
/// workflow rendered from a pipeline derive them from what its jobs do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GithubRole {
    role: Role,
    stack: StackId,
}

impl GithubRole {
    /// Creates the role as the construct `id` in `scope`. Problems with the subjects, the
    /// provider's ARN or the name are the role's errors at synth.
    #[track_caller]
    pub fn new(
        scope: &mut Scope<'_>,
        id: &str,
        provider: &GithubOidcProvider,
        props: GithubRoleProps,
    ) -> GithubRole {
        let mut trust = PolicyStatement::allow()
            .action("sts:AssumeRoleWithWebIdentity")
            .principal(Principal::federated(provider.arn()))
            .condition("StringEquals", format!("{GITHUB_TOKEN_HOST}:aud"), GITHUB_AUDIENCE);
        let (exact, patterns): (Vec<&GithubSubject>, Vec<&GithubSubject>) =
            props.subjects.iter().partition(|s| !s.is_pattern());
        // Exact claims match with StringEquals; only wildcards need StringLike.
        for (operator, subjects) in [("StringEquals", exact), ("StringLike", patterns)] {
            if subjects.is_empty() {
                continue;
            }
            let claims: Vec<Val<String>> = subjects.iter().map(|s| Val::from(s.claim())).collect();
            let value = if claims.len() == 1 {
                claims[0].clone().into_json()
            } else {
                Val::<Vec<String>>::from(claims).into_json()
            };
            trust = trust.condition(operator, format!("{GITHUB_TOKEN_HOST}:sub"), value);
        }
        let mut role_props =
            RoleProps::web_identity(trust).role_name(props.role_name.clone()).description(
                props.description.unwrap_or_else(|| {
                    "Assumed by GitHub Actions workflows through OIDC".to_owned()
                }),
            );
        if let Some(d) = props.max_session_duration {
            role_props = role_props.max_session_duration(d);
        }
        let role = Role::new(scope, id, role_props);

        let stack = scope.stack_id();
        let Some(mut scope) = scope.app().scope_of(role.node().id()) else {
            return GithubRole { role, stack };
        };
        let mut report = |message: String, fix: &str| scope.error("github.role", message, fix);
        if props.subjects.is_empty() {
            report(
                "the role names no repository, so no workflow could assume it".into(),
                "pass at least one GithubSubject (GithubSubject::branch(\"owner/name\", \"main\"))",
            );
        }
        for subject in &props.subjects {
            for (message, fix) in subject.problems() {
                report(message, fix);
            }
        }
        if let Some(problem) = provider.problem() {
            report(problem, "pass the provider's ARN from the IAM console, or create it here");
        }
        GithubRole { role, stack }
    }

    /// The IAM role, for grants and escape hatches.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The role ARN, for templates.
    pub fn arn(&self) -> Val<kind::RoleArn> {
        self.role.arn()
    }

    /// The role's ARN as text, for a workflow file: known when its stack fixes account and
    /// region.
    pub fn literal_arn(&self, app: &App) -> Option<String> {
        let env: &Environment = app.stack_by_id(self.stack)?.environment();
        self.role.literal_arn(app, env)
    }

    /// Lets the workflow deploy a new task definition revision to the service `service` of
    /// the cluster `cluster` (register it, update and watch that service) and pass exactly
    /// `task_roles` (the task's role and execution role, by ARN) to ECS tasks. Pushing the
    /// image is the repository's grant (`repository.grant_push(scope, &role)`).
    pub fn grant_ecs_deploy(
        &self,
        scope: &mut Scope<'_>,
        cluster: impl Into<Val<String>>,
        service: impl Into<Val<String>>,
        task_roles: impl IntoIterator<Item = Val<String>>,
    ) {
        let (cluster, service) = (cluster.into(), service.into());
        for s in ecs_deploy_statements(&cluster, &service, &[]) {
            // Passing roles is narrowed below to the task's own.
            if !s.action_list().iter().any(|a| a == "iam:PassRole") {
                self.add_to_principal_policy(scope, s);
            }
        }
        let mut pass = PolicyStatement::allow().action("iam:PassRole").condition(
            "StringEquals",
            "iam:PassedToService",
            "ecs-tasks.amazonaws.com",
        );
        let mut any = false;
        for role in task_roles {
            pass = pass.resource(role);
            any = true;
        }
        if any {
            self.add_to_principal_policy(scope, pass);
        }
    }

    /// The stack the role is in.
    pub fn stack(&self) -> StackId {
        self.stack
    }
}

impl Grantee for GithubRole {
    fn add_to_principal_policy(&self, scope: &mut Scope<'_>, statement: PolicyStatement) {
        self.role.add_to_policy(scope, statement);
    }
}

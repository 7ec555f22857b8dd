//! The action builders, one per kind of action. Each converts into [`Action`](super::Action).

mod approval;
mod build;
mod cloudformation;
mod codedeploy_ecs;
mod codedeploy_server;
mod deploy_ecs;
mod lambda;
mod source;
mod stack_deploy;

pub use approval::ManualApproval;
pub use build::CodeBuildAction;
pub use cloudformation::{Capability, CloudFormationAction};
pub(crate) use cloudformation::{Mode as CloudFormationMode, pass_role, stack_statement};
pub use codedeploy_ecs::CodeDeployEcsDeploy;
pub use codedeploy_server::CodeDeployServerDeploy;
pub use deploy_ecs::EcsDeploy;
pub(crate) use deploy_ecs::ecs_deploy_statements;
pub use lambda::LambdaInvoke;
pub use source::{CodeCommitSource, CodeStarConnectionSource, EcrSource, GitHubSource, S3Source};
pub use stack_deploy::StackDeploy;
pub(crate) use stack_deploy::{AppStack, Override};

use stackwright_core::{Arn, Val};

/// `arn:<partition>:<service>:<region>:<account>:<resource>` in the account and region of
/// the stack that uses it.
pub(crate) fn regional_arn(service: &str, resource: Val<String>) -> Val<String> {
    Arn::new(service, "", resource).to_val()
}

/// `arn:<partition>:<service>:<region>:<account>:<resource>` in `region`, in the account of
/// the stack that uses it.
pub(crate) fn arn_in(service: &str, region: Val<String>, resource: Val<String>) -> Val<String> {
    Arn::new(service, "", resource).region(region).to_val()
}

//! The action builders, one per kind of action. Each converts into [`Action`](super::Action).

mod approval;
mod build;
mod cloudformation;
mod codedeploy_ecs;
mod deploy_ecs;
mod lambda;
mod source;

pub use approval::ManualApproval;
pub use build::CodeBuildAction;
pub use cloudformation::{Capability, CloudFormationAction};
pub use codedeploy_ecs::CodeDeployEcsDeploy;
pub use deploy_ecs::EcsDeploy;
pub(crate) use deploy_ecs::ecs_deploy_statements;
pub use lambda::LambdaInvoke;
pub use source::{CodeCommitSource, CodeStarConnectionSource, EcrSource, GitHubSource, S3Source};

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

//! GitHub Actions on the AWS side: the account's OIDC provider for GitHub's tokens, and roles
//! a workflow assumes with them, trusted only for the repository and the branch, tag,
//! environment or pull requests named.

mod build_env;
mod pipeline;
mod provider;
mod role;
mod subject;

pub use pipeline::{PipelineWorkflow, PipelineWorkflowProps, PipelineWorkflowState};
pub use provider::{GITHUB_AUDIENCE, GITHUB_TOKEN_HOST, GithubOidcProvider};
pub use role::{GithubRole, GithubRoleProps};
pub use subject::GithubSubject;

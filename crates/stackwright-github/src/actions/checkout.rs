//! `actions/checkout`.

use crate::action::ActionRef;
use crate::expr::{Text, Value};
use crate::step::{Step, UsesAction};

/// The kind of an `actions/checkout` step.
#[derive(Debug)]
pub struct Checkout;
impl UsesAction for Checkout {}

/// `actions/checkout@v4`: checks the repository out into the workspace. It sets
/// `persist-credentials: false`, so the job's token is not left in `.git/config` where
/// later steps or uploaded artifacts could read it; [`Step::persist_credentials`] turns
/// that back on for a job that pushes with git.
pub fn checkout() -> Step<Checkout> {
    let mut step = Step::uses_action(ActionRef::new("actions/checkout", "v4"));
    step.data.set_input("persist-credentials", Value::Bool(false));
    step
}

impl<I> Step<Checkout, I> {
    /// Keeps (`true`) or drops (`false`, the default here) the token in the checkout.
    pub fn persist_credentials(mut self, keep: bool) -> Self {
        self.data.set_input("persist-credentials", Value::Bool(keep));
        self
    }

    /// The branch, tag or SHA to check out.
    pub fn git_ref(mut self, git_ref: impl Into<Text>) -> Self {
        self.data.set_input("ref", Value::Text(git_ref.into()));
        self
    }

    /// How many commits to fetch; `0` fetches all history.
    pub fn fetch_depth(mut self, depth: i64) -> Self {
        self.data.set_input("fetch-depth", Value::Int(depth));
        self
    }

    /// Another repository (`owner/name`) to check out.
    pub fn repository(mut self, repository: &str) -> Self {
        self.data.set_input("repository", Value::from(repository));
        self
    }

    /// The folder under the workspace to check out into.
    pub fn path(mut self, path: &str) -> Self {
        self.data.set_input("path", Value::from(path));
        self
    }
}

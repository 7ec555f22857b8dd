//! Reading a workflow back: its jobs, their steps, the actions they use and the literal
//! inputs they give. What a role for the workflow needs is derived from this (which
//! repository it pushes to, which service it updates, which branches or environments may
//! assume it).

use crate::action::ActionRef;
use crate::expr::{Text, Value};
use crate::job::Job;
use crate::permissions::Permissions;
use crate::step::{Body, StepData};
use crate::workflow::{JobData, Workflow};

/// A job of a workflow, read-only.
#[derive(Clone, Copy, Debug)]
pub struct JobView<'a> {
    data: &'a JobData,
}

/// A step of a job, read-only.
#[derive(Clone, Copy, Debug)]
pub struct StepView<'a> {
    data: &'a StepData,
}

/// The text when it has no expression in it.
fn literal(text: &Text) -> Option<String> {
    text.is_literal().then(|| text.literals().collect())
}

impl Workflow {
    /// The jobs, in the order they were added.
    pub fn jobs(&self) -> impl Iterator<Item = JobView<'_>> {
        self.jobs.iter().map(|data| JobView { data })
    }

    /// The branch patterns of the push trigger (empty without one, or when it takes every
    /// branch).
    pub fn push_branches(&self) -> &[String] {
        self.triggers.push.as_ref().map(|p| p.filters.branches.as_slice()).unwrap_or(&[])
    }

    /// The tag patterns of the push trigger.
    pub fn push_tags(&self) -> &[String] {
        self.triggers.push.as_ref().map(|p| p.filters.tags.as_slice()).unwrap_or(&[])
    }

    /// Whether the workflow runs on pull requests.
    pub fn runs_on_pull_requests(&self) -> bool {
        self.triggers.pull_request.is_some()
    }
}

impl<'a> JobView<'a> {
    fn job(&self) -> &'a Job {
        &self.data.job
    }

    /// The job's id.
    pub fn id(&self) -> &'a str {
        &self.data.id
    }

    /// The job's token permissions.
    pub fn permissions(&self) -> &'a Permissions {
        &self.job().permissions
    }

    /// The name of the environment the job deploys to, when it is literal text.
    pub fn environment(&self) -> Option<String> {
        self.job().environment.as_ref().and_then(|e| literal(&e.name))
    }

    /// The job's steps, in order.
    pub fn steps(&self) -> impl Iterator<Item = StepView<'a>> + use<'a> {
        self.data.steps.iter().map(|data| StepView { data })
    }
}

impl<'a> StepView<'a> {
    /// The step's id, if it has one.
    pub fn id(&self) -> Option<&'a str> {
        self.data.id.as_deref()
    }

    /// The action the step uses; `None` for a `run` step.
    pub fn action(&self) -> Option<&'a ActionRef> {
        self.data.action()
    }

    /// The action's repository (`aws-actions/amazon-ecr-login`); `None` for a `run` step.
    pub fn action_repo(&self) -> Option<&'a str> {
        self.action().map(|a| a.repo.as_str())
    }

    /// The input `key` as text, when it is set and holds no expression (a boolean or
    /// number input is given as `true` or `42`).
    pub fn literal_input(&self, key: &str) -> Option<String> {
        match self.data.input(key)? {
            Value::Text(t) => literal(t),
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
        }
    }

    /// Whether the input `key` is set, literal or not.
    pub fn has_input(&self, key: &str) -> bool {
        self.data.input(key).is_some()
    }

    /// The script of a `run` step, when it holds no expression.
    pub fn script(&self) -> Option<String> {
        match &self.data.body {
            Body::Run { script, .. } => literal(script),
            Body::Uses { .. } => None,
        }
    }
}

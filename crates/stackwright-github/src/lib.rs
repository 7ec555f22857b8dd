//! Typed GitHub Actions workflows: triggers, jobs with required permissions, steps and
//! `${{ }}` expressions as values, checked as a whole and rendered as deterministic YAML.
//!
//! Jobs are `Copy` handles ([`JobRef`]): `needs` takes a handle, never a name, so a job of
//! another workflow is a reported error and a job added later cannot be named before it
//! exists. A step added with an id returns a [`StepHandle`] typed by what it runs, whose
//! outputs are methods (`login.registry()`); a step without an id returns a [`StepRef`],
//! which has none. [`Workflow::check`] collects every problem at once, each with its path
//! and fix; [`Workflow::render`] refuses to render while there are errors.
//!
//! ```
//! use stackwright_github::actions::{checkout, configure_aws_credentials, ecr_login};
//! use stackwright_github::{Access, Expr, IdToken, Job, Permissions, Push, RunsOn, Step, Workflow};
//!
//! let mut wf = Workflow::new("build", "Build");
//! wf.on_push(Push::new().branches(["main"]));
//! let job = wf.job(
//!     "build",
//!     Job::new(
//!         RunsOn::ubuntu_latest(),
//!         Permissions::none().id_token(IdToken::Write).contents(Access::Read),
//!     ),
//! );
//! wf.step(job, checkout());
//! wf.step(job, configure_aws_credentials("arn:aws:iam::123456789012:role/Build", "us-east-1"));
//! let login = wf.step(job, ecr_login().id("login"));
//! wf.step(
//!     job,
//!     Step::run("docker build -t \"$REGISTRY/app:$TAG\" .")
//!         .env("REGISTRY", login.registry())
//!         .env("TAG", Expr::github_sha()),
//! );
//! let rendered = wf.render("cargo run -- synth").expect("valid workflow");
//! assert!(rendered.yaml.contains("REGISTRY: '${{ steps.login.outputs.registry }}'"));
//! // Every action is on a tag, not a commit: one warning each.
//! assert_eq!(rendered.warnings.len(), 3);
//! ```

mod action;
pub mod actions;
mod check;
mod cron;
mod expr;
mod ids;
mod job;
mod permissions;
mod render;
mod report;
mod step;
mod triggers;
mod view;
mod workflow;

pub use action::ActionRef;
pub use expr::{Expr, Text, Value};
pub use job::{Container, Environment, Job, JobRef, Matrix, RunsOn, Strategy};
pub use permissions::{Access, IdToken, Permissions, ReadAccess};
pub use report::{Diagnostic, Report};
pub use step::{AddStep, NoId, Run, Step, StepHandle, StepRef, Uses, UsesAction, WithId};
pub use triggers::{Concurrency, Defaults, Dispatch, Input, PullRequest, Push, Shell};
pub use view::{JobView, StepView};
pub use workflow::Workflow;

/// A rendered workflow: its text, and the warnings its checks found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// The file's name, `<file_stem>.yml`.
    pub file_name: String,
    /// The YAML text, starting with the generated-file header.
    pub yaml: String,
    /// Problems that did not stop rendering.
    pub warnings: Vec<Diagnostic>,
}

impl Workflow {
    /// Every problem in the workflow: errors and warnings, each with its path and fix.
    pub fn check(&self) -> Report {
        check::check(self)
    }

    /// The workflow as YAML, after its checks; `regenerate` is the command the header tells
    /// readers to run to regenerate the file. Any error returns the whole report.
    pub fn render(&self, regenerate: &str) -> Result<Rendered, Report> {
        let report = self.check();
        if !report.is_ok() {
            return Err(report);
        }
        Ok(Rendered {
            file_name: self.file_name(),
            yaml: render::render(self, regenerate),
            warnings: report.warnings,
        })
    }
}

/// Whether `repo` is one of the actions this crate types, none of which requests an OIDC
/// token except configure-aws-credentials.
pub(crate) fn actions_known(repo: &str) -> bool {
    [
        "actions/checkout",
        "aws-actions/configure-aws-credentials",
        "aws-actions/amazon-ecr-login",
        "aws-actions/amazon-ecs-render-task-definition",
        "aws-actions/amazon-ecs-deploy-task-definition",
        "aws-actions/aws-cloudformation-github-deploy",
        "aws-actions/setup-sam",
    ]
    .iter()
    .any(|k| k.eq_ignore_ascii_case(repo))
}

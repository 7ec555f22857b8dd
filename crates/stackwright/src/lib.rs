//! stackwright: typed AWS infrastructure as code. Declare stacks in Rust; `cargo run`
//! synthesizes the CloudFormation templates you commit and deploy.
//!
//! This facade is the crate users depend on. It owns three things:
//!
//! - the re-exports: the core model ([`App`], [`Scope`], [`Val`], ...), the generated L1
//!   resources and the L2 constructs, so one dependency is enough;
//! - the embedded command line ([`cli`]): `app.run()` turns a user's `main` into a program
//!   with `synth` (the default), `list`, `diff` and `check`;
//! - assertions over synthesized templates for users' tests ([`testing`]).
//!
//! ```no_run
//! use stackwright::prelude::*;
//! use stackwright::sqs::{Queue, QueueProps};
//!
//! fn main() -> std::process::ExitCode {
//!     let mut app = App::new();
//!     let mut stack = app.stack("Orders");
//!     let dlq = Queue::new(&mut stack, "DeadLetterQueue", QueueProps::new());
//!     Queue::new(&mut stack, "OrdersQueue", QueueProps::new().dead_letter_queue(&dlq, 3));
//!     app.run()
//! }
//! ```

pub mod cli;
pub mod prelude;
pub mod testing;

pub use cli::Run;
pub use stackwright_core::*;

/// The JSON library the raw escape hatches and [`testing`] assertions speak, re-exported so
/// users get the same version (`stackwright::serde_json::json!`).
pub use serde_json;

/// Typed CloudFormation resources (L1), one module per service: `stackwright::aws::sqs::Queue`.
pub use stackwright_aws as aws;
/// Constructs (L2) with good defaults and grants, one module per service.
pub use stackwright_constructs::{
    Duration, Stateless, autoscaling, cloudwatch, codebuild, codedeploy, codepipeline, ec2, ecr,
    ecs, elbv2, iam, kms, lambda, rules, sam, sns, sqs,
};

/// GitHub Actions workflows: typed jobs, steps, permissions and expressions, checked and
/// rendered as YAML; and their AWS side, the OIDC provider, the role a workflow assumes and a
/// pipeline rendered as a workflow.
pub mod github {
    pub use stackwright_constructs::github::*;
    pub use stackwright_github::*;
}

/// The README's code, compiled (and, where it does not write files, run) as doctests, so
/// what a new user copies from it works.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;

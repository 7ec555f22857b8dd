//! Constructs (L2): hand-written building blocks with good defaults, least-privilege
//! `grant_*` methods and checks of impossible combinations.
//!
//! Each construct is a node of the app's construct tree: `Xxx::new(scope, id, props)`
//! creates the node, wraps its L1 resource from `stackwright-aws` (the child `Resource`, so
//! its logical ID is the construct's own) and creates the collaborators it needs (a role, a
//! log group, a queue's resource policy), each recorded in one of the node's slots. State
//! that grows after creation (policy statements, pipeline stages, containers) lives in the
//! node and is rendered into L1 properties and companion files at synth. Handles are small
//! `Copy` values; problems are reported through the scope with a code, the construct path
//! and a fix, so synthesis lists them all at once. CONTRIBUTING.md has the recipe for a new
//! construct.

mod arns;
pub mod autoscaling;
pub mod cloudwatch;
pub mod codebuild;
pub mod codedeploy;
pub mod codepipeline;
mod duration;
pub mod ec2;
pub mod ecr;
pub mod ecs;
pub mod elbv2;
pub mod github;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod rules;
mod runtime;
pub mod sam;
pub mod sns;
pub mod sqs;
mod stateless;

pub use duration::Duration;
pub use stateless::Stateless;

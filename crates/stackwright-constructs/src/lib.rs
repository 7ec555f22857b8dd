//! Constructs (L2): hand-written building blocks with good defaults, least-privilege
//! `grant_*` methods and checks of impossible combinations.
//!
//! Each construct wraps its L1 resource from `stackwright-aws` (the child named `Resource`,
//! so its logical ID is the construct's own), creates the collaborators it needs (a queue's
//! resource policy, a role's default policy) on first use, and reports problems through its
//! scope so synthesis lists them all at once. Handles are small `Copy` values; state that
//! grows after creation (policy statements) lives in the stack's arena and is rendered at
//! synth.

mod arns;
pub mod cloudwatch;
pub mod codebuild;
pub mod codedeploy;
pub mod codepipeline;
mod duration;
pub mod ec2;
pub mod ecr;
pub mod ecs;
pub mod elbv2;
pub mod iam;
pub mod lambda;
mod runtime;
pub mod sam;
pub mod sns;
pub mod sqs;
mod stateless;

pub use duration::Duration;
pub use stateless::Stateless;

//! SAM: serverless functions that CodeDeploy shifts traffic to gradually, through SAM's
//! `DeploymentPreference`. The stack gets the `AWS::Serverless-2016-10-31` transform; the
//! template is checked after the real SAM transform in CI.

mod deployment;
mod function;

pub use crate::lambda::{Code, Runtime};
pub use deployment::DeploymentPreference;
pub use function::{Event, Function, FunctionProps, SamFunctionState};

//! Lambda: functions with their own role and log group, versions and aliases (what a
//! CodeDeploy canary shifts traffic between).

mod alias;
mod function;

pub use alias::{Alias, AliasProps, Version, VersionProps};
pub use function::{Code, Function, FunctionProps, FunctionState, Runtime};

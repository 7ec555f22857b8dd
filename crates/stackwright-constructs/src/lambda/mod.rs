//! Lambda: functions with their own role and log group, versions and aliases (what a
//! CodeDeploy canary shifts traffic between).

mod alias;
mod environment;
mod function;

pub(crate) use alias::{ALIAS_NAME_FIX, alias_name_problem};
pub use alias::{Alias, AliasProps, Version, VersionProps};
pub(crate) use environment::check_environment;
pub use function::{Code, Function, FunctionProps, FunctionState, Runtime};

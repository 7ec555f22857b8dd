//! CodeDeploy: blue/green deployments of ECS services and canary or linear deployments of
//! Lambda aliases, with alarms that roll them back.

mod application;
mod config;
mod ecs;
mod lambda;
mod rollback;

pub use application::{EcsApplication, LambdaApplication};
pub(crate) use config::config_name;
pub use config::{EcsDeploymentConfig, LambdaDeploymentConfig};
pub use ecs::{EcsBlueGreen, EcsDeploymentGroup, EcsDeploymentGroupProps, ReadyOption};
pub use lambda::{LambdaDeploymentGroup, LambdaDeploymentGroupProps};
pub use rollback::AutoRollback;

//! CodeDeploy: blue/green deployments of ECS services and canary or linear deployments of
//! Lambda aliases, with alarms that roll them back.

mod application;
mod config;
mod ecs;
mod group;
mod lambda;
mod rollback;

pub use application::{EcsApplication, LambdaApplication};
pub(crate) use config::config_name;
pub use config::{EcsDeploymentConfig, LambdaDeploymentConfig, TrafficShift};
pub use ecs::{EcsBlueGreen, EcsDeploymentGroup, EcsDeploymentGroupProps, ReadyOption};
pub(crate) use group::deployment_group_arn;
pub use lambda::{LambdaDeploymentGroup, LambdaDeploymentGroupProps};
pub use rollback::AutoRollback;

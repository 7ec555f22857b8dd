//! CodeDeploy: blue/green deployments of ECS services, canary or linear deployments of
//! Lambda aliases, and in-place or blue/green deployments to EC2 and on-premises instances
//! with their `appspec.yml`, with alarms that roll them back.

mod application;
mod appspec;
mod config;
mod ecs;
mod group;
mod lambda;
mod rollback;
mod server;

pub use application::{EcsApplication, LambdaApplication, ServerApplication};
pub use appspec::{
    AppSpecFile, FileExistsBehavior, Permission, PermissionType, Script, ServerAppSpec, ServerHook,
    ServerOs,
};
pub(crate) use config::config_name;
pub use config::{
    EcsDeploymentConfig, LambdaDeploymentConfig, MinimumHealthyHosts, ServerDeploymentConfig,
    TrafficShift,
};
pub use ecs::{EcsBlueGreen, EcsDeploymentGroup, EcsDeploymentGroupProps, ReadyOption};
pub(crate) use group::deployment_group_arn;
pub use lambda::{LambdaDeploymentGroup, LambdaDeploymentGroupProps};
pub use rollback::AutoRollback;
pub use server::{
    ServerBlueGreen, ServerDeploymentGroup, ServerDeploymentGroupProps, ServerDeploymentGroupState,
};

//! ECS on Fargate: a [`Cluster`], a [`FargateTaskDefinition`] with its containers, execution
//! role, task role and log group, a [`FargateService`] with rolling or CodeDeploy
//! (blue/green) deployments, and the companion files a blue/green pipeline needs, generated
//! from the same definitions: `taskdef.json` ([`TaskDefinitionFile`]), `appspec.yml`
//! ([`AppSpec`]) and `imagedefinitions.json` ([`ImageDefinitions`]).

mod cluster;
mod files;
mod service;
mod task_definition;

pub use cluster::{Cluster, ClusterProps, ContainerInsights};
pub use files::{AppSpec, ImageDefinitions, TaskDefinitionFile};
pub(crate) use files::{deferred_values, image_container};
pub use service::{Deployment, FargateService, FargateServiceProps, ServiceState};
pub use task_definition::{
    ContainerDefinition, ContainerImage, FargateTaskDefinition, FargateTaskDefinitionProps,
    TaskDefinitionState, fargate_size_problem,
};

//! Typed steps for the actions a delivery on AWS uses. Each constructor returns a
//! [`Step`](crate::Step) of the action's kind: its inputs are methods, its outputs are
//! methods of the [`StepHandle`](crate::StepHandle) adding it with an id returns. Each
//! action defaults to its current major tag; `.pin(sha)` pins it.

mod aws;
mod checkout;
mod sam;

pub use aws::{
    Capability, CloudFormationDeploy, ConfigureAwsCredentials, EcrLogin, EcsDeployTaskDefinition,
    EcsRenderTaskDefinition, cloudformation_deploy, configure_aws_credentials, ecr_login,
    ecs_deploy_task_definition, ecs_render_task_definition,
};
pub use checkout::{Checkout, checkout};
pub use sam::{SetupSam, sam_build, sam_deploy, setup_sam};

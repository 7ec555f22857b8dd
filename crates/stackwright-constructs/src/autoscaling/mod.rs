//! EC2 Auto Scaling: an [`AutoScalingGroup`] of instances from a launch template, in the
//! subnets of a [`Vpc`](crate::ec2::Vpc), with its own security group and instance role,
//! optionally running the CodeDeploy agent and registering into load balancer target groups.

mod group;
mod machine_image;
mod user_data;

pub use group::{AutoScalingGroup, AutoScalingGroupProps, AutoScalingGroupState, Subnets};
pub use machine_image::MachineImage;

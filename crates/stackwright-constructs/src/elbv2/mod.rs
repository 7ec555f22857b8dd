//! Elastic Load Balancing v2: an [`ApplicationLoadBalancer`] with its own security group and
//! HTTP and HTTPS [`Listener`]s, and [`TargetGroup`]s of IP targets (Fargate tasks) or
//! instances (Auto Scaling groups).

mod load_balancer;
mod names;
mod target_group;

pub use load_balancer::{
    ApplicationLoadBalancer, HttpsListenerProps, Listener, LoadBalancerProps, TLS_POLICY,
};
pub use target_group::{TargetGroup, TargetGroupProps, TargetGroupState, TargetType};

//! EC2 networking: a [`Vpc`] with public and private subnets across availability zones, and
//! [`SecurityGroup`]s with typed ingress rules.

mod cidr;
mod security_group;
mod vpc;

pub(crate) use cidr::parse_ipv4_cidr;
pub use security_group::{Connectable, Port, SecurityGroup};
pub use vpc::{NatGateways, Vpc, VpcProps};

//! EC2 networking: a [`Vpc`] with public and private subnets across availability zones, and
//! [`SecurityGroup`]s with typed ingress rules.

mod cidr;
mod security_group;
mod vpc;

pub(crate) use cidr::parse_ipv4_cidr;
pub use security_group::{Port, SecurityGroup};
pub use vpc::{NatGateways, Vpc, VpcProps};

use stackwright_core::{ConstructPath, Handle, Scope};

/// The scope of the construct whose main resource is `owner`, so children and problems land
/// under that construct whichever scope the caller holds. `None` for a handle of another app.
pub(crate) fn owner_scope<'a>(scope: &'a mut Scope<'_>, owner: impl Handle) -> Option<Scope<'a>> {
    let id = owner.id();
    let app = scope.app();
    let construct = app.node(id)?.path().parent().unwrap_or_else(ConstructPath::root);
    app.scope_at(id.stack(), construct)
}

//! IAM: policy documents as typed values, roles, and the grant mechanism other constructs use.

mod document;
mod grant;
mod owned_policy;
mod principal;
mod resource_policy;
mod role;
mod statement;

pub use document::{DocumentKind, PolicyDocument};
pub use grant::Grantee;
pub(crate) use owned_policy::{Policies, PolicyOwner, PolicySlot, add_statement};
pub use principal::Principal;
pub use resource_policy::ResourcePolicyState;
pub(crate) use resource_policy::{
    ResourcePolicy, deny_insecure_transport, grant_with_key, resource_policy_methods,
};
pub(crate) use role::literal_role_arn;
pub use role::{Role, RoleProps, RoleState};
pub use statement::{Effect, PolicyStatement};

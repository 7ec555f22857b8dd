//! IAM: policy documents as typed values, roles, and the grant mechanism other constructs use.

mod document;
mod grant;
mod policy_resource;
mod principal;
mod role;
mod statement;

pub use document::{DocumentKind, PolicyDocument};
pub use grant::Grantee;
pub use policy_resource::PolicyResource;
pub(crate) use policy_resource::add_statement;
pub use principal::Principal;
pub use role::{Role, RoleProps};
pub use statement::{Effect, PolicyStatement};

//! AWS Identity and Access Management: `AWS::IAM::*`.

mod policy;
mod role;

pub use policy::{Policy, PolicyRef};
pub use role::{InlinePolicy, Role, RoleRef};

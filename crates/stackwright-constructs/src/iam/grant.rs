//! The receiving side of `grant_*` methods.

use stackwright_core::Scope;

use super::PolicyStatement;

/// Something permissions can be granted to: a role today; users and groups fit the same
/// shape. `queue.grant_send(scope, &role)` calls this with the statement the grant needs.
pub trait Grantee {
    /// Adds a statement to the principal's own policy.
    fn add_to_principal_policy(&self, scope: &mut Scope<'_>, statement: PolicyStatement);
}

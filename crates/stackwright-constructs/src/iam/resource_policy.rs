//! What queues and topics share: a resource policy created on first use and denying plain
//! HTTP by default, and grants that include the KMS actions an encrypted resource needs.

use stackwright_core::{ConstructState, Scope, Val};

use super::{Grantee, Policies, PolicyOwner, PolicyStatement, Principal};

/// The state of a construct whose resource has a resource policy ([`Queue`](crate::sqs::Queue),
/// [`Topic`](crate::sns::Topic)): the statements of that policy, kept until synth.
#[derive(Clone, Debug)]
pub struct ResourcePolicyState {
    kind: &'static str,
    policies: Policies,
}

impl ResourcePolicyState {
    pub(crate) fn new(kind: &'static str) -> ResourcePolicyState {
        ResourcePolicyState { kind, policies: Policies::default() }
    }
}

impl ConstructState for ResourcePolicyState {
    fn kind(&self) -> &'static str {
        self.kind
    }

    fn render(&self, scope: &mut Scope<'_>) {
        self.policies.render(scope);
    }
}

impl PolicyOwner for ResourcePolicyState {
    fn policies_mut(&mut self) -> &mut Policies {
        &mut self.policies
    }
}

/// Denies `action` on `resources` to anyone not using TLS.
pub(crate) fn deny_insecure_transport(
    action: &str,
    resources: impl IntoIterator<Item = Val<String>>,
) -> PolicyStatement {
    let mut deny = PolicyStatement::deny().principal(Principal::Any).action(action);
    for r in resources {
        deny = deny.resource(r);
    }
    deny.condition("Bool", "aws:SecureTransport", "false")
}

/// Gives `grantee` `statement` and, when the resource is encrypted with `key`, the
/// `kms_actions` on that key.
pub(crate) fn grant_with_key(
    scope: &mut Scope<'_>,
    grantee: &impl Grantee,
    statement: PolicyStatement,
    key: Option<Val<String>>,
    kms_actions: &[&str],
) {
    grantee.add_to_principal_policy(scope, statement);
    if let Some(key) = key.filter(|_| !kms_actions.is_empty()) {
        grantee.add_to_principal_policy(
            scope,
            PolicyStatement::allow().actions(kms_actions.iter().copied()).resource(key),
        );
    }
}

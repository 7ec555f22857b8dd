//! What queues and topics share: a resource policy created on first use and denying plain
//! HTTP by default, and grants that include the KMS actions an encrypted resource needs.

use stackwright_core::kind;
use stackwright_core::{
    App, ConstructRef, ConstructState, Expr, ResourceType, Scope, Val, pseudo, sub,
};

use super::{
    Grantee, Policies, PolicyOwner, PolicySlot, PolicyStatement, Principal, add_statement,
};

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
    fn policies(&self) -> &Policies {
        &self.policies
    }

    fn policies_mut(&mut self) -> &mut Policies {
        &mut self.policies
    }
}

/// The resource policy of a queue or topic: the L1 of type `P` in its slot, made by `make`
/// for the resource it governs (a queue URL, a topic ARN) on the first statement.
pub(crate) struct ResourcePolicy<P: 'static> {
    pub(crate) slot: PolicySlot<P>,
    pub(crate) make: fn(Val<String>) -> P,
    /// What the policy is called in messages (`the queue's resource policy`).
    pub(crate) what: &'static str,
}

impl<P: ResourceType + Clone> ResourcePolicy<P> {
    /// Adds `statement`, creating the policy for `target` on first use.
    pub(crate) fn add(
        &'static self,
        scope: &mut Scope<'_>,
        owner: ConstructRef<ResourcePolicyState>,
        target: Val<String>,
        statement: PolicyStatement,
    ) {
        let make = || (self.make)(target);
        if add_statement(scope.app(), owner, self.slot, make, statement).is_none() {
            scope.foreign_handle(self.what);
        }
    }

    /// The policy, once a statement created it.
    pub(crate) fn find(
        &self,
        app: &App,
        owner: ConstructRef<ResourcePolicyState>,
    ) -> Option<P::Handle> {
        app.child_resource(owner.id(), self.slot.slot)
    }
}

/// The methods of a construct with a [`ResourcePolicy`]: `add_to_resource_policy`, `node` and
/// `resource_policy`, for a struct with a `node` field.
macro_rules! resource_policy_methods {
    ($policy:ident, $handle:ty, $target:ident) => {
        /// Adds a statement to the resource policy (the child `Policy`), creating it on first
        /// use.
        #[track_caller]
        pub fn add_to_resource_policy(
            &self,
            scope: &mut stackwright_core::Scope<'_>,
            statement: crate::iam::PolicyStatement,
        ) {
            $policy.add(scope, self.node, self.$target().into(), statement);
        }

        /// The construct node, for its path and children.
        pub fn node(&self) -> stackwright_core::ConstructRef<crate::iam::ResourcePolicyState> {
            self.node
        }

        /// The resource policy (the child `Policy`), once a statement created it.
        pub fn resource_policy(&self, app: &stackwright_core::App) -> Option<$handle> {
            $policy.find(app, self.node)
        }
    };
}
pub(crate) use resource_policy_methods;

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
    key: Option<Val<kind::KmsKey>>,
    kms_actions: &[&str],
) {
    grantee.add_to_principal_policy(scope, statement);
    // An alias cannot be granted by ARN; the owner reported it when it was created.
    if let Some(key) = key.filter(|_| !kms_actions.is_empty()).and_then(key_arn) {
        grantee.add_to_principal_policy(
            scope,
            PolicyStatement::allow().actions(kms_actions.iter().copied()).resource(key),
        );
    }
}

/// The ARN an IAM statement names a KMS key by: a key ARN as given, a key ID (a literal, or
/// `Ref` of a key) in the account and region of the stack. `None` for an alias, which a
/// statement cannot name (grants through an alias need a condition on the alias instead).
fn key_arn(key: Val<kind::KmsKey>) -> Option<Val<String>> {
    match key.expr() {
        Expr::Str(k) if k.starts_with("arn:") => Some(key.into_string()),
        Expr::Str(k) if k.starts_with("alias/") => None,
        Expr::Str(_) | Expr::Ref(_) => Some(sub!(
            "arn:{}:kms:{}:{}:key/{}",
            pseudo::partition(),
            pseudo::region(),
            pseudo::account_id(),
            key.into_string()
        )),
        _ => Some(key.into_string()),
    }
}

/// Reports, at the queue or topic being created, a customer key given by alias: what the
/// resource's grants need is the key's ARN (or its ID), which an alias does not give. The AWS
/// managed key of the service is not granted at all and passes.
pub(crate) fn check_key_for_grants(
    scope: &mut Scope<'_>,
    key: &Val<kind::KmsKey>,
    aws_managed: &str,
    what: &str,
) {
    if let Expr::Str(k) = key.expr()
        && k.starts_with("alias/")
        && k != aws_managed
    {
        scope.error(
            "kms.alias-not-grantable",
            format!(
                "the {what} is encrypted with the alias `{k}`; grants to use the {what} need \
                 the key itself, and an IAM statement cannot name a key by alias"
            ),
            "pass the key's ARN (`key.arn()` of a key in this app, or the ARN of the key the \
             alias points to)",
        );
    }
}

//! The `Key` construct.

use stackwright_aws::kms as l1;
use stackwright_core::{Arn, ConstructRef, ConstructState, Scope, Val, kind};

use crate::iam::{
    DocumentKind, Policies, PolicyOwner, PolicySlot, PolicyStatement, Principal, add_statement,
};

/// The key's policy, a property of the key itself.
const KEY_POLICY: PolicySlot<l1::Key> = PolicySlot {
    slot: "Resource",
    property: "KeyPolicy",
    made_by_owner: true,
    kind: DocumentKind::Resource,
    apply: |k, doc, _| k.key_policy = Some(doc),
};

/// What CloudWatch Logs does with the key of a log group.
const LOGS_ACTIONS: [&str; 5] =
    ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"];

/// How to build a [`Key`].
#[derive(Clone, Debug, PartialEq)]
pub struct KeyProps {
    description: Option<String>,
    rotation: bool,
}

impl Default for KeyProps {
    fn default() -> Self {
        KeyProps { description: None, rotation: true }
    }
}

impl KeyProps {
    /// Defaults: a symmetric key that rotates every year, administered by the account.
    pub fn new() -> Self {
        KeyProps::default()
    }

    /// What the key encrypts, for whoever reads the console.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Whether KMS rotates the key material every year (default `true`).
    pub fn rotation(mut self, rotation: bool) -> Self {
        self.rotation = rotation;
        self
    }
}

/// The key's state: its policy, rendered at synth.
#[derive(Clone, Debug, Default)]
pub struct KeyState {
    policies: Policies,
}

impl ConstructState for KeyState {
    fn kind(&self) -> &'static str {
        "Key"
    }

    fn render(&self, scope: &mut Scope<'_>) {
        self.policies.render(scope);
    }
}

impl PolicyOwner for KeyState {
    fn policies(&self) -> &Policies {
        &self.policies
    }

    fn policies_mut(&mut self) -> &mut Policies {
        &mut self.policies
    }
}

/// A customer managed symmetric KMS key. The account administers it (its IAM policies
/// grant its use); the constructs that encrypt with it add the statements their services
/// need to its policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    node: ConstructRef<KeyState>,
    resource: l1::KeyRef,
}

impl Key {
    /// Creates the key (`Resource`) with a policy that lets the account administer it.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str, props: KeyProps) -> Key {
        let (node, mut inner) = scope.construct(id, KeyState::default());
        let mut k = l1::Key::new().enable_key_rotation(props.rotation);
        if let Some(d) = props.description {
            k = k.description(d);
        }
        let resource = inner.add("Resource", k);
        let key = Key { node, resource };
        let root = Arn::new("iam", "", "root").global().to_val();
        key.add_to_key_policy(
            &mut inner,
            PolicyStatement::allow().principal(Principal::arn(root)).action("kms:*").resource("*"),
        );
        key
    }

    /// The key's ARN.
    pub fn arn(&self) -> Val<kind::KmsKeyArn> {
        self.resource.arn()
    }

    /// The construct node.
    pub fn node(&self) -> ConstructRef<KeyState> {
        self.node
    }

    /// The L1 key.
    pub fn resource(&self) -> l1::KeyRef {
        self.resource
    }

    /// Adds a statement to the key's policy.
    pub fn add_to_key_policy(&self, scope: &mut Scope<'_>, statement: PolicyStatement) {
        add_statement(scope.app(), self.node, KEY_POLICY, l1::Key::new, statement);
    }

    /// Lets CloudWatch Logs of the stack's region encrypt and decrypt the log group
    /// `log_group` (a name, or `*` for every group of the account there) with the key. The
    /// condition names the group by ARN, so the key serves no other account's or region's logs.
    pub(crate) fn allow_logs(&self, scope: &mut Scope<'_>, log_group: &str) {
        let group = Arn::new("logs", "log-group", log_group).colon().to_val();
        self.add_to_key_policy(
            scope,
            PolicyStatement::allow()
                .principal(Principal::RegionalService("logs".to_owned()))
                .actions(LOGS_ACTIONS)
                .resource("*")
                .condition("ArnLike", "kms:EncryptionContext:aws:logs:arn", group),
        );
    }
}

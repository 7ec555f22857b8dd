//! The `Role` construct.

use stackwright_aws::iam as l1;
use stackwright_core::kind;
use stackwright_core::{
    App, ConstructRef, ConstructState, Environment, Expr, Handle, Json, RefTarget, Scope, Val,
};

use super::{
    DocumentKind, Grantee, Policies, PolicyDocument, PolicyOwner, PolicySlot, PolicyStatement,
    Principal, add_statement,
};
use crate::Duration;

/// How to build a [`Role`].
#[derive(Clone, Debug, PartialEq)]
pub struct RoleProps {
    assumed_by: Vec<Principal>,
    external_ids: Vec<String>,
    role_name: Option<Val<String>>,
    description: Option<String>,
    managed_policy_arns: Vec<Val<String>>,
    max_session_duration: Option<Duration>,
    path: Option<String>,
    permissions_boundary: Option<Val<String>>,
    /// A trust statement of its own (web identity federation) in place of `sts:AssumeRole`.
    trust: Option<PolicyStatement>,
}

impl RoleProps {
    /// A role the principal may assume (`sts:AssumeRole`).
    pub fn new(assumed_by: Principal) -> RoleProps {
        RoleProps {
            assumed_by: vec![assumed_by],
            external_ids: Vec::new(),
            role_name: None,
            description: None,
            managed_policy_arns: Vec::new(),
            max_session_duration: None,
            path: None,
            permissions_boundary: None,
            trust: None,
        }
    }

    /// A role assumed with a web identity token (`sts:AssumeRoleWithWebIdentity`) from
    /// `provider`, under the conditions the statement carries.
    pub(crate) fn web_identity(trust: PolicyStatement) -> RoleProps {
        let mut props = RoleProps::new(Principal::Any);
        props.assumed_by.clear();
        props.trust = Some(trust);
        props
    }

    /// Lets another principal assume the role too.
    pub fn also_assumed_by(mut self, principal: Principal) -> Self {
        self.assumed_by.push(principal);
        self
    }

    /// Requires this `sts:ExternalId` when assuming the role (for third parties).
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_ids.push(id.into());
        self
    }

    /// Fixes the role name. Needed when another account names the role in its policies;
    /// otherwise CloudFormation's generated name is safer (no clashes, replaceable).
    pub fn role_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.role_name = Some(name.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Attaches a managed policy by ARN.
    pub fn managed_policy(mut self, arn: impl Into<Val<String>>) -> Self {
        self.managed_policy_arns.push(arn.into());
        self
    }

    /// Sets the longest session (1 to 12 hours).
    pub fn max_session_duration(mut self, d: Duration) -> Self {
        self.max_session_duration = Some(d);
        self
    }

    /// Sets the IAM path (`/ci/`).
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Sets a permissions boundary (a managed policy ARN).
    pub fn permissions_boundary(mut self, arn: impl Into<Val<String>>) -> Self {
        self.permissions_boundary = Some(arn.into());
        self
    }

    fn trust_policy(&self) -> PolicyDocument {
        if let Some(trust) = &self.trust {
            return PolicyDocument::with([trust.clone()]);
        }
        let mut s = PolicyStatement::allow().action("sts:AssumeRole");
        for p in &self.assumed_by {
            s = s.principal(p.clone());
        }
        if !self.external_ids.is_empty() {
            let ids: Vec<Val<String>> = self.external_ids.iter().map(Val::from).collect();
            let value = if ids.len() == 1 {
                ids[0].clone().into_json()
            } else {
                Val::<Vec<String>>::from(ids).into_json()
            };
            s = s.condition("StringEquals", "sts:ExternalId", value);
        }
        PolicyDocument::with([s])
    }
}

/// What a [`Role`] keeps until synth: the statements of its default policy.
#[derive(Clone, Debug, Default)]
pub struct RoleState {
    policies: Policies,
    /// The trust policy the construct checked when it made the role, in its own words.
    checked_trust: Option<Val<Json>>,
}

impl RoleState {
    /// The statements granted to the role so far (its default policy).
    pub(crate) fn statements(&self) -> &[PolicyStatement] {
        self.policies.statements(DEFAULT_POLICY.slot)
    }
}

impl ConstructState for RoleState {
    fn kind(&self) -> &'static str {
        "Role"
    }

    fn render(&self, scope: &mut Scope<'_>) {
        self.policies.render(scope);
        // The L1's own check of the trust policy would repeat what the construct reported,
        // unless the document was replaced since (an escape hatch): then the L1 checks it.
        let Some(checked) = &self.checked_trust else { return };
        let Some(resource) = scope.slot_resource::<l1::RoleRef>("Resource") else { return };
        let unchanged = scope
            .app()
            .get::<l1::Role>(resource)
            .is_some_and(|r| &r.assume_role_policy_document == checked);
        if unchanged && let Some(node) = scope.node(resource) {
            node.cover_property_checks(["AssumeRolePolicyDocument"]);
        }
    }
}

impl PolicyOwner for RoleState {
    fn policies(&self) -> &Policies {
        &self.policies
    }

    fn policies_mut(&mut self) -> &mut Policies {
        &mut self.policies
    }
}

/// The role's `DefaultPolicy`: an `AWS::IAM::Policy` attached to the role, named after its
/// own logical ID (unique in the stack, stable across runs).
const DEFAULT_POLICY: PolicySlot<l1::Policy> = PolicySlot {
    slot: "DefaultPolicy",
    property: "PolicyDocument",
    made_by_owner: false,
    kind: DocumentKind::Identity,
    apply: |p, doc, me| {
        p.policy_document = doc;
        p.policy_name = Val::from_expr(Expr::LogicalId(RefTarget::Resource(me)));
    },
};

/// An IAM role. Statements granted to it collect in one `AWS::IAM::Policy` (the child
/// `DefaultPolicy`), created on the first grant and rendered at synth.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Role {
    node: ConstructRef<RoleState>,
    resource: l1::RoleRef,
}

impl Role {
    /// Creates the role as the construct `id` in `scope`.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str, props: RoleProps) -> Role {
        let trust = props.trust_policy();
        let state = RoleState { checked_trust: Some(trust.to_val()), ..RoleState::default() };
        let (node, mut inner) = scope.construct(id, state);
        for m in trust.validate(DocumentKind::Trust) {
            inner.error("iam.trust-policy", format!("trust policy: {m}"), "");
        }
        // An out-of-range duration is reported here, in the user's units, and kept out of
        // the L1 so its own check does not report it again in seconds.
        let session = props.max_session_duration.filter(|d| {
            let ok = (3_600..=43_200).contains(&d.as_seconds());
            if !ok {
                inner.error(
                    "iam.session-duration",
                    format!("max_session_duration is {d}"),
                    "IAM allows 1 to 12 hours",
                );
            }
            ok
        });
        let mut role =
            l1::Role::new(l1::RoleRequired { assume_role_policy_document: trust.to_val() });
        role.role_name = props.role_name;
        role.description = props.description.map(Val::from);
        role.path = props.path.map(Val::from);
        role.permissions_boundary = props.permissions_boundary;
        role.max_session_duration = session.map(|d| Val::from(d.as_int()));
        if !props.managed_policy_arns.is_empty() {
            role.managed_policy_arns = Some(Val::from(props.managed_policy_arns));
        }
        Role { node, resource: inner.add("Resource", role) }
    }

    /// The construct of a role created as an L1 resource (or by another construct), so it can
    /// be given grants. The role gets a construct node of its own: at its construct's path
    /// when the L1 is a construct's `Resource`, at its own path otherwise, so its default
    /// policy is its own (`<Role>/DefaultPolicy`) and never another role's. Adopting the same
    /// role twice gives the same construct. `None` for a role of another app.
    #[track_caller]
    pub fn from_resource(scope: &mut Scope<'_>, resource: l1::RoleRef) -> Option<Role> {
        let node = scope.app().adopt(resource.id(), RoleState::default)?;
        Some(Role { node, resource })
    }

    /// The construct node, for its path and children.
    pub fn node(&self) -> ConstructRef<RoleState> {
        self.node
    }

    /// The L1 handle, for escape hatches (`scope.node(role.resource())`).
    pub fn resource(&self) -> l1::RoleRef {
        self.resource
    }

    /// Whether the role may do anything: a statement granted to it, a managed policy or an
    /// inline policy.
    pub(crate) fn grants_anything(&self, app: &App) -> bool {
        let granted = app.state(self.node).is_some_and(|s| !s.policies.is_empty());
        let attached = app
            .get::<l1::Role>(self.resource)
            .is_some_and(|r| r.managed_policy_arns.is_some() || !r.policies.is_empty());
        granted || attached
    }

    /// The role's ARN as text, when it is known before deployment: the role has a fixed name
    /// and path and `env` fixes account and region (which gives the partition).
    pub(crate) fn literal_arn(&self, app: &App, env: &Environment) -> Option<String> {
        literal_role_arn(app, self.resource, env)
    }

    /// The role ARN.
    pub fn arn(&self) -> Val<kind::RoleArn> {
        self.resource.arn()
    }

    /// The role name.
    pub fn role_name(&self) -> Val<String> {
        self.resource.reference()
    }

    /// The role's `DefaultPolicy`, once a grant created it.
    pub fn default_policy(&self, app: &App) -> Option<l1::PolicyRef> {
        app.child_resource(self.node.id(), DEFAULT_POLICY.slot)
    }

    /// Adds a statement to the role's default policy, creating the policy on first use.
    #[track_caller]
    pub fn add_to_policy(&self, scope: &mut Scope<'_>, statement: PolicyStatement) {
        let role_name = self.role_name();
        let make = || {
            l1::Policy::new(l1::PolicyRequired {
                policy_document: PolicyDocument::new().to_val(),
                policy_name: "",
            })
            .roles(vec![role_name])
        };
        if add_statement(scope.app(), self.node, DEFAULT_POLICY, make, statement).is_none() {
            scope.foreign_handle("a grant to a role");
        }
    }

    /// Lets `grantee` pass this role to a service (`iam:PassRole`).
    #[track_caller]
    pub fn grant_pass_role(&self, scope: &mut Scope<'_>, grantee: &impl Grantee) {
        grantee.add_to_principal_policy(
            scope,
            PolicyStatement::allow().action("iam:PassRole").resource(self.arn()),
        );
    }

    /// Lets `grantee` assume this role (`sts:AssumeRole`), for a principal in the same
    /// account; another account's principal belongs in [`RoleProps::also_assumed_by`].
    #[track_caller]
    pub fn grant_assume_role(&self, scope: &mut Scope<'_>, grantee: &impl Grantee) {
        grantee.add_to_principal_policy(
            scope,
            PolicyStatement::allow().action("sts:AssumeRole").resource(self.arn()),
        );
    }
}

impl Grantee for Role {
    fn add_to_principal_policy(&self, scope: &mut Scope<'_>, statement: PolicyStatement) {
        self.add_to_policy(scope, statement);
    }
}

/// The ARN of the L1 role `resource` as text, when it is known before deployment: the role
/// has a fixed name and path and `env` (its stack's) fixes account and region, which gives
/// the partition.
pub(crate) fn literal_role_arn(
    app: &App,
    resource: l1::RoleRef,
    env: &Environment,
) -> Option<String> {
    let (account, region) = (env.account.as_deref()?, env.region.as_deref()?);
    let role = app.get::<l1::Role>(resource)?;

    let name = role.role_name.as_ref()?.expr().as_str()?;
    let path = match &role.path {
        Some(p) => p.expr().as_str()?,
        None => "/",
    };
    // The text goes into a file, where no `${AWS::Partition}` resolves: the partition
    // follows from the region's prefix.
    let partition = [
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-isob-", "aws-iso-b"),
        ("us-isof-", "aws-iso-f"),
        ("eu-isoe-", "aws-iso-e"),
        ("us-iso-", "aws-iso"),
        ("eusc-", "aws-eusc"),
    ]
    .iter()
    .find(|(prefix, _)| region.starts_with(prefix))
    .map_or("aws", |(_, partition)| partition);
    Some(format!("arn:{partition}:iam::{account}:role{path}{name}"))
}

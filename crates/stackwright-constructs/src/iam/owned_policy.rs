//! Policy documents a construct owns: a role's default policy, a queue's or topic's resource
//! policy, a bucket's policy, a key's policy. The statements live in the construct's state;
//! the L1 that carries them is a child in one of the construct's slots, created on the first
//! statement, and gets the rendered document at synth, checked with IAM's rules for its kind.

use std::fmt;
use std::rc::Rc;

use stackwright_core::{
    App, Child, ConstructRef, ConstructState, Handle, Json, Problem, ResourceId, ResourceType,
    Scope, Val,
};

use super::{DocumentKind, PolicyDocument, PolicyStatement};

/// Writes a rendered document into the L1 in a slot.
type Apply = Rc<dyn Fn(&mut App, ResourceId, Val<Json>)>;

/// Where a construct keeps one of its policies, and how the document reaches the L1.
pub(crate) struct PolicySlot<L> {
    /// The slot, relative to the construct: `DefaultPolicy`, `ArtifactsBucket/Policy`.
    pub(crate) slot: &'static str,
    /// The property that holds the document, for messages.
    pub(crate) property: &'static str,
    /// Whether the owner puts the L1 in the slot itself when it is created (a key, whose
    /// policy is a property of its own). Otherwise the first statement creates the L1, and
    /// one found in the slot before that was put there by someone else.
    pub(crate) made_by_owner: bool,
    /// Which of IAM's rules apply.
    pub(crate) kind: DocumentKind,
    /// Stores the rendered document in the L1 (which knows its own id, for a policy named
    /// after its logical ID).
    pub(crate) apply: fn(&mut L, Val<Json>, ResourceId),
}

impl<L> Clone for PolicySlot<L> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<L> Copy for PolicySlot<L> {}

/// One owned policy.
#[derive(Clone)]
struct Owned {
    slot: &'static str,
    property: &'static str,
    kind: DocumentKind,
    document: PolicyDocument,
    apply: Apply,
}

/// The policies a construct owns, in the order they were created.
#[derive(Clone, Default)]
pub(crate) struct Policies {
    owned: Vec<Owned>,
}

impl fmt::Debug for Policies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.owned.iter().map(|o| (o.slot, &o.document))).finish()
    }
}

impl Policies {
    /// Whether a statement went into the policy in `slot`.
    fn has(&self, slot: &str) -> bool {
        self.owned.iter().any(|o| o.slot == slot)
    }

    /// The statements of the policy in `slot`, none when it has none yet.
    pub(crate) fn statements(&self, slot: &str) -> &[PolicyStatement] {
        self.owned.iter().find(|o| o.slot == slot).map_or(&[], |o| o.document.statements())
    }

    /// Whether no owned document has a statement.
    pub(crate) fn is_empty(&self) -> bool {
        self.owned.iter().all(|o| o.document.is_empty())
    }

    /// Writes every document into its L1 and reports what IAM would reject, at the policy's
    /// own path. Called from the owner's render step.
    pub(crate) fn render(&self, scope: &mut Scope<'_>) {
        for o in &self.owned {
            let Some(Child::Resource(id)) = scope.slot(o.slot) else { continue };
            (o.apply)(scope.app(), id, o.document.to_val());
            // Checked here, at the policy's own path; the L1's check of the same property
            // would report it twice.
            if let Some(node) = scope.node(id) {
                node.cover_property_checks([o.property]);
            }
            let problems = o.document.validate(o.kind);
            if problems.is_empty() {
                continue;
            }
            let mut at = slot_scope(scope, o.slot);
            for m in problems {
                at.report(Problem::new(
                    "iam.policy-document",
                    format!("property `{}`: {m}", o.property),
                    "",
                ));
            }
        }
    }
}

/// A construct state that owns policies.
pub(crate) trait PolicyOwner: ConstructState {
    /// The policies.
    fn policies(&self) -> &Policies;

    /// The policies, to add to.
    fn policies_mut(&mut self) -> &mut Policies;
}

/// Adds `statement` to the policy in `spec.slot` of `owner`, creating the L1 with `make` on
/// the first statement (or taking the resource already in that slot when the owner made it,
/// such as a key). Returns the L1's handle; `Some(None)` when something other than the
/// policy holds the slot, a policy of someone else's included (reported as a clash); `None`
/// for a construct of another app.
pub(crate) fn add_statement<S: PolicyOwner, L: ResourceType + Clone>(
    app: &mut App,
    owner: ConstructRef<S>,
    spec: PolicySlot<L>,
    make: impl FnOnce() -> L,
    statement: PolicyStatement,
) -> Option<Option<L::Handle>> {
    let node = app.construct(owner.id())?;
    let kind = node.kind();
    // The L1 in the slot is the owner's once a statement went into it (or when the owner
    // made it); an L1 of the same type there before is someone else's, and taking it would
    // overwrite its document and attach the statement wherever that L1 is attached.
    let started = app.state(owner).is_some_and(|s| s.policies().has(spec.slot));
    let handle = match node.child(spec.slot) {
        Some(Child::Resource(id))
            if (started || spec.made_by_owner)
                && app.get::<L>(L::Handle::from_id(id)).is_some() =>
        {
            L::Handle::from_id(id)
        }
        None => {
            let mut scope = app.scope_of(owner.id())?;
            let (parents, last) = split(spec.slot);
            let mut at = parents.iter().fold(scope.reborrow(), |s, p| s.into_child(p));
            at.add(last, make())
        }
        // Something else took the slot: a clash naming both, never a dropped statement.
        Some(_) => {
            let mut scope = app.scope_of(owner.id())?;
            let path = scope.path().to_string();
            let what =
                format!("the {} that {kind} `{path}` makes for its grants", make().resource_type());
            scope.slot_taken(spec.slot, &what);
            return Some(None);
        }
    };
    let policies = app.state_mut(owner)?.policies_mut();
    match policies.owned.iter_mut().find(|o| o.slot == spec.slot) {
        Some(o) => o.document.add(statement),
        None => {
            let apply = spec.apply;
            let mut document = PolicyDocument::new();
            document.add(statement);
            policies.owned.push(Owned {
                slot: spec.slot,
                property: spec.property,
                kind: spec.kind,
                document,
                apply: Rc::new(move |app: &mut App, id: ResourceId, doc: Val<Json>| {
                    if let Some(l1) = app.get_mut::<L>(L::Handle::from_id(id)) {
                        apply(l1, doc, id);
                    }
                }),
            });
        }
    }
    Some(Some(handle))
}

/// `ArtifactsBucket/Policy` -> (`["ArtifactsBucket"]`, `Policy`).
fn split(slot: &str) -> (Vec<&str>, &str) {
    let mut parts: Vec<&str> = slot.split('/').collect();
    let last = parts.pop().unwrap_or(slot);
    (parts, last)
}

/// The scope at a slot's path, for reporting at the policy itself.
fn slot_scope<'s>(scope: &'s mut Scope<'_>, slot: &str) -> Scope<'s> {
    slot.split('/').fold(scope.reborrow(), |s, p| s.into_child(p))
}

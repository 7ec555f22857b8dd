//! An L1 policy resource whose document is kept typed until synth, so grants can keep
//! adding statements after the resource exists.

use stackwright_core::{
    Json, PropertyProblem, Props, Resource, ResourceId, ResourceType, Scope, Val,
};

use super::{DocumentKind, PolicyDocument, PolicyStatement};
use crate::lazy_child::find_or_add;

/// Wraps an L1 resource that has a policy document (`AWS::IAM::Policy`,
/// `AWS::SQS::QueuePolicy`, `AWS::SNS::TopicPolicy`): the document is rendered into the L1's
/// property at synth and checked there with IAM's rules for its kind.
#[derive(Clone, Debug)]
pub struct PolicyResource<L> {
    l1: L,
    document: PolicyDocument,
    kind: DocumentKind,
    apply: fn(&mut L, Val<Json>),
}

impl<L> PolicyResource<L> {
    /// Wraps `l1`; `apply` stores the rendered document in it.
    pub fn new(l1: L, kind: DocumentKind, apply: fn(&mut L, Val<Json>)) -> PolicyResource<L> {
        PolicyResource { l1, document: PolicyDocument::new(), kind, apply }
    }

    /// The document, for adding statements.
    pub fn document_mut(&mut self) -> &mut PolicyDocument {
        &mut self.document
    }

    /// The document.
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }

    /// The wrapped L1, for setting its other properties.
    pub fn l1_mut(&mut self) -> &mut L {
        &mut self.l1
    }

    fn rendered(&self) -> L
    where
        L: Clone,
    {
        let mut l1 = self.l1.clone();
        (self.apply)(&mut l1, self.document.to_val());
        l1
    }
}

impl<L: Resource + Clone> Resource for PolicyResource<L> {
    fn resource_type(&self) -> &str {
        self.l1.resource_type()
    }

    fn properties(&self) -> Props {
        self.rendered().properties()
    }

    fn validate(&self, problems: &mut Vec<PropertyProblem>) {
        self.rendered().validate(problems);
        for m in self.document.validate(self.kind) {
            problems.push(PropertyProblem::new("PolicyDocument", m));
        }
    }
}

impl<L: ResourceType + Clone> ResourceType for PolicyResource<L> {
    type Handle = L::Handle;
}

/// Adds `statement` to the policy that is the child `id` of the construct whose main
/// resource is `owner` (a role's `DefaultPolicy`, a queue's `Policy`), creating the policy
/// from `l1` on first use. Returns its handle; `None`, reported at `scope`, for a handle of
/// another app.
pub(crate) fn add_statement<L: ResourceType + Clone>(
    scope: &mut Scope<'_>,
    owner: ResourceId,
    id: &str,
    l1: impl FnOnce() -> L,
    kind: DocumentKind,
    apply: fn(&mut L, Val<Json>),
    statement: PolicyStatement,
) -> Option<L::Handle> {
    let make = || PolicyResource::new(l1(), kind, apply);
    let Some(handle) = find_or_add(scope.app(), owner, id, make) else {
        scope.error("a handle from another app was used");
        return None;
    };
    if let Some(p) = scope.app().get_mut::<PolicyResource<L>>(handle) {
        p.document_mut().add(statement);
    }
    Some(handle)
}

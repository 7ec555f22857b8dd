//! An L1 policy resource whose document is kept typed until synth, so grants can keep
//! adding statements after the resource exists.

use stackwright_core::{Json, PropertyProblem, Props, Resource, ResourceType, Val};

use super::{DocumentKind, PolicyDocument};

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
        PolicyResource {
            l1,
            document: PolicyDocument::new(),
            kind,
            apply,
        }
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

//! Policy documents, checked the way IAM checks them.

use stackwright_core::{Expr, Val};

use super::PolicyStatement;

pub use stackwright_aws::support::DocumentKind;

/// An IAM policy document (`Version` 2012-10-17).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyDocument {
    statements: Vec<PolicyStatement>,
}

impl PolicyDocument {
    /// An empty document.
    pub fn new() -> PolicyDocument {
        PolicyDocument::default()
    }

    /// A document with these statements.
    pub fn with(statements: impl IntoIterator<Item = PolicyStatement>) -> PolicyDocument {
        let mut d = PolicyDocument::new();
        for s in statements {
            d.add(s);
        }
        d
    }

    /// Adds a statement. One that differs from an existing statement only in its actions is
    /// merged into it, so grants on the same resource read as one statement.
    pub fn add(&mut self, statement: PolicyStatement) {
        if let Some(existing) = self.statements.iter_mut().find(|s| s.mergeable_with(&statement)) {
            existing.merge_actions(&statement);
        } else if !self.statements.contains(&statement) {
            self.statements.push(statement);
        }
    }

    /// The statements.
    pub fn statements(&self) -> &[PolicyStatement] {
        &self.statements
    }

    /// Whether the document has no statements.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// The document as a template value.
    pub fn to_val(&self) -> Val<stackwright_core::Json> {
        Val::from_expr(Expr::Map(vec![
            ("Version".into(), Expr::Str("2012-10-17".into())),
            (
                "Statement".into(),
                Expr::List(self.statements.iter().map(PolicyStatement::render).collect()),
            ),
        ]))
    }

    /// Every rule of IAM's this document breaks, as messages naming the statement. The
    /// same check runs on the rendered value as every L1 property that holds a policy runs
    /// it, so a document reads the same wherever it goes.
    pub fn validate(&self, kind: DocumentKind) -> Vec<String> {
        stackwright_aws::support::policy::check_document(self.to_val().expr(), kind)
    }
}

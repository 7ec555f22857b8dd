//! Policy documents, checked the way IAM checks them.

use stackwright_core::{Expr, Val};

use super::{Effect, PolicyStatement};

/// Where a document is used; IAM's rules differ for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// Attached to a role, user or group: statements need resources, never principals.
    Identity,
    /// Attached to a resource (a queue, a topic, a bucket): statements need principals and
    /// resources.
    Resource,
    /// A role's trust policy: statements need principals, have no resources, and only allow
    /// `sts:` actions.
    Trust,
}

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

    /// Every rule of IAM's this document breaks, as messages naming the statement.
    pub fn validate(&self, kind: DocumentKind) -> Vec<String> {
        let mut out = Vec::new();
        if self.statements.is_empty() {
            out.push("the policy document has no statements; IAM rejects an empty policy".into());
        }
        let mut sids: Vec<&str> = Vec::new();
        for (i, s) in self.statements.iter().enumerate() {
            let at = match &s.sid {
                Some(sid) => format!("statement {i} (`{sid}`)"),
                None => format!("statement {i}"),
            };
            let mut fail = |m: String| out.push(format!("{at}: {m}"));
            if let Some(sid) = &s.sid {
                if sid.is_empty() || !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
                    fail(format!("Sid `{sid}` may contain only letters and digits"));
                }
                if sids.contains(&sid.as_str()) {
                    fail(format!("Sid `{sid}` is used twice; Sids must be unique in a document"));
                }
                sids.push(sid);
            }
            match (s.actions.is_empty(), s.not_actions.is_empty()) {
                (true, true) => fail("has no Action; add at least one action".into()),
                (false, false) => fail("has both Action and NotAction; use one".into()),
                _ => {}
            }
            for a in s.actions.iter().chain(&s.not_actions) {
                if !is_action(a) {
                    fail(format!("action `{a}` is not of the form `service:Action` (or `*`)"));
                }
            }
            for p in s.principals.iter().chain(&s.not_principals) {
                if let Some(m) = p.problem() {
                    fail(m);
                }
            }
            for r in s.resources.iter().chain(&s.not_resources) {
                if let Expr::Str(r) = r.expr()
                    && r != "*"
                    && !r.starts_with("arn:")
                {
                    fail(format!("resource `{r}` is not an ARN (or `*`)"));
                }
            }
            let has_principal = !s.principals.is_empty() || !s.not_principals.is_empty();
            let has_resource = !s.resources.is_empty() || !s.not_resources.is_empty();
            match kind {
                DocumentKind::Identity => {
                    if has_principal {
                        fail("has a Principal, which identity policies must not; the principal is whoever the policy is attached to".into());
                    }
                    if !has_resource {
                        fail("has no Resource; name the resources it applies to".into());
                    }
                }
                DocumentKind::Resource => {
                    if !has_principal {
                        fail(
                            "has no Principal; a resource policy must say whom it applies to"
                                .into(),
                        );
                    }
                    if !has_resource {
                        fail("has no Resource; name the resources it applies to".into());
                    }
                }
                DocumentKind::Trust => {
                    if !has_principal {
                        fail(
                            "has no Principal; a trust policy must say who may assume the role"
                                .into(),
                        );
                    }
                    if has_resource {
                        fail("has a Resource, which trust policies must not".into());
                    }
                    if s.effect == Effect::Allow
                        && let Some(a) = s.actions.iter().find(|a| !is_sts(a))
                    {
                        fail(format!(
                            "action `{a}` is not an `sts:` action; a trust policy only allows assuming the role"
                        ));
                    }
                }
            }
        }
        out
    }
}

/// `service:Action`, or `*`. IAM reads both parts without regard to case (`S3:GetObject`
/// is `s3:GetObject`), so either case is accepted and written as given.
fn is_action(a: &str) -> bool {
    if a == "*" {
        return true;
    }
    let Some((service, action)) = a.split_once(':') else {
        return false;
    };
    !service.is_empty()
        && service.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !action.is_empty()
        && action.chars().all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '?')
}

/// Whether the action is one of STS's, in any case (`sts:AssumeRole`, `STS:AssumeRole`).
fn is_sts(a: &str) -> bool {
    a.get(..4).is_some_and(|prefix| prefix.eq_ignore_ascii_case("sts:"))
}

//! One statement of a policy document.

use stackwright_core::kind::AnyArn;
use stackwright_core::{Expr, Json, Val};

use super::Principal;

/// Whether a statement allows or denies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    /// `Allow`.
    Allow,
    /// `Deny`.
    Deny,
}

/// A policy statement: effect, actions, resources, principals and conditions.
///
/// ```
/// use stackwright_constructs::iam::PolicyStatement;
/// let s = PolicyStatement::allow()
///     .actions(["sqs:SendMessage", "sqs:GetQueueUrl"])
///     .resource("arn:aws:sqs:us-east-1:123456789012:orders-queue");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyStatement {
    pub(crate) sid: Option<String>,
    pub(crate) effect: Effect,
    pub(crate) principals: Vec<Principal>,
    pub(crate) not_principals: Vec<Principal>,
    pub(crate) actions: Vec<String>,
    pub(crate) not_actions: Vec<String>,
    pub(crate) resources: Vec<Val<String>>,
    pub(crate) not_resources: Vec<Val<String>>,
    /// `(operator, key, value)`, such as `("Bool", "aws:SecureTransport", "false")`.
    pub(crate) conditions: Vec<(String, String, Val<Json>)>,
}

impl PolicyStatement {
    fn new(effect: Effect) -> PolicyStatement {
        PolicyStatement {
            sid: None,
            effect,
            principals: Vec::new(),
            not_principals: Vec::new(),
            actions: Vec::new(),
            not_actions: Vec::new(),
            resources: Vec::new(),
            not_resources: Vec::new(),
            conditions: Vec::new(),
        }
    }

    /// An `Allow` statement.
    pub fn allow() -> PolicyStatement {
        PolicyStatement::new(Effect::Allow)
    }

    /// A `Deny` statement.
    pub fn deny() -> PolicyStatement {
        PolicyStatement::new(Effect::Deny)
    }

    /// Sets the statement ID (letters and digits).
    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = Some(sid.into());
        self
    }

    /// Adds an action (`service:Action`, wildcards allowed; IAM reads it without regard to
    /// case, and it is written as given). An action already there in another case is not
    /// added again.
    pub fn action(mut self, action: impl Into<String>) -> Self {
        push_unique(&mut self.actions, action.into());
        self
    }

    /// Adds actions.
    pub fn actions<S: Into<String>>(mut self, actions: impl IntoIterator<Item = S>) -> Self {
        for a in actions {
            push_unique(&mut self.actions, a.into());
        }
        self
    }

    /// Adds actions the statement applies to all but.
    pub fn not_actions<S: Into<String>>(mut self, actions: impl IntoIterator<Item = S>) -> Self {
        for a in actions {
            push_unique(&mut self.not_actions, a.into());
        }
        self
    }

    /// Adds a resource ARN (or `*`). Any ARN fits, and so does a string of no particular
    /// kind; a name, an ID or a URL (`Ref` of a table, a queue, a bucket) does not compile:
    /// IAM matches ARNs only, so it would grant nothing.
    pub fn resource(mut self, arn: impl Into<Val<AnyArn>>) -> Self {
        let arn = arn.into().into_string();
        if !self.resources.contains(&arn) {
            self.resources.push(arn);
        }
        self
    }

    /// Adds a resource the statement applies to all but (an ARN, as for
    /// [`resource`](Self::resource)).
    pub fn not_resource(mut self, arn: impl Into<Val<AnyArn>>) -> Self {
        self.not_resources.push(arn.into().into_string());
        self
    }

    /// Adds a principal (resource and trust policies only).
    pub fn principal(mut self, principal: Principal) -> Self {
        if !self.principals.contains(&principal) {
            self.principals.push(principal);
        }
        self
    }

    /// Adds a principal the statement applies to all but.
    pub fn not_principal(mut self, principal: Principal) -> Self {
        self.not_principals.push(principal);
        self
    }

    /// Adds a condition: `operator` (`StringEquals`, `ArnEquals`, `Bool`, ...), the context
    /// key, and the value (a string, a list, or an expression).
    pub fn condition(
        mut self,
        operator: impl Into<String>,
        key: impl Into<String>,
        value: impl Into<Val<Json>>,
    ) -> Self {
        self.conditions.push((operator.into(), key.into(), value.into()));
        self
    }

    /// The actions.
    pub fn action_list(&self) -> &[String] {
        &self.actions
    }

    /// The effect.
    pub fn effect(&self) -> Effect {
        self.effect
    }

    /// Whether `other` differs only in its actions, so the two can be one statement.
    pub(crate) fn mergeable_with(&self, other: &PolicyStatement) -> bool {
        self.sid.is_none()
            && other.sid.is_none()
            && self.effect == other.effect
            && self.principals == other.principals
            && self.not_principals == other.not_principals
            && self.not_actions.is_empty()
            && other.not_actions.is_empty()
            && self.resources == other.resources
            && self.not_resources == other.not_resources
            && self.conditions == other.conditions
    }

    pub(crate) fn merge_actions(&mut self, other: &PolicyStatement) {
        for a in &other.actions {
            push_unique(&mut self.actions, a.clone());
        }
    }

    pub(crate) fn render(&self) -> Expr {
        let mut m: Vec<(String, Expr)> = Vec::new();
        if let Some(sid) = &self.sid {
            m.push(("Sid".into(), Expr::Str(sid.clone())));
        }
        let effect = match self.effect {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        };
        m.push(("Effect".into(), Expr::Str(effect.into())));
        if !self.principals.is_empty() {
            m.push(("Principal".into(), Principal::render(&self.principals)));
        }
        if !self.not_principals.is_empty() {
            m.push(("NotPrincipal".into(), Principal::render(&self.not_principals)));
        }
        let strings = |v: &[String]| one_or_list(v.iter().map(|s| Expr::Str(s.clone())).collect());
        if !self.actions.is_empty() {
            m.push(("Action".into(), strings(&self.actions)));
        }
        if !self.not_actions.is_empty() {
            m.push(("NotAction".into(), strings(&self.not_actions)));
        }
        let exprs = |v: &[Val<String>]| one_or_list(v.iter().map(|s| s.expr().clone()).collect());
        if !self.resources.is_empty() {
            m.push(("Resource".into(), exprs(&self.resources)));
        }
        if !self.not_resources.is_empty() {
            m.push(("NotResource".into(), exprs(&self.not_resources)));
        }
        if !self.conditions.is_empty() {
            let mut ops: Vec<(String, Expr)> = Vec::new();
            for (op, key, value) in &self.conditions {
                let entry = (key.clone(), value.expr().clone());
                match ops.iter_mut().find(|(o, _)| o == op) {
                    Some((_, Expr::Map(keys))) => keys.push(entry),
                    _ => ops.push((op.clone(), Expr::Map(vec![entry]))),
                }
            }
            m.push(("Condition".into(), Expr::Map(ops)));
        }
        Expr::Map(m)
    }
}

/// IAM accepts a single value where a list is allowed; people write it that way.
fn one_or_list(mut v: Vec<Expr>) -> Expr {
    if v.len() == 1 { v.remove(0) } else { Expr::List(v) }
}

/// Adds an action unless it is there already. IAM reads actions without regard to case, so
/// `s3:getobject` is `s3:GetObject` again; the first spelling is the one written.
fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.iter().any(|a| a.eq_ignore_ascii_case(&s)) {
        v.push(s);
    }
}

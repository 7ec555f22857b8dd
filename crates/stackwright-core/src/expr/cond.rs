//! Condition functions: `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`, and the
//! functions that only template `Rules` accept.

use super::{ConditionTarget, Expr, Val};
use crate::template::ConditionRef;

/// A boolean condition, as used in a template's `Conditions`, in `Fn::If` and in rules.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    /// `Fn::Equals`.
    Equals(Expr, Expr),
    /// `Fn::And` (2 to 10 operands; checked at synth).
    And(Vec<Cond>),
    /// `Fn::Or` (2 to 10 operands; checked at synth).
    Or(Vec<Cond>),
    /// `Fn::Not`.
    Not(Box<Cond>),
    /// A reference to a named condition.
    Condition(ConditionTarget),
    /// `Fn::Contains` (rules only): whether a list contains a string.
    Contains(Expr, Expr),
    /// `Fn::EachMemberEquals` (rules only).
    EachMemberEquals(Expr, Expr),
    /// `Fn::EachMemberIn` (rules only).
    EachMemberIn(Expr, Expr),
}

impl Cond {
    /// `Fn::Equals` of two strings, the usual comparison (`Cond::equals(pseudo::region(),
    /// "us-east-1")`).
    pub fn equals(a: impl Into<Val<String>>, b: impl Into<Val<String>>) -> Cond {
        Cond::Equals(a.into().into_expr(), b.into().into_expr())
    }

    /// `Fn::Equals` of two values of another type.
    pub fn equals_typed<T: super::ValueType>(a: Val<T>, b: Val<T>) -> Cond {
        Cond::Equals(a.into_expr(), b.into_expr())
    }

    /// `Fn::And` of the given conditions.
    pub fn and(conds: impl IntoIterator<Item = Cond>) -> Cond {
        Cond::And(conds.into_iter().collect())
    }

    /// `Fn::Or` of the given conditions.
    pub fn or(conds: impl IntoIterator<Item = Cond>) -> Cond {
        Cond::Or(conds.into_iter().collect())
    }

    /// `Fn::Not` of a condition. (Named `negate` so it does not shadow `std::ops::Not`.)
    pub fn negate(cond: impl Into<Cond>) -> Cond {
        Cond::Not(Box::new(cond.into()))
    }

    /// A reference to a condition by name (escape hatch; checked at synth).
    pub fn named(name: impl Into<String>) -> Cond {
        Cond::Condition(ConditionTarget::Named(name.into()))
    }

    /// `Fn::Contains` for template rules.
    pub fn contains(list: impl Into<Val<Vec<String>>>, value: impl Into<Val<String>>) -> Cond {
        Cond::Contains(list.into().into_expr(), value.into().into_expr())
    }

    /// `Fn::EachMemberEquals` for template rules.
    pub fn each_member_equals(
        list: impl Into<Val<Vec<String>>>,
        value: impl Into<Val<String>>,
    ) -> Cond {
        Cond::EachMemberEquals(list.into().into_expr(), value.into().into_expr())
    }

    /// `Fn::EachMemberIn` for template rules.
    pub fn each_member_in(
        list: impl Into<Val<Vec<String>>>,
        allowed: impl Into<Val<Vec<String>>>,
    ) -> Cond {
        Cond::EachMemberIn(list.into().into_expr(), allowed.into().into_expr())
    }

    /// Calls `visit` on every expression inside this condition.
    pub fn walk(&self, visit: &mut dyn FnMut(&Expr)) {
        match self {
            Cond::Equals(a, b)
            | Cond::Contains(a, b)
            | Cond::EachMemberEquals(a, b)
            | Cond::EachMemberIn(a, b) => {
                a.walk(visit);
                b.walk(visit);
            }
            Cond::And(cs) | Cond::Or(cs) => cs.iter().for_each(|c| c.walk(visit)),
            Cond::Not(c) => c.walk(visit),
            Cond::Condition(_) => {}
        }
    }

    /// Calls `visit` on every condition this one refers to by name or id.
    pub fn walk_conditions(&self, visit: &mut dyn FnMut(&ConditionTarget)) {
        match self {
            Cond::Condition(t) => visit(t),
            Cond::And(cs) | Cond::Or(cs) => cs.iter().for_each(|c| c.walk_conditions(visit)),
            Cond::Not(c) => c.walk_conditions(visit),
            _ => {}
        }
    }
}

impl From<ConditionRef> for Cond {
    fn from(c: ConditionRef) -> Cond {
        Cond::Condition(ConditionTarget::Id(c.id()))
    }
}

impl std::ops::Not for Cond {
    type Output = Cond;
    fn not(self) -> Cond {
        Cond::Not(Box::new(self))
    }
}

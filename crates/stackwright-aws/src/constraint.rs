//! Checks of schema constraints on literal property values. Values that are expressions
//! (a parameter, an attribute) are only known at deploy time and pass.

use stackwright_core::{Expr, PropertyProblem, Val};

/// An integer property must lie in `min..=max`.
pub(crate) fn int_range(
    out: &mut Vec<PropertyProblem>,
    property: &str,
    value: &Option<Val<i64>>,
    min: i64,
    max: i64,
) {
    if let Some(Expr::Int(n)) = value.as_ref().map(Val::expr) {
        if *n < min || *n > max {
            out.push(PropertyProblem::new(
                property,
                format!("{n} is out of range; allowed: {min} to {max}"),
            ));
        }
    }
}

/// A string property's length must lie in `min..=max`.
pub(crate) fn str_len(
    out: &mut Vec<PropertyProblem>,
    property: &str,
    value: &Option<Val<String>>,
    min: usize,
    max: usize,
) {
    if let Some(Expr::Str(s)) = value.as_ref().map(Val::expr) {
        let n = s.chars().count();
        if n < min || n > max {
            out.push(PropertyProblem::new(
                property,
                format!("`{s}` is {n} characters long; allowed: {min} to {max}"),
            ));
        }
    }
}

/// Every character of a string property must satisfy `ok`; `allowed` describes the set.
pub(crate) fn str_chars(
    out: &mut Vec<PropertyProblem>,
    property: &str,
    value: &Option<Val<String>>,
    ok: fn(char) -> bool,
    allowed: &str,
) {
    if let Some(Expr::Str(s)) = value.as_ref().map(Val::expr) {
        if let Some(bad) = s.chars().find(|&c| !ok(c)) {
            out.push(PropertyProblem::new(
                property,
                format!("`{s}` contains `{bad}`; allowed: {allowed}"),
            ));
        }
    }
}

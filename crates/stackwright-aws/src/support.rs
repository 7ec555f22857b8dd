//! What the generated types share: rendering fields into properties and checking schema
//! constraints on literal values. Written by hand; the generator only calls it.
//!
//! Checks look at literals only: a value that is an expression (a parameter, an attribute,
//! `Fn::If`) is known at deploy time and passes here.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use regex::Regex;
use stackwright_core::{Expr, PropertyProblem, Props, Val};

/// A property type (a struct nested in a resource's properties).
pub trait PropertyType {
    /// The value as a template object.
    fn to_expr(&self) -> Expr;
    /// Checks the constraints of its fields; `at` is its dotted path.
    fn validate(&self, at: &str, out: &mut Vec<PropertyProblem>);
}

/// A field of a resource or property type: a value, an optional value, a nested struct or a
/// list of them.
pub trait Field {
    /// The value to render, `None` when unset.
    fn to_expr(&self) -> Option<Expr>;
    /// Checks nested structs.
    fn validate_nested(&self, _at: &str, _out: &mut Vec<PropertyProblem>) {}
}

impl<T> Field for Val<T> {
    fn to_expr(&self) -> Option<Expr> {
        Some(self.expr().clone())
    }
}

impl<T> Field for Option<Val<T>> {
    fn to_expr(&self) -> Option<Expr> {
        self.as_ref().map(|v| v.expr().clone())
    }
}

impl<S: PropertyType> Field for Box<S> {
    fn to_expr(&self) -> Option<Expr> {
        Some(PropertyType::to_expr(&**self))
    }
    fn validate_nested(&self, at: &str, out: &mut Vec<PropertyProblem>) {
        self.validate(at, out);
    }
}

impl<S: PropertyType> Field for Option<Box<S>> {
    fn to_expr(&self) -> Option<Expr> {
        self.as_ref().map(|s| PropertyType::to_expr(&**s))
    }
    fn validate_nested(&self, at: &str, out: &mut Vec<PropertyProblem>) {
        if let Some(s) = self {
            s.validate(at, out);
        }
    }
}

impl<S: PropertyType> Field for Vec<S> {
    fn to_expr(&self) -> Option<Expr> {
        (!self.is_empty()).then(|| Expr::List(self.iter().map(PropertyType::to_expr).collect()))
    }
    fn validate_nested(&self, at: &str, out: &mut Vec<PropertyProblem>) {
        for (i, s) in self.iter().enumerate() {
            s.validate(&format!("{at}.{i}"), out);
        }
    }
}

/// Sets a property when the field has a value.
pub fn put(p: &mut Props, name: &str, field: &impl Field) {
    if let Some(e) = field.to_expr() {
        p.set_expr(name, e);
    }
}

fn path(at: &str, name: &str) -> String {
    if at.is_empty() { name.to_owned() } else { format!("{at}.{name}") }
}

/// The literal string of a field, if it is one.
fn literal_str(field: &impl Field) -> Option<String> {
    match field.to_expr()? {
        Expr::Str(s) => Some(s),
        _ => None,
    }
}

/// Checks a string's length.
pub fn length(
    out: &mut Vec<PropertyProblem>,
    at: &str,
    name: &str,
    field: &impl Field,
    min: Option<u64>,
    max: Option<u64>,
) {
    let Some(s) = literal_str(field) else { return };
    let n = s.chars().count() as u64;
    if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
        let range = match (min, max) {
            (Some(a), Some(b)) => format!("{a} to {b}"),
            (Some(a), None) => format!("at least {a}"),
            (None, Some(b)) => format!("at most {b}"),
            (None, None) => String::new(),
        };
        out.push(PropertyProblem::new(
            path(at, name),
            format!("`{s}` is {n} characters long; allowed: {range}"),
        ));
    }
}

/// Checks a string against the schema's regular expression.
pub fn pattern(
    out: &mut Vec<PropertyProblem>,
    at: &str,
    name: &str,
    field: &impl Field,
    pattern: &'static str,
) {
    let Some(s) = literal_str(field) else { return };
    if !matches_pattern(pattern, &s) {
        out.push(PropertyProblem::new(
            path(at, name),
            format!("`{s}` does not match the pattern `{pattern}`"),
        ));
    }
}

/// Compiled patterns, shared by every check: compiling one is far dearer than matching.
fn matches_pattern(pattern: &'static str, s: &str) -> bool {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Option<Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let Ok(mut cache) = cache.lock() else {
        return true;
    };
    let re = cache.entry(pattern).or_insert_with(|| Regex::new(pattern).ok());
    re.as_ref().is_none_or(|re| re.is_match(s))
}

/// Checks a string against the allowed values.
pub fn allowed(
    out: &mut Vec<PropertyProblem>,
    at: &str,
    name: &str,
    field: &impl Field,
    values: &[&str],
    case_insensitive: bool,
) {
    let Some(s) = literal_str(field) else { return };
    let ok =
        values.iter().any(|v| if case_insensitive { v.eq_ignore_ascii_case(&s) } else { *v == s });
    if !ok {
        let list: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
        out.push(PropertyProblem::new(
            path(at, name),
            format!("`{s}` is not an allowed value; allowed: {}", list.join(", ")),
        ));
    }
}

/// Checks an integer's range.
pub fn int_range(
    out: &mut Vec<PropertyProblem>,
    at: &str,
    name: &str,
    field: &impl Field,
    min: Option<i64>,
    max: Option<i64>,
) {
    if let Some(Expr::Int(n)) = field.to_expr() {
        if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
            out.push(PropertyProblem::new(
                path(at, name),
                format!("{n} is out of range; {}", describe_range(min, max)),
            ));
        }
    }
}

/// Checks a number's range.
pub fn num_range(
    out: &mut Vec<PropertyProblem>,
    at: &str,
    name: &str,
    field: &impl Field,
    min: Option<f64>,
    max: Option<f64>,
) {
    let n = match field.to_expr() {
        Some(Expr::Float(f)) => f,
        Some(Expr::Int(i)) => i as f64,
        _ => return,
    };
    if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
        out.push(PropertyProblem::new(
            path(at, name),
            format!("{n} is out of range; {}", describe_range(min, max)),
        ));
    }
}

fn describe_range<T: std::fmt::Display>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("allowed: {a} to {b}"),
        (Some(a), None) => format!("allowed: at least {a}"),
        (None, Some(b)) => format!("allowed: at most {b}"),
        (None, None) => String::new(),
    }
}

/// Checks the number of items of a literal list.
pub fn items(
    out: &mut Vec<PropertyProblem>,
    at: &str,
    name: &str,
    field: &impl Field,
    min: Option<u64>,
    max: Option<u64>,
) {
    let Some(Expr::List(list)) = field.to_expr() else {
        return;
    };
    let n = list.len() as u64;
    if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
        let range = describe_range(min, max);
        out.push(PropertyProblem::new(
            path(at, name),
            format!("has {n} item{}; {range}", if n == 1 { "" } else { "s" }),
        ));
    }
}

/// Checks nested property types.
pub fn nested(out: &mut Vec<PropertyProblem>, at: &str, name: &str, field: &impl Field) {
    field.validate_nested(&path(at, name), out);
}

//! What the generated types share: rendering fields into properties and checking schema
//! constraints on literal values. Written by hand; the generator only calls it.
//!
//! Checks look at literals only: a value that is an expression (a parameter, an attribute,
//! `Fn::If`) is known at deploy time and passes here.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use stackwright_core::{Expr, Kind, PropertyProblem, Props, Val};

pub mod ecma;
pub mod policy;

pub use policy::{DocumentKind, policy};

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

/// Checks a string against the schema's regular expression (ECMA syntax, matched anywhere
/// in the string, as JSON Schema does; see [`ecma`]).
pub fn pattern(
    out: &mut Vec<PropertyProblem>,
    at: &str,
    name: &str,
    field: &impl Field,
    pattern: &'static str,
) {
    let Some(s) = literal_str(field) else { return };
    check_pattern(out, path(at, name), &s, pattern);
}

/// Checks each string of a literal list against the schema's regular expression for its
/// items; a problem names the item (`ManagedPolicyArns.1`).
pub fn item_pattern(
    out: &mut Vec<PropertyProblem>,
    at: &str,
    name: &str,
    field: &impl Field,
    pattern: &'static str,
) {
    let Some(Expr::List(list)) = field.to_expr() else {
        return;
    };
    for (i, item) in list.iter().enumerate() {
        if let Expr::Str(s) = item {
            check_pattern(out, format!("{}.{i}", path(at, name)), s, pattern);
        }
    }
}

/// Checks a literal map: each key against the patterns one of which it must match (when the
/// map takes no other keys), and each string value against the pattern for its key.
pub fn map_entries(
    out: &mut Vec<PropertyProblem>,
    at: &str,
    name: &str,
    field: &impl Field,
    keys: &[&'static str],
    values: &[(&'static str, &'static str)],
) {
    let Some(Expr::Map(entries)) = field.to_expr() else {
        return;
    };
    for (key, value) in &entries {
        let at = format!("{}.{key}", path(at, name));
        // A pattern that cannot be compiled counts as a match: `check_pattern` below and the
        // generator's own compilation report such a pattern, never the user's key.
        let matches = |p: &'static str| matches_pattern(p, key).unwrap_or(true);
        if !keys.is_empty() && !keys.iter().any(|p| matches(p)) {
            let list: Vec<String> = keys.iter().map(|p| format!("`{p}`")).collect();
            out.push(PropertyProblem::new(
                at.clone(),
                format!("`{key}` is not a key this map takes; keys match {}", list.join(" or ")),
            ));
        }
        if let Expr::Str(s) = value {
            for (key_pattern, value_pattern) in values {
                if matches(key_pattern) {
                    check_pattern(out, at.clone(), s, value_pattern);
                }
            }
        }
    }
}

fn check_pattern(out: &mut Vec<PropertyProblem>, at: String, s: &str, pattern: &'static str) {
    // CloudFormation resolves a dynamic reference at deploy time; only the value it yields
    // has to match.
    if stackwright_core::kind::is_dynamic_reference(s) {
        return;
    }
    match matches_pattern(pattern, s) {
        Ok(true) => {}
        Ok(false) => out.push(PropertyProblem::new(
            at,
            format!("`{s}` does not match the pattern `{pattern}`"),
        )),
        // The generator emits only patterns that compile (and a test compiles them all), so
        // this cannot happen; if it did, saying so beats passing the value unchecked.
        Err(e) => out.push(PropertyProblem::new(
            at,
            format!("`{s}` cannot be checked against the pattern `{pattern}`: {e}"),
        )),
    }
}

/// Whether `s` matches `pattern`, compiling it once: compiled patterns are shared by every
/// check, since compiling one is far dearer than matching. `Err` when the pattern does not
/// compile.
fn matches_pattern(pattern: &'static str, s: &str) -> Result<bool, String> {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, Result<ecma::Pattern, String>>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    // A panic elsewhere while the lock was held leaves the map intact: keep using it.
    let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
    let compiled = cache.entry(pattern).or_insert_with(|| ecma::compile(pattern));
    match compiled {
        // Hitting the backtrack limit means the pattern backtracks catastrophically on this
        // value: the check cannot tell in reasonable time, and a schema check must not hang
        // synthesis, so the value passes (CloudFormation still validates it at deploy).
        Ok(re) => Ok(re.is_match(s).unwrap_or(true)),
        Err(e) => Err(e.clone()),
    }
}

/// Checks that a literal given for a property of kind `K` is one: `RoleArn` given a role's
/// name is refused here rather than by CloudFormation at deploy time. Dynamic references
/// (`{{resolve:...}}`) pass.
/// The schema's own `pattern` for the property, if any, is checked only when the value is of
/// the kind, so one mistake is reported once.
pub fn kind<K: Kind>(
    out: &mut Vec<PropertyProblem>,
    at: &str,
    name: &str,
    field: &impl Field,
    pattern: Option<&'static str>,
) {
    let Some(s) = literal_str(field) else { return };
    check_kind::<K>(out, path(at, name), &s, pattern);
}

/// [`kind`] for each literal string of a list (`SecurityGroupIds.1`).
pub fn item_kinds<K: Kind>(
    out: &mut Vec<PropertyProblem>,
    at: &str,
    name: &str,
    field: &impl Field,
    pattern: Option<&'static str>,
) {
    let Some(Expr::List(list)) = field.to_expr() else {
        return;
    };
    for (i, item) in list.iter().enumerate() {
        if let Expr::Str(s) = item {
            check_kind::<K>(out, format!("{}.{i}", path(at, name)), s, pattern);
        }
    }
}

/// Checks `s` against the kind's forms and, when it is of the kind, against the property's
/// own `pattern`.
fn check_kind<K: Kind>(
    out: &mut Vec<PropertyProblem>,
    at: String,
    s: &str,
    pattern: Option<&'static str>,
) {
    if stackwright_core::kind::is_dynamic_reference(s) {
        return;
    }
    let mut failures = Vec::new();
    for form in K::PATTERNS {
        match matches_pattern(form, s) {
            Ok(true) => {
                if let Some(own) = pattern {
                    check_pattern(out, at, s, own);
                }
                return;
            }
            Ok(false) => {}
            Err(e) => failures.push(e),
        }
    }
    let why = if failures.is_empty() {
        String::new()
    } else {
        format!(" (the check failed: {})", failures.join("; "))
    };
    out.push(PropertyProblem::new(
        at,
        format!(
            "`{s}` is not {what} (`{format}`, such as `{example}`){why}: pass the attribute of \
             the resource it refers to, or a value of that form",
            what = K::WHAT,
            format = K::FORMAT,
            example = K::EXAMPLE,
        ),
    ));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(check: impl Fn(&mut Vec<PropertyProblem>)) -> Vec<(String, String)> {
        let mut out = Vec::new();
        check(&mut out);
        out.into_iter().map(|p| (p.property, p.message)).collect()
    }

    #[test]
    fn every_generated_pattern_compiles() {
        let broken: Vec<String> = crate::PATTERNS
            .iter()
            .filter_map(|p| ecma::compile(p).err().map(|e| format!("{p}: {e}")))
            .collect();
        assert!(broken.is_empty(), "{broken:#?}");
        assert!(crate::PATTERNS.len() > 2000);
    }

    #[test]
    fn look_around_patterns_are_checked() {
        // `AWS::Lambda::Alias.Name`.
        let alias = "^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$";
        let check = |name: &str| {
            let value: Option<Val<String>> = Some(name.into());
            problems(|out| pattern(out, "", "Name", &value, alias))
        };
        assert_eq!(
            check("123"),
            [(
                "Name".to_owned(),
                "`123` does not match the pattern `^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$`".to_owned()
            )]
        );
        assert!(check("live").is_empty());
        assert!(check("v1").is_empty());
    }

    #[test]
    fn list_items_are_checked_one_by_one() {
        let arn = "^arn:aws:iam::[0-9]{12}:role/.+$";
        let items: Val<Vec<String>> = Val::from(vec![
            "arn:aws:iam::123456789012:role/ok".to_owned(),
            "arn:aws:iam::role/bad".to_owned(),
        ]);
        assert_eq!(
            problems(|out| item_pattern(out, "Target", "Roles", &items, arn)),
            [(
                "Target.Roles.1".to_owned(),
                "`arn:aws:iam::role/bad` does not match the pattern `^arn:aws:iam::[0-9]{12}:role/.+$`"
                    .to_owned()
            )]
        );
        let unset: Option<Val<Vec<String>>> = None;
        assert!(problems(|out| item_pattern(out, "", "Roles", &unset, arn)).is_empty());
    }

    #[test]
    fn map_keys_and_values_are_checked() {
        let map: Val<stackwright_core::Json> = Val::from(serde_json::json!({
            "STAGE": "prod",
            "1BAD": "x",
            "region": "not a region",
        }));
        let keys = ["^[A-Za-z][A-Za-z0-9_]*$"];
        let values = [("^region$", "^[a-z]{2}-[a-z]+-[0-9]$")];
        assert_eq!(
            problems(|out| map_entries(out, "Fn", "Variables", &map, &keys, &values)),
            [
                (
                    "Fn.Variables.1BAD".to_owned(),
                    "`1BAD` is not a key this map takes; keys match `^[A-Za-z][A-Za-z0-9_]*$`"
                        .to_owned()
                ),
                (
                    "Fn.Variables.region".to_owned(),
                    "`not a region` does not match the pattern `^[a-z]{2}-[a-z]+-[0-9]$`"
                        .to_owned()
                ),
            ]
        );
        // A map of intrinsics or an unset one is not looked into.
        let unset: Option<Val<stackwright_core::Json>> = None;
        assert!(
            problems(|out| map_entries(out, "", "Variables", &unset, &keys, &values)).is_empty()
        );
    }

    #[test]
    fn a_pattern_that_does_not_compile_is_reported() {
        let value: Option<Val<String>> = Some("x".into());
        assert_eq!(
            problems(|out| pattern(out, "", "Name", &value, "[\\uD800]")),
            [(
                "Name".to_owned(),
                "`x` cannot be checked against the pattern `[\\uD800]`: `D800` is not a code point a string can hold (a lone surrogate?)".to_owned()
            )]
        );
    }

    #[test]
    fn catastrophic_backtracking_gives_up_and_passes() {
        // A backreference forces the backtracking engine; nested repetition makes it
        // exponential on a near miss.
        let value: Option<Val<String>> = Some(format!("{}!", "a".repeat(64)).into());
        assert!(problems(|out| pattern(out, "", "Name", &value, "^(a|a?)+(\\1)$")).is_empty());
    }
}

//! Matching a JSON value against a pattern, with a message saying where and why it fails.

use std::fmt;

use serde_json::Value;

/// Where and why a value does not match a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// Where in the value, such as `Tags[0].Key`; empty at the top level.
    pub path: String,
    /// What differs.
    pub message: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "at `{}`: {}", self.path, self.message)
        }
    }
}

/// Checks `actual` against `pattern`:
///
/// - an object matches when every key of the pattern is present and its value matches
///   (keys the pattern does not mention are allowed);
/// - an array matches when it has the same length and the elements match pairwise;
/// - anything else (string, number, boolean, `null`) must be equal. `null` is an ordinary
///   value, not a wildcard, and `30` does not match `"30"`.
pub fn matches_pattern(actual: &Value, pattern: &Value) -> Result<(), Mismatch> {
    match_at(actual, pattern, &mut String::new())
}

fn match_at(actual: &Value, pattern: &Value, path: &mut String) -> Result<(), Mismatch> {
    match (pattern, actual) {
        (Value::Object(want), Value::Object(have)) => {
            for (key, want_value) in want {
                let Some(have_value) = have.get(key) else {
                    let present: Vec<&str> = have.keys().map(String::as_str).collect();
                    let present =
                        if present.is_empty() { "none".to_owned() } else { present.join(", ") };
                    return Err(mismatch(
                        path,
                        format!("missing key `{key}` (keys present: {present})"),
                    ));
                };
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                match_at(have_value, want_value, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        (Value::Array(want), Value::Array(have)) => {
            if want.len() != have.len() {
                return Err(mismatch(
                    path,
                    format!(
                        "expected an array of {} elements, found {}: {}",
                        want.len(),
                        have.len(),
                        compact(actual)
                    ),
                ));
            }
            for (i, (have_item, want_item)) in have.iter().zip(want).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                match_at(have_item, want_item, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        (Value::Object(_), _) | (Value::Array(_), _) => Err(mismatch(
            path,
            format!("expected {}, found {} {}", kind(pattern), kind(actual), compact(actual)),
        )),
        _ if actual == pattern => Ok(()),
        _ => {
            Err(mismatch(path, format!("expected {}, found {}", compact(pattern), compact(actual))))
        }
    }
}

fn mismatch(path: &str, message: String) -> Mismatch {
    Mismatch { path: path.to_owned(), message }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One-line JSON for messages; serializing a `Value` cannot fail.
pub(crate) fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)] // tests assert by panicking
mod tests {
    use super::*;
    use serde_json::json;

    fn message(actual: Value, pattern: Value) -> String {
        matches_pattern(&actual, &pattern).unwrap_err().to_string()
    }

    #[test]
    fn objects_allow_extra_keys() {
        let actual = json!({"A": 1, "B": {"C": "x", "D": true}});
        assert!(matches_pattern(&actual, &json!({"B": {"C": "x"}})).is_ok());
        assert!(matches_pattern(&actual, &json!({})).is_ok());
    }

    #[test]
    fn arrays_match_pairwise_and_need_equal_length() {
        let actual = json!([{"Key": "a", "Value": 1}, {"Key": "b"}]);
        assert!(matches_pattern(&actual, &json!([{"Key": "a"}, {"Key": "b"}])).is_ok());
        assert_eq!(
            message(actual.clone(), json!([{"Key": "a"}])),
            r#"expected an array of 1 elements, found 2: [{"Key":"a","Value":1},{"Key":"b"}]"#
        );
        assert_eq!(
            message(actual, json!([{"Key": "a"}, {"Key": "c"}])),
            r#"at `[1].Key`: expected "c", found "b""#
        );
    }

    #[test]
    fn scalars_must_be_equal_and_null_is_not_a_wildcard() {
        assert!(matches_pattern(&json!(null), &json!(null)).is_ok());
        assert_eq!(message(json!("x"), json!(null)), r#"expected null, found "x""#);
        assert_eq!(message(json!("30"), json!(30)), r#"expected 30, found "30""#);
    }

    #[test]
    fn failure_names_the_path_and_the_missing_key() {
        let actual = json!({"Properties": {"Tags": [{"Key": "team"}]}});
        assert_eq!(
            message(actual.clone(), json!({"Properties": {"Tags": [{"Value": "x"}]}})),
            "at `Properties.Tags[0]`: missing key `Value` (keys present: Key)"
        );
        assert_eq!(message(json!({}), json!({"A": 1})), "missing key `A` (keys present: none)");
    }

    #[test]
    fn failure_names_the_kinds_when_shapes_differ() {
        assert_eq!(
            message(json!({"A": "s"}), json!({"A": {"B": 1}})),
            r#"at `A`: expected an object, found a string "s""#
        );
        assert_eq!(
            message(json!({"A": {}}), json!({"A": []})),
            "at `A`: expected an array, found an object {}"
        );
    }
}

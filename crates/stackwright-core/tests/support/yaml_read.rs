//! Reading emitted YAML back as the JSON it stands for, for tests that compare the two
//! formats: short-form tags become their long form, and numbers keep their kind.

#![allow(dead_code)]

use serde_json::{Value, json};

/// Reads YAML back into the JSON long form: `!Ref X` becomes `{"Ref": "X"}`, `!GetAtt A.B`
/// becomes `{"Fn::GetAtt": ["A", "B"]}`, `!Name arg` becomes `{"Fn::Name": arg}`.
pub fn long_form(v: serde_yaml::Value) -> Result<Value, String> {
    use serde_yaml::Value as Y;
    Ok(match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) if !n.is_f64() => json!(i),
            (_, Some(f)) if n.is_f64() => {
                serde_json::Number::from_f64(f).map(Value::Number).ok_or("NaN or infinity")?
            }
            _ => return Err(format!("number {n} out of range")),
        },
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            Value::Array(items.into_iter().map(long_form).collect::<Result<_, _>>()?)
        }
        Y::Mapping(m) => {
            let mut out = serde_json::Map::new();
            for (k, v) in m {
                let Y::String(k) = k else {
                    return Err(format!("non-string key {k:?}"));
                };
                out.insert(k, long_form(v)?);
            }
            Value::Object(out)
        }
        Y::Tagged(t) => {
            let tag = t.tag.to_string();
            let name = tag.strip_prefix('!').ok_or("tag without `!`")?.to_owned();
            let arg = long_form(t.value)?;
            match (name.as_str(), arg) {
                ("GetAtt", Value::String(s)) => {
                    let (r, a) = s.split_once('.').ok_or("`!GetAtt` without a dot")?;
                    json!({"Fn::GetAtt": [r, a]})
                }
                ("Ref" | "Condition", arg) => json!({ name: arg }),
                (other, arg) => json!({ format!("Fn::{other}"): arg }),
            }
        }
    })
}

/// How far serde_json's reading of a float may be from the exact value, in units in the last
/// place: without its `float_roundtrip` feature it is fast rather than correctly rounded for
/// long decimals. serde_yaml reads floats with Rust's exact parser, so the YAML is held to the
/// exact value.
pub const JSON_ULPS: u64 = 4;

/// Equality that also tells integers from floats and `0.0` from `-0.0`, and keeps key order.
/// Floats may differ by `ulps` units in the last place (see `JSON_ULPS`).
pub fn same(a: &Value, b: &Value, ulps: u64) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) if a.is_f64() && b.is_f64() => {
                    x.to_bits() == y.to_bits()
                        || (x.is_sign_negative() == y.is_sign_negative()
                            && x.to_bits().abs_diff(y.to_bits()) <= ulps)
                }
                _ => false,
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y, ulps))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter().zip(y).all(|((kx, x), (ky, y))| kx == ky && same(x, y, ulps))
        }
        _ => a == b,
    }
}

/// Reads the YAML text back with serde_yaml into the long form.
pub fn read_yaml(text: &str) -> Result<Value, String> {
    let parsed: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    long_form(parsed)
}

//! JSON documents passed as strings: the one place outside the emitters that writes JSON
//! text, so constructs never assemble it by hand.

use super::{Expr, Json, SubPart, Val};

/// A JSON value written as compact JSON text, with references spliced in (rendered as
/// `Fn::Sub`), for properties that take a JSON document as a string: CodePipeline's
/// `EnvironmentVariables` and `ParameterOverrides`, an ECR lifecycle policy. A value without
/// references gives a plain string.
pub fn json_text(value: &Val<Json>) -> Val<String> {
    let mut w = JsonWriter::default();
    w.value(value.expr());
    let JsonWriter { mut parts, lit } = w;
    if parts.is_empty() {
        return Val::from_expr(Expr::Str(lit));
    }
    if !lit.is_empty() {
        parts.push(SubPart::Lit(lit));
    }
    Val::from_expr(Expr::Interpolate(parts))
}

#[derive(Default)]
struct JsonWriter {
    parts: Vec<SubPart>,
    lit: String,
}

impl JsonWriter {
    fn flush(&mut self) {
        if !self.lit.is_empty() {
            self.parts.push(SubPart::Lit(std::mem::take(&mut self.lit)));
        }
    }

    fn string_body(&mut self, s: &str) {
        let quoted = serde_json::Value::String(s.to_owned()).to_string();
        self.lit.push_str(&quoted[1..quoted.len() - 1]);
    }

    fn value(&mut self, e: &Expr) {
        match e {
            Expr::Null => self.lit.push_str("null"),
            Expr::Bool(b) => self.lit.push_str(if *b { "true" } else { "false" }),
            Expr::Int(n) => self.lit.push_str(&n.to_string()),
            Expr::Float(f) => self.lit.push_str(&serde_json::Value::from(*f).to_string()),
            Expr::Str(s) => {
                self.lit.push('"');
                self.string_body(s);
                self.lit.push('"');
            }
            Expr::List(items) => {
                self.lit.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.lit.push(',');
                    }
                    self.value(item);
                }
                self.lit.push(']');
            }
            Expr::Map(entries) => {
                self.lit.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        self.lit.push(',');
                    }
                    self.lit.push('"');
                    self.string_body(k);
                    self.lit.push_str("\":");
                    self.value(v);
                }
                self.lit.push('}');
            }
            Expr::Interpolate(parts) => {
                self.lit.push('"');
                for p in parts {
                    match p {
                        SubPart::Lit(s) => self.string_body(s),
                        SubPart::Expr(x) => {
                            self.flush();
                            self.parts.push(SubPart::Expr(x.clone()));
                        }
                    }
                }
                self.lit.push('"');
            }
            other => {
                // A reference: its value is a string, spliced in between quotes.
                self.lit.push('"');
                self.flush();
                self.parts.push(SubPart::Expr(other.clone()));
                self.lit.push('"');
            }
        }
    }
}

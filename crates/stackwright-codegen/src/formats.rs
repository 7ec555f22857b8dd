//! The census of reference formats: every node of the schemas that names the kind of
//! reference it takes (`format: AWS::IAM::Role.Arn`, or an `anyOf` of such formats), found
//! by a plain walk of the schema, and whether the lowering gave it a kind. Written to the
//! generated crate's test data, where a test counts it.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::Value;

use crate::model::{Resource, Ty};

/// One formatted node: `(pointer, format)`; an `anyOf` of formats joins them with `|`.
fn scan(node: &Value, at: &str, out: &mut Vec<(String, String)>) {
    let Some(map) = node.as_object() else { return };
    if let Some(f) = map.get("format").and_then(Value::as_str)
        && f.starts_with("AWS::")
    {
        out.push((at.to_owned(), f.to_owned()));
        return;
    }
    if let Some(formats) = crate::lower::alternative_formats(node) {
        out.push((at.to_owned(), formats.join("|")));
        return;
    }
    for (key, child) in map {
        match (key.as_str(), child) {
            ("properties" | "definitions" | "patternProperties", Value::Object(children)) => {
                for (name, c) in children {
                    scan(c, &format!("{at}/{key}/{name}"), out);
                }
            }
            ("items", c) => scan(c, &format!("{at}/items"), out),
            ("anyOf" | "oneOf" | "allOf", Value::Array(alts)) => {
                for (i, c) in alts.iter().enumerate() {
                    scan(c, &format!("{at}/{key}/{i}"), out);
                }
            }
            _ => {}
        }
    }
}

/// How many formatted nodes the schemas hold and how many became a kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Census {
    /// Formatted nodes in the schemas.
    pub formatted: usize,
    /// Those typed with a kind.
    pub kinded: usize,
}

/// Appends the census rows of one resource type to `tsv` and counts them.
pub fn census_rows(schema: &Value, r: &Resource, tsv: &mut String, census: &mut Census) {
    let mut found = Vec::new();
    scan(schema, "", &mut found);
    let kinded: BTreeSet<&str> = r.kinded.iter().map(String::as_str).collect();
    let reached: BTreeSet<&str> = r.reached_definitions.iter().map(String::as_str).collect();
    for (at, format) in found {
        census.formatted += 1;
        let outcome = if kinded.contains(at.as_str()) {
            census.kinded += 1;
            match crate::lower::kind_type(&format) {
                Some(Ty::Kind(k)) => format!("kind\t{k}"),
                Some(Ty::List(inner)) => match *inner {
                    Ty::Kind(k) => format!("kind\tVec<{k}>"),
                    _ => "kind\t?".to_owned(),
                },
                _ => "kind\t?".to_owned(),
            }
        } else if let Some(def) = at.strip_prefix("/definitions/").and_then(|d| d.split('/').next())
            && !reached.contains(def)
        {
            "-\ta definition no property of the type uses".to_owned()
        } else if format.contains('|') && format.split('|').any(|f| f.ends_with('s')) {
            "-\ta list of IDs or of names: no single kind".to_owned()
        } else if schema.pointer(&at).is_some_and(|n| n.get("properties").is_some()) {
            "-\ta format on an object with properties (a schema defect): it stays a struct"
                .to_owned()
        } else if at.contains("/patternProperties/") {
            "-\ta map value: maps stay JSON".to_owned()
        } else {
            "-\tinside a value the types keep as JSON".to_owned()
        };
        let _ = writeln!(tsv, "{}\t{at}\t{format}\t{outcome}", r.type_name);
    }
}

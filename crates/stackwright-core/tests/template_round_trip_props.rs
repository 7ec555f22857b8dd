//! The template model round-trips through both formats: any app built from arbitrary stacks,
//! parameters, resources with arbitrary property values, references within and across
//! stacks, metadata and outputs synthesizes to JSON and YAML that parse back as the same
//! templates; an app synthesis refuses is refused with the same errors in both formats; and
//! a second synthesis gives the same bytes.

// Tests assert by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};
use stackwright_core::{App, Format, Handle, Output, Parameter, RawResource};

#[path = "support/yaml_read.rs"]
mod yaml_read;
use yaml_read::{JSON_ULPS, read_yaml, same};

/// Strings that YAML reads as something else unless quoted, and characters it escapes.
const AWKWARD: &[&str] = &[
    "",
    " ",
    "yes",
    "No",
    "on",
    "~",
    "null",
    "=",
    "<<",
    "0o17",
    "1_000",
    "12:30",
    "2001-12-14",
    ".inf",
    "-",
    "- x",
    "? x",
    ": x",
    "#",
    "a #b",
    "a: b",
    "!Ref",
    "&a",
    "*a",
    "|",
    ">",
    "'",
    "\"",
    "%",
    "@",
    "`",
    "---",
    "...",
    "\t",
    "\r",
    "\u{85}",
    "\u{2028}",
    "\u{FEFF}",
    "\u{FFFE}",
    "é",
    "line\nline",
    "trailing\n",
    "\n\nlead",
    " indented\nblock",
];

fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => select(AWKWARD).prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
        2 => "[a-zA-Z0-9 ./:-]{1,8}",
    ];
    prop_oneof![
        1 => any::<String>(),
        4 => vec(piece, 0..5).prop_map(|p| p.concat()),
    ]
}

/// A property value: any JSON a template can hold (no NaN), nested.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| json!(i)),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| json!(f)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            btree_map(text(), inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// One resource: its id, and its properties with where each references (none, another
/// resource of the stack by `Ref`, or one of an earlier stack by `Fn::GetAtt`).
#[derive(Clone, Debug)]
struct ResourceSpec {
    id: String,
    properties: BTreeMap<String, Value>,
    metadata: Option<(String, Value)>,
    reference: Option<(usize, usize)>,
}

#[derive(Clone, Debug)]
struct StackSpec {
    description: Option<String>,
    parameter: Option<(String, String)>,
    resources: Vec<ResourceSpec>,
    output: Option<String>,
}

fn logical_id() -> impl Strategy<Value = String> {
    "[A-Z][a-zA-Z0-9]{0,10}"
}

fn resource() -> impl Strategy<Value = ResourceSpec> {
    (
        logical_id(),
        btree_map("[A-Z][a-zA-Z]{0,8}", value(), 0..4),
        proptest::option::of((text(), value())),
        proptest::option::of((0usize..4, 0usize..4)),
    )
        .prop_map(|(id, properties, metadata, reference)| ResourceSpec {
            id,
            properties,
            metadata,
            reference,
        })
}

fn stack() -> impl Strategy<Value = StackSpec> {
    (
        proptest::option::of(text()),
        proptest::option::of((text(), text())),
        vec(resource(), 1..5),
        proptest::option::of(text()),
    )
        .prop_map(|(description, parameter, resources, output)| StackSpec {
            description,
            parameter,
            resources,
            output,
        })
}

fn build(stacks: &[StackSpec]) -> App {
    let mut app = App::new();
    let mut handles: Vec<Vec<stackwright_core::RawHandle>> = Vec::new();
    for (si, spec) in stacks.iter().enumerate() {
        let mut s = app.stack(format!("Stack{si}"));
        if let Some(d) = &spec.description {
            s.set_description(d.clone());
        }
        if let Some((description, default)) = &spec.parameter {
            s.add_parameter(
                "Input",
                Parameter::string().description(description.clone()).default_value(default.clone()),
            );
        }
        let mut mine = Vec::new();
        for (ri, r) in spec.resources.iter().enumerate() {
            let mut raw = RawResource::new("AWS::SQS::Queue");
            for (k, v) in &r.properties {
                raw = raw.property(k.clone(), v.clone());
            }
            match r.reference {
                // A reference to an earlier resource of this stack.
                Some((0, target)) if ri > 0 => {
                    let h: &stackwright_core::RawHandle = &mine[target % ri];
                    raw = raw.property("Peer", h.reference());
                }
                // An attribute of a resource of an earlier stack: an export and an import.
                Some((_, target)) if si > 0 => {
                    let earlier: &Vec<stackwright_core::RawHandle> = &handles[target % si];
                    let h = &earlier[target % earlier.len()];
                    raw = raw.property("Remote", h.get_att::<String>("Arn"));
                }
                _ => {}
            }
            let h = s.add(&format!("{}{ri}", r.id), raw);
            if let Some((k, v)) = &r.metadata {
                s.node(h.id()).unwrap().add_metadata(k.clone(), v.clone());
            }
            mine.push(h);
        }
        if let Some(description) = &spec.output {
            s.add_output(
                "First",
                Output::new(mine[0].reference()).description(description.clone()),
            );
        }
        handles.push(mine);
    }
    app
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_app_reads_back_the_same_from_json_and_yaml(stacks in vec(stack(), 1..4)) {
        let app = build(&stacks);
        match (app.synth(Format::Json), app.synth(Format::Yaml)) {
            (Ok(json), Ok(yaml)) => {
                prop_assert_eq!(json.stacks().len(), yaml.stacks().len());
                for (j, y) in json.stacks().iter().zip(yaml.stacks()) {
                    prop_assert_eq!(&j.name, &y.name);
                    let from_json: Value = serde_json::from_str(&j.body)
                        .map_err(|e| TestCaseError::fail(format!("{e}\n{}", j.body)))?;
                    let from_yaml = read_yaml(&y.body)
                        .map_err(|e| TestCaseError::fail(format!("{e}\n{}", y.body)))?;
                    prop_assert!(
                        same(&from_json, &from_yaml, JSON_ULPS),
                        "JSON:\n{}\nYAML:\n{}", j.body, y.body
                    );
                }
                // Deterministic: the same app gives the same bytes.
                let again = app.synth(Format::Yaml).unwrap();
                prop_assert_eq!(again.files(), yaml.files());
            }
            (Err(json), Err(yaml)) => {
                // Body sizes differ between the formats; everything else is reported alike.
                let text = |d: &stackwright_core::Diagnostics| -> Vec<String> {
                    d.errors
                        .iter()
                        .filter(|e| e.code() != "quota-exceeded")
                        .map(ToString::to_string)
                        .collect()
                };
                prop_assert_eq!(text(&json), text(&yaml));
            }
            (json, yaml) => prop_assert!(
                false,
                "one format synthesized and the other did not: {:?} / {:?}",
                json.err(),
                yaml.err()
            ),
        }
    }
}

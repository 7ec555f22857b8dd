//! Assertions over synthesized templates for users' tests, in the spirit of AWS CDK's
//! `Template` (aws-cdk-lib/assertions).
//!
//! ```
//! use stackwright::prelude::*;
//! use stackwright::testing::Template;
//! use serde_json::json;
//!
//! let mut app = App::new();
//! app.stack("Orders")
//!     .add("Queue", RawResource::new("AWS::SQS::Queue").property("VisibilityTimeout", json!(30)));
//!
//! let template = Template::from_stack(&app, "Orders").unwrap();
//! template.resource_count_is("AWS::SQS::Queue", 1);
//! template.has_resource_properties("AWS::SQS::Queue", json!({"VisibilityTimeout": 30}));
//! ```
//!
//! Patterns are JSON values matched by [`matches_pattern`]: objects match when every key of the
//! pattern is present and matches (extra keys are allowed), arrays when they have the same
//! length and match element by element, everything else when equal. `null` is an ordinary
//! value, not a wildcard.
//!
//! The `has_*` and `*_is` methods are assertions: they panic with a message listing what the
//! template does contain, like `assert!`.

mod matcher;
mod parity;

pub use matcher::{Mismatch, matches_pattern};
pub use parity::checkov_parity;

use matcher::compact;
use serde_json::{Map, Value};
use stackwright_core::{App, Format};

/// One synthesized template, parsed, with assertions over its resources and outputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    json: Value,
}

impl Template {
    /// Synthesizes `app` in memory (JSON) and takes the stack named `stack`. On synthesis
    /// errors, the error is the diagnostics text.
    pub fn from_stack(app: &App, stack: &str) -> Result<Template, String> {
        let assembly = app.synth(Format::Json).map_err(|d| d.to_string())?;
        let Some(artifact) = assembly.stack(stack) else {
            let names: Vec<&str> = assembly.stacks().iter().map(|s| s.name.as_str()).collect();
            return Err(format!("no stack named `{stack}`; the app has: {}", names.join(", ")));
        };
        Template::from_json(&artifact.body)
    }

    /// Parses a JSON template.
    pub fn from_json(text: &str) -> Result<Template, String> {
        let json: Value =
            serde_json::from_str(text).map_err(|e| format!("the template is not JSON: {e}"))?;
        if !json.is_object() {
            return Err(format!("a template is a JSON object, not {}", compact(&json)));
        }
        Ok(Template { json })
    }

    /// The whole template.
    pub fn to_json(&self) -> &Value {
        &self.json
    }

    /// How many resources have this type.
    pub fn resource_count(&self, resource_type: &str) -> usize {
        self.resources_of(resource_type).count()
    }

    /// Asserts that exactly `count` resources have this type.
    // An assertion reports failure by panicking, like `assert!`.
    #[allow(clippy::panic)]
    pub fn resource_count_is(&self, resource_type: &str, count: usize) {
        let ids: Vec<&str> = self.resources_of(resource_type).map(|(id, _)| id.as_str()).collect();
        if ids.len() != count {
            panic!(
                "expected {count} {resource_type} resource(s), found {}{}{}",
                ids.len(),
                if ids.is_empty() { "" } else { ": " },
                ids.join(", ")
            );
        }
    }

    /// Asserts that some resource of this type has `Properties` matching `pattern` (a
    /// resource without `Properties` is matched as `{}`).
    #[allow(clippy::panic)] // an assertion
    pub fn has_resource_properties(&self, resource_type: &str, pattern: Value) {
        let empty = Value::Object(Map::new());
        let properties =
            |r: &'_ Value| r.get("Properties").cloned().unwrap_or_else(|| empty.clone());
        if let Err(message) =
            self.find_one(resource_type, &pattern, properties, "has properties matching")
        {
            panic!("{message}");
        }
    }

    /// Asserts that some resource of this type matches `pattern` as a whole resource
    /// (`Type`, `Properties`, `DependsOn`, `DeletionPolicy`, ...).
    #[allow(clippy::panic)] // an assertion
    pub fn has_resource(&self, resource_type: &str, pattern: Value) {
        if let Err(message) = self.find_one(resource_type, &pattern, Value::clone, "matches") {
            panic!("{message}");
        }
    }

    /// The resources of this type that match `pattern` as a whole resource, as
    /// `(logical ID, resource)` in template order.
    pub fn find_resources(&self, resource_type: &str, pattern: Value) -> Vec<(String, Value)> {
        self.resources_of(resource_type)
            .filter(|(_, r)| matches_pattern(r, &pattern).is_ok())
            .map(|(id, r)| (id.clone(), r.clone()))
            .collect()
    }

    /// Asserts that the output `name` (or any output, for `"*"`) matches `pattern` as a whole
    /// output (`Value`, `Description`, `Export`, ...).
    #[allow(clippy::panic)] // an assertion
    pub fn has_output(&self, name: &str, pattern: Value) {
        let outputs = self.section("Outputs");
        let candidates: Vec<(&String, &Value)> =
            outputs.filter(|(n, _)| name == "*" || n.as_str() == name).collect();
        if candidates.iter().any(|(_, o)| matches_pattern(o, &pattern).is_ok()) {
            return;
        }
        let which = if name == "*" {
            "no output matches".to_owned()
        } else {
            format!("output `{name}` does not match")
        };
        let mut message = format!("{which} {}", compact(&pattern));
        if candidates.is_empty() {
            let names: Vec<&str> = self.section("Outputs").map(|(n, _)| n.as_str()).collect();
            let names = if names.is_empty() { "none".to_owned() } else { names.join(", ") };
            message.push_str(&format!("; the template has no such output (outputs: {names})"));
        }
        describe_candidates(&mut message, &candidates, &pattern, Value::clone);
        panic!("{message}");
    }

    /// The outputs matching `pattern` as a whole output, as `(name, output)`.
    pub fn find_outputs(&self, pattern: Value) -> Vec<(String, Value)> {
        self.section("Outputs")
            .filter(|(_, o)| matches_pattern(o, &pattern).is_ok())
            .map(|(n, o)| (n.clone(), o.clone()))
            .collect()
    }

    /// `Ok` when some resource of the type matches `pattern` after `view`; otherwise the
    /// failure message with every candidate and why it does not match.
    fn find_one(
        &self,
        resource_type: &str,
        pattern: &Value,
        view: impl Fn(&Value) -> Value,
        verb: &str,
    ) -> Result<(), String> {
        let candidates: Vec<(&String, &Value)> = self.resources_of(resource_type).collect();
        if candidates.iter().any(|(_, r)| matches_pattern(&view(r), pattern).is_ok()) {
            return Ok(());
        }
        let mut message = format!("no {resource_type} resource {verb} {}", compact(pattern));
        if candidates.is_empty() {
            let mut types: Vec<&str> = Vec::new();
            for t in self.section("Resources").filter_map(|(_, r)| r.get("Type")?.as_str()) {
                if !types.contains(&t) {
                    types.push(t);
                }
            }
            let types = if types.is_empty() { "none".to_owned() } else { types.join(", ") };
            message.push_str(&format!(
                "; the template has no {resource_type} at all (resource types: {types})"
            ));
        }
        describe_candidates(&mut message, &candidates, pattern, view);
        Err(message)
    }

    fn resources_of<'a>(
        &'a self,
        resource_type: &'a str,
    ) -> impl Iterator<Item = (&'a String, &'a Value)> + 'a {
        self.section("Resources")
            .filter(move |(_, r)| r.get("Type").and_then(Value::as_str) == Some(resource_type))
    }

    fn section<'a>(&'a self, name: &str) -> impl Iterator<Item = (&'a String, &'a Value)> + 'a {
        self.json.get(name).and_then(Value::as_object).into_iter().flatten()
    }
}

/// Appends each candidate, why it does not match, and what it holds.
fn describe_candidates(
    message: &mut String,
    candidates: &[(&String, &Value)],
    pattern: &Value,
    view: impl Fn(&Value) -> Value,
) {
    if candidates.is_empty() {
        return;
    }
    message.push_str("\ncandidates:");
    for (id, value) in candidates {
        let shown = view(value);
        let why = matches_pattern(&shown, pattern).err().map(|m| m.to_string()).unwrap_or_default();
        message.push_str(&format!("\n  {id}: {why}\n    {}", compact(&shown)));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)] // tests assert by panicking
mod tests {
    use super::*;
    use serde_json::json;

    fn template() -> Template {
        Template::from_json(
            &json!({
                "Resources": {
                    "OrdersQueue": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 30}},
                    "DeadLetters": {"Type": "AWS::SQS::Queue", "DeletionPolicy": "Retain"},
                    "Topic": {"Type": "AWS::SNS::Topic", "Properties": {}}
                },
                "Outputs": {
                    "QueueUrl": {"Value": {"Ref": "OrdersQueue"}, "Export": {"Name": "orders-url"}}
                }
            })
            .to_string(),
        )
        .unwrap()
    }

    fn panic_message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
        let payload = std::panic::catch_unwind(f).unwrap_err();
        payload.downcast_ref::<String>().cloned().unwrap_or_default()
    }

    #[test]
    fn counts_resources_by_type() {
        let t = template();
        assert_eq!(t.resource_count("AWS::SQS::Queue"), 2);
        assert_eq!(t.resource_count("AWS::S3::Bucket"), 0);
        t.resource_count_is("AWS::SNS::Topic", 1);
        let message = panic_message(|| template().resource_count_is("AWS::SQS::Queue", 1));
        assert_eq!(
            message,
            "expected 1 AWS::SQS::Queue resource(s), found 2: OrdersQueue, DeadLetters"
        );
    }

    #[test]
    fn properties_match_by_pattern() {
        let t = template();
        t.has_resource_properties("AWS::SQS::Queue", json!({"VisibilityTimeout": 30}));
        // A resource without Properties matches the empty pattern.
        t.has_resource_properties("AWS::SQS::Queue", json!({}));
        let message = panic_message(|| {
            template().has_resource_properties("AWS::SQS::Queue", json!({"VisibilityTimeout": 60}))
        });
        assert_eq!(
            message,
            "no AWS::SQS::Queue resource has properties matching {\"VisibilityTimeout\":60}\n\
             candidates:\n  \
             OrdersQueue: at `VisibilityTimeout`: expected 60, found 30\n    {\"VisibilityTimeout\":30}\n  \
             DeadLetters: missing key `VisibilityTimeout` (keys present: none)\n    {}"
        );
    }

    #[test]
    fn missing_type_lists_the_types_present() {
        let message =
            panic_message(|| template().has_resource_properties("AWS::S3::Bucket", json!({})));
        assert_eq!(
            message,
            "no AWS::S3::Bucket resource has properties matching {}; the template has no \
             AWS::S3::Bucket at all (resource types: AWS::SQS::Queue, AWS::SNS::Topic)"
        );
    }

    #[test]
    fn whole_resources_match_and_can_be_found() {
        let t = template();
        t.has_resource("AWS::SQS::Queue", json!({"DeletionPolicy": "Retain"}));
        let found = t.find_resources("AWS::SQS::Queue", json!({"Properties": {}}));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "OrdersQueue");
        let message = panic_message(|| {
            template().has_resource("AWS::SNS::Topic", json!({"DependsOn": ["X"]}))
        });
        assert!(
            message.contains("Topic: missing key `DependsOn` (keys present: Type, Properties)"),
            "{message}"
        );
    }

    #[test]
    fn outputs_match_by_name_or_wildcard() {
        let t = template();
        t.has_output("QueueUrl", json!({"Export": {"Name": "orders-url"}}));
        t.has_output("*", json!({"Value": {"Ref": "OrdersQueue"}}));
        assert_eq!(t.find_outputs(json!({"Export": {}})).len(), 1);
        assert!(t.find_outputs(json!({"Description": "x"})).is_empty());
        let message = panic_message(|| template().has_output("Missing", json!({})));
        assert_eq!(
            message,
            "output `Missing` does not match {}; the template has no such output (outputs: QueueUrl)"
        );
        let message = panic_message(|| template().has_output("*", json!({"Value": "x"})));
        assert!(
            message.starts_with(
                "no output matches {\"Value\":\"x\"}\ncandidates:\n  QueueUrl: at `Value`"
            ),
            "{message}"
        );
    }

    #[test]
    fn from_json_rejects_non_templates() {
        assert!(Template::from_json("[1]").unwrap_err().contains("not [1]"));
        assert!(Template::from_json("{").unwrap_err().starts_with("the template is not JSON"));
    }
}

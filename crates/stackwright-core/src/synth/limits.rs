//! Limits CloudFormation and the services apply beyond the resource schemas: the resources
//! the SAM transform adds, the size of a role's inline policies, the length of descriptions,
//! and what an output's value may be.

use std::collections::HashMap;

use crate::emit::{Node, to_json_line};
use crate::error::SynthError;
use crate::stack::Stack;

use super::checks::MAX_RESOURCES;
use super::render::StackDoc;

/// Longest template description, in bytes.
pub const MAX_TEMPLATE_DESCRIPTION_BYTES: usize = 1024;
/// Longest output description, in bytes.
pub const MAX_OUTPUT_DESCRIPTION_BYTES: usize = 1024;
/// Longest parameter description, in characters.
pub const MAX_PARAMETER_DESCRIPTION_CHARS: usize = 4000;
/// IAM's limit on all inline policies of one role together, in characters without whitespace.
pub const MAX_ROLE_INLINE_POLICY_CHARS: usize = 10_240;
/// IAM's limit on one managed policy, in characters without whitespace.
pub const MAX_MANAGED_POLICY_CHARS: usize = 6_144;

pub(crate) fn descriptions(stack: &Stack, doc: &StackDoc, errors: &mut Vec<SynthError>) {
    if let Some(d) = &doc.description
        && d.len() > MAX_TEMPLATE_DESCRIPTION_BYTES
    {
        errors.push(SynthError::InvalidConstruct {
            stack: stack.name.clone(),
            path: String::new(),
            code: "template.description",
            message: format!(
                "the template description is {} bytes long, over CloudFormation's limit of \
                 {MAX_TEMPLATE_DESCRIPTION_BYTES}",
                d.len()
            ),
            fix: "shorten it".into(),
        });
    }
    let item = |section: &str, name: &str, message: String| SynthError::InvalidTemplateItem {
        stack: stack.name.clone(),
        section: section.to_owned(),
        name: name.to_owned(),
        message,
    };
    for (name, body) in &doc.parameters {
        if let Some(Node::Str(d)) = body.get("Description") {
            let n = d.chars().count();
            if n > MAX_PARAMETER_DESCRIPTION_CHARS {
                errors.push(item(
                    "parameter",
                    name,
                    format!(
                        "the description is {n} characters long, over CloudFormation's limit of \
                         {MAX_PARAMETER_DESCRIPTION_CHARS}; shorten it"
                    ),
                ));
            }
        }
    }
    for (name, body) in &doc.outputs {
        if let Some(Node::Str(d)) = body.get("Description")
            && d.len() > MAX_OUTPUT_DESCRIPTION_BYTES
        {
            errors.push(item(
                "output",
                name,
                format!(
                    "the description is {} bytes long, over CloudFormation's limit of \
                     {MAX_OUTPUT_DESCRIPTION_BYTES}; shorten it",
                    d.len()
                ),
            ));
        }
    }
}

/// An output's value is shown as text and imported as text: a list or an object (or a
/// function that returns a list) is refused at deployment.
pub(crate) fn output_values(stack: &Stack, doc: &StackDoc, errors: &mut Vec<SynthError>) {
    for (name, body) in &doc.outputs {
        let what = match body.get("Value") {
            Some(Node::List(_)) => "a list",
            Some(Node::Map(_)) => "an object",
            Some(Node::Fn(f, _)) if matches!(&**f, "Fn::Split" | "Fn::GetAZs" | "Fn::Cidr") => {
                "a list (the result of the function)"
            }
            _ => continue,
        };
        errors.push(SynthError::InvalidTemplateItem {
            stack: stack.name.clone(),
            section: "output".into(),
            name: name.clone(),
            message: format!(
                "the value is {what}, and an output's value must be a single string; join a \
                 list with fns::join, or give each part its own output"
            ),
        });
    }
}

/// The resources the template holds once the SAM transform has expanded it: each serverless
/// resource becomes the resources the transform generates for it.
pub(crate) fn resources_after_transform(doc: &StackDoc) -> usize {
    let mut count = 0;
    let mut deployment_application = false;
    let mut deployment_role = false;
    let (mut implicit_api, mut implicit_http_api) = (false, false);
    for (_, resource) in &doc.resources {
        let ty = match resource.get("Type") {
            Some(Node::Str(t)) => t.as_str(),
            _ => "",
        };
        let props = resource.get("Properties");
        let has = |key: &str| props.and_then(|p| p.get(key)).is_some();
        count += 1;
        match ty {
            "AWS::Serverless::Function" | "AWS::Serverless::StateMachine" => {
                if !has("Role") {
                    count += 1; // the execution role
                }
                if ty == "AWS::Serverless::Function" {
                    if has("AutoPublishAlias") {
                        count += 2; // a version and an alias
                    }
                    if let Some(url) = props.and_then(|p| p.get("FunctionUrlConfig")) {
                        count += 1; // the URL
                        if matches!(url.get("AuthType"), Some(Node::Str(a)) if a == "NONE") {
                            count += 2; // the two permissions that make it public
                        }
                    }
                    if has("EventInvokeConfig") {
                        count += 1;
                    }
                    if let Some(pref) = props.and_then(|p| p.get("DeploymentPreference")) {
                        count += 1; // the deployment group
                        deployment_application = true;
                        deployment_role |= pref.get("Role").is_none();
                    }
                }
                if let Some(Node::Map(events)) = props.and_then(|p| p.get("Events")) {
                    for (_, event) in events {
                        let kind = match event.get("Type") {
                            Some(Node::Str(t)) => t.as_str(),
                            _ => "",
                        };
                        implicit_api |= kind == "Api" && !has_key(event, "RestApiId");
                        implicit_http_api |= kind == "HttpApi" && !has_key(event, "ApiId");
                        count += event_resources(kind);
                    }
                }
            }
            "AWS::Serverless::Api" => count += 2, // a deployment and a stage
            "AWS::Serverless::HttpApi" => count += 1, // a stage
            _ => {}
        }
    }
    count += usize::from(deployment_application) + usize::from(deployment_role);
    count += if implicit_api { 3 } else { 0 } + if implicit_http_api { 2 } else { 0 };
    count
}

fn has_key(event: &Node, key: &str) -> bool {
    event.get("Properties").and_then(|p| p.get(key)).is_some()
}

/// What the transform adds for one event source of a function.
fn event_resources(kind: &str) -> usize {
    match kind {
        // An event source mapping.
        "SQS" | "Kinesis" | "DynamoDB" | "MSK" | "MQ" | "SelfManagedKafka" | "DocumentDB" => 1,
        // A permission for the caller (the bucket, pool or skill itself is changed in place).
        "S3" | "Cognito" | "AlexaSkill" | "Api" | "HttpApi" => 1,
        // The source (subscription, rule, filter, schedule) and its permission or role.
        _ => 2,
    }
}

/// The transform's count against CloudFormation's resource quota.
pub(crate) fn transformed_quota(stack: &Stack, doc: &StackDoc, errors: &mut Vec<SynthError>) {
    if !stack.transforms.iter().any(|t| t.starts_with("AWS::Serverless")) {
        return;
    }
    let count = resources_after_transform(doc);
    if count > MAX_RESOURCES && doc.resources.len() <= MAX_RESOURCES {
        errors.push(SynthError::QuotaExceeded {
            stack: stack.name.clone(),
            what: "resources once the SAM transform has expanded the serverless ones".into(),
            count,
            limit: MAX_RESOURCES,
        });
    }
}

/// IAM's size limits on policies: all inline policies of a role together (its `Policies` and
/// every `AWS::IAM::Policy` attached to it), and each managed policy. Sizes are counted on
/// the template's text without whitespace; a reference counts as written, so the real policy
/// (with ARNs in place of references) is usually larger still.
pub(crate) fn policy_sizes(stack: &Stack, doc: &StackDoc, errors: &mut Vec<SynthError>) {
    let size = |n: &Node| to_json_line(n).chars().filter(|c| !c.is_whitespace()).count();
    let mut per_role: HashMap<&str, usize> = HashMap::new();
    for (id, resource) in &doc.resources {
        let props = resource.get("Properties");
        match resource.get("Type") {
            Some(Node::Str(t)) if t == "AWS::IAM::Role" => {
                if let Some(Node::List(policies)) = props.and_then(|p| p.get("Policies")) {
                    let total: usize =
                        policies.iter().filter_map(|p| p.get("PolicyDocument")).map(size).sum();
                    *per_role.entry(id.as_str()).or_default() += total;
                }
            }
            Some(Node::Str(t)) if t == "AWS::IAM::Policy" => {
                let Some(document) = props.and_then(|p| p.get("PolicyDocument")) else {
                    continue;
                };
                let n = size(document);
                if let Some(Node::List(roles)) = props.and_then(|p| p.get("Roles")) {
                    for role in roles {
                        if let Node::Fn(f, arg) = role
                            && f == "Ref"
                            && let Node::Str(target) = &**arg
                        {
                            *per_role.entry(target.as_str()).or_default() += n;
                        }
                    }
                }
            }
            Some(Node::Str(t)) if t == "AWS::IAM::ManagedPolicy" => {
                if let Some(document) = props.and_then(|p| p.get("PolicyDocument")) {
                    let n = size(document);
                    if n > MAX_MANAGED_POLICY_CHARS
                        && let Some(path) = path_of(stack, doc, id)
                    {
                        errors.push(policy_size_error(
                            stack,
                            path,
                            format!(
                                "the managed policy is at least {n} characters long without \
                                 whitespace, over IAM's limit of {MAX_MANAGED_POLICY_CHARS}"
                            ),
                            "split its statements over two managed policies",
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    for (id, resource) in &doc.resources {
        let Some(&n) = per_role.get(id.as_str()) else { continue };
        if n > MAX_ROLE_INLINE_POLICY_CHARS
            && matches!(resource.get("Type"), Some(Node::Str(t)) if t == "AWS::IAM::Role")
            && let Some(path) = path_of(stack, doc, id)
        {
            errors.push(policy_size_error(
                stack,
                path,
                format!(
                    "the role's inline policies come to at least {n} characters without \
                     whitespace, over IAM's limit of {MAX_ROLE_INLINE_POLICY_CHARS} for one role"
                ),
                "move statements into a managed policy, or grant on fewer, wider resources",
            ));
        }
    }
}

fn policy_size_error(stack: &Stack, path: String, message: String, fix: &str) -> SynthError {
    SynthError::InvalidConstruct {
        stack: stack.name.clone(),
        path,
        code: "iam.policy-size",
        message,
        fix: fix.to_owned(),
    }
}

/// The construct path of the resource with this logical ID.
fn path_of(stack: &Stack, doc: &StackDoc, logical_id: &str) -> Option<String> {
    let i = doc.resources.iter().position(|(id, _)| id == logical_id)?;
    stack.resources.get(i).map(|r| r.path.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(v: serde_json::Value) -> Node {
        match v {
            serde_json::Value::Object(m) => {
                Node::Map(m.into_iter().map(|(k, v)| (k, node(v))).collect())
            }
            serde_json::Value::Array(items) => Node::List(items.into_iter().map(node).collect()),
            serde_json::Value::String(s) => Node::Str(s),
            _ => Node::Null,
        }
    }

    fn count(resources: serde_json::Value) -> usize {
        let serde_json::Value::Object(m) = resources else { return 0 };
        let doc = StackDoc {
            resources: m.into_iter().map(|(k, v)| (k, node(v))).collect(),
            ..StackDoc::default()
        };
        resources_after_transform(&doc)
    }

    /// The counts the SAM transform (aws-sam-translator) gives for the same templates.
    #[test]
    fn counts_match_what_the_transform_generates() {
        let function = |props: serde_json::Value| {
            let mut p = serde_json::json!({"Handler": "i.h", "Runtime": "python3.12"});
            if let (Some(p), serde_json::Value::Object(extra)) = (p.as_object_mut(), props) {
                p.extend(extra);
            }
            serde_json::json!({"Type": "AWS::Serverless::Function", "Properties": p})
        };
        let schedules: serde_json::Map<String, serde_json::Value> =
            (0..4).map(|i| (format!("S{i}"), serde_json::json!({"Type": "Schedule"}))).collect();
        let canary = serde_json::json!({
            "AutoPublishAlias": "live",
            "DeploymentPreference": {"Type": "Canary10Percent5Minutes"},
            "Events": schedules,
        });
        assert_eq!(count(serde_json::json!({"F0": function(canary.clone())})), 15);
        assert_eq!(
            count(serde_json::json!({"F0": function(canary.clone()), "F1": function(canary)})),
            28
        );
        let url = serde_json::json!({
            "AutoPublishAlias": "live",
            "DeploymentPreference": {"Type": "AllAtOnce"},
            "FunctionUrlConfig": {"AuthType": "NONE"},
            "Events": {"Q": {"Type": "SQS"}},
        });
        assert_eq!(count(serde_json::json!({"F0": function(url)})), 11);
        let apis = serde_json::json!({
            "Events": {"A": {"Type": "Api"}, "H": {"Type": "HttpApi"}, "T": {"Type": "SNS"}},
        });
        assert_eq!(count(serde_json::json!({"F0": function(apis)})), 11);
    }
}

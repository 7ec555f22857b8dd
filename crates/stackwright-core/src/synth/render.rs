//! Rendering one stack into the sections of its template.

use std::collections::BTreeSet;

use crate::app::App;
use crate::emit::Node;
use crate::error::SynthError;
use crate::expr::Expr;
use crate::resource::{PropertyProblem, RemovalPolicy};
use crate::stack::{ResourceNode, Stack};
use crate::template::Parameter;

use super::checks;
use super::exports::Exports;
use super::graph;
use super::names::Names;
use super::overrides::apply_override;
use super::resolve::Resolver;

/// The resolved sections of one template, before emission.
#[derive(Default)]
pub(crate) struct StackDoc {
    pub(crate) description: Option<String>,
    pub(crate) metadata: Vec<(String, Node)>,
    pub(crate) transforms: Vec<String>,
    pub(crate) globals: Option<Node>,
    pub(crate) parameters: Vec<(String, Node)>,
    pub(crate) rules: Vec<(String, Node)>,
    pub(crate) mappings: Vec<(String, Node)>,
    pub(crate) conditions: Vec<(String, Node)>,
    pub(crate) resources: Vec<(String, Node)>,
    pub(crate) outputs: Vec<(String, Node)>,
}

impl StackDoc {
    /// The template as one tree, sections in the order the CloudFormation documentation
    /// lists them, empty sections left out.
    ///
    /// Consumes the document: it is emitted once, and moving the sections instead of cloning
    /// them saves a deep copy (and its drop) of every template.
    pub(crate) fn into_node(self) -> Node {
        let mut top = vec![("AWSTemplateFormatVersion".to_owned(), Node::Str("2010-09-09".into()))];
        if let Some(d) = self.description {
            top.push(("Description".into(), Node::Str(d)));
        }
        let section = |top: &mut Vec<(String, Node)>, name: &str, entries: Vec<(String, Node)>| {
            if !entries.is_empty() {
                top.push((name.to_owned(), Node::Map(entries)));
            }
        };
        section(&mut top, "Metadata", self.metadata);
        let mut transforms = self.transforms;
        match transforms.len() {
            0 => {}
            1 => top.push(("Transform".into(), Node::Str(transforms.remove(0)))),
            _ => top.push((
                "Transform".into(),
                Node::List(transforms.into_iter().map(Node::Str).collect()),
            )),
        }
        if let Some(g) = self.globals {
            top.push(("Globals".into(), g));
        }
        section(&mut top, "Parameters", self.parameters);
        section(&mut top, "Rules", self.rules);
        section(&mut top, "Mappings", self.mappings);
        section(&mut top, "Conditions", self.conditions);
        section(&mut top, "Resources", self.resources);
        section(&mut top, "Outputs", self.outputs);
        Node::Map(top)
    }
}

pub(crate) fn render_stack(
    app: &App,
    names: &Names,
    index: usize,
    exports: &mut Exports,
    stack_deps: &mut BTreeSet<usize>,
    errors: &mut Vec<SynthError>,
) -> StackDoc {
    let stack = &app.stacks()[index];
    let mut r = Resolver {
        app,
        names,
        stack: index,
        exports,
        stack_deps,
        errors,
        location: String::new(),
        refs: BTreeSet::new(),
        digesting: Vec::new(),
        digest_cycle: None,
    };
    let mut doc = StackDoc {
        description: stack.description.clone(),
        transforms: stack.transforms.clone(),
        ..StackDoc::default()
    };

    r.location = "Metadata".into();
    doc.metadata = stack.metadata.iter().map(|(k, v)| (k.clone(), r.resolve(v))).collect();
    r.location = "Globals".into();
    doc.globals = stack.globals.as_ref().map(|g| r.resolve(g));

    for (name, p) in &stack.parameters {
        checks::template_name(&stack.name, "parameter", name, r.errors);
        checks::parameter(&stack.name, name, p, r.errors);
        doc.parameters.push((name.clone(), render_parameter(p)));
    }
    for (name, rule) in &stack.rules {
        r.location = format!("rule {name}");
        checks::template_name(&stack.name, "rule", name, r.errors);
        checks::rule(&stack.name, name, rule, r.errors);
        let mut body = Vec::new();
        if let Some(c) = &rule.condition {
            body.push(("RuleCondition".to_owned(), r.resolve_cond(c)));
        }
        let assertions = rule
            .assertions
            .iter()
            .map(|(c, d)| {
                let mut a = vec![("Assert".to_owned(), r.resolve_cond(c))];
                if let Some(d) = d {
                    a.push(("AssertDescription".to_owned(), Node::Str(d.clone())));
                }
                Node::Map(a)
            })
            .collect();
        body.push(("Assertions".to_owned(), Node::List(assertions)));
        doc.rules.push((name.clone(), Node::Map(body)));
    }
    for (name, m) in &stack.mappings {
        r.location = format!("mapping {name}");
        checks::template_name(&stack.name, "mapping", name, r.errors);
        checks::mapping(&stack.name, name, m, r.errors);
        let tree = m
            .entries
            .iter()
            .map(|(k, level)| {
                (
                    k.clone(),
                    Node::Map(level.iter().map(|(k2, v)| (k2.clone(), r.resolve(v))).collect()),
                )
            })
            .collect();
        doc.mappings.push((name.clone(), Node::Map(tree)));
    }
    for (name, c) in &stack.conditions {
        r.location = format!("condition {name}");
        checks::template_name(&stack.name, "condition", name, r.errors);
        checks::condition(&stack.name, name, c, r.errors);
        doc.conditions.push((name.clone(), r.resolve_cond(c)));
    }
    checks::condition_cycles(stack, r.errors);

    let mut edges: Vec<Vec<usize>> = Vec::with_capacity(stack.resources.len());
    for (i, node) in stack.resources.iter().enumerate() {
        let (tree, deps) = render_resource(&mut r, stack, i, node);
        edges.push(deps.into_iter().map(|d| d as usize).collect());
        doc.resources.push((names.resources[index][i].clone(), tree));
    }
    for cycle in graph::cycles(&edges) {
        r.errors.push(SynthError::ReferenceCycle {
            stack: stack.name.clone(),
            cycle: cycle.iter().map(|&i| stack.resources[i].path.to_string()).collect(),
        });
    }

    for (name, out) in &stack.outputs {
        r.location = format!("output {name}");
        checks::template_name(&stack.name, "output", name, r.errors);
        let mut body = Vec::new();
        if let Some(d) = &out.description {
            body.push(("Description".to_owned(), Node::Str(d.clone())));
        }
        body.push(("Value".to_owned(), r.resolve(&out.value)));
        if let Some(e) = &out.export_name {
            body.push(("Export".to_owned(), Node::Map(vec![("Name".to_owned(), r.resolve(e))])));
        }
        if let Some(c) = &out.condition {
            let cond = r.resolve_cond(&crate::expr::Cond::Condition(c.clone()));
            if let Node::Fn(_, name) = cond {
                body.push(("Condition".to_owned(), *name));
            }
        }
        doc.outputs.push((name.clone(), Node::Map(body)));
    }
    for dep in &stack.depends_on_stacks {
        if let Some(d) = app.index_of(*dep)
            && d != index
        {
            r.stack_deps.insert(d);
        }
    }
    doc
}

/// Renders a resource and returns the indices of the resources of the same stack it must
/// come after (by reference or by explicit dependency).
fn render_resource(
    r: &mut Resolver<'_>,
    stack: &Stack,
    index: usize,
    node: &ResourceNode,
) -> (Node, BTreeSet<u32>) {
    r.location = node.path.to_string();
    let mut problems: Vec<PropertyProblem> = Vec::new();
    node.body.validate(&mut problems);
    for p in problems.into_iter().filter(|p| !node.check_is_covered(&p.property)) {
        r.errors.push(SynthError::InvalidProperty {
            stack: stack.name.clone(),
            path: node.path.to_string(),
            property: p.property,
            message: p.message,
        });
    }

    let props = r.resolve(&node.body.properties().into_expr());
    let mut metadata: Vec<(String, Node)> =
        node.metadata.iter().map(|(k, v)| (k.clone(), r.resolve(v))).collect();
    // Suppressions of security rules, in the forms outside scanners read.
    metadata.extend(crate::security::suppression_metadata(&crate::security::for_resource(
        stack, index,
    )));
    let update_policy = node.update_policy.as_ref().map(|p| r.resolve(p));
    let creation_policy = node.creation_policy.as_ref().map(|p| r.resolve(p));
    let overrides: Vec<(&str, Option<Node>)> = node
        .overrides
        .iter()
        .map(|(path, v)| (path.as_str(), v.as_ref().map(|v| r.resolve(v))))
        .collect();
    let referenced = r.take_refs();

    // Explicit dependencies: those in this stack become DependsOn unless a reference already
    // orders the two (cfn-lint W3005); those in other stacks order the stacks instead.
    let mut depends_on = Vec::new();
    let mut all_deps = referenced.clone();
    for dep in &node.depends_on {
        match r.app.index_of(dep.stack) {
            Some(s) if s == r.stack => {
                all_deps.insert(dep.index);
                if !referenced.contains(&dep.index)
                    && let Some(id) = r.names.resources[s].get(dep.index as usize)
                    && !depends_on.contains(id)
                {
                    depends_on.push(id.clone());
                }
            }
            Some(s) => {
                r.stack_deps.insert(s);
            }
            None => r.errors.push(SynthError::ForeignHandle {
                stack: stack.name.clone(),
                path: node.path.to_string(),
                used_in: "DependsOn".to_owned(),
            }),
        }
    }

    let mut body = vec![("Type".to_owned(), Node::Str(node.body.resource_type().to_owned()))];
    if let Some(c) = &node.condition
        && let Node::Fn(_, name) = r.resolve_cond(&crate::expr::Cond::Condition(c.clone()))
    {
        body.push(("Condition".to_owned(), *name));
    }
    match depends_on.len() {
        0 => {}
        1 => body.push(("DependsOn".to_owned(), Node::Str(depends_on.remove(0)))),
        _ => body.push((
            "DependsOn".to_owned(),
            Node::List(depends_on.into_iter().map(Node::Str).collect()),
        )),
    }
    if !matches!(&props, Node::Map(e) if e.is_empty()) {
        body.push(("Properties".to_owned(), props));
    }
    if let Some(p) = update_policy {
        body.push(("UpdatePolicy".to_owned(), p));
    }
    if let Some(p) = creation_policy {
        body.push(("CreationPolicy".to_owned(), p));
    }
    if let Some(p) = node.deletion_policy {
        body.push(("DeletionPolicy".to_owned(), Node::Str(p.name().to_owned())));
    }
    if node.update_replace_policy == Some(RemovalPolicy::RetainExceptOnCreate) {
        r.errors.push(SynthError::InvalidConstruct {
            stack: stack.name.clone(),
            path: node.path.to_string(),
            code: "resource.update-replace-policy",
            message: "UpdateReplacePolicy takes Delete, Retain or Snapshot".into(),
            fix: "RetainExceptOnCreate is a DeletionPolicy only".into(),
        });
    }
    if let Some(p) = node.update_replace_policy {
        body.push(("UpdateReplacePolicy".to_owned(), Node::Str(p.name().to_owned())));
    }
    if !metadata.is_empty() {
        body.push(("Metadata".to_owned(), Node::Map(metadata)));
    }
    let mut tree = Node::Map(body);
    for (path, value) in overrides {
        if let Err(message) = apply_override(&mut tree, path, value) {
            r.errors.push(SynthError::InvalidConstruct {
                stack: stack.name.clone(),
                path: node.path.to_string(),
                code: "resource.override",
                message,
                fix: String::new(),
            });
        }
    }
    (tree, all_deps)
}

fn render_parameter(p: &Parameter) -> Node {
    let mut m = vec![("Type".to_owned(), Node::Str(p.kind.name()))];
    let mut put = |k: &str, v: Node| m.push((k.to_owned(), v));
    if let Some(d) = &p.description {
        put("Description", Node::Str(d.clone()));
    }
    if let Some(d) = &p.default {
        put("Default", literal(d));
    }
    if !p.allowed_values.is_empty() {
        put("AllowedValues", Node::List(p.allowed_values.iter().map(literal).collect()));
    }
    if let Some(v) = &p.allowed_pattern {
        put("AllowedPattern", Node::Str(v.clone()));
    }
    // A length past i64 saturates: no string is that long, so the constraint means the same.
    if let Some(v) = p.min_length {
        put("MinLength", Node::Int(i64::try_from(v).unwrap_or(i64::MAX)));
    }
    if let Some(v) = p.max_length {
        put("MaxLength", Node::Int(i64::try_from(v).unwrap_or(i64::MAX)));
    }
    if let Some(v) = p.min_value {
        put("MinValue", literal(&crate::template::number_expr(v)));
    }
    if let Some(v) = p.max_value {
        put("MaxValue", literal(&crate::template::number_expr(v)));
    }
    if p.no_echo {
        put("NoEcho", Node::Bool(true));
    }
    if let Some(v) = &p.constraint_description {
        put("ConstraintDescription", Node::Str(v.clone()));
    }
    Node::Map(m)
}

/// Parameter fields hold literals only.
fn literal(e: &Expr) -> Node {
    match e {
        Expr::Int(i) => Node::Int(*i),
        Expr::Float(f) => Node::Float(*f),
        Expr::Bool(b) => Node::Bool(*b),
        Expr::Str(s) => Node::Str(s.clone()),
        Expr::List(items) => Node::List(items.iter().map(literal).collect()),
        _ => Node::Null,
    }
}

/// Adds the outputs that cross-stack imports need to their producer stacks.
pub(crate) fn attach_exports(
    app: &App,
    names: &Names,
    exports: &Exports,
    docs: &mut [StackDoc],
    errors: &mut Vec<SynthError>,
) {
    for export in exports.entries.values() {
        let p = export.producer;
        let logical = &names.resources[p][export.resource.index as usize];
        let value = match &export.attribute {
            Some(a) => Node::func(
                "Fn::GetAtt",
                Node::List(vec![Node::Str(logical.clone()), Node::Str(a.clone())]),
            ),
            None => Node::func("Ref", Node::Str(logical.clone())),
        };
        let doc = &mut docs[p];
        if doc.outputs.iter().any(|(k, _)| *k == export.output_id) {
            errors.push(SynthError::DuplicateLogicalId {
                stack: app.stacks()[p].name.clone(),
                logical_id: export.output_id.clone(),
                first: format!("output {}", export.output_id),
                second: format!("the export of {} for another stack", export.name),
            });
            continue;
        }
        doc.outputs.push((
            export.output_id.clone(),
            Node::Map(vec![
                ("Value".to_owned(), value),
                (
                    "Export".to_owned(),
                    Node::Map(vec![("Name".to_owned(), Node::Str(export.name.clone()))]),
                ),
            ]),
        ));
    }
}

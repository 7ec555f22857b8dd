//! Checks of the rendered trees that no model type can rule out: a key given twice in one
//! object (every reader keeps one of the two, CloudFormation and cfn-lint reject the
//! template), and numbers JSON cannot hold (NaN and the infinities would be written `null`).

use std::collections::HashSet;

use crate::emit::Node;
use crate::error::SynthError;
use crate::stack::Stack;

use super::render::StackDoc;

/// A problem at a dotted path inside one tree.
struct Found {
    at: String,
    message: String,
}

/// Every tree of one rendered stack, each problem reported where the user can find it.
pub(crate) fn document(stack: &Stack, doc: &StackDoc, errors: &mut Vec<SynthError>) {
    let item = |section: &str, name: &str, message: String| SynthError::InvalidTemplateItem {
        stack: stack.name.clone(),
        section: section.to_owned(),
        name: name.to_owned(),
        message,
    };
    for (section, entries) in [
        ("parameter", &doc.parameters),
        ("rule", &doc.rules),
        ("mapping", &doc.mappings),
        ("condition", &doc.conditions),
        ("output", &doc.outputs),
    ] {
        for name in duplicates(entries.iter().map(|(k, _)| k.as_str())) {
            errors.push(item(
                section,
                name,
                "is defined twice, and a template holds one; give each its own name".into(),
            ));
        }
        for (name, node) in entries {
            for f in walk(node) {
                errors.push(item(section, name, format!("{}{}", at_prefix(&f.at), f.message)));
            }
        }
    }
    let metadata = Node::Map(doc.metadata.clone());
    for (section, tree) in [("Metadata", Some(&metadata)), ("Globals", doc.globals.as_ref())] {
        for f in tree.map(|t| walk_at(t, section)).unwrap_or_default() {
            errors.push(SynthError::InvalidConstruct {
                stack: stack.name.clone(),
                path: String::new(),
                code: "template.value",
                message: format!("{}{}", at_prefix(&f.at), f.message),
                fix: String::new(),
            });
        }
    }
    for ((_, tree), node) in doc.resources.iter().zip(&stack.resources) {
        for f in walk(tree) {
            let property = f.at.strip_prefix("Properties.").unwrap_or(&f.at).to_owned();
            errors.push(SynthError::InvalidProperty {
                stack: stack.name.clone(),
                path: node.path.to_string(),
                property,
                message: f.message,
            });
        }
    }
}

fn at_prefix(at: &str) -> String {
    if at.is_empty() { String::new() } else { format!("`{at}`: ") }
}

fn walk(node: &Node) -> Vec<Found> {
    walk_at(node, "")
}

fn walk_at(node: &Node, at: &str) -> Vec<Found> {
    let mut found = Vec::new();
    // Nearly every tree is clean: find that out without building a single path, and walk
    // again with paths only for a tree that has a problem.
    if clean(node) {
        return found;
    }
    let mut path = at.to_owned();
    visit(node, &mut path, &mut found);
    found
}

fn visit(node: &Node, path: &mut String, found: &mut Vec<Found>) {
    match node {
        Node::Float(f) if !f.is_finite() => found.push(Found {
            at: path.clone(),
            message: format!(
                "{f} is not a number a template can hold (JSON has no NaN or infinity); give a \
                 finite number"
            ),
        }),
        Node::Map(entries) => {
            for key in duplicates(entries.iter().map(|(k, _)| k.as_str())) {
                found.push(Found {
                    at: path.clone(),
                    message: format!(
                        "key `{key}` is given twice, and a template object holds each key once; \
                         set it once"
                    ),
                });
            }
            for (k, v) in entries {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                visit(v, path, found);
                path.truncate(len);
            }
        }
        Node::List(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                visit(v, path, found);
                path.truncate(len);
            }
        }
        Node::Fn(_, arg) => visit(arg, path, found),
        _ => {}
    }
}

/// Whether a tree has no key given twice and no non-finite number.
fn clean(node: &Node) -> bool {
    match node {
        Node::Float(f) => f.is_finite(),
        Node::Map(entries) => {
            let unique = if entries.len() <= 16 {
                entries
                    .iter()
                    .enumerate()
                    .all(|(i, (k, _))| entries[..i].iter().all(|(o, _)| o != k))
            } else {
                let mut seen = HashSet::with_capacity(entries.len());
                entries.iter().all(|(k, _)| seen.insert(k.as_str()))
            };
            unique && entries.iter().all(|(_, v)| clean(v))
        }
        Node::List(items) => items.iter().all(clean),
        Node::Fn(_, arg) => clean(arg),
        _ => true,
    }
}

/// Keys that occur more than once, each reported once, in order of their second occurrence.
/// Small objects (nearly all) are compared pairwise, which beats hashing them.
fn duplicates<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let keys: Vec<&str> = keys.collect();
    let mut out: Vec<&str> = Vec::new();
    if keys.len() <= 16 {
        for (i, k) in keys.iter().enumerate() {
            if keys[..i].contains(k) && !out.contains(k) {
                out.push(k);
            }
        }
    } else {
        let mut seen = HashSet::with_capacity(keys.len());
        for k in keys {
            if !seen.insert(k) && !out.contains(&k) {
                out.push(k);
            }
        }
    }
    out
}

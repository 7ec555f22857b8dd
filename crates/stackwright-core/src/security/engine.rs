//! Running the rule packs over the rendered resources, and matching findings with
//! suppressions.

use std::panic::Location;

use crate::app::App;
use crate::emit::Node;
use crate::error::{Diagnostics, SynthError, Warning};
use crate::stack::Stack;

use super::{SecurityRule, SuppressTarget, Suppression};

/// One rendered resource, as a rule sees it: its properties with references resolved to the
/// logical IDs of its template, and the other resources of that template to follow them to.
pub struct ResourceView<'a> {
    logical_id: &'a str,
    resource_type: &'a str,
    body: &'a Node,
    template: &'a [(String, Node)],
}

impl<'a> ResourceView<'a> {
    /// A view of `body`, the resource `logical_id` of a template whose resources are
    /// `template`.
    pub fn new(logical_id: &'a str, body: &'a Node, template: &'a [(String, Node)]) -> Self {
        let resource_type = match body.get("Type") {
            Some(Node::Str(t)) => t.as_str(),
            _ => "",
        };
        ResourceView { logical_id, resource_type, body, template }
    }

    /// The logical ID.
    pub fn logical_id(&self) -> &str {
        self.logical_id
    }

    /// The CloudFormation type.
    pub fn resource_type(&self) -> &str {
        self.resource_type
    }

    /// The property at a dotted path (`VpcConfig.SubnetIds`), if set.
    pub fn property(&self, path: &str) -> Option<&'a Node> {
        let mut node = self.body.get("Properties")?;
        for key in path.split('.') {
            node = match node {
                Node::List(items) => items.get(key.parse::<usize>().ok()?)?,
                other => other.get(key)?,
            };
        }
        Some(node)
    }

    /// The resource a `Ref` or `Fn::GetAtt` names, when it is in the same template.
    pub fn referenced(&self, value: &Node) -> Option<ResourceView<'a>> {
        let target = match value {
            Node::Fn(name, arg) if name == "Ref" => match arg.as_ref() {
                Node::Str(id) => id.as_str(),
                _ => return None,
            },
            Node::Fn(name, arg) if name == "Fn::GetAtt" => match arg.as_ref() {
                Node::List(parts) => match parts.first() {
                    Some(Node::Str(id)) => id.as_str(),
                    _ => return None,
                },
                Node::Str(dotted) => dotted.split('.').next()?,
                _ => return None,
            },
            _ => return None,
        };
        let (id, body) = self.template.iter().find(|(id, _)| id == target)?;
        Some(ResourceView::new(id, body, self.template))
    }

    /// Every resource of the template, for rules that look for a companion (a listener of a
    /// load balancer, a policy on a bucket).
    pub fn template(&self) -> impl Iterator<Item = ResourceView<'a>> + '_ {
        self.template.iter().map(|(id, body)| ResourceView::new(id, body, self.template))
    }
}

/// A finding of a rule: on a resource, with the reason when a suppression covers it.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// The rule.
    pub rule: &'static SecurityRule,
    /// `Stack/Construct/Path` of the resource.
    pub path: String,
    /// The resource's logical ID.
    pub logical_id: String,
    /// What exactly (`port 80`); empty when the finding is about the resource as a whole.
    pub detail: String,
    /// Where the program created the construct (or the resource, when it was added
    /// directly).
    pub location: &'static Location<'static>,
    /// The reason of the suppression that covers it, if one does.
    pub suppressed: Option<String>,
}

impl PartialEq for SecurityRule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Finding {
    /// The one-line message synth prints: rule, what is wrong, the fix, and where.
    pub fn message(&self) -> String {
        let detail =
            if self.detail.is_empty() { String::new() } else { format!(" ({})", self.detail) };
        format!(
            "[{}] {}{detail}; {} (created at {}:{})",
            self.rule.id,
            self.rule.message,
            self.rule.fix,
            self.location.file(),
            self.location.line()
        )
    }
}

/// The suppressions of `stack` that apply to its resource `index`: put on the resource, or
/// on a construct whose path contains it, for a rule of the resource's type.
pub(crate) fn for_resource(stack: &Stack, index: usize) -> Vec<&Suppression> {
    let Some(node) = stack.resources.get(index) else { return Vec::new() };
    let ty = node.resource_type();
    stack
        .suppressions
        .iter()
        .filter(|(target, s)| s.rule.applies_to(ty) && covers(stack, *target, index))
        .map(|(_, s)| s)
        .collect()
}

fn covers(stack: &Stack, target: SuppressTarget, index: usize) -> bool {
    match target {
        SuppressTarget::Resource(r) => r.index as usize == index,
        SuppressTarget::Construct(c) => {
            let (Some(construct), Some(node)) = (stack.construct(c), stack.resources.get(index))
            else {
                return false;
            };
            node.path.components().starts_with(construct.path.components())
        }
    }
}

/// Runs every rule of the app's packs over the rendered resources of each stack (`docs[i]`
/// holds stack `i`'s resources in arena order) and records the findings no suppression
/// covers: warnings, or errors when the app is strict. A suppression that covers no resource
/// of its rule's types, or no finding of a rule the packs check, is a warning.
pub(crate) fn evaluate(
    app: &App,
    docs: &[&[(String, Node)]],
    diag: &mut Diagnostics,
) -> Vec<Finding> {
    let settings = app.rule_settings();
    let mut findings = Vec::new();
    let mut details = Vec::new();
    for (stack, resources) in app.stacks().iter().zip(docs) {
        let mut used = vec![false; stack.suppressions.len()];
        let mut touched = vec![false; stack.suppressions.len()];
        for (index, (logical_id, body)) in resources.iter().enumerate() {
            let Some(node) = stack.resources.get(index) else { continue };
            let ty = node.resource_type();
            for (k, (target, s)) in stack.suppressions.iter().enumerate() {
                if s.rule.applies_to(ty) && covers(stack, *target, index) {
                    touched[k] = true;
                }
            }
            if settings.packs.is_empty() {
                continue;
            }
            let view = ResourceView::new(logical_id, body, resources);
            for rule in settings.rules().filter(|r| r.applies_to(ty)) {
                details.clear();
                (rule.check)(&view, &mut details);
                for detail in details.drain(..) {
                    let mut suppressed = None;
                    for (k, (target, s)) in stack.suppressions.iter().enumerate() {
                        if s.rule.id == rule.id
                            && s.finding.as_ref().is_none_or(|f| *f == detail)
                            && covers(stack, *target, index)
                        {
                            used[k] = true;
                            suppressed.get_or_insert_with(|| s.reason.clone());
                        }
                    }
                    let location = node
                        .owner
                        .and_then(|o| stack.construct(o))
                        .map_or(node.location, |c| c.location);
                    findings.push(Finding {
                        rule,
                        path: format!("{}/{}", stack.name, node.path),
                        logical_id: logical_id.clone(),
                        detail,
                        location,
                        suppressed,
                    });
                }
            }
        }
        for (k, (target, s)) in stack.suppressions.iter().enumerate() {
            let checked = settings.rules().any(|r| r.id == s.rule.id);
            if touched[k] && (used[k] || !checked) {
                continue;
            }
            let path = match *target {
                SuppressTarget::Construct(c) => stack.construct(c).map(|c| c.path.to_string()),
                SuppressTarget::Resource(r) => stack.node(r).map(|n| n.path.to_string()),
            }
            .unwrap_or_default();
            let what = match &s.finding {
                Some(f) => format!("the finding `{f}` of rule `{}`", s.rule.id),
                None => format!("rule `{}`", s.rule.id),
            };
            let why = if touched[k] {
                "finds nothing there".to_owned()
            } else {
                format!(
                    "looks at none of the resources there ({})",
                    s.rule.resource_types.join(", ")
                )
            };
            diag.warnings.push(Warning {
                path: format!("{}/{path}", stack.name),
                message: format!(
                    "the suppression of {what} (at {}:{}) matches nothing: the rule {why}; \
                     remove the suppression",
                    s.location.file(),
                    s.location.line()
                ),
            });
        }
    }
    for f in findings.iter().filter(|f| f.suppressed.is_none()) {
        if settings.strict {
            diag.errors.push(SynthError::InvalidConstruct {
                stack: f.path.split('/').next().unwrap_or_default().to_owned(),
                path: f.path.split_once('/').map(|(_, p)| p.to_owned()).unwrap_or_default(),
                code: f.rule.id,
                message: f.message(),
                fix: String::new(),
            });
        } else {
            diag.warnings.push(Warning { path: f.path.clone(), message: f.message() });
        }
    }
    findings
}

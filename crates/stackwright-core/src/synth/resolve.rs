//! Resolving expressions into the output tree: ids become logical IDs, references across
//! stacks become imports (and register exports), and every reference is checked.

use std::collections::BTreeSet;

use crate::app::App;
use crate::emit::Node;
use crate::error::SynthError;
use crate::expr::{Cond, ConditionTarget, Expr, MappingTarget, Pseudo, RefTarget, SubPart};
use crate::ids::{ResourceId, StackId};
use crate::stack::Stack;

use super::exports::Exports;
use super::names::Names;

/// A condition or mapping, by id or by name.
enum Item<'a> {
    Id(StackId, u32),
    Named(&'a str),
}

/// Where a resource reference points, seen from the stack being resolved.
enum Located {
    /// In this stack, under this logical ID.
    Local(String),
    /// In another stack of the app; the value arrives through this import.
    Imported(Node),
    /// Unusable; an error was recorded.
    Invalid,
}

/// Resolves the expressions of one stack.
pub(crate) struct Resolver<'a> {
    pub(crate) app: &'a App,
    pub(crate) names: &'a Names,
    pub(crate) stack: usize,
    pub(crate) exports: &'a mut Exports,
    pub(crate) stack_deps: &'a mut BTreeSet<usize>,
    pub(crate) errors: &'a mut Vec<SynthError>,
    /// The construct path or template section being resolved, for messages.
    pub(crate) location: String,
    /// Resources of this stack referenced since the last [`take_refs`](Self::take_refs).
    pub(crate) refs: BTreeSet<u32>,
    /// The resources whose properties are being digested, innermost last: a digest that
    /// reaches one of them again is a cycle.
    pub(crate) digesting: Vec<ResourceId>,
    /// The resource a digest reached within its own properties, reported once the
    /// outermost digest is done (the digests' own errors are dropped).
    pub(crate) digest_cycle: Option<String>,
}

impl Resolver<'_> {
    fn stack_name(&self) -> &str {
        &self.app.stacks()[self.stack].name
    }

    pub(crate) fn take_refs(&mut self) -> BTreeSet<u32> {
        std::mem::take(&mut self.refs)
    }

    pub(crate) fn resolve(&mut self, e: &Expr) -> Node {
        match e {
            Expr::Null => Node::Null,
            Expr::Bool(b) => Node::Bool(*b),
            Expr::Int(i) => Node::Int(*i),
            Expr::Float(f) => Node::Float(*f),
            Expr::Str(s) => Node::Str(s.clone()),
            Expr::List(items) => Node::List(items.iter().map(|i| self.resolve(i)).collect()),
            Expr::Map(entries) => {
                Node::Map(entries.iter().map(|(k, v)| (k.clone(), self.resolve(v))).collect())
            }
            Expr::Ref(t) => self.reference(t),
            Expr::RefNoDependency(RefTarget::Resource(id)) if self.is_local(*id) => {
                match self.resource_logical_id(*id) {
                    Some(name) => Node::func("Ref", Node::Str(name)),
                    None => self.reference(&RefTarget::Resource(*id)),
                }
            }
            Expr::RefNoDependency(RefTarget::Named(name)) => {
                self.check_name_exists(name);
                Node::func("Ref", Node::Str(name.clone()))
            }
            Expr::RefNoDependency(t) => self.reference(t),
            Expr::GetAtt(t, attr) => self.get_att(t, attr),
            Expr::Interpolate(parts) => self.interpolate(parts),
            Expr::Sub(template, vars) => self.sub(template, vars),
            Expr::Join(d, list) => call("Fn::Join", vec![Node::Str(d.clone()), self.resolve(list)]),
            Expr::Select(i, list) => {
                let args = vec![self.resolve(i), self.resolve(list)];
                call("Fn::Select", args)
            }
            Expr::Split(d, s) => call("Fn::Split", vec![Node::Str(d.clone()), self.resolve(s)]),
            Expr::ImportValue(name) => Node::func("Fn::ImportValue", self.resolve(name)),
            Expr::FindInMap(m, a, b) => {
                let name = self.mapping_name(m);
                let args = vec![Node::Str(name), self.resolve(a), self.resolve(b)];
                call("Fn::FindInMap", args)
            }
            Expr::Base64(v) => Node::func("Fn::Base64", self.resolve(v)),
            Expr::GetAzs(r) => Node::func("Fn::GetAZs", self.resolve(r)),
            Expr::Cidr(a, b, c) => {
                let args = vec![self.resolve(a), self.resolve(b), self.resolve(c)];
                call("Fn::Cidr", args)
            }
            Expr::If(c, a, b) => {
                let name = self.condition_name(c);
                let args = vec![Node::Str(name), self.resolve(a), self.resolve(b)];
                call("Fn::If", args)
            }
            Expr::Cond(c) => self.resolve_cond(c),
            // Naming a resource is not a reference to it: no dependency, no import.
            Expr::LogicalId(t) => match t {
                RefTarget::Resource(id) => match self.resource_logical_id(*id) {
                    Some(name) => Node::Str(name),
                    None => {
                        self.foreign_handle();
                        Node::Null
                    }
                },
                // A name is checked like any reference, but naming it orders nothing.
                RefTarget::Named(name) => {
                    self.check_name_exists(name);
                    Node::Str(name.clone())
                }
                RefTarget::Parameter(_) | RefTarget::Pseudo(_) => match self.reference(t) {
                    Node::Fn(_, arg) => *arg,
                    other => other,
                },
            },
            Expr::Call(name, arg) => Node::func(name.clone(), self.resolve(arg)),
            Expr::Arn(arn) => {
                let formatted = arn.format(&self.app.stacks()[self.stack].env);
                self.resolve(formatted.expr())
            }
            Expr::PropertiesDigest(id, prefix, left_out) => {
                self.properties_digest(*id, prefix, left_out)
            }
            Expr::GeneratedRef(id, template) => match self.app.node(*id) {
                Some(_) if self.is_local(*id) => match self.locate(*id, None) {
                    Located::Local(name) => {
                        Node::func("Ref", Node::Str(template.replace("{}", &name)))
                    }
                    _ => Node::Null,
                },
                Some(other) => {
                    let target = format!("what the transform generates from `{}`", other.path);
                    let hint = "the transform generates it in that resource's stack only: use it there, or pass the value as a parameter".to_owned();
                    self.dangling(&target, hint);
                    Node::Null
                }
                None => {
                    self.foreign_handle();
                    Node::Null
                }
            },
        }
    }

    /// `prefix` and a digest of the properties of `id` as the template writes them, but for
    /// the top-level properties `left_out`. Resolving them again records no reference and no
    /// error: the resource's own rendering does.
    fn properties_digest(&mut self, id: ResourceId, prefix: &str, left_out: &[String]) -> Node {
        let node = match self.app.node(id) {
            Some(node) if self.is_local(id) => node,
            Some(other) => {
                let target = format!("`{}`, whose properties are digested,", other.path);
                let hint = "a digest covers a resource of the same stack: keep a version in its function's stack".to_owned();
                self.dangling(&target, hint);
                return Node::Null;
            }
            None => {
                self.foreign_handle();
                return Node::Null;
            }
        };
        if self.digesting.contains(&id) {
            self.digest_cycle.get_or_insert_with(|| node.path.to_string());
            return Node::Null;
        }
        let kept = |name: &str| !left_out.iter().any(|l| l == name);
        let properties = match node.body.properties().into_expr() {
            Expr::Map(entries) => Expr::Map(entries.into_iter().filter(|(k, _)| kept(k)).collect()),
            other => other,
        };
        let (refs, errors) = (self.refs.clone(), self.errors.len());
        self.digesting.push(id);
        let mut parts = vec![self.resolve(&properties)];
        for (path, value) in &node.overrides {
            let mut parts_of = path.split('.');
            let property = match (parts_of.next(), parts_of.next()) {
                (Some("Properties"), Some(property)) => property,
                _ => continue,
            };
            if kept(property) {
                parts.push(Node::Str(path.clone()));
                parts.push(value.as_ref().map_or(Node::Null, |v| self.resolve(v)));
            }
        }
        self.digesting.pop();
        self.refs = refs;
        self.errors.truncate(errors);
        if self.digesting.is_empty()
            && let Some(path) = self.digest_cycle.take()
        {
            let target = format!("a digest of `{path}` within its own properties");
            let hint = "a digest cannot cover itself: remove it from the properties it \
                            digests"
                .to_owned();
            self.dangling(&target, hint);
            return Node::Null;
        }
        let text = crate::emit::to_json_line(&Node::List(parts));
        Node::Str(format!("{prefix}{:016x}", fnv1a(text.as_bytes())))
    }

    pub(crate) fn resolve_cond(&mut self, c: &Cond) -> Node {
        match c {
            Cond::Equals(a, b) => {
                let args = vec![self.resolve(a), self.resolve(b)];
                call("Fn::Equals", args)
            }
            Cond::And(cs) => {
                let args = cs.iter().map(|c| self.resolve_cond(c)).collect();
                call("Fn::And", args)
            }
            Cond::Or(cs) => {
                let args = cs.iter().map(|c| self.resolve_cond(c)).collect();
                call("Fn::Or", args)
            }
            Cond::Not(c) => {
                let args = vec![self.resolve_cond(c)];
                call("Fn::Not", args)
            }
            Cond::Condition(t) => Node::func("Condition", Node::Str(self.condition_name(t))),
            Cond::Contains(a, b) => {
                let args = vec![self.resolve(a), self.resolve(b)];
                call("Fn::Contains", args)
            }
            Cond::EachMemberEquals(a, b) => {
                let args = vec![self.resolve(a), self.resolve(b)];
                call("Fn::EachMemberEquals", args)
            }
            Cond::EachMemberIn(a, b) => {
                let args = vec![self.resolve(a), self.resolve(b)];
                call("Fn::EachMemberIn", args)
            }
        }
    }

    fn reference(&mut self, t: &RefTarget) -> Node {
        match t {
            RefTarget::Resource(id) => match self.locate(*id, None) {
                Located::Local(name) => Node::func("Ref", Node::Str(name)),
                Located::Imported(node) => node,
                Located::Invalid => Node::Null,
            },
            RefTarget::Parameter(p) => {
                let name = self.parameter_name(p.stack, p.index, "a parameter");
                Node::func("Ref", Node::Str(name))
            }
            RefTarget::Pseudo(p) => Node::func("Ref", Node::Str(p.name().to_owned())),
            RefTarget::Named(name) => {
                if Pseudo::from_name(name).is_none() && !self.parameter_exists(name) {
                    self.local_by_name(name, "`Ref`");
                }
                Node::func("Ref", Node::Str(name.clone()))
            }
        }
    }

    fn get_att(&mut self, t: &RefTarget, attr: &str) -> Node {
        let att = |name: String| {
            Node::func("Fn::GetAtt", Node::List(vec![Node::Str(name), Node::Str(attr.to_owned())]))
        };
        match t {
            RefTarget::Resource(id) => match self.locate(*id, Some(attr)) {
                Located::Local(name) => att(name),
                Located::Imported(node) => node,
                Located::Invalid => Node::Null,
            },
            RefTarget::Named(name) => {
                self.local_by_name(name, "`Fn::GetAtt`");
                att(name.clone())
            }
            RefTarget::Parameter(_) | RefTarget::Pseudo(_) => {
                self.dangling(
                    "an attribute of a parameter",
                    "`Fn::GetAtt` only reads resource attributes".into(),
                );
                Node::Null
            }
        }
    }

    /// `${...}` text for a part of an interpolated string, when it can be written inline.
    fn inline_placeholder(&mut self, e: &Expr) -> Option<String> {
        match e {
            Expr::Ref(RefTarget::Pseudo(p)) => Some(p.name().to_owned()),
            Expr::Ref(RefTarget::Parameter(p)) if p.stack.index as usize == self.stack => {
                Some(self.parameter_name(p.stack, p.index, "a parameter"))
            }
            Expr::Ref(RefTarget::Resource(id)) if self.is_local(*id) => {
                match self.locate(*id, None) {
                    Located::Local(name) => Some(name),
                    _ => None,
                }
            }
            Expr::GetAtt(RefTarget::Resource(id), attr) if self.is_local(*id) => {
                match self.locate(*id, Some(attr)) {
                    Located::Local(name) => Some(format!("{name}.{attr}")),
                    _ => None,
                }
            }
            // `${Name}` is a `Ref`, but `${Name.Part}` would be a `GetAtt`.
            Expr::GeneratedRef(id, template) if self.is_local(*id) => {
                match self.locate(*id, None) {
                    Located::Local(name) => {
                        Some(template.replace("{}", &name)).filter(|n| !n.contains('.'))
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn is_local(&self, id: ResourceId) -> bool {
        id.stack == self.app.stacks()[self.stack].id
    }

    fn interpolate(&mut self, parts: &[SubPart]) -> Node {
        let parts = self.expand_arns(parts);
        let mut text = String::new();
        let mut vars: Vec<(String, Node)> = Vec::new();
        for part in &parts {
            match part {
                SubPart::Lit(s) => text.push_str(&s.replace("${", "${!")),
                SubPart::Expr(e) => match self.inline_placeholder(e) {
                    Some(p) => {
                        text.push_str("${");
                        text.push_str(&p);
                        text.push('}');
                    }
                    None => {
                        let (name, node) = self.variable(e, vars.len());
                        // The same value twice (`sub!("{} {}", x, x)`) shares one variable;
                        // otherwise the name must be new: a repeated key is invalid JSON for
                        // CloudFormation, and a variable named like a resource or parameter
                        // of this stack would shadow it in `${Name}` / `${Name.Attr}`.
                        let name = match vars.iter().find(|(_, v)| *v == node) {
                            Some((existing, _)) => existing.clone(),
                            None => {
                                let name = self.unused_variable_name(name, &vars);
                                vars.push((name.clone(), node));
                                name
                            }
                        };
                        text.push_str("${");
                        text.push_str(&name);
                        text.push('}');
                    }
                },
            }
        }
        if vars.is_empty() {
            Node::func("Fn::Sub", Node::Str(text))
        } else {
            Node::func("Fn::Sub", Node::List(vec![Node::Str(text), Node::Map(vars)]))
        }
    }

    /// The parts with every ARN formatted for this stack and spliced in, so an ARN inside a
    /// string reads as one `Fn::Sub` (`arn:${AWS::Partition}:...:*`), not a nested one.
    fn expand_arns(&self, parts: &[SubPart]) -> Vec<SubPart> {
        let env = &self.app.stacks()[self.stack].env;
        let mut out: Vec<SubPart> = Vec::with_capacity(parts.len());
        for part in parts {
            match part {
                SubPart::Expr(Expr::Arn(arn)) => match arn.format(env).into_expr() {
                    Expr::Interpolate(inner) => out.extend(self.expand_arns(&inner)),
                    Expr::Str(text) => out.push(SubPart::Lit(text)),
                    other => out.push(SubPart::Expr(other)),
                },
                other => out.push(other.clone()),
            }
        }
        out
    }

    /// A `Fn::Sub` variable for an expression that cannot be written inline; imports are
    /// named after what they import so the template reads well.
    fn variable(&mut self, e: &Expr, n: usize) -> (String, Node) {
        let named = match e {
            Expr::Ref(RefTarget::Resource(id)) => self.resource_logical_id(*id),
            Expr::GetAtt(RefTarget::Resource(id), attr) => self.resource_logical_id(*id).map(|l| {
                format!(
                    "{l}{}",
                    attr.chars().filter(char::is_ascii_alphanumeric).collect::<String>()
                )
            }),
            _ => None,
        };
        let node = self.resolve(e);
        (named.unwrap_or_else(|| format!("Var{n}")), node)
    }

    /// `base`, or `base2`, `base3`, ... : the first name that is neither a variable already
    /// chosen nor a resource or parameter of this stack.
    fn unused_variable_name(&self, base: String, vars: &[(String, Node)]) -> String {
        let taken = |n: &str| {
            vars.iter().any(|(v, _)| v == n)
                || self.names.by_id[self.stack].contains_key(n)
                || self.parameter_exists(n)
        };
        if !taken(&base) {
            return base;
        }
        (2..).map(|i| format!("{base}{i}")).find(|n| !taken(n)).unwrap_or(base)
    }

    /// Reports a hand-written name that names nothing in this stack, without recording a
    /// dependency on what it names.
    fn check_name_exists(&mut self, name: &str) {
        let exists = self.names.by_id[self.stack].contains_key(name)
            || self.parameter_exists(name)
            || Pseudo::from_name(name).is_some();
        if !exists {
            self.dangling(
                &format!("`{name}`"),
                "check the spelling, or reference the construct's handle instead of its name"
                    .into(),
            );
        }
    }

    fn resource_logical_id(&self, id: ResourceId) -> Option<String> {
        let s = self.app.index_of(id.stack)?;
        self.names.resources.get(s)?.get(id.index as usize).cloned()
    }

    fn sub(&mut self, template: &str, vars: &[(String, Expr)]) -> Node {
        for name in sub_references(template) {
            let base = name.split('.').next().unwrap_or(&name);
            if vars.iter().any(|(v, _)| v == &name || v == base)
                || Pseudo::from_name(&name).is_some()
            {
                continue;
            }
            if name.contains('.') {
                self.local_by_name(base, "`Fn::Sub`");
            } else if !self.parameter_exists(&name) {
                self.local_by_name(&name, "`Fn::Sub`");
            }
        }
        if vars.is_empty() {
            Node::func("Fn::Sub", Node::Str(template.to_owned()))
        } else {
            let vars = vars.iter().map(|(k, v)| (k.clone(), self.resolve(v))).collect();
            Node::func("Fn::Sub", Node::List(vec![Node::Str(template.to_owned()), Node::Map(vars)]))
        }
    }

    /// Finds a resource by id and says how this stack reaches it.
    fn locate(&mut self, id: ResourceId, attribute: Option<&str>) -> Located {
        let Some(producer) = self.app.index_of(id.stack) else {
            self.foreign_handle();
            return Located::Invalid;
        };
        let Some(logical_id) = self.names.resources[producer].get(id.index as usize).cloned()
        else {
            self.foreign_handle();
            return Located::Invalid;
        };
        if producer == self.stack {
            self.refs.insert(id.index);
            return Located::Local(logical_id);
        }
        let stacks = self.app.stacks();
        let (p, c) = (&stacks[producer], &stacks[self.stack]);
        if !p.env.can_export_to(&c.env) {
            self.errors.push(SynthError::CrossEnvironmentReference {
                consumer: self.location.clone(),
                consumer_stack: c.name.clone(),
                consumer_env: c.env.describe(),
                producer: p.resources[id.index as usize].path.to_string(),
                producer_stack: p.name.clone(),
                producer_env: p.env.describe(),
            });
            return Located::Invalid;
        }
        self.stack_deps.insert(producer);
        let name = self.exports.name_for(producer, &p.name, id, &logical_id, attribute);
        Located::Imported(Node::func("Fn::ImportValue", Node::Str(name)))
    }

    fn foreign_handle(&mut self) {
        self.errors.push(SynthError::ForeignHandle {
            stack: self.stack_name().to_owned(),
            path: self.location.clone(),
            used_in: "a reference".to_owned(),
        });
    }

    fn parameter_name(&mut self, stack: StackId, index: u32, what: &str) -> String {
        let Some(s) = self.app.index_of(stack) else {
            self.foreign_handle();
            return String::new();
        };
        let target = &self.app.stacks()[s];
        let name =
            target.parameters.get(index as usize).map(|(n, _)| n.clone()).unwrap_or_default();
        if s != self.stack {
            self.errors.push(SynthError::ForeignTemplateItem {
                stack: self.stack_name().to_owned(),
                path: self.location.clone(),
                what: format!("{what} (`{name}`)"),
                other_stack: target.name.clone(),
            });
        }
        name
    }

    fn parameter_exists(&self, name: &str) -> bool {
        self.app.stacks()[self.stack].parameters.iter().any(|(n, _)| n == name)
    }

    fn local_by_name(&mut self, name: &str, how: &str) {
        match self.names.by_id[self.stack].get(name) {
            Some(&index) => {
                self.refs.insert(index);
            }
            None => self.dangling(
                &format!("{how} target `{name}`"),
                "check the spelling, or reference the construct's handle instead of its name"
                    .into(),
            ),
        }
    }

    fn dangling(&mut self, target: &str, hint: String) {
        self.errors.push(SynthError::DanglingReference {
            stack: self.stack_name().to_owned(),
            path: self.location.clone(),
            target: target.to_owned(),
            hint,
        });
    }

    fn condition_name(&mut self, t: &ConditionTarget) -> String {
        let target = match t {
            ConditionTarget::Id(id) => Item::Id(id.stack, id.index),
            ConditionTarget::Named(name) => Item::Named(name),
        };
        let names = |s: &Stack| s.conditions.iter().map(|(n, _)| n.clone()).collect();
        self.item_name("condition", "add_condition", names, target)
    }

    fn mapping_name(&mut self, t: &MappingTarget) -> String {
        let target = match t {
            MappingTarget::Id(id) => Item::Id(id.stack, id.index),
            MappingTarget::Named(name) => Item::Named(name),
        };
        let names = |s: &Stack| s.mappings.iter().map(|(n, _)| n.clone()).collect();
        self.item_name("mapping", "add_mapping", names, target)
    }

    /// The name of a condition or mapping, checked: one by id must belong to this stack, one
    /// by name must exist in it.
    fn item_name(
        &mut self,
        what: &str,
        declare: &str,
        names: fn(&Stack) -> Vec<String>,
        target: Item<'_>,
    ) -> String {
        let stack = &self.app.stacks()[self.stack];
        match target {
            Item::Id(owner_id, index) => {
                let Some(s) = self.app.index_of(owner_id) else {
                    self.foreign_handle();
                    return String::new();
                };
                let owner = &self.app.stacks()[s];
                let name = names(owner).into_iter().nth(index as usize).unwrap_or_default();
                if s != self.stack {
                    self.errors.push(SynthError::ForeignTemplateItem {
                        stack: stack.name.clone(),
                        path: self.location.clone(),
                        what: format!("{what} `{name}`"),
                        other_stack: owner.name.clone(),
                    });
                }
                name
            }
            Item::Named(name) => {
                if !names(stack).iter().any(|n| n == name) {
                    self.dangling(
                        &format!("{what} `{name}`"),
                        format!("declare it with {declare}, and use the handle it returns"),
                    );
                }
                name.to_owned()
            }
        }
    }
}

/// The 64-bit FNV-1a hash: tiny, stable across platforms and releases, and enough to tell
/// one configuration from the next (it guards against no adversary).
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn call(name: &'static str, args: Vec<Node>) -> Node {
    Node::func(name, Node::List(args))
}

/// The names inside `${...}` of a `Fn::Sub` template, skipping `${!Literal}` escapes.
pub(crate) fn sub_references(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find('}') else { break };
        let name = rest[..end].trim();
        if !name.starts_with('!') && !name.is_empty() {
            out.push(name.to_owned());
        }
        rest = &rest[end + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{fnv1a, sub_references};

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        // From the FNV reference (draft-eastlake-fnv): a change of hash function would
        // publish a new version of every function, so it is pinned.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn sub_references_skip_escapes() {
        assert_eq!(
            sub_references("arn:${AWS::Partition}:s3:::${Bucket}/${!Literal}/${Role.Arn}"),
            vec!["AWS::Partition", "Bucket", "Role.Arn"]
        );
    }
}

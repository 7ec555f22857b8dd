//! A stack: one CloudFormation template's worth of resources and sections, in an arena.

use std::collections::HashMap;
use std::rc::Rc;

use crate::construct::{ConstructId, ConstructNode};
use crate::env::Environment;
use crate::error::{Problem, SynthError, Warning};
use crate::expr::{Cond, ConditionTarget, Expr, Json, Val};
use crate::ids::{ConditionId, MappingId, ParameterId, ResourceId, StackId};
use crate::path::ConstructPath;
use crate::resource::{Handle, RemovalPolicy, Resource};
use crate::security::{SuppressTarget, Suppression};
use crate::template::{ConditionRef, Mapping, MappingRef, Output, Parameter, ParameterRef, Rule};

/// A resource in a stack's arena, with the template-level settings CloudFormation allows on
/// every resource.
pub struct ResourceNode {
    pub(crate) path: ConstructPath,
    pub(crate) logical_id: Option<String>,
    /// Shared between an app and the copies synthesis renders into; copied on first write.
    pub(crate) body: Rc<dyn Resource>,
    pub(crate) depends_on: Vec<ResourceId>,
    pub(crate) condition: Option<ConditionTarget>,
    pub(crate) deletion_policy: Option<RemovalPolicy>,
    pub(crate) update_replace_policy: Option<RemovalPolicy>,
    pub(crate) update_policy: Option<Expr>,
    pub(crate) creation_policy: Option<Expr>,
    pub(crate) metadata: Vec<(String, Expr)>,
    pub(crate) overrides: Vec<(String, Option<Expr>)>,
    /// The construct whose child this resource is, if it was added through one.
    pub(crate) owner: Option<ConstructId>,
    /// Properties a construct checks itself, in its own words; the resource's own checks of
    /// them are skipped so nothing is reported twice.
    pub(crate) covered_checks: Vec<String>,
    /// Where the program created it, for findings.
    pub(crate) location: &'static std::panic::Location<'static>,
}

impl Clone for ResourceNode {
    fn clone(&self) -> Self {
        ResourceNode {
            path: self.path.clone(),
            logical_id: self.logical_id.clone(),
            body: Rc::clone(&self.body),
            depends_on: self.depends_on.clone(),
            condition: self.condition.clone(),
            deletion_policy: self.deletion_policy,
            update_replace_policy: self.update_replace_policy,
            update_policy: self.update_policy.clone(),
            creation_policy: self.creation_policy.clone(),
            metadata: self.metadata.clone(),
            overrides: self.overrides.clone(),
            owner: self.owner,
            covered_checks: self.covered_checks.clone(),
            location: self.location,
        }
    }
}

impl ResourceNode {
    /// The construct path.
    pub fn path(&self) -> &ConstructPath {
        &self.path
    }

    /// The logical ID: the pinned one, or the one derived from the path.
    pub fn logical_id(&self) -> String {
        self.logical_id.clone().unwrap_or_else(|| self.path.logical_id())
    }

    /// The resource's CloudFormation type.
    pub fn resource_type(&self) -> &str {
        self.body.resource_type()
    }

    /// The resource body, to change: copied first when a rendered copy of the app still
    /// shares it. (Always `Some`: the body is unique once copied.)
    pub(crate) fn body_mut(&mut self) -> Option<&mut dyn Resource> {
        if Rc::get_mut(&mut self.body).is_none() {
            self.body = Rc::from(self.body.clone_resource());
        }
        Rc::get_mut(&mut self.body)
    }

    /// Where the program created the resource (the line of the `add` call, or of the
    /// constructor of the construct that added it).
    pub fn location(&self) -> &'static std::panic::Location<'static> {
        self.location
    }

    /// The construct this resource is a child of, if it was added through one.
    pub fn owner(&self) -> Option<ConstructId> {
        self.owner
    }

    /// Pins the logical ID, so moving the construct in the tree does not replace the resource.
    pub fn override_logical_id(&mut self, id: impl Into<String>) -> &mut Self {
        self.logical_id = Some(id.into());
        self
    }

    /// Adds an explicit dependency. Emitted as `DependsOn` only when no reference already
    /// orders the two; across stacks it orders the stacks instead.
    pub fn add_dependency(&mut self, on: impl Handle) -> &mut Self {
        let on = on.id();
        if !self.depends_on.contains(&on) {
            self.depends_on.push(on);
        }
        self
    }

    /// Creates the resource only when the condition holds.
    pub fn set_condition(&mut self, condition: ConditionRef) -> &mut Self {
        self.condition = Some(ConditionTarget::Id(condition.id()));
        self
    }

    /// Sets `DeletionPolicy`.
    pub fn set_deletion_policy(&mut self, policy: RemovalPolicy) -> &mut Self {
        self.deletion_policy = Some(policy);
        self
    }

    /// Sets `UpdateReplacePolicy`.
    pub fn set_update_replace_policy(&mut self, policy: RemovalPolicy) -> &mut Self {
        self.update_replace_policy = Some(policy);
        self
    }

    /// Sets `UpdatePolicy` (free-form; see the CloudFormation reference for its shape).
    pub fn set_update_policy(&mut self, policy: impl Into<Val<Json>>) -> &mut Self {
        self.update_policy = Some(policy.into().into_expr());
        self
    }

    /// Sets `CreationPolicy` (free-form).
    pub fn set_creation_policy(&mut self, policy: impl Into<Val<Json>>) -> &mut Self {
        self.creation_policy = Some(policy.into().into_expr());
        self
    }

    /// Adds a `Metadata` entry.
    pub fn add_metadata(
        &mut self,
        key: impl Into<String>,
        value: impl Into<Val<Json>>,
    ) -> &mut Self {
        self.metadata.push((key.into(), value.into().into_expr()));
        self
    }

    /// Overrides anything in the rendered resource by dotted path, applied last:
    /// `Properties.VisibilityTimeout`, `Properties.Tags.0.Value`. Numeric components index
    /// lists. Missing objects on the way are created.
    pub fn add_override(
        &mut self,
        path: impl Into<String>,
        value: impl Into<Val<Json>>,
    ) -> &mut Self {
        self.overrides.push((path.into(), Some(value.into().into_expr())));
        self
    }

    /// Leaves the checks of these properties to the construct that owns the resource, which
    /// makes them in its own words: the resource's own checks of them are skipped. A pattern
    /// is a dotted property path in which `*` stands for one component (`Stages.*.Name`).
    pub fn cover_property_checks<S: Into<String>>(
        &mut self,
        patterns: impl IntoIterator<Item = S>,
    ) -> &mut Self {
        self.covered_checks.extend(patterns.into_iter().map(Into::into));
        self
    }

    /// Whether a problem with `property` is left to the owning construct.
    pub(crate) fn check_is_covered(&self, property: &str) -> bool {
        self.covered_checks.iter().any(|pattern| {
            let (mut p, mut q) = (pattern.split('.'), property.split('.'));
            loop {
                match (p.next(), q.next()) {
                    (None, None) => return true,
                    (Some(a), Some(b)) if a == "*" || a == b => {}
                    _ => return false,
                }
            }
        })
    }

    /// Removes whatever is at a dotted path in the rendered resource.
    pub fn add_deletion_override(&mut self, path: impl Into<String>) -> &mut Self {
        self.overrides.push((path.into(), None));
        self
    }
}

/// One stack of an [`App`](crate::App): what becomes one template.
#[derive(Clone)]
pub struct Stack {
    pub(crate) id: StackId,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) env: Environment,
    pub(crate) transforms: Vec<String>,
    pub(crate) metadata: Vec<(String, Expr)>,
    pub(crate) globals: Option<Expr>,
    pub(crate) parameters: Vec<(String, Parameter)>,
    pub(crate) mappings: Vec<(String, Mapping)>,
    pub(crate) conditions: Vec<(String, Cond)>,
    pub(crate) rules: Vec<(String, Rule)>,
    pub(crate) resources: Vec<ResourceNode>,
    pub(crate) outputs: Vec<(String, Output)>,
    pub(crate) depends_on_stacks: Vec<StackId>,
    pub(crate) problems: Vec<SynthError>,
    pub(crate) warnings: Vec<Warning>,
    pub(crate) by_path: HashMap<ConstructPath, u32>,
    pub(crate) constructs: Vec<ConstructNode>,
    pub(crate) construct_by_path: HashMap<ConstructPath, u32>,
    pub(crate) files: Vec<CompanionFile>,
    pub(crate) workflow_files: Vec<CompanionFile>,
    /// Suppressions of security rules, on constructs and resources of this stack.
    pub(crate) suppressions: Vec<(SuppressTarget, Suppression)>,
}

/// A file written beside the templates, and who added it (for messages about its path).
#[derive(Clone, Debug)]
pub(crate) struct CompanionFile {
    pub(crate) path: String,
    pub(crate) contents: String,
    /// The construct path that added it; empty when the stack itself did.
    pub(crate) owner: String,
}

impl Stack {
    pub(crate) fn new(id: StackId, name: String) -> Stack {
        Stack {
            id,
            name,
            description: None,
            env: Environment::default(),
            transforms: Vec::new(),
            metadata: Vec::new(),
            globals: None,
            parameters: Vec::new(),
            mappings: Vec::new(),
            conditions: Vec::new(),
            rules: Vec::new(),
            resources: Vec::new(),
            outputs: Vec::new(),
            depends_on_stacks: Vec::new(),
            problems: Vec::new(),
            warnings: Vec::new(),
            by_path: HashMap::new(),
            constructs: Vec::new(),
            construct_by_path: HashMap::new(),
            files: Vec::new(),
            workflow_files: Vec::new(),
            suppressions: Vec::new(),
        }
    }

    /// The stack's id.
    pub fn id(&self) -> StackId {
        self.id
    }

    /// The stack name (also the template's file name).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The account and region the stack deploys to.
    pub fn environment(&self) -> &Environment {
        &self.env
    }

    /// The resources, in the order they were added.
    pub fn resources(&self) -> impl Iterator<Item = &ResourceNode> {
        self.resources.iter()
    }

    /// Sets the template's `Description`.
    pub fn set_description(&mut self, text: impl Into<String>) -> &mut Self {
        self.description = Some(text.into());
        self
    }

    /// Sets the account and region. References to stacks in other environments become errors.
    pub fn set_environment(&mut self, env: Environment) -> &mut Self {
        self.env = env;
        self
    }

    /// Adds a `Transform` (such as `AWS::Serverless-2016-10-31`), once.
    pub fn add_transform(&mut self, name: impl Into<String>) -> &mut Self {
        let name = name.into();
        if !self.transforms.contains(&name) {
            self.transforms.push(name);
        }
        self
    }

    /// Adds a template-level `Metadata` entry.
    pub fn add_metadata(
        &mut self,
        key: impl Into<String>,
        value: impl Into<Val<Json>>,
    ) -> &mut Self {
        self.metadata.push((key.into(), value.into().into_expr()));
        self
    }

    /// Sets the SAM `Globals` section.
    pub fn set_globals(&mut self, globals: impl Into<Val<Json>>) -> &mut Self {
        self.globals = Some(globals.into().into_expr());
        self
    }

    /// Declares a parameter.
    pub fn add_parameter(&mut self, name: impl Into<String>, parameter: Parameter) -> ParameterRef {
        self.parameters.push((name.into(), parameter));
        ParameterRef { id: ParameterId { stack: self.id, index: last_index(&self.parameters) } }
    }

    /// Declares a mapping.
    pub fn add_mapping(&mut self, name: impl Into<String>, mapping: Mapping) -> MappingRef {
        self.mappings.push((name.into(), mapping));
        MappingRef { id: MappingId { stack: self.id, index: last_index(&self.mappings) } }
    }

    /// Declares a named condition.
    pub fn add_condition(
        &mut self,
        name: impl Into<String>,
        condition: impl Into<Cond>,
    ) -> ConditionRef {
        self.conditions.push((name.into(), condition.into()));
        ConditionRef { id: ConditionId { stack: self.id, index: last_index(&self.conditions) } }
    }

    /// Declares a rule.
    pub fn add_rule(&mut self, name: impl Into<String>, rule: Rule) -> &mut Self {
        self.rules.push((name.into(), rule));
        self
    }

    /// Declares an output.
    pub fn add_output(&mut self, name: impl Into<String>, output: Output) -> &mut Self {
        self.outputs.push((name.into(), output));
        self
    }

    /// Adds a companion file (a buildspec.yml, an appspec.yml, a taskdef.json) to write into
    /// the output folder beside the templates, at this relative path. Checked at synth: a
    /// plain relative path, unique across the app.
    pub fn add_file(&mut self, path: impl Into<String>, contents: impl Into<String>) -> &mut Self {
        let (path, contents) = (path.into(), contents.into());
        self.files.push(CompanionFile { path, contents, owner: String::new() });
        self
    }

    /// Adds a file for the workflow folder (`--workflow-dir`), at this path relative to it:
    /// a file a delivery system reads from a fixed place in the repository rather than from
    /// the output folder. Written, listed in the manifest and compared like a companion file.
    /// Checked at synth: a plain relative path, unique across the app.
    pub fn add_workflow_file(
        &mut self,
        path: impl Into<String>,
        contents: impl Into<String>,
    ) -> &mut Self {
        let (path, contents) = (path.into(), contents.into());
        self.workflow_files.push(CompanionFile { path, contents, owner: String::new() });
        self
    }

    /// Orders this stack after another, without any reference between them.
    pub fn add_stack_dependency(&mut self, on: StackId) -> &mut Self {
        if !self.depends_on_stacks.contains(&on) {
            self.depends_on_stacks.push(on);
        }
        self
    }

    /// Records a problem with the construct at `path`; synth reports it with the rest.
    pub fn report_error(&mut self, path: &ConstructPath, problem: Problem) {
        self.problems.push(SynthError::InvalidConstruct {
            stack: self.name.clone(),
            path: path.to_string(),
            code: problem.code,
            message: problem.message,
            fix: problem.fix,
        });
    }

    /// Records a warning about a construct.
    pub fn report_warning(&mut self, path: &ConstructPath, message: impl Into<String>) {
        let path = if path.components().is_empty() {
            self.name.clone()
        } else {
            format!("{}/{}", self.name, path)
        };
        self.warnings.push(Warning { path, message: message.into() });
    }

    /// The resource at a construct path, if there is one.
    pub fn find(&self, path: &ConstructPath) -> Option<ResourceId> {
        self.by_path.get(path).map(|&index| ResourceId { stack: self.id, index })
    }

    /// The construct nodes, in the order they were created.
    pub fn constructs(&self) -> impl Iterator<Item = &ConstructNode> {
        self.constructs.iter()
    }

    /// The construct at a construct path, if there is one.
    pub fn find_construct(&self, path: &ConstructPath) -> Option<ConstructId> {
        self.construct_by_path.get(path).map(|&index| ConstructId { stack: self.id, index })
    }

    /// The construct node with this id, if it belongs to this stack.
    pub fn construct(&self, id: ConstructId) -> Option<&ConstructNode> {
        if id.stack != self.id {
            return None;
        }
        self.constructs.get(id.index as usize)
    }

    pub(crate) fn construct_mut(&mut self, id: ConstructId) -> Option<&mut ConstructNode> {
        if id.stack != self.id {
            return None;
        }
        self.constructs.get_mut(id.index as usize)
    }

    pub(crate) fn node(&self, id: ResourceId) -> Option<&ResourceNode> {
        if id.stack != self.id {
            return None;
        }
        self.resources.get(id.index as usize)
    }

    pub(crate) fn node_mut(&mut self, id: ResourceId) -> Option<&mut ResourceNode> {
        if id.stack != self.id {
            return None;
        }
        self.resources.get_mut(id.index as usize)
    }
}

fn last_index<T>(v: &[T]) -> u32 {
    u32::try_from(v.len().saturating_sub(1)).unwrap_or(u32::MAX)
}

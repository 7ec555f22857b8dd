//! Scopes: where constructs are added. A scope is a stack plus a construct path.

use std::ops::{Deref, DerefMut};

use crate::app::App;
use crate::construct::{Child, ConstructId, ConstructNode, ConstructRef, ConstructState};
use crate::error::{Problem, SynthError};
use crate::ids::{ResourceId, StackId};
use crate::path::{ConstructPath, check_construct_id};
use crate::resource::{Handle, ResourceType};
use crate::security::{SuppressTarget, Suppression};
use crate::stack::{ResourceNode, Stack};

/// A place in the construct tree: a stack of an app and a path inside it. Constructs take
/// `&mut Scope` and add their resources under their own id; a construct with children makes
/// a [`child`](Scope::child) scope for them.
///
/// A scope dereferences to its [`Stack`], for parameters, outputs and stack settings, and
/// gives access to the whole [`App`] for constructs that touch other stacks.
pub struct Scope<'a> {
    app: &'a mut App,
    stack: usize,
    path: ConstructPath,
    /// The construct whose children are added here, recorded in its slots.
    owner: Option<ConstructId>,
}

impl<'a> Scope<'a> {
    pub(crate) fn new(
        app: &'a mut App,
        stack: usize,
        path: ConstructPath,
        owner: Option<ConstructId>,
    ) -> Scope<'a> {
        Scope { app, stack, path, owner }
    }

    /// A scope for the children of the construct `id` inside this one.
    pub fn child(&mut self, id: &str) -> Scope<'_> {
        let path = self.path.child(id);
        self.check_id(id);
        Scope { app: self.app, stack: self.stack, path, owner: self.owner }
    }

    /// This scope, borrowed again: for handing it on while keeping this one.
    pub fn reborrow(&mut self) -> Scope<'_> {
        Scope { app: self.app, stack: self.stack, path: self.path.clone(), owner: self.owner }
    }

    /// This scope turned into the scope of its child `id`.
    pub fn into_child(mut self, id: &str) -> Scope<'a> {
        self.check_id(id);
        self.path = self.path.child(id);
        self
    }

    /// Creates the construct node `id` with its state, and returns its handle and the scope
    /// its children are added through (each one recorded in the node's slots). The node
    /// records its caller's source location; constructors are `#[track_caller]`, so that is
    /// the line of the program that created the construct.
    #[track_caller]
    pub fn construct<S: ConstructState>(
        &mut self,
        id: &str,
        state: S,
    ) -> (ConstructRef<S>, Scope<'_>) {
        self.check_id(id);
        let path = self.path.child(id);
        let location = std::panic::Location::caller();
        let cid = self.push_construct(path.clone(), Box::new(state), None, location);
        self.record_child(id, Child::Construct(cid));
        (ConstructRef::new(cid), Scope { app: self.app, stack: self.stack, path, owner: Some(cid) })
    }

    /// Reports that `what` (`the AWS::IAM::Policy of Role `Worker``) cannot go at the child
    /// `id` of this scope because something else already is there: a clash, never a silent
    /// drop.
    pub fn slot_taken(&mut self, id: &str, what: &str) {
        let path = id.split('/').fold(self.path.clone(), |p, c| p.child(c));
        let stack = &mut self.app.stacks_mut()[self.stack];
        let first = match (stack.find(&path), stack.find_construct(&path)) {
            (Some(r), _) => stack.node(r).map(|r| describe(stack, r)),
            (None, Some(c)) => stack.construct(c).map(|c| format!("{} `{}`", c.kind(), c.path)),
            (None, None) => None,
        };
        let clash = SynthError::PathClash {
            stack: stack.name.clone(),
            path: path.to_string(),
            first: first.unwrap_or_else(|| "something else".to_owned()),
            second: what.to_owned(),
        };
        stack.problems.push(clash);
    }

    /// The construct whose children this scope adds, if any.
    pub fn owner(&self) -> Option<ConstructId> {
        self.owner
    }

    /// The child in slot `name` of the construct this scope belongs to.
    pub fn slot(&self, name: &str) -> Option<Child> {
        let owner = self.owner?;
        self.app.construct(owner)?.child(name)
    }

    /// The resource in slot `name` of this scope's construct, as a typed handle.
    pub fn slot_resource<H: Handle>(&self, name: &str) -> Option<H> {
        match self.slot(name)? {
            Child::Resource(id) => Some(H::from_id(id)),
            Child::Construct(_) => None,
        }
    }

    /// This scope's path.
    pub fn path(&self) -> &ConstructPath {
        &self.path
    }

    /// Adds a companion file (a buildspec.yml, an appspec.yml, a taskdef.json) to write into
    /// the output folder beside the templates, at this relative path, on behalf of this
    /// scope's construct: a problem with the path names the construct.
    pub fn add_file(&mut self, path: impl Into<String>, contents: impl Into<String>) -> &mut Self {
        let owner = self.path.to_string();
        let (path, contents) = (path.into(), contents.into());
        self.stack_mut().files.push(crate::stack::CompanionFile { path, contents, owner });
        self
    }

    /// Adds a file for the workflow folder (see [`Stack::add_workflow_file`]) on behalf of
    /// this scope's construct: a problem with the path names the construct.
    pub fn add_workflow_file(
        &mut self,
        path: impl Into<String>,
        contents: impl Into<String>,
    ) -> &mut Self {
        let owner = self.path.to_string();
        let (path, contents) = (path.into(), contents.into());
        self.stack_mut().workflow_files.push(crate::stack::CompanionFile { path, contents, owner });
        self
    }

    /// The id of the stack this scope adds to.
    pub fn stack_id(&self) -> StackId {
        self.app.stacks()[self.stack].id
    }

    /// The whole app, for constructs that change resources in other stacks.
    pub fn app(&mut self) -> &mut App {
        self.app
    }

    /// Adds a resource as the child `id` of this scope and returns its typed handle.
    #[track_caller]
    pub fn add<R: ResourceType>(&mut self, id: &str, resource: R) -> R::Handle {
        self.check_id(id);
        let path = self.path.child(id);
        let owner = self.owner;
        let stack = &mut self.app.stacks_mut()[self.stack];
        let index = stack.resources.len() as u32;
        let rid = ResourceId { stack: stack.id, index };
        // A construct that clashed with another was reported already; its children would
        // only repeat that.
        let owner_clashed = owner.is_some_and(|o| {
            stack.construct(o).is_some_and(|c| stack.find_construct(&c.path) != Some(o))
        });
        let first = match (stack.by_path.get(&path), stack.construct_by_path.get(&path)) {
            _ if owner_clashed => None,
            (Some(&r), _) => Some(describe(stack, &stack.resources[r as usize])),
            (None, Some(&c)) => {
                let c = &stack.constructs[c as usize];
                Some(format!("{} `{}`", c.kind(), c.path))
            }
            (None, None) => None,
        };
        if let Some(first) = first {
            let clash = SynthError::PathClash {
                stack: stack.name.clone(),
                path: path.to_string(),
                first,
                second: describe_new(stack, resource.resource_type(), owner),
            };
            stack.problems.push(clash);
        } else if !stack.by_path.contains_key(&path) {
            stack.by_path.insert(path.clone(), index);
        }
        stack.resources.push(ResourceNode {
            path,
            logical_id: None,
            body: std::rc::Rc::new(resource),
            depends_on: Vec::new(),
            condition: None,
            deletion_policy: None,
            update_replace_policy: None,
            update_policy: None,
            creation_policy: None,
            metadata: Vec::new(),
            overrides: Vec::new(),
            owner,
            covered_checks: Vec::new(),
            location: std::panic::Location::caller(),
        });
        self.record_child(id, Child::Resource(rid));
        R::Handle::from_id(rid)
    }

    /// The template-level settings of a resource of this app (`DependsOn`, `Condition`,
    /// policies, overrides, logical ID). `None` for a handle of another app.
    pub fn node(&mut self, handle: impl Handle) -> Option<&mut ResourceNode> {
        self.app.node_mut(handle.id())
    }

    /// Records a problem with the construct at this scope; synth reports it with the rest.
    pub fn report(&mut self, problem: Problem) {
        let path = self.path.clone();
        self.stack_mut().report_error(&path, problem);
    }

    /// Records that a handle of another app was used here, naming the use (`grant_send`,
    /// `the pipeline's Deploy action`), once for each use.
    pub fn foreign_handle(&mut self, used_in: &str) {
        let path = self.path.to_string();
        let stack = self.stack_mut();
        let error = SynthError::ForeignHandle {
            stack: stack.name.clone(),
            path,
            used_in: used_in.to_owned(),
        };
        stack.problems.push(error);
    }

    /// Shorthand for [`report`](Scope::report).
    pub fn error(
        &mut self,
        code: &'static str,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.report(Problem::new(code, message, fix));
    }

    /// Declares that a security rule does not apply to a construct (and every resource
    /// under it) or a resource of this app, for the reason the suppression gives. Synth
    /// writes it into the `Metadata` of each resource of the rule's types under the target,
    /// in the forms checkov, cfn-guard and cdk-nag read. An empty reason is an error; a
    /// suppression that matches nothing is a warning.
    pub fn suppress(&mut self, target: impl Into<SuppressTarget>, suppression: Suppression) {
        let target = target.into();
        let (stack_id, path) = match target {
            SuppressTarget::Construct(c) => {
                (c.stack, self.app.construct(c).map(|n| n.path.clone()))
            }
            SuppressTarget::Resource(r) => (r.stack, self.app.node(r).map(|n| n.path.clone())),
        };
        let (Some(index), Some(path)) = (self.app.index_of(stack_id), path) else {
            self.foreign_handle("suppress");
            return;
        };
        let stack = &mut self.app.stacks_mut()[index];
        if suppression.reason.trim().is_empty() {
            stack.report_error(
                &path,
                Problem::new(
                    "security.suppression-reason",
                    format!("the suppression of rule `{}` gives no reason", suppression.rule.id),
                    "say why the rule does not apply here: the reason goes into the template \
                     for reviewers and scanners",
                ),
            );
            return;
        }
        stack.suppressions.push((target, suppression));
    }

    /// Records a warning about the construct at this scope.
    pub fn warn(&mut self, message: impl Into<String>) {
        let path = self.path.clone();
        self.stack_mut().report_warning(&path, message);
    }

    fn check_id(&mut self, id: &str) {
        if let Some(message) = check_construct_id(id) {
            let path = self.path.clone();
            let stack = self.stack_mut();
            // The path where the id was given: the stack itself for a top-level construct
            // (`Orders`, not `Orders/`).
            let path = match path.components() {
                [] => stack.name.clone(),
                _ => format!("{}/{}", stack.name, path),
            };
            stack.problems.push(SynthError::InvalidName { path, message });
        }
    }

    /// Records `child` in the slots of this scope's construct, under its id relative to the
    /// construct (`DefaultPolicy`, or `Build/Role` from a plain child scope).
    fn record_child(&mut self, id: &str, child: Child) {
        let Some(owner) = self.owner else { return };
        let path = self.path.child(id);
        let stack = &mut self.app.stacks_mut()[self.stack];
        let Some(node) = stack.construct_mut(owner) else { return };
        let skip = node.path.components().len();
        let name = path.components()[skip..].join("/");
        node.children.push((name, child));
    }

    /// A construct node at `path` whose `Resource` slot is an existing resource.
    pub(crate) fn adopted_construct(
        &mut self,
        path: ConstructPath,
        state: Box<dyn ConstructState>,
        resource: ResourceId,
    ) -> ConstructId {
        let location = self
            .app
            .node(resource)
            .map_or_else(|| std::panic::Location::caller(), crate::stack::ResourceNode::location);
        let cid = self.push_construct(path, state, Some(resource), location);
        let stack = &mut self.app.stacks_mut()[self.stack];
        if let Some(node) = stack.construct_mut(cid) {
            node.children.push(("Resource".to_owned(), Child::Resource(resource)));
        }
        if let Some(r) = stack.node_mut(resource) {
            r.owner.get_or_insert(cid);
        }
        cid
    }

    /// Adds a construct node at `path`; `adopting` is the resource it is made for, which may
    /// sit at that same path.
    fn push_construct(
        &mut self,
        path: ConstructPath,
        state: Box<dyn ConstructState>,
        adopting: Option<ResourceId>,
        location: &'static std::panic::Location<'static>,
    ) -> ConstructId {
        let stack = &mut self.app.stacks_mut()[self.stack];
        let index = stack.constructs.len() as u32;
        let cid = ConstructId { stack: stack.id, index };
        let second = || format!("{} `{path}`", state.kind());
        let first = match (stack.construct_by_path.get(&path), stack.find(&path)) {
            (Some(&c), _) => {
                let c = &stack.constructs[c as usize];
                Some(format!("{} `{}`", c.kind(), c.path))
            }
            (None, Some(r)) if Some(r) != adopting => stack.node(r).map(|r| describe(stack, r)),
            _ => None,
        };
        match first {
            Some(first) => {
                let clash = SynthError::PathClash {
                    stack: stack.name.clone(),
                    path: path.to_string(),
                    first,
                    second: second(),
                };
                stack.problems.push(clash);
            }
            None => {
                stack.construct_by_path.insert(path.clone(), index);
            }
        }
        stack.constructs.push(ConstructNode { path, state, children: Vec::new(), location });
        cid
    }

    fn stack_mut(&mut self) -> &mut Stack {
        &mut self.app.stacks_mut()[self.stack]
    }
}

/// A resource already in the arena, for a clash message: its type, and whose child it is.
fn describe(stack: &Stack, node: &ResourceNode) -> String {
    describe_new(stack, node.resource_type(), node.owner)
}

/// A resource of type `ty` added by `owner` (or by the program directly).
fn describe_new(stack: &Stack, ty: &str, owner: Option<ConstructId>) -> String {
    match owner.and_then(|o| stack.construct(o)) {
        Some(c) => format!("the {ty} of {} `{}`", c.kind(), c.path),
        None => format!("an {ty}"),
    }
}

impl Deref for Scope<'_> {
    type Target = Stack;
    fn deref(&self) -> &Stack {
        &self.app.stacks()[self.stack]
    }
}

impl DerefMut for Scope<'_> {
    fn deref_mut(&mut self) -> &mut Stack {
        self.stack_mut()
    }
}

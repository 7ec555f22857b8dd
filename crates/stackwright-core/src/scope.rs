//! Scopes: where constructs are added. A scope is a stack plus a construct path.

use std::ops::{Deref, DerefMut};

use crate::app::App;
use crate::ids::{ResourceId, StackId};
use crate::path::{ConstructPath, check_construct_id};
use crate::resource::{Handle, ResourceType};
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
}

impl<'a> Scope<'a> {
    pub(crate) fn new(app: &'a mut App, stack: usize, path: ConstructPath) -> Scope<'a> {
        Scope { app, stack, path }
    }

    /// A scope for the children of the construct `id` inside this one.
    pub fn child(&mut self, id: &str) -> Scope<'_> {
        let path = self.path.child(id);
        self.check_id(id);
        Scope { app: self.app, stack: self.stack, path }
    }

    /// This scope's path.
    pub fn path(&self) -> &ConstructPath {
        &self.path
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
    pub fn add<R: ResourceType>(&mut self, id: &str, resource: R) -> R::Handle {
        self.check_id(id);
        let path = self.path.child(id);
        let stack = &mut self.app.stacks_mut()[self.stack];
        let index = stack.resources.len() as u32;
        let rid = ResourceId { stack: stack.id, index };
        stack.by_path.entry(path.clone()).or_insert(index);
        stack.resources.push(ResourceNode {
            path,
            logical_id: None,
            body: Box::new(resource),
            depends_on: Vec::new(),
            condition: None,
            deletion_policy: None,
            update_replace_policy: None,
            update_policy: None,
            creation_policy: None,
            metadata: Vec::new(),
            overrides: Vec::new(),
        });
        R::Handle::from_id(rid)
    }

    /// The template-level settings of a resource of this app (`DependsOn`, `Condition`,
    /// policies, overrides, logical ID). `None` for a handle of another app.
    pub fn node(&mut self, handle: impl Handle) -> Option<&mut ResourceNode> {
        self.app.node_mut(handle.id())
    }

    /// Records a problem with the construct at this scope; synth reports it with the rest.
    pub fn error(&mut self, message: impl Into<String>) {
        let path = self.path.clone();
        self.stack_mut().report_error(&path, message);
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
            stack.problems.push(crate::error::SynthError::InvalidName { path, message });
        }
    }

    fn stack_mut(&mut self) -> &mut Stack {
        &mut self.app.stacks_mut()[self.stack]
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

//! The app: every stack of one program, and the entry point of synthesis.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::error::Diagnostics;
use crate::ids::{ResourceId, StackId};
use crate::path::ConstructPath;
use crate::resource::{Handle, Resource};
use crate::scope::Scope;
use crate::stack::{ResourceNode, Stack};
use crate::synth::{self, Assembly, Format};

/// Gives each app a distinct number so a handle used with the wrong app is caught. It carries
/// no state between apps: two apps in one process never see each other's stacks.
static NEXT_APP: AtomicU32 = AtomicU32::new(1);

/// A program's stacks. Build it, then synthesize it (the facade's `App::run` does both and
/// writes the files).
pub struct App {
    id: u32,
    stacks: Vec<Stack>,
}

impl Default for App {
    fn default() -> Self {
        App::new()
    }
}

impl App {
    /// An app with no stacks.
    pub fn new() -> App {
        App { id: NEXT_APP.fetch_add(1, Ordering::Relaxed), stacks: Vec::new() }
    }

    /// The scope of the stack with this name, created on first use. Constructs added through
    /// the scope land in that stack.
    pub fn stack(&mut self, name: impl Into<String>) -> Scope<'_> {
        let name = name.into();
        let index = match self.stacks.iter().position(|s| s.name == name) {
            Some(i) => i,
            None => {
                let id = StackId { app: self.id, index: self.stacks.len() as u32 };
                self.stacks.push(Stack::new(id, name));
                self.stacks.len() - 1
            }
        };
        Scope::new(self, index, ConstructPath::root())
    }

    /// A scope at an existing path of a stack, for constructs that add children to another
    /// construct later (a role's default policy, created on its first grant). `None` for a
    /// stack of another app.
    pub fn scope_at(&mut self, stack: StackId, path: ConstructPath) -> Option<Scope<'_>> {
        let index = self.index_of(stack)?;
        Some(Scope::new(self, index, path))
    }

    /// The stacks, in the order they were created.
    pub fn stacks(&self) -> &[Stack] {
        &self.stacks
    }

    /// The stack with this id, if it belongs to this app.
    pub fn stack_by_id(&self, id: StackId) -> Option<&Stack> {
        self.index_of(id).map(|i| &self.stacks[i])
    }

    /// The stack with this id, mutably, if it belongs to this app.
    pub fn stack_by_id_mut(&mut self, id: StackId) -> Option<&mut Stack> {
        self.index_of(id).map(|i| &mut self.stacks[i])
    }

    /// The resource struct behind a handle, if the handle belongs to this app and the type
    /// matches.
    pub fn get<R: Resource>(&self, handle: impl Handle) -> Option<&R> {
        let node = self.node(handle.id())?;
        let body: &dyn std::any::Any = node.body.as_ref();
        body.downcast_ref::<R>()
    }

    /// The resource struct behind a handle, mutably. This is how a construct changes a resource
    /// after creating it (a grant adding a statement to a policy).
    pub fn get_mut<R: Resource>(&mut self, handle: impl Handle) -> Option<&mut R> {
        let node = self.node_mut(handle.id())?;
        let body: &mut dyn std::any::Any = node.body.as_mut();
        body.downcast_mut::<R>()
    }

    /// The template-level settings of a resource (DependsOn, Condition, policies, overrides,
    /// logical ID), if the id belongs to this app.
    pub fn node(&self, id: ResourceId) -> Option<&ResourceNode> {
        self.stack_by_id(id.stack)?.node(id)
    }

    /// The template-level settings of a resource, mutably.
    pub fn node_mut(&mut self, id: ResourceId) -> Option<&mut ResourceNode> {
        self.stack_by_id_mut(id.stack)?.node_mut(id)
    }

    /// Synthesizes every stack in memory: the templates in `format`, the manifest, and the
    /// warnings. Nothing is written; on any error, every error is returned.
    pub fn synth(&self, format: Format) -> Result<Assembly, Diagnostics> {
        synth::synthesize(self, format)
    }

    pub(crate) fn index_of(&self, id: StackId) -> Option<usize> {
        (id.app == self.id && (id.index as usize) < self.stacks.len()).then_some(id.index as usize)
    }

    pub(crate) fn stacks_mut(&mut self) -> &mut Vec<Stack> {
        &mut self.stacks
    }
}

//! Construct nodes: the L2 building blocks as members of the tree, with their own state, their
//! children in named slots, and a render step synthesis runs once the program is done.
//!
//! A construct (a role, a queue, a pipeline) is a node in its stack's arena, beside the
//! resources. Its children are recorded in named slots as they are added through its scope,
//! so a role finds its default policy through its own node rather than by guessing a path, and
//! two roles can never share one. State that grows after creation (statements, stages,
//! containers) lives in the node and is turned into L1 properties, extra resources and
//! companion files by [`ConstructState::render`] at synth.

use std::any::Any;
use std::fmt;
use std::marker::PhantomData;

use crate::ids::{ResourceId, StackId};
use crate::path::ConstructPath;
use crate::scope::Scope;

/// Identifies one construct node in a stack's arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConstructId {
    pub(crate) stack: StackId,
    pub(crate) index: u32,
}

impl ConstructId {
    /// The stack that owns the construct.
    pub fn stack(self) -> StackId {
        self.stack
    }
}

/// The state of a construct kept in its node, and how it is rendered.
///
/// Everything a construct must still be able to change after its constructor returned lives
/// here. [`render`](ConstructState::render) runs at synth, after the whole program has run,
/// on a copy of the app that synthesis then emits: the app a user holds is never changed by
/// synthesizing it, so synthesizing twice gives the same bytes.
pub trait ConstructState: Any + CloneState {
    /// What kind of construct this is (`Role`, `Queue`), for messages.
    fn kind(&self) -> &'static str;

    /// Turns the state into the construct's children: sets properties of its resources, adds
    /// resources and companion files, reports problems. `scope` is the construct's own scope.
    /// A render step changes only its own construct; what it needs from another construct
    /// was given to that construct when the two were wired together.
    fn render(&self, scope: &mut Scope<'_>) {
        let _ = scope;
    }

    /// Whether the render step needs every other construct rendered first: it reads what
    /// they produced across the app (the dependencies between stacks, a stack's resources
    /// and parameters), as a pipeline that deploys the app's own stacks does. `false` for
    /// almost every construct.
    fn renders_last(&self) -> bool {
        false
    }
}

/// Cloning a boxed [`ConstructState`]; implemented for every state that is `Clone`.
pub trait CloneState {
    /// A boxed copy.
    fn clone_state(&self) -> Box<dyn ConstructState>;
}

impl<T: ConstructState + Clone> CloneState for T {
    fn clone_state(&self) -> Box<dyn ConstructState> {
        Box::new(self.clone())
    }
}

/// A typed, `Copy` handle to a construct node whose state is `S`.
pub struct ConstructRef<S> {
    id: ConstructId,
    state: PhantomData<fn() -> S>,
}

impl<S> ConstructRef<S> {
    pub(crate) fn new(id: ConstructId) -> ConstructRef<S> {
        ConstructRef { id, state: PhantomData }
    }

    /// The untyped id.
    pub fn id(self) -> ConstructId {
        self.id
    }
}

impl<S> Clone for ConstructRef<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for ConstructRef<S> {}

impl<S> PartialEq for ConstructRef<S> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl<S> Eq for ConstructRef<S> {}

impl<S> std::hash::Hash for ConstructRef<S> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl<S> fmt::Debug for ConstructRef<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ConstructRef").field(&self.id).finish()
    }
}

/// What a construct's slot holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Child {
    /// A resource.
    Resource(ResourceId),
    /// Another construct.
    Construct(ConstructId),
}

/// A construct in a stack's arena.
pub struct ConstructNode {
    pub(crate) path: ConstructPath,
    pub(crate) state: Box<dyn ConstructState>,
    /// Children by their id relative to this construct (`Resource`, `DefaultPolicy`).
    pub(crate) children: Vec<(String, Child)>,
    /// Where the program created it (the constructor's caller), for findings.
    pub(crate) location: &'static std::panic::Location<'static>,
}

impl Clone for ConstructNode {
    fn clone(&self) -> Self {
        ConstructNode {
            path: self.path.clone(),
            state: self.state.clone_state(),
            children: self.children.clone(),
            location: self.location,
        }
    }
}

impl ConstructNode {
    /// The construct path.
    pub fn path(&self) -> &ConstructPath {
        &self.path
    }

    /// Where the program created the construct: the caller of its constructor.
    pub fn location(&self) -> &'static std::panic::Location<'static> {
        self.location
    }

    /// What kind of construct this is.
    pub fn kind(&self) -> &'static str {
        self.state.kind()
    }

    /// The child in slot `name`, if it has one.
    pub fn child(&self, name: &str) -> Option<Child> {
        self.children.iter().find(|(n, _)| n == name).map(|&(_, c)| c)
    }

    /// The children, in the order they were added.
    pub fn children(&self) -> impl Iterator<Item = (&str, Child)> {
        self.children.iter().map(|(n, c)| (n.as_str(), *c))
    }

    pub(crate) fn state_as<S: ConstructState>(&self) -> Option<&S> {
        let state: &dyn Any = self.state.as_ref();
        state.downcast_ref::<S>()
    }

    pub(crate) fn state_as_mut<S: ConstructState>(&mut self) -> Option<&mut S> {
        let state: &mut dyn Any = self.state.as_mut();
        state.downcast_mut::<S>()
    }
}

//! Steps: `run` scripts and `uses` actions, typed by what they run so that a step's handle
//! offers exactly that step's outputs.

use std::marker::PhantomData;

use crate::action::ActionRef;
use crate::expr::{Expr, ExprKind, Text, Value};
use crate::ids::{JobIndex, StepIndex, WorkflowId};
use crate::triggers::Shell;

/// A step not yet given an id: adding it returns a [`StepRef`], which has no outputs.
#[derive(Debug)]
pub struct NoId;
/// A step given an id: adding it returns a [`StepHandle`], whose outputs can be read.
#[derive(Debug)]
pub struct WithId;

/// The kind of a `run` step written by hand.
#[derive(Debug)]
pub struct Run;
/// The kind of a `uses` step of any action, with untyped inputs.
#[derive(Debug)]
pub struct Uses;

/// A step of kind `A` (what it runs: [`Run`], [`Uses`], or a typed action such as
/// [`crate::actions::EcrLogin`]). `I` is [`WithId`] once [`Step::id`] was called.
#[derive(Debug)]
pub struct Step<A, I = NoId> {
    pub(crate) data: StepData,
    marker: PhantomData<fn() -> (A, I)>,
}

impl<A, I> Clone for Step<A, I> {
    fn clone(&self) -> Self {
        Step { data: self.data.clone(), marker: PhantomData }
    }
}

#[derive(Clone, Debug, PartialEq)]
/// What a step holds, whatever its kind (named by the sealed `AddStep` only).
pub struct StepData {
    pub(crate) id: Option<String>,
    pub(crate) name: Option<Text>,
    pub(crate) condition: Option<Expr>,
    pub(crate) env: Vec<(String, Text)>,
    pub(crate) continue_on_error: bool,
    pub(crate) timeout_minutes: Option<u32>,
    pub(crate) body: Body,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Body {
    Run { script: Text, shell: Option<Shell>, working_directory: Option<String> },
    Uses { action: ActionRef, with: Vec<(String, Value)> },
}

impl<A> Step<A, NoId> {
    pub(crate) fn from_body(body: Body) -> Step<A, NoId> {
        Step {
            data: StepData {
                id: None,
                name: None,
                condition: None,
                env: Vec::new(),
                continue_on_error: false,
                timeout_minutes: None,
                body,
            },
            marker: PhantomData,
        }
    }

    pub(crate) fn uses_action(action: ActionRef) -> Step<A, NoId> {
        Step::from_body(Body::Uses { action, with: Vec::new() })
    }

    /// Gives the step an id (letters, digits, `-` and `_`, starting with a letter or `_`),
    /// so its outputs can be read through the handle adding it returns.
    pub fn id(self, id: &str) -> Step<A, WithId> {
        let mut data = self.data;
        data.id = Some(id.to_owned());
        Step { data, marker: PhantomData }
    }
}

impl Step<Run, NoId> {
    /// A `run` step. A script of several lines renders as a YAML block.
    pub fn run(script: impl Into<Text>) -> Step<Run, NoId> {
        Step::from_body(Body::Run { script: script.into(), shell: None, working_directory: None })
    }
}

impl Step<Uses, NoId> {
    /// A step that uses `action`, with inputs given by [`Step::with`].
    pub fn uses(action: ActionRef) -> Step<Uses, NoId> {
        Step::uses_action(action)
    }
}

impl<I> Step<Uses, I> {
    /// Sets the action input `key`.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.data.set_input(key, value.into());
        self
    }
}

impl<I> Step<Run, I> {
    /// The shell the script runs in.
    pub fn shell(mut self, shell: Shell) -> Self {
        if let Body::Run { shell: s, .. } = &mut self.data.body {
            *s = Some(shell);
        }
        self
    }

    /// The folder the script starts in.
    pub fn working_directory(mut self, dir: &str) -> Self {
        if let Body::Run { working_directory, .. } = &mut self.data.body {
            *working_directory = Some(dir.to_owned());
        }
        self
    }
}

impl<A, I> Step<A, I> {
    /// The name shown in the run's log.
    pub fn name(mut self, name: impl Into<Text>) -> Self {
        self.data.name = Some(name.into());
        self
    }

    /// Runs the step only when `condition` holds.
    pub fn if_(mut self, condition: Expr) -> Self {
        self.data.condition = Some(condition);
        self
    }

    /// Sets the environment variable `name` for the step. A secret goes in as
    /// [`Expr::secret`], never as text.
    pub fn env(mut self, name: &str, value: impl Into<Text>) -> Self {
        self.data.env.push((name.to_owned(), value.into()));
        self
    }

    /// Lets the job go on when this step fails.
    pub fn continue_on_error(mut self, yes: bool) -> Self {
        self.data.continue_on_error = yes;
        self
    }

    /// Cancels the step after `minutes`.
    pub fn timeout_minutes(mut self, minutes: u32) -> Self {
        self.data.timeout_minutes = Some(minutes);
        self
    }
}

/// Steps of a kind that runs an action, so its reference can be pinned or given another tag.
pub trait UsesAction {}
impl UsesAction for Uses {}

impl<A: UsesAction, I> Step<A, I> {
    /// Pins the action to `sha`, the 40-hex commit its tag points at; it renders
    /// `owner/repo@<sha> # <tag>`.
    pub fn pin(mut self, sha: &str) -> Self {
        if let Body::Uses { action, .. } = &mut self.data.body {
            action.pin = Some(sha.to_owned());
        }
        self
    }

    /// Uses the action at `tag` instead of the default major.
    pub fn tag(mut self, tag: &str) -> Self {
        if let Body::Uses { action, .. } = &mut self.data.body {
            action.tag = tag.to_owned();
        }
        self
    }
}

impl StepData {
    /// Sets an input, replacing one of the same key.
    pub(crate) fn set_input(&mut self, key: &str, value: Value) {
        if let Body::Uses { with, .. } = &mut self.body {
            match with.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value,
                None => with.push((key.to_owned(), value)),
            }
        }
    }

    /// The input `key`, when set.
    pub(crate) fn input(&self, key: &str) -> Option<&Value> {
        match &self.body {
            Body::Uses { with, .. } => with.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            Body::Run { .. } => None,
        }
    }

    /// The action, for a `uses` step.
    pub(crate) fn action(&self) -> Option<&ActionRef> {
        match &self.body {
            Body::Uses { action, .. } => Some(action),
            Body::Run { .. } => None,
        }
    }
}

/// A step added without an id. It has no outputs to read; give the step an id to get a
/// [`StepHandle`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepRef {
    pub(crate) workflow: WorkflowId,
    pub(crate) job: JobIndex,
    pub(crate) step: StepIndex,
}

/// A step added with an id: its outputs are read through it, typed by the step's kind `A`.
#[derive(Debug)]
pub struct StepHandle<A> {
    pub(crate) at: StepRef,
    marker: PhantomData<fn() -> A>,
}

impl<A> Clone for StepHandle<A> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<A> Copy for StepHandle<A> {}

impl<A> StepHandle<A> {
    pub(crate) fn new(at: StepRef) -> StepHandle<A> {
        StepHandle { at, marker: PhantomData }
    }

    /// `steps.<id>.outputs.<name>`. Readable only by later steps of the same job; another
    /// job reads it through a job output.
    pub fn output(&self, name: &str) -> Expr {
        Expr(ExprKind::StepOutput {
            workflow: self.at.workflow,
            job: self.at.job,
            step: self.at.step,
            name: name.to_owned(),
        })
    }

    /// The step's place, without its outputs.
    pub fn step_ref(&self) -> StepRef {
        self.at
    }
}

/// What adding a step gives back: a [`StepRef`] for a step without id, a [`StepHandle`] for
/// one with.
pub trait AddStep {
    /// The handle the workflow returns.
    type Handle;
    #[doc(hidden)]
    fn into_data(self) -> StepData;
    #[doc(hidden)]
    fn handle(at: StepRef) -> Self::Handle;
}

impl<A> AddStep for Step<A, NoId> {
    type Handle = StepRef;
    fn into_data(self) -> StepData {
        self.data
    }
    fn handle(at: StepRef) -> StepRef {
        at
    }
}

impl<A> AddStep for Step<A, WithId> {
    type Handle = StepHandle<A>;
    fn into_data(self) -> StepData {
        self.data
    }
    fn handle(at: StepRef) -> StepHandle<A> {
        StepHandle::new(at)
    }
}

//! The core of stackwright: the template model, typed expressions, the construct tree,
//! validation and synthesis.
//!
//! This crate owns everything between a user's program and template bytes:
//!
//! - [`App`] holds [`Stack`]s; each stack owns its resources and its construct nodes in an
//!   arena. Adding a resource through a [`Scope`] returns a small `Copy` handle ([`Handle`])
//!   that knows its stack and its place in the arena, never a reference into the tree.
//! - Constructs are nodes ([`ConstructNode`]) with a typed state ([`ConstructState`]) and
//!   their children in named slots; [`Scope::construct`] creates one and returns a typed
//!   handle ([`ConstructRef`]). At synth each state renders itself into its children, on a
//!   copy of the app.
//! - [`Arn`] is the one ARN formatter, taking account and region from the stack that uses
//!   the ARN.
//! - [`Val<T>`] is a typed expression: a literal or any intrinsic function, with [`sub!`] to
//!   interpolate references into strings (rendered as `Fn::Sub`).
//! - [`App::synth`] resolves logical IDs, checks every reference, turns references between
//!   stacks into exports and imports, finds cycles, enforces the quotas, and emits JSON or
//!   YAML deterministically into an [`Assembly`]. It returns every problem at once.
//!
//! It knows no resource type: typed resources live in `stackwright-aws`, constructs in
//! `stackwright-constructs`. It does no I/O except [`Assembly::write`] and
//! [`Assembly::compare`], and no network I/O at all.

mod app;
mod arn;
mod construct;
pub mod emit;
mod env;
mod error;
pub mod expr;
mod ids;
mod path;
mod resource;
mod scope;
pub mod security;
mod stack;
mod stack_facts;
pub mod synth;
pub mod template;

pub use app::{App, DEFAULT_OUTPUT_DIR_IN_SOURCE};
pub use arn::Arn;
pub use construct::{Child, CloneState, ConstructId, ConstructNode, ConstructRef, ConstructState};
pub use env::Environment;
pub use error::{Diagnostics, Problem, SynthError, Warning};
pub use expr::{
    Cond, ConditionTarget, Expr, Json, Kind, MappingTarget, RefTarget, Val, ValueType, fns, kind,
    pseudo,
};
pub use ids::{ConditionId, MappingId, ParameterId, ResourceId, StackId};
pub use path::ConstructPath;
pub use resource::{
    CloneResource, Handle, PropertyProblem, Props, RawHandle, RawResource, RemovalPolicy, Resource,
    ResourceType, get_att,
};
pub use scope::Scope;
pub use security::{Finding, RulePack, SecurityRule, Severity, SuppressTarget, Suppression};
pub use stack::{ResourceNode, Stack};
pub use stack_facts::{Capabilities, ParameterFact, StackDependencies, StackFacts};
pub use synth::{
    Assembly, Drift, Format, MANIFEST_FILE, OutputError, Root, Roots, StackArtifact, WriteReport,
};
pub use template::{
    AwsParameterType, ConditionRef, Mapping, MappingRef, Output, Parameter, ParameterRef,
    ParameterType, Rule,
};

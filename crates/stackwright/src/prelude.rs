//! The names most programs need: `use stackwright::prelude::*;`.
//!
//! Only items a typical `main.rs` touches are here; everything else stays one path away at
//! the crate root, so a glob import does not shadow a user's own names needlessly.

pub use crate::cli::Run;
pub use stackwright_constructs::Duration;
pub use stackwright_core::{
    App, Cond, Environment, Expr, Format, Handle, Json, Mapping, Output, Parameter, RawResource,
    RemovalPolicy, Rule, Scope, Suppression, Val, fns, pseudo, sub,
};

//! The `Outputs` section.

use crate::expr::{ConditionTarget, Expr, Json, Val};
use crate::template::ConditionRef;

/// A stack output: a value shown after deployment and, with an export name, importable by
/// other stacks.
#[derive(Clone, Debug, PartialEq)]
pub struct Output {
    pub(crate) value: Expr,
    pub(crate) description: Option<String>,
    pub(crate) export_name: Option<Expr>,
    pub(crate) condition: Option<ConditionTarget>,
}

impl Output {
    /// An output with this value.
    // Takes `Val<Json>` (every typed value and literal converts into it) rather than a generic
    // `Val<T>`: with `T` free, `Output::new(handle.reference())` could not infer `T` (both
    // `Val<String>` and `Val<Json>` fit) and needed a turbofish.
    pub fn new(value: impl Into<Val<Json>>) -> Output {
        Output {
            value: value.into().into_expr(),
            description: None,
            export_name: None,
            condition: None,
        }
    }

    /// Sets the description.
    pub fn description(mut self, text: impl Into<String>) -> Output {
        self.description = Some(text.into());
        self
    }

    /// Exports the value under this name, for stacks outside this app to import.
    pub fn export_name(mut self, name: impl Into<Val<String>>) -> Output {
        self.export_name = Some(name.into().into_expr());
        self
    }

    /// Creates the output only when the condition holds.
    pub fn condition(mut self, condition: ConditionRef) -> Output {
        self.condition = Some(ConditionTarget::Id(condition.id()));
        self
    }
}

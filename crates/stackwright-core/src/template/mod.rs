//! The parts of a template other than resources: parameters, mappings, conditions, rules
//! and outputs, and the handles that refer to them.

mod condition;
mod mapping;
mod output;
mod parameter;
mod rule;

pub use condition::ConditionRef;
pub use mapping::{Mapping, MappingRef};
pub use output::Output;
pub(crate) use parameter::number_expr;
pub use parameter::{AwsParameterType, Parameter, ParameterRef, ParameterType};
pub use rule::Rule;

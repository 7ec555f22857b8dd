//! The `Rules` section: checks CloudFormation runs on parameter values before it creates or
//! updates a stack.

use crate::expr::Cond;

/// A template rule: when `condition` holds (or always, without one), every assertion must.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rule {
    pub(crate) condition: Option<Cond>,
    pub(crate) assertions: Vec<(Cond, Option<String>)>,
}

impl Rule {
    /// A rule with no condition and no assertions yet.
    pub fn new() -> Rule {
        Rule::default()
    }

    /// Applies the rule only when this condition holds.
    pub fn when(mut self, condition: impl Into<Cond>) -> Rule {
        self.condition = Some(condition.into());
        self
    }

    /// Adds an assertion and the message CloudFormation shows when it fails.
    pub fn assert(mut self, assertion: impl Into<Cond>, description: impl Into<String>) -> Rule {
        self.assertions.push((assertion.into(), Some(description.into())));
        self
    }
}

//! Handles to named conditions.

use crate::ids::ConditionId;

/// A condition declared with [`Stack::add_condition`](crate::Stack::add_condition). Use it
/// with [`fns::if_`](crate::fns::if_), as a resource's or output's condition, or inside
/// other conditions (`Cond::from(handle)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConditionRef {
    pub(crate) id: ConditionId,
}

impl ConditionRef {
    /// The condition's id.
    pub fn id(self) -> ConditionId {
        self.id
    }
}

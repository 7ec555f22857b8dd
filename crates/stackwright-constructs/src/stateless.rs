//! The state of constructs that keep nothing until synth.

use stackwright_core::ConstructState;

/// The state of a construct that renders nothing late: its node still records its path and
/// its children, and its kind names it in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stateless {
    kind: &'static str,
}

impl Stateless {
    /// The state of a construct of this kind (`SecurityGroup`).
    pub fn new(kind: &'static str) -> Stateless {
        Stateless { kind }
    }
}

impl ConstructState for Stateless {
    fn kind(&self) -> &'static str {
        self.kind
    }
}

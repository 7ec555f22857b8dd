//! Identities of the things an [`App`](crate::App) owns.
//!
//! Every id is a small `Copy` value: the app it belongs to, the stack, and an index into that
//! stack's arena. Ids never hold references, so handles can be copied freely and compared,
//! and an id from one app is recognised (and rejected) when used in another.

/// Identifies one [`Stack`](crate::Stack) of one [`App`](crate::App).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StackId {
    pub(crate) app: u32,
    pub(crate) index: u32,
}

/// Identifies one resource in a stack's arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceId {
    pub(crate) stack: StackId,
    pub(crate) index: u32,
}

impl ResourceId {
    /// The stack that owns the resource.
    pub fn stack(self) -> StackId {
        self.stack
    }
}

/// Identifies a template parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ParameterId {
    pub(crate) stack: StackId,
    pub(crate) index: u32,
}

/// Identifies a named condition in a template's `Conditions` section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConditionId {
    pub(crate) stack: StackId,
    pub(crate) index: u32,
}

/// Identifies a mapping in a template's `Mappings` section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MappingId {
    pub(crate) stack: StackId,
    pub(crate) index: u32,
}

macro_rules! stack_of {
    ($($t:ty),*) => {$(
        impl $t {
            /// The stack this item belongs to.
            pub fn stack(self) -> StackId {
                self.stack
            }
        }
    )*};
}
stack_of!(ParameterId, ConditionId, MappingId);

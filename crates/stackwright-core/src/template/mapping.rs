//! The `Mappings` section: two-level lookup tables.

use crate::expr::{Expr, MappingTarget, Val};
use crate::ids::MappingId;

/// A mapping: top-level keys, each holding second-level keys with string or list values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mapping {
    pub(crate) entries: Vec<(String, Vec<(String, Expr)>)>,
}

impl Mapping {
    /// An empty mapping.
    pub fn new() -> Mapping {
        Mapping::default()
    }

    /// Adds a second-level key with a string value under `top`.
    pub fn entry(
        mut self,
        top: impl Into<String>,
        second: impl Into<String>,
        value: impl Into<String>,
    ) -> Mapping {
        self.put(top.into(), second.into(), Expr::Str(value.into()));
        self
    }

    /// Adds a second-level key with a list value under `top`.
    pub fn list_entry<S: Into<String>>(
        mut self,
        top: impl Into<String>,
        second: impl Into<String>,
        values: impl IntoIterator<Item = S>,
    ) -> Mapping {
        let list = values.into_iter().map(|v| Expr::Str(v.into())).collect();
        self.put(top.into(), second.into(), Expr::List(list));
        self
    }

    fn put(&mut self, top: String, second: String, value: Expr) {
        let level = match self.entries.iter().position(|(k, _)| *k == top) {
            Some(i) => &mut self.entries[i].1,
            None => {
                self.entries.push((top, Vec::new()));
                let last = self.entries.len() - 1;
                &mut self.entries[last].1
            }
        };
        match level.iter_mut().find(|(k, _)| *k == second) {
            Some(slot) => slot.1 = value,
            None => level.push((second, value)),
        }
    }
}

/// A mapping declared with [`Stack::add_mapping`](crate::Stack::add_mapping).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MappingRef {
    pub(crate) id: MappingId,
}

impl MappingRef {
    /// The mapping's id.
    pub fn id(self) -> MappingId {
        self.id
    }

    /// `Fn::FindInMap` of a string value.
    pub fn find(self, top: impl Into<Val<String>>, second: impl Into<Val<String>>) -> Val<String> {
        Val::from_expr(self.find_expr(top.into().into_expr(), second.into().into_expr()))
    }

    /// `Fn::FindInMap` of a list value.
    pub fn find_list(
        self,
        top: impl Into<Val<String>>,
        second: impl Into<Val<String>>,
    ) -> Val<Vec<String>> {
        Val::from_expr(self.find_expr(top.into().into_expr(), second.into().into_expr()))
    }

    fn find_expr(self, top: Expr, second: Expr) -> Expr {
        Expr::FindInMap(MappingTarget::Id(self.id), Box::new(top), Box::new(second))
    }
}

//! Resource tags.

use stackwright_core::{Expr, Val};

/// A `Key`/`Value` tag.
#[derive(Clone, Debug, PartialEq)]
pub struct Tag {
    /// The tag key.
    pub key: Val<String>,
    /// The tag value.
    pub value: Val<String>,
}

impl Tag {
    /// A tag.
    pub fn new(key: impl Into<Val<String>>, value: impl Into<Val<String>>) -> Tag {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }

    /// The tag list as a property value.
    pub(crate) fn list(tags: &[Tag]) -> Option<Expr> {
        (!tags.is_empty()).then(|| {
            Expr::List(
                tags.iter()
                    .map(|t| {
                        Expr::Map(vec![
                            ("Key".into(), t.key.expr().clone()),
                            ("Value".into(), t.value.expr().clone()),
                        ])
                    })
                    .collect(),
            )
        })
    }
}

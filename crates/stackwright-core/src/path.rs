//! Construct paths and the logical IDs derived from them.

use std::fmt;
use std::rc::Rc;

/// The longest logical ID CloudFormation accepts.
pub const MAX_LOGICAL_ID_LEN: usize = 255;

/// Where a construct sits in its stack: the ids from the stack down, such as
/// `Pipeline/Build/Role`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConstructPath {
    // Shared: every resource and construct holds its path, and synthesis copies the app.
    components: Rc<[String]>,
}

impl ConstructPath {
    /// The path of the stack itself (no components).
    pub fn root() -> ConstructPath {
        ConstructPath::default()
    }

    /// This path with one more component.
    pub fn child(&self, id: &str) -> ConstructPath {
        let mut components = self.components.to_vec();
        components.push(id.to_owned());
        ConstructPath { components: components.into() }
    }

    /// The path of the enclosing construct (the root has none).
    pub fn parent(&self) -> Option<ConstructPath> {
        let (_, rest) = self.components.split_last()?;
        Some(ConstructPath { components: rest.into() })
    }

    /// The last component (the construct's own id).
    pub fn id(&self) -> Option<&str> {
        self.components.last().map(String::as_str)
    }

    /// The components, outermost first.
    pub fn components(&self) -> &[String] {
        &self.components
    }

    /// The logical ID this path gets: each component in PascalCase, `Resource` and `Default`
    /// components dropped (they name the main resource of a construct), anything but ASCII
    /// letters and digits removed. `Pipeline/Build/Role` gives `PipelineBuildRole`;
    /// `orders-queue/Resource` gives `OrdersQueue`.
    pub fn logical_id(&self) -> String {
        let mut id = String::new();
        for c in self.components.iter() {
            if c == "Resource" || c == "Default" {
                continue;
            }
            push_pascal(&mut id, c);
        }
        id
    }
}

/// Appends `component` in PascalCase: words split on anything not alphanumeric, each word's
/// first letter upper-cased and the rest kept, so acronyms survive (`DLQ` stays `DLQ`, not
/// `Dlq`, which is what a plain case conversion would make of it).
fn push_pascal(out: &mut String, component: &str) {
    for word in component.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
}

impl fmt::Display for ConstructPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.components.join("/"))
    }
}

/// Why a construct id cannot be used, if it cannot.
pub(crate) fn check_construct_id(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("a construct id must not be empty".into());
    }
    if id.contains('/') {
        return Some(format!("construct id `{id}` contains `/`, which separates path components"));
    }
    if !id.chars().any(|c| c.is_ascii_alphanumeric()) {
        return Some(format!(
            "construct id `{id}` has no letter or digit, so it cannot form a logical ID"
        ));
    }
    None
}

/// Why a logical ID cannot be used, if it cannot.
pub(crate) fn check_logical_id(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("the logical ID is empty".into());
    }
    if !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Some(format!("logical ID `{id}` must contain only ASCII letters and digits"));
    }
    if id.len() > MAX_LOGICAL_ID_LEN {
        return Some(format!(
            "logical ID `{}...` is {} characters long; the limit is {MAX_LOGICAL_ID_LEN}",
            &id[..32],
            id.len()
        ));
    }
    None
}

/// Why a stack name cannot be used, if it cannot: CloudFormation wants a letter first, then
/// letters, digits and hyphens, at most 128 characters.
pub(crate) fn check_stack_name(name: &str) -> Option<String> {
    let valid = name.len() <= 128
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    (!valid).then(|| {
        format!(
            "stack name `{name}` must start with a letter and contain only letters, digits and \
             hyphens (at most 128 characters)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> ConstructPath {
        p.split('/').fold(ConstructPath::root(), |acc, c| acc.child(c))
    }

    #[test]
    fn logical_ids_follow_the_path() {
        assert_eq!(path("Pipeline/Build/Role").logical_id(), "PipelineBuildRole");
        assert_eq!(path("OrdersQueue/Resource").logical_id(), "OrdersQueue");
        assert_eq!(path("orders-queue/Default").logical_id(), "OrdersQueue");
        assert_eq!(path("DLQ").logical_id(), "DLQ");
        assert_eq!(path("my_app.build v2").logical_id(), "MyAppBuildV2");
    }

    #[test]
    fn bad_ids_are_explained() {
        assert_eq!(check_construct_id(""), Some("a construct id must not be empty".into()));
        assert!(check_construct_id("a/b").is_some_and(|m| m.contains("separates path")));
        assert!(check_construct_id("--").is_some_and(|m| m.contains("no letter or digit")));
        assert_eq!(check_logical_id("Ab1"), None);
        assert!(check_logical_id("A-b").is_some());
        assert!(check_logical_id(&"A".repeat(256)).is_some_and(|m| m.contains("256")));
        assert_eq!(check_stack_name("Orders-Prod"), None);
        assert!(check_stack_name("1orders").is_some());
        assert!(check_stack_name("orders_prod").is_some());
    }
}

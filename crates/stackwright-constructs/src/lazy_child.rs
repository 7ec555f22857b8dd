//! Children a construct creates on first use (a role's default policy, a queue's resource
//! policy), found again by their construct path on later uses.

use stackwright_core::{App, ConstructPath, Handle, ResourceId, ResourceType};

/// The handle of the child `id` of the construct whose main resource is `owner`, creating
/// it with `make` if it does not exist yet. `None` for a handle of another app.
pub(crate) fn find_or_add<R: ResourceType>(
    app: &mut App,
    owner: ResourceId,
    id: &str,
    make: impl FnOnce() -> R,
) -> Option<R::Handle> {
    let construct = app.node(owner)?.path().parent().unwrap_or_else(ConstructPath::root);
    let stack = owner.stack();
    if let Some(existing) = app.stack_by_id(stack)?.find(&construct.child(id)) {
        return Some(R::Handle::from_id(existing));
    }
    let mut scope = app.scope_at(stack, construct)?;
    Some(scope.add(id, make()))
}

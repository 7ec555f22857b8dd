//! A construct's handle reads only its own kind of state: the state of a queue cannot be
//! read through a role's handle.

use stackwright_core::{App, ConstructRef, ConstructState};

#[derive(Clone)]
struct QueueState;

impl ConstructState for QueueState {
    fn kind(&self) -> &'static str {
        "Queue"
    }
}

#[derive(Clone)]
struct RoleState;

impl ConstructState for RoleState {
    fn kind(&self) -> &'static str {
        "Role"
    }
}

fn main() {
    let mut app = App::new();
    let mut stack = app.stack("S");
    let (queue, _) = stack.construct("Queue", QueueState);
    let role: ConstructRef<RoleState> = queue;
    let _ = app.state::<RoleState>(role);
}

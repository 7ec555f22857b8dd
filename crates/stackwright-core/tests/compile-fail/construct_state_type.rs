//! A construct handle is typed by its state: a handle of one state type cannot stand for
//! another, so `app.state::<S>(handle)` reads only the state its construct was made with.

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

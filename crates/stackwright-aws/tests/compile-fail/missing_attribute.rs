// A queue has no `RoleId` attribute, so its handle has no accessor for one.
use stackwright_aws::sqs::Queue;
use stackwright_core::App;

fn main() {
    let mut app = App::new();
    let queue = app.stack("S").add("Queue", Queue::new());
    let _ = queue.role_id();
}

// A queue's URL (what `Ref` of a queue gives) is not its ARN, which is what IAM matches.
use stackwright_constructs::iam::PolicyStatement;
use stackwright_constructs::sqs::{Queue, QueueProps};
use stackwright_core::App;

fn main() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let queue = Queue::new(&mut s, "Queue", QueueProps::new());
    let _ = PolicyStatement::allow().action("sqs:SendMessage").resource(queue.queue_url());
}

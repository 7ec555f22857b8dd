// An SQS event source takes the queue's ARN; its URL (what `Ref` of a queue gives) does not
// fit. `Event::sqs(&queue)` takes the construct and cannot get it wrong.
use stackwright_constructs::sam::Event;
use stackwright_constructs::sqs::{Queue, QueueProps};
use stackwright_core::App;

fn main() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let queue = Queue::new(&mut s, "Queue", QueueProps::new());
    let _ = Event::Sqs { queue_arn: queue.queue_url(), batch_size: 10 };
}

// `VisibilityTimeout` is an integer; a string does not fit, nor does a list attribute.
use stackwright_aws::sqs::Queue;

fn main() {
    let _ = Queue::new().visibility_timeout("300");
}

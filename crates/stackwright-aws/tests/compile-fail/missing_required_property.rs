// `TopicArn` and `Protocol` are required: a subscription without them does not compile.
use stackwright_aws::sns::Subscription;

fn main() {
    let _ = Subscription::new("arn:aws:sns:us-east-1:123456789012:events");
}

// `Protocol` and `TopicArn` are required: a subscription without its topic does not compile.
use stackwright_aws::sns::subscription::SubscriptionProtocol;
use stackwright_aws::sns::Subscription;

fn main() {
    let _ = Subscription::new(SubscriptionProtocol::Email);
}

// `Protocol` and `TopicArn` are required: a subscription without its topic does not compile.
use stackwright_aws::sns::subscription::SubscriptionProtocol;
use stackwright_aws::sns::{Subscription, SubscriptionRequired};

fn main() {
    let _ = Subscription::new(SubscriptionRequired { protocol: SubscriptionProtocol::Email });
}

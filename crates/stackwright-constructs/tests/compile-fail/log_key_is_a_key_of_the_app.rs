//! A log group's key is a `kms::Key` of the app, whose policy the construct completes for
//! CloudWatch Logs; a key ARN as a string would leave that policy to chance.

use stackwright_constructs::ecs::FargateTaskDefinitionProps;

fn main() {
    let _ = FargateTaskDefinitionProps::new("web")
        .log_encryption_key("arn:aws:kms:eu-west-1:123456789012:key/abc");
}

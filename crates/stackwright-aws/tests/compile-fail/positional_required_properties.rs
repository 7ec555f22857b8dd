// Required properties are named at the call site: two strings in a row, which could be given
// the other way round, do not compile.
use stackwright_aws::sqs::queue::{Tag, TagRequired};

fn main() {
    let _ = Tag::new("team", "payments");
    let _ = Tag::new(TagRequired { key: "team", value: "payments" });
}

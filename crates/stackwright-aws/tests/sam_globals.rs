//! SAM's `Globals` section is typed too: the article's function defaults.

use stackwright_aws::serverless::Globals;
use stackwright_aws::serverless::globals::GlobalsFunction;
use stackwright_core::{App, Format};

#[test]
fn the_article_globals_render_as_written() {
    let mut app = App::new();
    let mut s = app.stack("Sam");
    s.add_transform("AWS::Serverless-2016-10-31");
    s.set_globals(
        Globals::new()
            .function(GlobalsFunction::new().timeout(30).runtime("nodejs18.x").memory_size(256)),
    );
    s.add("Queue", stackwright_aws::sqs::Queue::new());
    let body = app.synth(Format::Json).map(|a| a.stacks()[0].body.clone()).unwrap_or_default();
    let t: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(t["Transform"], "AWS::Serverless-2016-10-31");
    assert_eq!(
        t["Globals"],
        serde_json::json!({"Function": {"MemorySize": 256, "Runtime": "nodejs18.x", "Timeout": 30}})
    );
}

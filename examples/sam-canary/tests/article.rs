//! The example against the article's listing ("Deploying Lambda with SAM"): the same
//! transform, `Globals` and `MyFunction`, except the runtime (the article's `nodejs18.x` is
//! deprecated) and the function name the example adds.

#![allow(clippy::panic)] // assertions panic

use serde_json::{Value, json};
use stackwright::Format;

fn template() -> Value {
    let assembly = match sam_canary::app().synth(Format::Json) {
        Ok(a) => a,
        Err(d) => panic!("the example does not synthesize:\n{d}"),
    };
    assert!(assembly.warnings().is_empty(), "warnings: {:?}", assembly.warnings());
    let Some((_, body)) =
        assembly.files().into_iter().find(|(f, _)| *f == "SamCanary.template.json")
    else {
        panic!("no SamCanary.template.json");
    };
    match serde_json::from_str(body) {
        Ok(t) => t,
        Err(e) => panic!("the template is not JSON: {e}"),
    }
}

#[test]
fn the_transform_and_globals_are_the_articles_with_a_supported_runtime() {
    let t = template();
    assert_eq!(t["Transform"], "AWS::Serverless-2016-10-31");
    assert_eq!(sam_canary::RUNTIME, "nodejs24.x");
    assert_eq!(
        t["Globals"],
        json!({"Function": {"Timeout": 30, "Runtime": sam_canary::RUNTIME, "MemorySize": 256}})
    );
}

#[test]
fn my_function_is_the_articles() {
    let t = template();
    let mut function = t["Resources"]["MyFunction"].clone();
    // The example's suppressions of security rules, with their reasons, ride in Metadata.
    let metadata = function.as_object_mut().and_then(|f| f.remove("Metadata"));
    let skipped: Vec<_> = metadata
        .as_ref()
        .and_then(|m| m["checkov"]["skip"].as_array())
        .map(|skips| skips.iter().map(|s| s["id"].clone()).collect())
        .unwrap_or_default();
    assert_eq!(skipped, [json!("CKV_AWS_116"), json!("CKV_AWS_117"), json!("CKV_AWS_115")]);
    assert_eq!(
        function,
        json!({
            "Type": "AWS::Serverless::Function",
            "Properties": {
                "CodeUri": "src/",
                "Handler": "index.handler",
                "AutoPublishAlias": "live",
                "DeploymentPreference": {
                    "Type": "Canary10Percent5Minutes",
                    "Alarms": [{"Ref": "MyFunctionErrorAlarm"}],
                    "Hooks": {
                        "PreTraffic": {"Ref": "PreTrafficHook"},
                        "PostTraffic": {"Ref": "PostTrafficHook"}
                    }
                }
            }
        })
    );
}

#[test]
fn the_referenced_alarm_and_hooks_exist_and_hooks_may_report_status() {
    let t = template();
    let r = &t["Resources"];
    assert_eq!(r["MyFunctionErrorAlarm"]["Type"], "AWS::CloudWatch::Alarm");
    assert_eq!(
        r["MyFunctionErrorAlarm"]["Properties"]["Dimensions"],
        json!([{"Name": "FunctionName", "Value": {"Ref": "MyFunction"}}])
    );
    for hook in ["PreTrafficHook", "PostTrafficHook"] {
        let p = &r[hook]["Properties"];
        assert_eq!(r[hook]["Type"], "AWS::Serverless::Function");
        // SAM's CodeDeploy role invokes only functions named CodeDeployHook_*.
        assert_eq!(
            p["FunctionName"],
            json!({"Fn::Sub": format!("CodeDeployHook_${{AWS::StackName}}-{hook}")})
        );
        assert_eq!(
            p["Policies"][0]["Statement"][0]["Action"],
            "codedeploy:PutLifecycleEventHookExecutionStatus"
        );
    }
}

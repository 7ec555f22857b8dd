//! SAM functions: the article's canary function, its checks and warnings.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use serde_json::json;
use stackwright_aws::serverless::Globals;
use stackwright_aws::serverless::globals::GlobalsFunction;
use stackwright_constructs::Duration;
use stackwright_constructs::codedeploy::LambdaDeploymentConfig;
use stackwright_constructs::sam::{Code, DeploymentPreference, Event, Function, FunctionProps};
use stackwright_core::{App, Format, RawResource, fns};

/// The article's template: Globals, and a function deployed as a 10% canary for 5 minutes,
/// rolled back by an alarm, checked by hooks. The article's runtime is kept here on purpose.
fn article_app() -> App {
    let mut app = App::new();
    let mut s = app.stack("Sam");
    s.set_globals(
        Globals::new()
            .function(GlobalsFunction::new().timeout(30).runtime("nodejs18.x").memory_size(256)),
    );
    let pref = DeploymentPreference::new(LambdaDeploymentConfig::Canary10Percent5Minutes)
        .alarm_name(fns::ref_named::<String>("MyFunctionErrorAlarm"))
        .pre_traffic_hook_name(fns::ref_named::<String>("PreTrafficHook"))
        .post_traffic_hook_name(fns::ref_named::<String>("PostTrafficHook"));
    let props = FunctionProps::new("index.handler", Code::Uri("src/".into()))
        .auto_publish_alias("live")
        .deployment(pref);
    Function::new(&mut s, "MyFunction", props);
    for id in ["MyFunctionErrorAlarm", "PreTrafficHook", "PostTrafficHook"] {
        s.add(id, RawResource::new("AWS::SNS::Topic"));
    }
    app
}

#[test]
fn the_article_sam_template_is_reproduced() {
    let t = template(&article_app(), "Sam");
    assert_eq!(t["Transform"], "AWS::Serverless-2016-10-31");
    assert_eq!(
        t["Globals"],
        json!({"Function": {"MemorySize": 256, "Runtime": "nodejs18.x", "Timeout": 30}})
    );
    // The article's MyFunction, as its listing parses.
    assert_eq!(
        t["Resources"]["MyFunction"],
        json!({
            "Type": "AWS::Serverless::Function",
            "Properties": {
                "AutoPublishAlias": "live",
                "CodeUri": "src/",
                "DeploymentPreference": {
                    "Alarms": [{"Ref": "MyFunctionErrorAlarm"}],
                    "Hooks": {"PostTraffic": {"Ref": "PostTrafficHook"}, "PreTraffic": {"Ref": "PreTrafficHook"}},
                    "Type": "Canary10Percent5Minutes"
                },
                "Handler": "index.handler"
            }
        })
    );
}

#[test]
fn an_unknown_deployment_type_is_an_error() {
    let mut app = App::new();
    let props = FunctionProps::new(
        "index.handler",
        Code::Inline("exports.handler = async () => 1;".into()),
    )
    .runtime("nodejs22.x")
    .deployment(DeploymentPreference::new(LambdaDeploymentConfig::from_name(
        "Canary10Percent7Minutes",
    )))
    .memory_mb(64)
    .timeout(Duration::minutes(16))
    .event("every minute", Event::Schedule("rate(1 minute)".into()));
    Function::new(&mut app.stack("S"), "F", props);
    assert_eq!(
        errors(&app),
        vec![
            "S/F: timeout is 16 minutes; Lambda allows 1 second to 15 minutes",
            "S/F: event name `every minute` must be letters and digits (it becomes a logical ID)",
            "S/F: unknown deployment preference type `Canary10Percent7Minutes`; use one of \
             Canary10Percent5Minutes, Canary10Percent10Minutes, Canary10Percent15Minutes, \
             Canary10Percent30Minutes, Linear10PercentEvery1Minute, Linear10PercentEvery2Minutes, \
             Linear10PercentEvery3Minutes, Linear10PercentEvery10Minutes, AllAtOnce, or \
             LambdaDeploymentConfig::Custom for other steps",
            "S/F/Resource: property `MemorySize`: 64 is out of range; allowed: 128 to 32768",
        ]
    );
}

#[test]
fn deprecated_runtimes_are_a_warning_and_events_render() {
    let mut app = App::new();
    let props = FunctionProps::new("app.handler", Code::Uri("s3://bucket/f.zip".into()))
        .runtime("python3.8")
        .deployment(DeploymentPreference::new(LambdaDeploymentConfig::from_name(
            "Linear10PercentEvery1Minute",
        )))
        .event("Nightly", Event::Schedule("cron(0 3 * * ? *)".into()))
        .event(
            "Jobs",
            Event::Sqs {
                queue_arn: "arn:aws:sqs:us-east-1:123456789012:jobs".into(),
                batch_size: 10,
            },
        );
    Function::new(&mut app.stack("S"), "F", props);
    let assembly = app.synth(Format::Json).unwrap_or_else(|d| panic!("{d}"));
    let warnings: Vec<String> = assembly.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].starts_with("S/F: runtime `python3.8` was deprecated on 2024-10-14"),
        "{warnings:?}"
    );
    let t = template(&app, "S");
    let p = &t["Resources"]["F"]["Properties"];
    assert_eq!(p["AutoPublishAlias"], "live");
    assert_eq!(
        p["Events"],
        json!({
            "Nightly": {"Type": "Schedule", "Properties": {"Schedule": "cron(0 3 * * ? *)"}},
            "Jobs": {"Type": "SQS", "Properties": {"Queue": "arn:aws:sqs:us-east-1:123456789012:jobs", "BatchSize": 10}}
        })
    );
}

#[test]
fn an_alarm_on_the_function_itself_is_no_cycle() {
    // SAM moves the preference's alarms and hooks into the deployment group it generates,
    // so the function does not depend on them after the transform: an alarm on the
    // function's own errors is fine.
    let mut app = App::new();
    let mut s = app.stack("S");
    let pref = DeploymentPreference::new(LambdaDeploymentConfig::AllAtOnce)
        .alarm_name(fns::ref_named::<String>("ApiErrors"));
    let f = Function::new(
        &mut s,
        "Api",
        FunctionProps::new("index.handler", Code::Uri("s3://b/k.zip".into()))
            .runtime("nodejs24.x")
            .function_name("api")
            .deployment(pref),
    );
    s.add(
        "ApiErrors",
        RawResource::new("AWS::CloudWatch::Alarm")
            .property("AlarmDescription", f.name().into_json()),
    );
    let t = template(&app, "S");
    assert_eq!(t["Resources"]["Api"]["Properties"]["FunctionName"], "api");
    assert_eq!(
        t["Resources"]["Api"]["Properties"]["DeploymentPreference"],
        json!({"Alarms": [{"Ref": "ApiErrors"}], "Type": "AllAtOnce"})
    );
    // A misspelt alarm is still caught.
    let mut app = App::new();
    let pref = DeploymentPreference::new(LambdaDeploymentConfig::AllAtOnce)
        .alarm_name(fns::ref_named::<String>("Typo"));
    Function::new(
        &mut app.stack("S"),
        "Api",
        FunctionProps::new("index.handler", Code::Uri("s3://b/k.zip".into())).deployment(pref),
    );
    assert_eq!(
        errors(&app),
        vec![
            "S/Api/Resource: `Typo` does not exist in this stack; check the spelling, or reference the construct's handle instead of its name"
        ]
    );
}

#[test]
fn deployment_alarms_and_hooks_are_constructs_of_the_app() {
    use stackwright_constructs::cloudwatch::Alarm;
    let mut app = App::new();
    let mut s = app.stack("S");
    let hook = |s: &mut stackwright_core::Scope<'_>, id: &str| {
        Function::new(s, id, FunctionProps::new("index.handler", Code::Inline("x".into())))
    };
    let (pre, post) = (hook(&mut s, "Pre"), hook(&mut s, "Post"));
    let pref = DeploymentPreference::new(LambdaDeploymentConfig::Canary10Percent5Minutes)
        .pre_traffic_hook(&pre)
        .post_traffic_hook(&post);
    let props = FunctionProps::new("index.handler", Code::Uri("src/".into())).deployment(pref);
    let function = Function::new(&mut s, "Api", props);
    // An alarm on the function's own errors comes after the function, and no cycle follows.
    let alarm = Alarm::lambda_errors(&mut s, "ApiErrors", function.name());
    function.add_deployment_alarm(&mut s, &alarm);
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["Api"]["Properties"]["DeploymentPreference"],
        json!({
            "Type": "Canary10Percent5Minutes",
            "Alarms": [{"Ref": "ApiErrors"}],
            "Hooks": {"PreTraffic": {"Ref": "Pre"}, "PostTraffic": {"Ref": "Post"}}
        })
    );
}

#[test]
fn a_deployment_alarm_needs_a_deployment_preference() {
    use stackwright_constructs::cloudwatch::Alarm;
    let mut app = App::new();
    let mut s = app.stack("S");
    let props = FunctionProps::new("index.handler", Code::Uri("src/".into()));
    let function = Function::new(&mut s, "Api", props);
    let alarm = Alarm::lambda_errors(&mut s, "ApiErrors", function.name());
    function.add_deployment_alarm(&mut s, &alarm);
    assert_eq!(
        errors(&app),
        ["S/Api: a deployment alarm was added to a function without a deployment preference; \
             give the function .deployment(DeploymentPreference::new(..)) first"]
    );
}

//! SAM functions: the article's canary function, its checks and warnings.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use serde_json::json;
use stackwright_aws::serverless::Globals;
use stackwright_aws::serverless::globals::GlobalsFunction;
use stackwright_constructs::Duration;
use stackwright_constructs::codedeploy::LambdaDeploymentConfig;
use stackwright_constructs::sam::{
    Code, DeploymentPreference, Event, Function, FunctionProps, Runtime,
};
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
    let props = FunctionProps::new(None, "index.handler", Code::local("src/"))
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
        Runtime::Nodejs22X,
        "index.handler",
        Code::inline("exports.handler = async () => 1;"),
    )
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
            "S/F: memory_mb is 64; Lambda allows 128 to 10240 MB",
            "S/F: timeout is 16 minutes; Lambda allows 1 second to 15 minutes",
            "S/F: event name `every minute` must be letters and digits (it becomes a logical ID)",
            "S/F: unknown deployment preference type `Canary10Percent7Minutes`; use one of \
             Canary10Percent5Minutes, Canary10Percent10Minutes, Canary10Percent15Minutes, \
             Canary10Percent30Minutes, Linear10PercentEvery1Minute, Linear10PercentEvery2Minutes, \
             Linear10PercentEvery3Minutes, Linear10PercentEvery10Minutes, AllAtOnce, or \
             LambdaDeploymentConfig::Custom for other steps",
        ]
    );
}

#[test]
fn deprecated_runtimes_are_a_warning_and_events_render() {
    let mut app = App::new();
    let props = FunctionProps::new(Runtime::Python38, "app.handler", Code::s3("bucket", "f.zip"))
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
        FunctionProps::new(Runtime::Nodejs24X, "index.handler", Code::s3("b", "k.zip"))
            .function_name("api")
            .deployment(pref),
    );
    s.add(
        "ApiErrors",
        RawResource::new("AWS::CloudWatch::Alarm")
            .property("AlarmDescription", f.function_name().into_json()),
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
        FunctionProps::new(None, "index.handler", Code::s3("b", "k.zip")).deployment(pref),
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
        Function::new(s, id, FunctionProps::new(None, "index.handler", Code::inline("x")))
    };
    let (pre, post) = (hook(&mut s, "Pre"), hook(&mut s, "Post"));
    let pref = DeploymentPreference::new(LambdaDeploymentConfig::Canary10Percent5Minutes)
        .pre_traffic_hook(&pre)
        .post_traffic_hook(&post);
    let props = FunctionProps::new(None, "index.handler", Code::local("src/")).deployment(pref);
    let function = Function::new(&mut s, "Api", props);
    // An alarm on the function's own errors comes after the function, and no cycle follows.
    let alarm = Alarm::lambda_errors(&mut s, "ApiErrors", function.function_name());
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
    let props = FunctionProps::new(None, "index.handler", Code::local("src/"));
    let function = Function::new(&mut s, "Api", props);
    let alarm = Alarm::lambda_errors(&mut s, "ApiErrors", function.function_name());
    function.add_deployment_alarm(&mut s, &alarm);
    assert_eq!(
        errors(&app),
        ["S/Api: a deployment alarm was added to a function without a deployment preference; \
             give the function .deployment(DeploymentPreference::new(..)) first"]
    );
}

#[test]
fn s3_code_is_a_code_uri_object() {
    let mut app = App::new();
    let props = FunctionProps::new(None, "index.handler", Code::s3_version("b", "k.zip", "3"));
    Function::new(&mut app.stack("S"), "F", props);
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["F"]["Properties"]["CodeUri"],
        json!({"Bucket": "b", "Key": "k.zip", "Version": "3"})
    );
}

#[test]
fn inline_code_needs_node_or_python_as_for_plain_functions() {
    let mut app = App::new();
    let props = FunctionProps::new(Runtime::Java21, "App::handle", Code::inline("class App {}"));
    Function::new(&mut app.stack("S"), "F", props);
    assert_eq!(
        errors(&app),
        ["S/F: inline code works only with Node.js and Python runtimes, not java21; use \
          Code::local or Code::s3"]
    );
}

/// A queue-driven SAM function published under an alias and deployed by CodeDeploy, its
/// hook, and a topic it is granted to publish to.
fn wired_function() -> (App, Function) {
    use stackwright_constructs::sns::{Topic, TopicProps};
    use stackwright_constructs::sqs::{Queue, QueueProps};
    let mut app = App::new();
    let mut s = app.stack("S");
    let jobs = Queue::new(&mut s, "Jobs", QueueProps::new());
    let done = Topic::new(&mut s, "Done", TopicProps::new());
    let hook =
        Function::new(&mut s, "Hook", FunctionProps::new(None, "index.handler", Code::inline("x")));
    let pref = DeploymentPreference::new(LambdaDeploymentConfig::AllAtOnce).pre_traffic_hook(&hook);
    let props = FunctionProps::new(Runtime::Nodejs24X, "index.handler", Code::local("src/"))
        .event("Jobs", Event::sqs(&jobs, 10))
        .deployment(pref);
    let worker = Function::new(&mut s, "Worker", props);
    done.grant_publish(&mut s, &worker);
    worker.grant_hook_status(&mut s, &hook);
    s.add_output(
        "Alias",
        stackwright_core::Output::new(worker.alias().unwrap_or_else(|| "missing".into())),
    );
    s.add_output(
        "Version",
        stackwright_core::Output::new(worker.version().unwrap_or_else(|| "missing".into())),
    );
    s.add_output(
        "Group",
        stackwright_core::Output::new(
            worker.deployment_group().unwrap_or_else(|| "missing".into()),
        ),
    );
    (app, worker)
}

#[test]
fn sam_functions_are_grantees_with_checked_references_to_what_sam_generates() {
    let (app, _) = wired_function();
    let t = template(&app, "S");
    let worker = &t["Resources"]["Worker"]["Properties"];
    assert_eq!(
        worker["Events"]["Jobs"]["Properties"]["Queue"],
        json!({"Fn::GetAtt": ["Jobs", "Arn"]})
    );
    assert_eq!(
        worker["Policies"],
        json!([{
            "Version": "2012-10-17",
            "Statement": [{"Action": "sns:Publish", "Effect": "Allow", "Resource": {"Ref": "Done"}}]
        }])
    );
    assert_eq!(
        t["Resources"]["Hook"]["Properties"]["Policies"][0]["Statement"][0]["Resource"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:${ServerlessDeploymentApplication}/${WorkerDeploymentGroup}"})
    );
    assert_eq!(t["Outputs"]["Alias"]["Value"], json!({"Ref": "Worker.Alias"}));
    assert_eq!(t["Outputs"]["Version"]["Value"], json!({"Ref": "Worker.Version"}));
    assert_eq!(t["Outputs"]["Group"]["Value"], json!({"Ref": "WorkerDeploymentGroup"}));
}

#[test]
fn what_sam_generates_exists_only_with_an_alias_and_in_the_functions_stack() {
    let mut app = App::new();
    let plain = Function::new(
        &mut app.stack("S"),
        "Plain",
        FunctionProps::new(None, "index.handler", Code::local("src/")),
    );
    assert_eq!((plain.alias(), plain.version(), plain.deployment_group()), (None, None, None));
    let hook = Function::new(
        &mut app.stack("S"),
        "Hook",
        FunctionProps::new(None, "index.handler", Code::inline("x")),
    );
    plain.grant_hook_status(&mut app.stack("S"), &hook);
    assert_eq!(
        errors(&app),
        ["S/Plain: a hook was granted to report on the deployments of a function without a \
          deployment preference; give the function .deployment(DeploymentPreference::new(..))"]
    );

    let (mut app, worker) = wired_function();
    let mut other = app.stack("Other");
    other.add("Topic", RawResource::new("AWS::SNS::Topic"));
    let alias = worker.alias().unwrap_or_else(|| "missing".into());
    other.add_output("Alias", stackwright_core::Output::new(alias));
    assert_eq!(
        errors(&app),
        ["Other/output Alias: what the transform generates from `Worker/Resource` does not exist \
          in this stack; the transform generates it in that resource's stack only: use it there, \
          or pass the value as a parameter"]
    );
}

#[test]
fn an_sqs_batch_over_ten_needs_a_batching_window() {
    use stackwright_constructs::sqs::{Queue, QueueProps};
    let mut app = App::new();
    let mut s = app.stack("S");
    let jobs = Queue::new(&mut s, "Jobs", QueueProps::new());
    let props = FunctionProps::new(None, "index.handler", Code::local("src/"))
        .event("Jobs", Event::sqs(&jobs, 100));
    Function::new(&mut s, "F", props);
    assert_eq!(
        errors(&app),
        ["S/F: event `Jobs`: batch size 100; without a batching window Lambda takes 1 to 10 \
          messages per batch"]
    );
}

/// The errors of a function deployed gradually under the alias `alias`.
fn deployed_under(alias: &str) -> Vec<String> {
    let mut app = App::new();
    let pref = DeploymentPreference::new(LambdaDeploymentConfig::Canary10Percent5Minutes);
    let props = FunctionProps::new(Runtime::Nodejs24X, "index.handler", Code::local("src/"))
        .auto_publish_alias(alias)
        .deployment(pref);
    Function::new(&mut app.stack("S"), "F", props);
    errors(&app)
}

#[test]
fn a_deployment_alias_is_a_name_lambda_accepts() {
    let fix = "use 1 to 128 letters, digits, `-` and `_`, and not only digits";
    assert_eq!(deployed_under(""), [format!("S/F: the alias name is empty; {fix}")]);
    assert_eq!(
        deployed_under("live!"),
        [format!("S/F: alias name `live!` has characters Lambda does not accept; {fix}")]
    );
    assert_eq!(
        deployed_under("42"),
        [format!(
            "S/F: alias name `42` is only digits, which Lambda reads as a version number; {fix}"
        )]
    );
    let long = "b".repeat(129);
    assert_eq!(
        deployed_under(&long),
        [format!("S/F: alias name `{long}` is 129 characters long; {fix}")]
    );
    assert_eq!(deployed_under("live-2_b"), Vec::<String>::new());
}

#[test]
fn sam_environment_variables_are_checked_as_lambda_checks_them() {
    let mut app = App::new();
    let props = FunctionProps::new(None, "index.handler", Code::local("src/"))
        .environment("AWS_SESSION_TOKEN", "x")
        .environment("TABLE", "orders")
        .environment("9LIVES", "x")
        .environment("TABLE", "customers")
        .environment("BIG", "v".repeat(4_100));
    Function::new(&mut app.stack("S"), "F", props);
    assert_eq!(
        errors(&app),
        [
            "S/F: environment variable `AWS_SESSION_TOKEN` is reserved: Lambda sets it itself; \
             give the variable another name",
            "S/F: environment variable `TABLE` is set 2 times; set each variable once",
            "S/F: environment variable name `9LIVES` is not one Lambda accepts; start it with a \
             letter, followed by at least one letter, digit or `_`",
            "S/F: the environment variables take 4153 bytes (names and values), over Lambda's \
             4 KB (4096 bytes); keep large values in SSM Parameter Store or Secrets Manager and \
             read them at run time",
        ]
    );
    let mut app = App::new();
    let props = FunctionProps::new(None, "index.handler", Code::local("src/"))
        .environment("TABLE", "orders")
        .environment("TZ", "UTC");
    Function::new(&mut app.stack("S"), "F", props);
    assert_eq!(
        template(&app, "S")["Resources"]["F"]["Properties"]["Environment"],
        json!({"Variables": {"TABLE": "orders", "TZ": "UTC"}})
    );
}

#[test]
fn sam_memory_is_lambdas_range_not_the_schemas() {
    let with_memory = |mb: u32| {
        let mut app = App::new();
        let props = FunctionProps::new(None, "index.handler", Code::local("src/")).memory_mb(mb);
        Function::new(&mut app.stack("S"), "F", props);
        app
    };
    for mb in [64, 10_241, 32_768, u32::MAX] {
        assert_eq!(
            errors(&with_memory(mb)),
            [format!("S/F: memory_mb is {mb}; Lambda allows 128 to 10240 MB")]
        );
    }
    let t = template(&with_memory(10_240), "S");
    assert_eq!(t["Resources"]["F"]["Properties"]["MemorySize"], 10_240);
}

#[test]
fn an_event_name_given_twice_is_an_error() {
    let mut app = App::new();
    let props = FunctionProps::new(Runtime::Python313, "app.handler", Code::s3("b", "f.zip"))
        .event("Nightly", Event::Schedule("cron(0 3 * * ? *)".into()))
        .event("Nightly", Event::Schedule("cron(0 4 * * ? *)".into()));
    Function::new(&mut app.stack("S"), "F", props);
    assert_eq!(
        errors(&app),
        ["S/F: event `Nightly` is given twice, and the function holds one event per name; give \
          each event its own name"]
    );
}

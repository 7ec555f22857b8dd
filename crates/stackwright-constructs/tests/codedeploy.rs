//! CodeDeploy: the article's ECS blue/green deployment group, Lambda canaries (SAM's
//! `DeploymentPreference` without the transform), the alarms that roll them back, and
//! every check.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use serde_json::{Value, json};
use stackwright_constructs::Duration;
use stackwright_constructs::cloudwatch::{
    Alarm, AlarmProps, ComparisonOperator, Metric, Statistic, TreatMissingData,
};
use stackwright_constructs::codedeploy::{
    AutoRollback, EcsApplication, EcsBlueGreen, EcsDeploymentConfig, EcsDeploymentGroup,
    EcsDeploymentGroupProps, LambdaDeploymentConfig, LambdaDeploymentGroup,
    LambdaDeploymentGroupProps, ReadyOption, TrafficShift,
};
use stackwright_constructs::codepipeline::{
    Artifact, CodeDeployEcsDeploy, Pipeline, PipelineProps, S3Source,
};
use stackwright_constructs::lambda::{
    Alias, AliasProps, Code, Function, FunctionProps, Runtime, Version, VersionProps,
};
use stackwright_core::{App, Format, Parameter, Scope};

const PROD: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2";
const TEST: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65";

fn blue_green() -> EcsBlueGreen {
    EcsBlueGreen::from_names("web-blue", "web-green", PROD).test_listener_arn(TEST)
}

fn ecs_props() -> EcsDeploymentGroupProps {
    EcsDeploymentGroupProps::from_names("production", "web", blue_green())
}

/// The article's deployment group, written the way a user would.
fn article_app() -> App {
    let mut app = App::new();
    let mut s = app.stack("Deploy");
    EcsDeploymentGroup::new(
        &mut s,
        "BlueGreen",
        ecs_props()
            .terminate_blue_after(Duration::minutes(60))
            .ready_option(ReadyOption::ContinueDeployment),
    );
    app
}

fn resource<'a>(t: &'a Value, id: &str) -> &'a Value {
    let r = &t["Resources"][id];
    assert!(r.is_object(), "no resource {id} in {t:#}");
    r
}

fn props<'a>(t: &'a Value, id: &str) -> &'a Value {
    &resource(t, id)["Properties"]
}

/// Every action of every identity policy in the template.
fn policy_actions(t: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(resources) = t["Resources"].as_object() else { return out };
    for r in resources.values().filter(|r| r["Type"] == "AWS::IAM::Policy") {
        for s in r["Properties"]["PolicyDocument"]["Statement"].as_array().into_iter().flatten() {
            match &s["Action"] {
                Value::String(a) => out.push(a.clone()),
                Value::Array(list) => {
                    out.extend(list.iter().filter_map(Value::as_str).map(str::to_owned));
                }
                _ => {}
            }
        }
    }
    out
}

/// The alarm's properties without `Threshold`, after checking its value (a number, written
/// `5` or `5.0`).
fn without_threshold(alarm: &Value, threshold: f64) -> Value {
    assert_eq!(alarm["Threshold"].as_f64(), Some(threshold), "{alarm}");
    let mut rest = alarm.clone();
    if let Some(o) = rest.as_object_mut() {
        o.remove("Threshold");
    }
    rest
}

fn no_wildcard_actions(t: &Value) {
    let actions = policy_actions(t);
    assert!(actions.iter().all(|a| !a.contains('*')), "{actions:?}");
}

/// The article's JSON (`aws deploy` casing) with CloudFormation's capitalized keys.
fn article_configuration() -> Value {
    json!({
        "DeploymentStyle": {
            "DeploymentType": "BLUE_GREEN",
            "DeploymentOption": "WITH_TRAFFIC_CONTROL"
        },
        "BlueGreenDeploymentConfiguration": {
            "TerminateBlueInstancesOnDeploymentSuccess": {
                "Action": "TERMINATE",
                "TerminationWaitTimeInMinutes": 60
            },
            "DeploymentReadyOption": {
                "ActionOnTimeout": "CONTINUE_DEPLOYMENT",
                "WaitTimeInMinutes": 0
            }
        }
    })
}

#[test]
fn the_deployment_group_matches_the_article() {
    let t = template(&article_app(), "Deploy");
    let p = props(&t, "BlueGreen");
    let synthesized = json!({
        "DeploymentStyle": p["DeploymentStyle"],
        "BlueGreenDeploymentConfiguration": p["BlueGreenDeploymentConfiguration"],
    });
    assert_eq!(synthesized, article_configuration());
}

#[test]
fn the_defaults_are_the_articles() {
    let mut app = App::new();
    EcsDeploymentGroup::new(&mut app.stack("Deploy"), "BlueGreen", ecs_props());
    assert_eq!(template(&app, "Deploy"), template(&article_app(), "Deploy"));
}

#[test]
fn the_ecs_group_routes_both_listeners_and_rolls_back_on_failure() {
    let t = template(&article_app(), "Deploy");
    assert_eq!(
        resource(&t, "BlueGreenApplication"),
        &json!({"Type": "AWS::CodeDeploy::Application", "Properties": {"ComputePlatform": "ECS"}})
    );
    let p = props(&t, "BlueGreen");
    assert_eq!(p["ApplicationName"], json!({"Ref": "BlueGreenApplication"}));
    assert_eq!(p["ServiceRoleArn"], json!({"Fn::GetAtt": ["BlueGreenServiceRole", "Arn"]}));
    assert_eq!(p["DeploymentConfigName"], "CodeDeployDefault.ECSAllAtOnce");
    assert_eq!(p["ECSServices"], json!([{"ClusterName": "production", "ServiceName": "web"}]));
    assert_eq!(
        p["LoadBalancerInfo"],
        json!({"TargetGroupPairInfoList": [{
            "ProdTrafficRoute": {"ListenerArns": [PROD]},
            "TargetGroups": [{"Name": "web-blue"}, {"Name": "web-green"}],
            "TestTrafficRoute": {"ListenerArns": [TEST]}
        }]})
    );
    assert_eq!(
        p["AutoRollbackConfiguration"],
        json!({"Enabled": true, "Events": ["DEPLOYMENT_FAILURE"]})
    );
    assert!(p.get("AlarmConfiguration").is_none());
    let role = props(&t, "BlueGreenServiceRole");
    assert_eq!(
        role["ManagedPolicyArns"],
        json!([{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AWSCodeDeployRoleForECS"}])
    );
    assert_eq!(
        role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": "codedeploy.amazonaws.com"})
    );
    no_wildcard_actions(&t);
}

#[test]
fn a_shared_application_and_names_feed_the_pipeline_action() {
    let mut app = App::new();
    let mut s = app.stack("Deploy");
    let application = EcsApplication::named(&mut s, "App", "web");
    let group = EcsDeploymentGroup::new(
        &mut s,
        "BlueGreen",
        ecs_props().application(application).deployment_group_name("web-bg"),
    );
    let source = Artifact::new("Source");
    let pipeline = Pipeline::new(&mut s, "Pipeline", PipelineProps::new());
    pipeline.add_stage(&mut s, "Source", [S3Source::new("S3", "bucket", "src.zip", &source)]);
    pipeline.add_stage(
        &mut s,
        "Deploy",
        [CodeDeployEcsDeploy::from_names(
            "BlueGreen",
            group.application_name(),
            group.deployment_group_name(),
            source.at_path("taskdef.json"),
            source.at_path("appspec.yml"),
        )],
    );
    let t = template(&app, "Deploy");
    assert_eq!(props(&t, "App"), &json!({"ApplicationName": "web", "ComputePlatform": "ECS"}));
    assert!(t["Resources"].get("BlueGreenApplication").is_none());
    assert_eq!(props(&t, "BlueGreen")["DeploymentGroupName"], "web-bg");
    let config = &props(&t, "Pipeline")["Stages"][1]["Actions"][0]["Configuration"];
    assert_eq!(config["ApplicationName"], json!({"Ref": "App"}));
    assert_eq!(config["DeploymentGroupName"], json!({"Ref": "BlueGreen"}));
}

#[test]
fn ready_options_and_predefined_configs() {
    let mut app = App::new();
    EcsDeploymentGroup::new(
        &mut app.stack("Deploy"),
        "BlueGreen",
        ecs_props()
            .ready_option(ReadyOption::StopDeploymentAfter(Duration::minutes(30)))
            .terminate_blue_after(Duration::hours(2))
            .deployment_config(EcsDeploymentConfig::Canary10Percent15Minutes),
    );
    let t = template(&app, "Deploy");
    let p = props(&t, "BlueGreen");
    assert_eq!(
        p["BlueGreenDeploymentConfiguration"],
        json!({
            "DeploymentReadyOption": {"ActionOnTimeout": "STOP_DEPLOYMENT", "WaitTimeInMinutes": 30},
            "TerminateBlueInstancesOnDeploymentSuccess": {"Action": "TERMINATE", "TerminationWaitTimeInMinutes": 120}
        })
    );
    assert_eq!(p["DeploymentConfigName"], "CodeDeployDefault.ECSCanary10Percent15Minutes");
    for (config, name) in [
        (EcsDeploymentConfig::AllAtOnce, "ECSAllAtOnce"),
        (EcsDeploymentConfig::Linear10PercentEvery1Minutes, "ECSLinear10PercentEvery1Minutes"),
        (EcsDeploymentConfig::Linear10PercentEvery3Minutes, "ECSLinear10PercentEvery3Minutes"),
        (EcsDeploymentConfig::Canary10Percent5Minutes, "ECSCanary10Percent5Minutes"),
        (EcsDeploymentConfig::Canary10Percent15Minutes, "ECSCanary10Percent15Minutes"),
    ] {
        let mut app = App::new();
        EcsDeploymentGroup::new(&mut app.stack("D"), "G", ecs_props().deployment_config(config));
        let t = template(&app, "D");
        assert_eq!(props(&t, "G")["DeploymentConfigName"], format!("CodeDeployDefault.{name}"));
    }
}

#[test]
fn a_custom_canary_creates_its_deployment_config() {
    let mut app = App::new();
    EcsDeploymentGroup::new(
        &mut app.stack("Deploy"),
        "BlueGreen",
        ecs_props().deployment_config(EcsDeploymentConfig::Custom(TrafficShift::canary(
            20,
            Duration::minutes(10),
        ))),
    );
    let t = template(&app, "Deploy");
    assert_eq!(
        resource(&t, "BlueGreenDeploymentConfig"),
        &json!({
            "Type": "AWS::CodeDeploy::DeploymentConfig",
            "Properties": {
                "ComputePlatform": "ECS",
                "TrafficRoutingConfig": {
                    "TimeBasedCanary": {"CanaryInterval": 10, "CanaryPercentage": 20},
                    "Type": "TimeBasedCanary"
                }
            }
        })
    );
    assert_eq!(
        props(&t, "BlueGreen")["DeploymentConfigName"],
        json!({"Ref": "BlueGreenDeploymentConfig"})
    );
}

fn ecs_errors(props: EcsDeploymentGroupProps) -> Vec<String> {
    let mut app = App::new();
    EcsDeploymentGroup::new(&mut app.stack("S"), "G", props);
    errors(&app)
}

#[test]
fn a_blue_green_group_needs_a_test_listener() {
    let props = EcsDeploymentGroupProps::from_names(
        "production",
        "web",
        EcsBlueGreen::from_names("b", "g", PROD),
    );
    assert_eq!(
        ecs_errors(props),
        [
            "S/G: the blue/green deployment has no test listener, so the green task set cannot be tested before production traffic moves to it; set EcsBlueGreen::test_listener to a listener (a second port of the load balancer) that forwards to the green target group"
        ]
    );
}

#[test]
fn waits_must_be_whole_minutes_within_codedeploys_limits() {
    assert!(ecs_errors(ecs_props().terminate_blue_after(Duration::days(2))).is_empty());
    // Each wait CodeDeploy refuses, and its one error.
    for (props, message) in [
        (
            ecs_props().terminate_blue_after(Duration::seconds(90)),
            "S/G: terminate_blue_after is 90 seconds; CodeDeploy waits 0 to 2880 minutes (2 days), in whole minutes",
        ),
        (
            ecs_props().terminate_blue_after(Duration::days(3)),
            "S/G: terminate_blue_after is 3 days; CodeDeploy waits 0 to 2880 minutes (2 days), in whole minutes",
        ),
        (
            ecs_props().ready_option(ReadyOption::StopDeploymentAfter(Duration::seconds(0))),
            "S/G: the deployment would stop after 0 seconds without a go-ahead; CodeDeploy waits whole minutes, at least 1",
        ),
    ] {
        assert_eq!(ecs_errors(props), [message]);
    }
}

#[test]
fn custom_steps_are_checked() {
    let canary =
        |percent, interval| EcsDeploymentConfig::Custom(TrafficShift::canary(percent, interval));
    let linear =
        |percent, interval| EcsDeploymentConfig::Custom(TrafficShift::linear(percent, interval));
    assert_eq!(
        ecs_errors(ecs_props().deployment_config(canary(0, Duration::minutes(5)))),
        ["S/G: the canary deployment shifts 0 percent per step; CodeDeploy takes 1 to 99"]
    );
    assert_eq!(
        ecs_errors(ecs_props().deployment_config(linear(100, Duration::seconds(30)))),
        [
            "S/G: the linear deployment shifts 100 percent per step; CodeDeploy takes 1 to 99",
            "S/G: the linear interval is 30 seconds; CodeDeploy takes whole minutes, at least 1"
        ]
    );
}

fn alarm(s: &mut Scope<'_>, id: &str) -> Alarm {
    Alarm::new(
        s,
        id,
        AlarmProps::new(
            Metric::new("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count")
                .dimension("LoadBalancer", "app/web/50dc6c495c0c9188"),
            ComparisonOperator::GreaterThanThreshold,
            5.0,
        )
        .statistic(Statistic::Sum)
        .period(Duration::minutes(1))
        .evaluation_periods(2)
        .treat_missing_data(TreatMissingData::NotBreaching),
    )
}

#[test]
fn alarms_stop_and_roll_back_deployments() {
    let mut app = App::new();
    let mut s = app.stack("Deploy");
    let errors5xx = alarm(&mut s, "Errors5xx");
    EcsDeploymentGroup::new(&mut s, "BlueGreen", ecs_props().alarm(&errors5xx).alarm_name("other"));
    let t = template(&app, "Deploy");
    assert_eq!(resource(&t, "Errors5xx")["Type"], "AWS::CloudWatch::Alarm");
    assert_eq!(
        without_threshold(props(&t, "Errors5xx"), 5.0),
        json!({
            "ComparisonOperator": "GreaterThanThreshold",
            "Dimensions": [{"Name": "LoadBalancer", "Value": "app/web/50dc6c495c0c9188"}],
            "EvaluationPeriods": 2,
            "MetricName": "HTTPCode_Target_5XX_Count",
            "Namespace": "AWS/ApplicationELB",
            "Period": 60,
            "Statistic": "Sum",
            "TreatMissingData": "notBreaching"
        })
    );
    let p = props(&t, "BlueGreen");
    assert_eq!(
        p["AutoRollbackConfiguration"],
        json!({"Enabled": true, "Events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]})
    );
    assert_eq!(
        p["AlarmConfiguration"],
        json!({"Alarms": [{"Name": {"Ref": "Errors5xx"}}, {"Name": "other"}], "Enabled": true})
    );
}

#[test]
fn rollback_settings_are_checked() {
    let on_alarm = AutoRollback { deployment_in_alarm: Some(true), ..AutoRollback::default() };
    assert_eq!(
        ecs_errors(ecs_props().auto_rollback(on_alarm)),
        [
            "S/G: auto-rollback on alarm is on but the deployment group has no alarms; add one with .alarm(...) or set deployment_in_alarm to Some(false)"
        ]
    );
    let mut many = ecs_props();
    for i in 0..11 {
        many = many.alarm_name(format!("alarm-{i}"));
    }
    assert_eq!(
        ecs_errors(many),
        ["S/G: the deployment group has 11 alarms; CodeDeploy takes at most 10"]
    );
    let off = AutoRollback { failed_deployment: false, ..AutoRollback::default() };
    let mut app = App::new();
    EcsDeploymentGroup::new(&mut app.stack("S"), "G", ecs_props().auto_rollback(off));
    let t = template(&app, "S");
    assert_eq!(props(&t, "G")["AutoRollbackConfiguration"], json!({"Enabled": false}));
}

#[test]
fn alarm_periods_and_evaluation_periods_are_checked() {
    let check = |props: AlarmProps| {
        let mut app = App::new();
        Alarm::new(&mut app.stack("S"), "A", props);
        errors(&app)
    };
    let base =
        || AlarmProps::new(Metric::new("NS", "M"), ComparisonOperator::LessThanThreshold, 1.0);
    for ok in [10, 30, 60, 300, 3600] {
        assert!(check(base().period(Duration::seconds(ok))).is_empty(), "{ok}");
    }
    // Each setting CloudWatch refuses, and its one error.
    for (props, message) in [
        (
            base().period(Duration::seconds(45)),
            "S/A: the alarm period is 45 seconds; CloudWatch accepts 10 seconds, 30 seconds or a multiple of 60 seconds",
        ),
        (
            base().period(Duration::seconds(0)),
            "S/A: the alarm period is 0 seconds; CloudWatch accepts 10 seconds, 30 seconds or a multiple of 60 seconds",
        ),
        (
            base().evaluation_periods(0),
            "S/A: evaluation_periods is 0; an alarm compares at least 1 period",
        ),
    ] {
        assert_eq!(check(props), [message]);
    }
}

// ---- Lambda ---------------------------------------------------------------------------

struct Canary {
    function: Function,
    alias: Alias,
    alarm: Alarm,
    pre: Function,
    post: Function,
}

fn inline_function(s: &mut Scope<'_>, id: &str) -> Function {
    Function::new(
        s,
        id,
        FunctionProps::new(
            Runtime::Nodejs24X,
            "index.handler",
            Code::inline("exports.handler = async () => ({ statusCode: 200 });"),
        )
        .timeout(Duration::seconds(30))
        .memory_mb(256),
    )
}

/// The article's SAM function, as plain CloudFormation.
fn canary(s: &mut Scope<'_>) -> Canary {
    let function = inline_function(s, "MyFunction");
    let version =
        Version::new(s, "MyFunctionVersion", &function, VersionProps::new().description("v1"));
    let alias = Alias::new(s, "MyFunctionAliaslive", AliasProps::new("live", &version));
    let alarm = Alarm::lambda_errors(s, "MyFunctionErrorAlarm", function.function_name());
    let pre = inline_function(s, "PreTrafficHook");
    let post = inline_function(s, "PostTrafficHook");
    Canary { function, alias, alarm, pre, post }
}

/// An app whose stack `S` holds the article's function and a deployment group `G` that
/// shifts traffic to its alias by `config`.
fn lambda_group_app(config: LambdaDeploymentConfig) -> App {
    let mut app = App::new();
    let mut s = app.stack("S");
    let c = canary(&mut s);
    LambdaDeploymentGroup::new(&mut s, "G", LambdaDeploymentGroupProps::new(&c.alias, config));
    app
}

fn sam_app() -> App {
    let mut app = App::new();
    let mut s = app.stack("Serverless");
    let c = canary(&mut s);
    let group = LambdaDeploymentGroup::new(
        &mut s,
        "MyFunctionDeploymentGroup",
        LambdaDeploymentGroupProps::new(
            &c.alias,
            LambdaDeploymentConfig::from_name("Canary10Percent5Minutes"),
        )
        .alarm(&c.alarm)
        .pre_traffic_hook(&c.pre)
        .post_traffic_hook(&c.post),
    );
    group.grant_hook_status(&mut s, &c.pre);
    group.grant_hook_status(&mut s, &c.post);
    let _ = c.function;
    app
}

#[test]
fn the_sam_deployment_preference_in_plain_cloudformation() {
    let t = template(&sam_app(), "Serverless");
    assert_eq!(
        resource(&t, "MyFunctionDeploymentGroupApplication"),
        &json!({"Type": "AWS::CodeDeploy::Application", "Properties": {"ComputePlatform": "Lambda"}})
    );
    let p = props(&t, "MyFunctionDeploymentGroup");
    assert_eq!(p["DeploymentConfigName"], "CodeDeployDefault.LambdaCanary10Percent5Minutes");
    assert_eq!(
        p["DeploymentStyle"],
        json!({"DeploymentOption": "WITH_TRAFFIC_CONTROL", "DeploymentType": "BLUE_GREEN"})
    );
    assert_eq!(
        p["AlarmConfiguration"],
        json!({"Alarms": [{"Name": {"Ref": "MyFunctionErrorAlarm"}}], "Enabled": true})
    );
    assert_eq!(
        p["AutoRollbackConfiguration"],
        json!({"Enabled": true, "Events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]})
    );
    let alias = resource(&t, "MyFunctionAliaslive");
    assert_eq!(
        alias["UpdatePolicy"],
        json!({"CodeDeployLambdaAliasUpdate": {
            "ApplicationName": {"Ref": "MyFunctionDeploymentGroupApplication"},
            "DeploymentGroupName": {"Ref": "MyFunctionDeploymentGroup"},
            "BeforeAllowTrafficHook": {"Ref": "PreTrafficHook"},
            "AfterAllowTrafficHook": {"Ref": "PostTrafficHook"}
        }})
    );
    assert_eq!(
        alias["Properties"],
        json!({
            "FunctionName": {"Ref": "MyFunction"},
            "FunctionVersion": {"Fn::GetAtt": ["MyFunctionVersion", "Version"]},
            "Name": "live"
        })
    );
    // The error alarm of the article: Errors, Sum >= 1 within a minute.
    assert_eq!(
        without_threshold(props(&t, "MyFunctionErrorAlarm"), 1.0),
        json!({
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": "MyFunction"}}],
            "EvaluationPeriods": 1,
            "MetricName": "Errors",
            "Namespace": "AWS/Lambda",
            "Period": 60,
            "Statistic": "Sum",
            "TreatMissingData": "notBreaching"
        })
    );
    let role = props(&t, "MyFunctionDeploymentGroupServiceRole");
    assert_eq!(
        role["ManagedPolicyArns"],
        json!([{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda"}])
    );
    let invoke = &props(&t, "MyFunctionDeploymentGroupServiceRoleDefaultPolicy")["PolicyDocument"]
        ["Statement"];
    assert_eq!(
        invoke,
        &json!([{
            "Action": "lambda:InvokeFunction",
            "Effect": "Allow",
            "Resource": [
                {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${PreTrafficHook}"},
                {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${PostTrafficHook}"}
            ]
        }])
    );
    let hook =
        &props(&t, "PreTrafficHookServiceRoleDefaultPolicy")["PolicyDocument"]["Statement"][1];
    assert_eq!(hook["Action"], "codedeploy:PutLifecycleEventHookExecutionStatus");
    no_wildcard_actions(&t);
}

#[test]
fn every_predefined_lambda_config_by_either_name() {
    for name in [
        "Canary10Percent5Minutes",
        "Canary10Percent10Minutes",
        "Canary10Percent15Minutes",
        "Canary10Percent30Minutes",
        "Linear10PercentEvery1Minute",
        "Linear10PercentEvery2Minutes",
        "Linear10PercentEvery3Minutes",
        "Linear10PercentEvery10Minutes",
        "AllAtOnce",
    ] {
        let full = format!("CodeDeployDefault.Lambda{name}");
        assert_eq!(
            LambdaDeploymentConfig::from_name(name),
            LambdaDeploymentConfig::from_name(&full)
        );
        let t = template(&lambda_group_app(LambdaDeploymentConfig::from_name(name)), "S");
        assert_eq!(props(&t, "G")["DeploymentConfigName"], full.as_str());
        assert_eq!(
            resource(&t, "MyFunctionAliaslive")["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"]
                .as_object()
                .map(|o| o.len()),
            Some(2)
        );
    }
}

#[test]
fn an_unknown_deployment_preference_type_is_an_error() {
    let app = lambda_group_app(LambdaDeploymentConfig::from_name("Canary10Percent7Minutes"));
    assert_eq!(
        errors(&app),
        [
            "S/G: unknown deployment preference type `Canary10Percent7Minutes`; use one of Canary10Percent5Minutes, Canary10Percent10Minutes, Canary10Percent15Minutes, Canary10Percent30Minutes, Linear10PercentEvery1Minute, Linear10PercentEvery2Minutes, Linear10PercentEvery3Minutes, Linear10PercentEvery10Minutes, AllAtOnce, or LambdaDeploymentConfig::Custom for other steps"
        ]
    );
}

#[test]
fn a_custom_lambda_linear_config() {
    let linear = LambdaDeploymentConfig::Custom(TrafficShift::linear(25, Duration::minutes(2)));
    let t = template(&lambda_group_app(linear), "S");
    assert_eq!(
        props(&t, "GDeploymentConfig"),
        &json!({
            "ComputePlatform": "Lambda",
            "TrafficRoutingConfig": {
                "TimeBasedLinear": {"LinearInterval": 2, "LinearPercentage": 25},
                "Type": "TimeBasedLinear"
            }
        })
    );
    assert_eq!(props(&t, "G")["DeploymentConfigName"], json!({"Ref": "GDeploymentConfig"}));
}

#[test]
fn synthesis_is_deterministic() {
    for format in [Format::Json, Format::Yaml] {
        let one = sam_app().synth(format).unwrap_or_else(|d| panic!("{d}"));
        let two = sam_app().synth(format).unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(one.files(), two.files());
        assert!(one.warnings().is_empty(), "{:?}", one.warnings());
    }
}

/// Everything at once for cfn-lint, with parameters for the ECS side.
fn lint_app() -> App {
    let mut app = sam_app();
    let mut s = app.stack("Ecs");
    let cluster = s.add_parameter("Cluster", Parameter::string());
    let prod = s.add_parameter("ProdListener", Parameter::string());
    let test = s.add_parameter("TestListener", Parameter::string());
    let errors5xx = alarm(&mut s, "Errors5xx");
    EcsDeploymentGroup::new(
        &mut s,
        "BlueGreen",
        EcsDeploymentGroupProps::from_names(
            cluster.value(),
            "web",
            EcsBlueGreen::from_names("web-blue", "web-green", prod.value())
                .test_listener_arn(test.value()),
        )
        .alarm(&errors5xx)
        .deployment_config(EcsDeploymentConfig::Custom(TrafficShift::linear(
            20,
            Duration::minutes(1),
        ))),
    );
    app
}

/// Writes the test apps' templates for cfn-lint when `CODEDEPLOY_LINT_DIR` is set:
/// `CODEDEPLOY_LINT_DIR=/tmp/cd cargo test --test codedeploy`, then
/// `scripts/lint-templates.sh /tmp/cd`.
#[test]
fn write_templates_for_cfn_lint() {
    let Some(dir) = std::env::var_os("CODEDEPLOY_LINT_DIR") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    for (name, app) in [("article", article_app()), ("all", lint_app())] {
        for format in [Format::Json, Format::Yaml] {
            let out = dir.join(format!("{name}-{}", format.extension()));
            let assembly = app.synth(format).unwrap_or_else(|d| panic!("{d}"));
            if let Err(e) = assembly.write(&out) {
                panic!("{e}");
            }
        }
    }
}

#[test]
fn blue_green_needs_two_target_groups_and_two_listeners() {
    let same = EcsBlueGreen::from_names("web", "web", PROD).test_listener_arn(PROD);
    assert_eq!(
        ecs_errors(EcsDeploymentGroupProps::from_names("production", "web", same)),
        [
            "S/G: the blue and the green target group are the same; give EcsBlueGreen two target \
             groups: the service's current one and the one the new task set starts in",
            "S/G: the test listener is the production listener; test through a second listener \
             (another port) that forwards to the green target group",
        ]
    );
}

//! Lambda functions: their role and log group, runtimes (deprecated ones warn), code,
//! limits, versions and aliases.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use serde_json::{Value, json};
use stackwright_constructs::Duration;
use stackwright_constructs::iam::{Principal, Role, RoleProps};
use stackwright_constructs::lambda::{
    Alias, AliasProps, Code, Function, FunctionProps, Runtime, Version, VersionProps,
};
use stackwright_core::{App, Format};

fn python() -> FunctionProps {
    FunctionProps::new(
        Runtime::Python313,
        "index.handler",
        Code::inline("def handler(event, context):\n    return {'ok': True}\n"),
    )
}

fn one(props: FunctionProps) -> App {
    let mut app = App::new();
    Function::new(&mut app.stack("S"), "Fn", props);
    app
}

fn warnings(app: &App) -> Vec<String> {
    match app.synth(Format::Json) {
        Ok(a) => a.warnings().iter().map(ToString::to_string).collect(),
        Err(d) => panic!("{d}"),
    }
}

#[test]
fn a_function_has_its_own_role_and_log_group() {
    let t = template(&one(python().environment("STAGE", "prod")), "S");
    assert_eq!(
        t["Resources"]["Fn"],
        json!({
            "Type": "AWS::Lambda::Function",
            "DependsOn": "FnServiceRoleDefaultPolicy",
            "Properties": {
                "Code": {"ZipFile": "def handler(event, context):\n    return {'ok': True}\n"},
                "Environment": {"Variables": {"STAGE": "prod"}},
                "Handler": "index.handler",
                "LoggingConfig": {"LogGroup": {"Ref": "FnLogGroup"}},
                "MemorySize": 128,
                "Role": {"Fn::GetAtt": ["FnServiceRole", "Arn"]},
                "Runtime": "python3.13",
                "Timeout": 3
            }
        })
    );
    assert_eq!(
        t["Resources"]["FnLogGroup"],
        json!({"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 365}})
    );
    assert_eq!(
        t["Resources"]["FnServiceRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"],
        json!([{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}])
    );
    // AWSLambdaBasicExecutionRole's log permissions, on this function's log group only.
    assert_eq!(
        t["Resources"]["FnServiceRoleDefaultPolicy"]["Properties"]["PolicyDocument"]["Statement"],
        json!([{
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": {"Fn::GetAtt": ["FnLogGroup", "Arn"]}
        }])
    );
}

#[test]
fn code_from_s3_and_settings() {
    let props = FunctionProps::new(
        Runtime::Java21,
        "com.example.Handler::handleRequest",
        Code::s3_version("artifacts", "fn.zip", "v3"),
    )
    .memory_mb(10_240)
    .timeout(Duration::minutes(15))
    .function_name("orders")
    .description("Handles orders")
    .log_retention_days(30);
    let t = template(&one(props), "S");
    let p = &t["Resources"]["Fn"]["Properties"];
    assert_eq!(
        p["Code"],
        json!({"S3Bucket": "artifacts", "S3Key": "fn.zip", "S3ObjectVersion": "v3"})
    );
    assert_eq!(p["MemorySize"], 10_240);
    assert_eq!(p["Timeout"], 900);
    assert_eq!(p["FunctionName"], "orders");
    assert_eq!(p["Description"], "Handles orders");
    assert_eq!(p["Runtime"], "java21");
    assert_eq!(t["Resources"]["FnLogGroup"]["Properties"]["RetentionInDays"], 30);
    let s3 = FunctionProps::new(Runtime::Nodejs24X, "index.handler", Code::s3("bucket", "k.zip"));
    let t = template(&one(s3), "S");
    assert_eq!(
        t["Resources"]["Fn"]["Properties"]["Code"],
        json!({"S3Bucket": "bucket", "S3Key": "k.zip"})
    );
}

/// Runtimes AWS deprecates in 2028 or later, so they do not warn before then (the check
/// uses today's date, as cfn-lint does).
#[test]
fn supported_runtimes_do_not_warn() {
    for runtime in [Runtime::Nodejs24X, Runtime::Python314, Runtime::Python313, Runtime::Python312]
    {
        let props = FunctionProps::new(runtime.clone(), "index.handler", Code::inline("x"));
        assert_eq!(warnings(&one(props)), Vec::<String>::new(), "{runtime:?}");
    }
    for runtime in [
        Runtime::Java25,
        Runtime::Java21,
        Runtime::Dotnet10,
        Runtime::Ruby34,
        Runtime::ProvidedAl2023,
    ] {
        let props = FunctionProps::new(runtime.clone(), "h", Code::s3("bucket", "k"));
        assert_eq!(warnings(&one(props)), Vec::<String>::new(), "{runtime:?}");
    }
}

#[test]
fn deprecated_runtimes_warn_and_name_a_successor() {
    let cases = [
        (
            Runtime::Nodejs18X,
            "runtime `nodejs18.x` was deprecated on 2025-09-01, and creating functions with it stops working on 2027-02-01; move to `nodejs24.x`",
        ),
        (
            Runtime::Nodejs16X,
            "runtime `nodejs16.x` was deprecated on 2024-06-12, and creating functions with it stops working on 2027-02-01; move to `nodejs24.x`",
        ),
        (
            Runtime::Python38,
            "runtime `python3.8` was deprecated on 2024-10-14, and creating functions with it stops working on 2027-02-01; move to `python3.14`",
        ),
        (
            Runtime::Python39,
            "runtime `python3.9` was deprecated on 2025-12-15, and creating functions with it stops working on 2027-02-01; move to `python3.14`",
        ),
        (
            Runtime::Other("nodejs14.x".into()),
            "runtime `nodejs14.x` was deprecated on 2023-12-04, and creating functions with it stops working on 2024-01-09; move to `nodejs24.x`",
        ),
    ];
    for (runtime, message) in cases {
        let props = FunctionProps::new(runtime, "index.handler", Code::inline("x"));
        assert_eq!(warnings(&one(props)), [format!("S/Fn: {message}")]);
    }
    let node20 = Runtime::Nodejs20X.lifecycle().map(|l| (l.deprecated, l.successor));
    assert_eq!(node20, Some(("2026-04-30", Some("nodejs24.x"))));
    assert_eq!(Runtime::Other("cobol".into()).lifecycle(), None);
}

#[test]
fn limits_are_checked() {
    assert_eq!(
        errors(&one(python().memory_mb(64))),
        ["S/Fn: memory_mb is 64; Lambda allows 128 to 10240 MB"]
    );
    assert_eq!(
        errors(&one(python().memory_mb(10_241))),
        ["S/Fn: memory_mb is 10241; Lambda allows 128 to 10240 MB"]
    );
    assert_eq!(
        errors(&one(python().timeout(Duration::seconds(0)))),
        ["S/Fn: timeout is 0 seconds; Lambda allows 1 second to 15 minutes"]
    );
    assert_eq!(
        errors(&one(python().timeout(Duration::seconds(901)))),
        ["S/Fn: timeout is 901 seconds; Lambda allows 1 second to 15 minutes"]
    );
    assert!(errors(&one(python().memory_mb(128).timeout(Duration::seconds(1)))).is_empty());
    let retention = "CloudWatch Logs allows 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, \
                     545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653";
    for days in [0, 2, 4_000, u32::MAX] {
        assert_eq!(
            errors(&one(python().log_retention_days(days))),
            [format!("S/Fn: log_retention_days is {days}; {retention}")]
        );
    }
    let t = template(&one(python().log_retention_days(3_653)), "S");
    assert_eq!(t["Resources"]["FnLogGroup"]["Properties"]["RetentionInDays"], 3_653);
}

#[test]
fn inline_code_needs_node_or_python() {
    let props = FunctionProps::new(Runtime::Java21, "Handler::handle", Code::inline("class A {}"));
    assert_eq!(
        errors(&one(props)),
        [
            "S/Fn: inline code (ZipFile) works only with Node.js and Python runtimes, not java21; use Code::s3"
        ]
    );
}

#[test]
fn versions_aliases_and_grants() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let f = Function::new(&mut s, "Fn", python());
    let v = Version::new(
        &mut s,
        "V1",
        &f,
        VersionProps::new().code_sha256("abc=").description("build 7"),
    );
    let alias = Alias::new(&mut s, "Live", AliasProps::new("live", &v).description("production"));
    let caller =
        Role::new(&mut s, "Caller", RoleProps::new(Principal::service("states.amazonaws.com")));
    f.grant_invoke(&mut s, &caller);
    let _ = alias.arn();
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["V1"]["Properties"],
        json!({"CodeSha256": "abc=", "Description": "build 7", "FunctionName": {"Ref": "Fn"}})
    );
    assert_eq!(
        t["Resources"]["Live"]["Properties"],
        json!({"Description": "production", "FunctionName": {"Ref": "Fn"}, "FunctionVersion": {"Fn::GetAtt": ["V1", "Version"]}, "Name": "live"})
    );
    assert_eq!(
        t["Resources"]["CallerDefaultPolicy"]["Properties"]["PolicyDocument"]["Statement"],
        json!([{
            "Effect": "Allow",
            "Action": "lambda:InvokeFunction",
            "Resource": [{"Fn::GetAtt": ["Fn", "Arn"]}, {"Fn::Sub": "${Fn.Arn}:*"}]
        }])
    );
    for r in t["Resources"].as_object().into_iter().flat_map(|m| m.values()) {
        if r["Type"] == "AWS::IAM::Policy" {
            let text = r["Properties"]["PolicyDocument"]["Statement"].to_string();
            let actions: Vec<&Value> = r["Properties"]["PolicyDocument"]["Statement"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|s| &s["Action"])
                .collect();
            assert!(!format!("{actions:?}").contains('*'), "{text}");
        }
    }
}

/// The errors of an alias named `name` on a version of a valid function.
fn alias_errors(name: &str) -> Vec<String> {
    let mut app = App::new();
    let mut s = app.stack("S");
    let f = Function::new(&mut s, "Fn", python());
    let v = Version::new(&mut s, "V", &f, VersionProps::new());
    Alias::new(&mut s, "A", AliasProps::new(name, &v));
    errors(&app)
}

#[test]
fn alias_names_are_checked() {
    let fix = "use 1 to 128 letters, digits, `-` and `_`, and not only digits";
    for bad in ["live!", "x/y", "blue green"] {
        assert_eq!(
            alias_errors(bad),
            [format!("S/A: alias name `{bad}` has characters Lambda does not accept; {fix}")]
        );
    }
    assert_eq!(
        alias_errors("123"),
        [format!(
            "S/A: alias name `123` is only digits, which Lambda reads as a version number; {fix}"
        )]
    );
    // Reported by the construct, in its own words, and not again by the L1.
    assert_eq!(alias_errors(""), [format!("S/A: the alias name is empty; {fix}")]);
    let long = "a".repeat(129);
    assert_eq!(
        alias_errors(&long),
        [format!("S/A: alias name `{long}` is 129 characters long; {fix}")]
    );
    for good in ["live", "Blue-Green_2", "7a", &"a".repeat(128)] {
        assert_eq!(alias_errors(good), Vec::<String>::new(), "{good}");
    }
}

#[test]
fn environment_variables_lambda_refuses_are_errors() {
    let props = python()
        .environment("AWS_REGION", "eu-west-1")
        .environment("_HANDLER", "index.other")
        .environment("LAMBDA_TASK_ROOT", "/tmp")
        .environment("TABLE", "orders")
        .environment("1TABLE", "x")
        .environment("X", "x")
        .environment("table-name", "x")
        .environment("TABLE", "customers")
        .environment("", "x");
    assert_eq!(
        errors(&one(props)),
        [
            "S/Fn: environment variable `AWS_REGION` is reserved: Lambda sets it itself; give \
             the variable another name",
            "S/Fn: environment variable `_HANDLER` is reserved: Lambda sets it itself; give the \
             variable another name",
            "S/Fn: environment variable `LAMBDA_TASK_ROOT` is reserved: Lambda sets it itself; \
             give the variable another name",
            "S/Fn: environment variable `TABLE` is set 2 times; set each variable once",
            "S/Fn: environment variable name `1TABLE` is not one Lambda accepts; start it with a \
             letter, followed by at least one letter, digit or `_`",
            "S/Fn: environment variable name `X` is not one Lambda accepts; start it with a \
             letter, followed by at least one letter, digit or `_`",
            "S/Fn: environment variable name `table-name` is not one Lambda accepts; start it \
             with a letter, followed by at least one letter, digit or `_`",
            "S/Fn: environment variable name `` is not one Lambda accepts; start it with a \
             letter, followed by at least one letter, digit or `_`",
        ]
    );
}

#[test]
fn environment_variables_fit_in_four_kilobytes() {
    // Name and value take 4096 bytes: the most Lambda takes.
    let fits = python().environment("AB", "v".repeat(4_094));
    assert_eq!(errors(&one(fits)), Vec::<String>::new());
    let over = python().environment("AB", "v".repeat(4_000)).environment("CD", "v".repeat(95));
    assert_eq!(
        errors(&one(over)),
        ["S/Fn: the environment variables take 4099 bytes (names and values), over Lambda's \
          4 KB (4096 bytes); keep large values in SSM Parameter Store or Secrets Manager and \
          read them at run time"]
    );
    // A value known only once deployed counts as nothing, so the size is a lower bound.
    let mut app = App::new();
    let mut s = app.stack("S");
    let queue = stackwright_constructs::sqs::Queue::new(
        &mut s,
        "Jobs",
        stackwright_constructs::sqs::QueueProps::new(),
    );
    let props = python().environment("QUEUE", queue.arn()).environment("AB", "v".repeat(4_092));
    Function::new(&mut s, "Fn", props);
    assert_eq!(
        errors(&app),
        ["S/Fn: the environment variables take at least 4099 bytes (names and values), over \
          Lambda's 4 KB (4096 bytes); keep large values in SSM Parameter Store or Secrets \
          Manager and read them at run time"]
    );
}

#[test]
fn environment_variables_lambda_accepts_are_written_as_given() {
    // `TZ` is not reserved (Lambda lets a function set its time zone).
    let props = python()
        .environment("TABLE_NAME", "orders")
        .environment("TZ", "Europe/Paris")
        .environment("a1", "x")
        .environment("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
    let t = template(&one(props), "S");
    assert_eq!(
        t["Resources"]["Fn"]["Properties"]["Environment"],
        json!({"Variables": {
            "TABLE_NAME": "orders",
            "TZ": "Europe/Paris",
            "a1": "x",
            "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR"
        }})
    );
}

#[test]
fn an_alias_belongs_to_the_function_of_its_version() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let first = Function::new(&mut s, "First", python());
    let second = Function::new(&mut s, "Second", python());
    let v = Version::new(&mut s, "V1", &second, VersionProps::new());
    let alias = Alias::new(&mut s, "Live", AliasProps::new("live", &v));
    let _ = first;
    let t = template(&app, "S");
    // The function comes with the version, so it cannot be given a second, different time.
    assert_eq!(t["Resources"]["Live"]["Properties"]["FunctionName"], json!({"Ref": "Second"}));
    assert_eq!(alias.function_name(), v.function_name());
}

/// The description of the current version of a function made from `props`, with an
/// unrelated queue created before it when `queue_first` is set.
fn current_version_description(props: FunctionProps, queue_first: bool) -> Value {
    let mut app = App::new();
    let mut s = app.stack("S");
    if queue_first {
        s.add("Jobs", stackwright_aws::sqs::Queue::new());
    }
    let f = Function::new(&mut s, "Fn", props);
    let version = f.current_version(&mut s, VersionProps::new());
    // A second call gives the same version.
    assert_eq!(f.current_version(&mut s, VersionProps::new()), version);
    let t = template(&app, "S");
    let versions: Vec<&String> = t["Resources"]
        .as_object()
        .map(|m| {
            m.iter().filter(|(_, r)| r["Type"] == "AWS::Lambda::Version").map(|(k, _)| k).collect()
        })
        .unwrap_or_default();
    assert_eq!(versions, ["FnCurrentVersion"]);
    t["Resources"]["FnCurrentVersion"]["Properties"]["Description"].clone()
}

#[test]
fn the_current_version_changes_with_the_functions_configuration_only() {
    let base = current_version_description(python(), false);
    let text = base.as_str().unwrap_or_default();
    assert!(
        text.starts_with("Configuration ") && text.len() == "Configuration ".len() + 16,
        "{text}"
    );
    // The same program, and the same function after an unrelated resource: the same digest.
    assert_eq!(current_version_description(python(), false), base);
    assert_eq!(current_version_description(python(), true), base);
    // Any change to the function: a new digest, so a new version.
    for changed in [
        python().memory_mb(256),
        python().environment("MODE", "fast"),
        python().timeout(Duration::seconds(10)),
        FunctionProps::new(
            Runtime::Python313,
            "app.handler",
            Code::inline("def handler(e, c): return 2"),
        ),
    ] {
        assert_ne!(current_version_description(changed, false), base);
    }
}

#[test]
fn the_current_version_writes_its_own_description() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let f = Function::new(&mut s, "Fn", python());
    f.current_version(&mut s, VersionProps::new().description("v2"));
    assert_eq!(
        errors(&app),
        ["S/Fn: the current version's description is the digest of its function's \
          configuration; leave VersionProps::description unset, or create a Version of your own"]
    );
}

#[test]
fn local_code_needs_the_sam_transform() {
    let app = one(FunctionProps::new(Runtime::Nodejs24X, "index.handler", Code::local("src/")));
    assert_eq!(
        errors(&app),
        ["S/Fn: the code is the local path `src/`, which CloudFormation cannot upload; upload \
          the package and use Code::s3, or make it a SAM function (sam::Function), which `sam \
          package` uploads"]
    );
}

#[test]
fn what_a_version_does_not_capture_leaves_the_current_version_alone() {
    let description = |reserved: Option<i64>| {
        let mut app = App::new();
        let mut s = app.stack("S");
        let f = Function::new(&mut s, "Fn", python());
        f.current_version(&mut s, VersionProps::new());
        if let (Some(n), Some(node)) = (reserved, s.node(f.resource())) {
            node.add_override("Properties.ReservedConcurrentExecutions", n);
        }
        template(&app, "S")["Resources"]["FnCurrentVersion"]["Properties"]["Description"].clone()
    };
    assert_eq!(description(Some(5)), description(None));
}

#[test]
fn the_current_version_is_asked_for_with_one_set_of_props() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let f = Function::new(&mut s, "Fn", python());
    f.current_version(&mut s, VersionProps::new());
    f.current_version(&mut s, VersionProps::new().code_sha256("abc"));
    assert_eq!(
        errors(&app),
        ["S/Fn: current_version was asked for twice with different props, and a function has \
          one current version; pass the same VersionProps each time"]
    );
}

#[test]
fn a_digest_of_a_resource_within_itself_is_an_error_not_a_crash() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let f = Function::new(&mut s, "Fn", python());
    let digest = stackwright_core::fns::properties_digest(f.resource(), "v", Vec::<String>::new());
    if let Some(node) = s.node(f.resource()) {
        node.add_override("Properties.Description", digest.into_json());
    }
    assert_eq!(
        errors(&app),
        ["S/Fn/Resource: a digest of `Fn/Resource` within its own properties does not exist \
          in this stack; a digest cannot cover itself: remove it from the properties it digests"]
    );
}

#[test]
fn a_duration_too_long_to_count_is_an_error_not_a_panic() {
    let app = one(python().timeout(Duration::days(u64::MAX)));
    assert_eq!(
        errors(&app),
        ["S/Fn: timeout is too long to count in seconds; Lambda allows 1 second to 15 minutes"]
    );
}

//! What CloudFormation, IAM and the SAM transform refuse beyond the schemas, found at synth:
//! keys given twice, numbers JSON cannot hold, descriptions over their limits, outputs that
//! are not strings, long generated export IDs, policy sizes, and the resources the SAM
//! transform adds. One test per case, with the exact error.

// Tests assert by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::json;
use stackwright_core::{App, Format, Handle, Mapping, Output, Parameter, RawResource, Val};

fn queue() -> RawResource {
    RawResource::new("AWS::SQS::Queue")
}

fn errors(app: &App) -> Vec<String> {
    match app.synth(Format::Json) {
        Ok(a) => panic!("expected errors, got an assembly with {} stacks", a.stacks().len()),
        Err(d) => d.errors.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn template_items_defined_twice() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    s.add_parameter("Env", Parameter::string());
    s.add_parameter("Env", Parameter::string().default_value("prod"));
    s.add_mapping("Sizes", Mapping::new().entry("dev", "Size", "1"));
    s.add_mapping("Sizes", Mapping::new().entry("prod", "Size", "2"));
    s.add_output("Url", Output::new("a"));
    s.add_output("Url", Output::new("b"));
    assert_eq!(
        errors(&app),
        [
            "Orders: parameter `Env`: is defined twice, and a template holds one; give each its \
             own name",
            "Orders: mapping `Sizes`: is defined twice, and a template holds one; give each its \
             own name",
            "Orders: output `Url`: is defined twice, and a template holds one; give each its own \
             name",
        ]
    );
}

#[test]
fn keys_given_twice_in_metadata_and_properties() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add_metadata("Owner", "team-a");
    s.add_metadata("Owner", "team-b");
    let variables = Val::object([("STAGE", Val::from("dev")), ("STAGE", Val::from("prod"))]);
    let f = s.add(
        "Fn",
        RawResource::new("AWS::Lambda::Function")
            .property("Environment", Val::object([("Variables", variables)])),
    );
    s.node(f.id()).unwrap().add_metadata("Note", "a").add_metadata("Note", "b");
    assert_eq!(
        errors(&app),
        [
            "Orders: `Metadata`: key `Owner` is given twice, and a template object holds each key \
             once; set it once",
            "Orders/Fn: property `Environment.Variables`: key `STAGE` is given twice, and a \
             template object holds each key once; set it once",
            "Orders/Fn: property `Metadata`: key `Note` is given twice, and a template object \
             holds each key once; set it once",
        ]
    );
}

#[test]
fn numbers_json_cannot_hold() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue().property("DelaySeconds", f64::NAN));
    s.add(
        "Other",
        queue().property("Tags", json!([])).property("MaximumMessageSize", f64::INFINITY),
    );
    s.add_parameter("Size", Parameter::number().default_number(f64::NEG_INFINITY));
    assert_eq!(
        errors(&app),
        [
            "Orders: parameter `Size`: `Default`: -inf is not a number a template can hold (JSON \
             has no NaN or infinity); give a finite number",
            "Orders/Queue: property `DelaySeconds`: NaN is not a number a template can hold \
             (JSON has no NaN or infinity); give a finite number",
            "Orders/Other: property `MaximumMessageSize`: inf is not a number a template can \
             hold (JSON has no NaN or infinity); give a finite number",
        ]
    );
}

#[test]
fn descriptions_over_their_limits() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    s.set_description("d".repeat(1025));
    s.add_parameter("Env", Parameter::string().description("p".repeat(4001)));
    s.add_output("Url", Output::new("x").description("o".repeat(1025)));
    // At the limits, all three are accepted.
    let mut ok = App::new();
    let mut s = ok.stack("Orders");
    s.add("Queue", queue());
    s.set_description("d".repeat(1024));
    s.add_parameter("Env", Parameter::string().description("é".repeat(4000)));
    s.add_output("Url", Output::new("x").description("o".repeat(1024)));
    ok.synth(Format::Json).unwrap();
    assert_eq!(
        errors(&app),
        [
            "Orders: the template description is 1025 bytes long, over CloudFormation's limit \
             of 1024; shorten it",
            "Orders: parameter `Env`: the description is 4001 characters long, over \
             CloudFormation's limit of 4000; shorten it",
            "Orders: output `Url`: the description is 1025 bytes long, over CloudFormation's \
             limit of 1024; shorten it",
        ]
    );
}

#[test]
fn output_values_that_are_not_strings() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    s.add_output("Names", Output::new(json!(["a", "b"])));
    s.add_output("Config", Output::new(json!({"a": 1})));
    s.add_output("Zones", Output::new(json!({"Fn::GetAZs": ""})));
    s.add_output("Fine", Output::new(json!({"Fn::Join": [",", {"Fn::GetAZs": ""}]})));
    assert_eq!(
        errors(&app),
        [
            "Orders: output `Names`: the value is a list, and an output's value must be a single \
             string; join a list with fns::join, or give each part its own output",
            "Orders: output `Config`: the value is an object, and an output's value must be a \
             single string; join a list with fns::join, or give each part its own output",
            "Orders: output `Zones`: the value is a list (the result of the function), and an \
             output's value must be a single string; join a list with fns::join, or give each \
             part its own output",
        ]
    );
}

/// The output a cross-stack reference adds is named after the logical ID; a logical ID near
/// the 255-character limit must still give a valid output ID and export name.
#[test]
fn generated_export_ids_stay_within_limits() {
    let mut app = App::new();
    let long = format!("Q{}", "u".repeat(253));
    let q = {
        let mut s = app.stack(format!("P{}", "r".repeat(120)));
        let q = s.add("Queue", queue());
        s.node(q.id()).unwrap().override_logical_id(long.clone());
        q
    };
    app.stack("Consumer").add(
        "Topic",
        RawResource::new("AWS::SNS::Topic")
            .property("DisplayName", q.get_att::<String>("QueueName")),
    );
    let assembly = app.synth(Format::Json).unwrap();
    let producer = &assembly.stacks()[0];
    let template: serde_json::Value = serde_json::from_str(&producer.body).unwrap();
    let outputs = template["Outputs"].as_object().unwrap();
    assert_eq!(outputs.len(), 1);
    let (id, output) = outputs.iter().next().unwrap();
    assert_eq!(id.len(), 255);
    assert!(id.starts_with(&format!("Export{long}")[..200]));
    assert!(id.chars().all(|c| c.is_ascii_alphanumeric()));
    let name = output["Export"]["Name"].as_str().unwrap();
    assert!(name.len() <= 255, "{}", name.len());
    let consumer: serde_json::Value = serde_json::from_str(&assembly.stacks()[1].body).unwrap();
    assert_eq!(
        consumer["Resources"]["Topic"]["Properties"]["DisplayName"],
        json!({"Fn::ImportValue": name})
    );
}

fn statement(i: usize) -> serde_json::Value {
    json!({
        "Effect": "Allow",
        "Action": ["sqs:SendMessage", "sqs:GetQueueAttributes"],
        "Resource": format!("arn:aws:sqs:us-east-1:123456789012:queue-number-{i:04}-with-a-long-name"),
    })
}

#[test]
fn inline_policies_of_a_role_over_iams_limit() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let statements: Vec<serde_json::Value> = (0..70).map(statement).collect();
    s.add(
        "Role",
        RawResource::new("AWS::IAM::Role")
            .property("AssumeRolePolicyDocument", json!({"Version": "2012-10-17", "Statement": []}))
            .property(
                "Policies",
                json!([{"PolicyName": "a", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements[..35]}}]),
            ),
    );
    s.add(
        "Extra",
        RawResource::new("AWS::IAM::Policy")
            .property("PolicyName", "b")
            .property("Roles", json!([{"Ref": "Role"}]))
            .property(
                "PolicyDocument",
                json!({"Version": "2012-10-17", "Statement": statements[35..]}),
            ),
    );
    s.add(
        "Managed",
        RawResource::new("AWS::IAM::ManagedPolicy").property(
            "PolicyDocument",
            json!({"Version": "2012-10-17", "Statement": statements[..40]}),
        ),
    );
    let errs = errors(&app);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(errs[0].starts_with("Orders/Managed: the managed policy is at least "), "{}", errs[0]);
    assert!(errs[0].ends_with(
        " characters long without whitespace, over IAM's limit of 6144; split its statements \
         over two managed policies"
    ));
    assert!(errs[1].starts_with("Orders/Role: the role's inline policies come to at least "));
    assert!(errs[1].ends_with(
        " characters without whitespace, over IAM's limit of 10240 for one role; move \
         statements into a managed policy, or grant on fewer, wider resources"
    ));
}

fn sam_function(events: usize) -> RawResource {
    let events: serde_json::Map<String, serde_json::Value> = (0..events)
        .map(|i| {
            (
                format!("Schedule{i}"),
                json!({"Type": "Schedule", "Properties": {"Schedule": "rate(1 day)"}}),
            )
        })
        .collect();
    RawResource::new("AWS::Serverless::Function")
        .property("Handler", "index.handler")
        .property("Runtime", "python3.12")
        .property("CodeUri", "src/")
        .property("AutoPublishAlias", "live")
        .property("DeploymentPreference", json!({"Type": "Canary10Percent5Minutes"}))
        .property("Events", serde_json::Value::Object(events))
}

/// Each function here becomes 4 + 1 + 2 × 4 = 13 resources (itself, its role, version, alias,
/// deployment group, and a rule and a permission per schedule), plus the CodeDeploy
/// application and service role once: 38 functions make 496, 39 make 509.
#[test]
fn resources_the_sam_transform_adds_count_against_the_quota() {
    let app_with = |n: usize| {
        let mut app = App::new();
        let mut s = app.stack("Api");
        s.add_transform("AWS::Serverless-2016-10-31");
        for i in 0..n {
            s.add(&format!("Fn{i}"), sam_function(4));
        }
        app
    };
    app_with(38).synth(Format::Json).unwrap();
    assert_eq!(
        errors(&app_with(39)),
        ["Api: 509 resources once the SAM transform has expanded the serverless ones exceed \
          CloudFormation's limit of 500 per template; split the stack"]
    );
}

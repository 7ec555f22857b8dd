//! Bad input a user can give, one test each: the exact error text, and no output.

// Tests assert by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::json;
use stackwright_core::{
    App, Cond, Format, Handle, Mapping, Output, Parameter, RawResource, Rule, SynthError, pseudo,
};

fn queue() -> RawResource {
    RawResource::new("AWS::SQS::Queue")
}

/// The errors synthesis reports, in both formats; panics when it produced an assembly.
fn errors(app: &App) -> Vec<String> {
    let json = json_errors(app);
    let yaml = app.synth(Format::Yaml).expect_err("YAML synthesis fails too");
    let yaml: Vec<String> = yaml.errors.iter().map(ToString::to_string).collect();
    assert_eq!(json, yaml, "both formats report the same errors");
    json
}

/// The errors JSON synthesis reports (body sizes differ between formats).
fn json_errors(app: &App) -> Vec<String> {
    match app.synth(Format::Json) {
        Ok(a) => panic!("expected errors, got an assembly with {} stacks", a.stacks().len()),
        Err(d) => d.errors.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn invalid_stack_name() {
    let mut app = App::new();
    app.stack("1orders").add("Queue", queue());
    app.stack("orders_prod").add("Queue", queue());
    assert_eq!(
        errors(&app),
        [
            "1orders: stack name `1orders` must start with a letter and contain only letters, \
             digits and hyphens (at most 128 characters)",
            "orders_prod: stack name `orders_prod` must start with a letter and contain only \
             letters, digits and hyphens (at most 128 characters)",
        ]
    );
}

#[test]
fn stack_without_resources() {
    let mut app = App::new();
    app.stack("Empty").add_parameter("Env", Parameter::string());
    app.stack("Full").add("Queue", queue());
    assert_eq!(
        errors(&app),
        ["Empty: the stack has no resources, and CloudFormation needs at least one; add a \
             resource or remove the stack"]
    );
}

#[test]
fn empty_construct_id() {
    let mut app = App::new();
    app.stack("Orders").add("", queue());
    assert_eq!(errors(&app), ["Orders: a construct id must not be empty"]);
}

#[test]
fn construct_id_with_a_slash() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("a/b", queue());
    s.child("Pipeline").add("c/d", queue());
    assert_eq!(
        errors(&app),
        [
            "Orders: construct id `a/b` contains `/`, which separates path components",
            "Orders/Pipeline: construct id `c/d` contains `/`, which separates path components",
        ]
    );
}

#[test]
fn construct_id_without_letters() {
    let mut app = App::new();
    app.stack("Orders").child("--").add("Queue", queue());
    assert_eq!(
        errors(&app),
        ["Orders: construct id `--` has no letter or digit, so it cannot form a logical ID"]
    );
}

#[test]
fn duplicate_logical_id_names_both_paths() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("OrdersQueue", queue());
    s.add("orders-queue", queue());
    assert_eq!(
        errors(&app),
        ["Orders: `OrdersQueue` and `orders-queue` both get the logical ID `OrdersQueue`; \
             rename one of them, or pin one with override_logical_id"]
    );
}

#[test]
fn duplicate_logical_id_through_resource_component() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    s.child("Queue").add("Resource", queue());
    assert_eq!(
        errors(&app),
        ["Orders: `Queue` and `Queue/Resource` both get the logical ID `Queue`; rename one of \
             them, or pin one with override_logical_id"]
    );
}

#[test]
fn pinned_logical_id_clashing_with_another() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    let dlq = s.add("DeadLetters", queue());
    s.node(dlq).unwrap().override_logical_id("Queue");
    assert_eq!(
        errors(&app),
        ["Orders: `Queue` and `DeadLetters` both get the logical ID `Queue`; rename one of \
             them, or pin one with override_logical_id"]
    );
}

#[test]
fn resource_named_like_a_parameter() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add_parameter("Queue", Parameter::string());
    s.add("Queue", queue());
    assert_eq!(
        errors(&app),
        ["Orders: `parameter Queue` and `Queue` both get the logical ID `Queue`; rename one \
             of them, or pin one with override_logical_id"]
    );
}

#[test]
fn invalid_pinned_logical_id() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let q = s.add("Queue", queue());
    s.node(q).unwrap().override_logical_id("My-Queue");
    let long = s.add("Long", queue());
    s.node(long).unwrap().override_logical_id("A".repeat(256));
    assert_eq!(
        errors(&app),
        [
            "Orders/Queue: logical ID `My-Queue` must contain only ASCII letters and digits",
            "Orders/Long: logical ID `AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA...` is 256 characters \
             long; the limit is 255",
        ]
    );
}

#[test]
fn invalid_raw_resource_type() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", RawResource::new("SQS Queue"));
    s.add("Fine", RawResource::new("Custom::Thing"));
    assert_eq!(
        errors(&app),
        ["Orders/Queue: property `Type`: `SQS Queue` is not a resource type name; write \
             `Service::Provider::Resource` such as `AWS::SQS::Queue`, or `Custom::Name` for a \
             custom resource"]
    );
}

#[test]
fn too_many_resources() {
    let mut app = App::new();
    let mut s = app.stack("Big");
    for i in 0..501 {
        s.add(&format!("Queue{i}"), queue());
    }
    assert_eq!(
        errors(&app),
        ["Big: 501 resources exceed CloudFormation's limit of 500 per template; split the stack"]
    );
}

#[test]
fn five_hundred_resources_are_fine() {
    let mut app = App::new();
    let mut s = app.stack("Big");
    for i in 0..500 {
        s.add(&format!("Queue{i}"), queue());
    }
    assert!(app.synth(Format::Json).is_ok());
}

#[test]
fn too_many_parameters() {
    let mut app = App::new();
    let mut s = app.stack("Big");
    s.add("Queue", queue());
    for i in 0..201 {
        s.add_parameter(format!("P{i}"), Parameter::string());
    }
    assert_eq!(
        errors(&app),
        ["Big: 201 parameters exceed CloudFormation's limit of 200 per template; split the stack"]
    );
}

#[test]
fn too_many_outputs() {
    let mut app = App::new();
    let mut s = app.stack("Big");
    let q = s.add("Queue", queue());
    for i in 0..201 {
        s.add_output(format!("O{i}"), Output::new(q.reference()));
    }
    assert_eq!(
        errors(&app),
        ["Big: 201 outputs exceed CloudFormation's limit of 200 per template; split the stack"]
    );
}

#[test]
fn exports_count_towards_the_output_quota() {
    let mut app = App::new();
    let q = app.stack("Producer").add("Queue", queue());
    {
        let mut s = app.stack("Producer");
        for i in 0..200 {
            s.add_output(format!("O{i}"), Output::new(q.reference()));
        }
    }
    app.stack("Consumer").add("Reader", queue().property("Source", q.reference()));
    assert_eq!(
        errors(&app),
        ["Producer: 201 outputs exceed CloudFormation's limit of 200 per template; split the \
             stack"]
    );
}

#[test]
fn too_many_mappings() {
    let mut app = App::new();
    let mut s = app.stack("Big");
    s.add("Queue", queue());
    for i in 0..201 {
        s.add_mapping(format!("M{i}"), Mapping::new().entry("a", "b", "c"));
    }
    assert_eq!(
        errors(&app),
        ["Big: 201 mappings exceed CloudFormation's limit of 200 per template; split the stack"]
    );
}

/// An app whose only template holds a string of `n` bytes.
fn app_with_payload(n: usize) -> App {
    let mut app = App::new();
    app.stack("Big").add("Queue", queue().property("Payload", "x".repeat(n)));
    app
}

fn body_len(app: &App) -> usize {
    app.synth(Format::Json).unwrap().stack("Big").unwrap().body.len()
}

#[test]
fn template_body_over_one_megabyte() {
    let overhead = body_len(&app_with_payload(0));
    let n = 1_000_001 - overhead;
    assert_eq!(
        json_errors(&app_with_payload(n)),
        ["Big: 1000001 bytes of template body exceed CloudFormation's limit of 1000000 per \
             template; split the stack"]
    );
    // One byte less is accepted (with the S3 warning).
    assert!(app_with_payload(n - 1).synth(Format::Json).is_ok());
}

#[test]
fn template_body_over_the_inline_limit_is_a_warning() {
    let overhead = body_len(&app_with_payload(0));
    let quiet = app_with_payload(51_200 - overhead).synth(Format::Json).unwrap();
    assert_eq!(quiet.warnings(), []);
    let app = app_with_payload(51_201 - overhead);
    let assembly = app.synth(Format::Json).unwrap();
    assert_eq!(assembly.stack("Big").unwrap().body.len(), 51_201);
    let warnings: Vec<String> = assembly.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["Big: the template is 51201 bytes, over the 51200 bytes that can be passed inline; \
             deploy it through an S3 bucket (`aws cloudformation deploy --s3-bucket ...`)"]
    );
    assert_eq!(assembly.warnings()[0].path, "Big");
}

#[test]
fn parameter_min_length_above_max_length() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    s.add_parameter("Name", Parameter::string().min_length(5).max_length(2));
    assert_eq!(errors(&app), ["Orders: parameter `Name`: MinLength 5 is greater than MaxLength 2"]);
}

#[test]
fn parameter_min_value_above_max_value() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    s.add_parameter("Size", Parameter::number().min_value(10.0).max_value(2.5));
    assert_eq!(
        errors(&app),
        ["Orders: parameter `Size`: MinValue 10 is greater than MaxValue 2.5"]
    );
}

#[test]
fn parameter_default_not_allowed() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    s.add_parameter(
        "Env",
        Parameter::string().allowed_values(["dev", "prod"]).default_value("test"),
    );
    assert_eq!(
        errors(&app),
        ["Orders: parameter `Env`: Default `test` is not one of its AllowedValues"]
    );
}

#[test]
fn parameter_default_outside_lengths() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    s.add_parameter("Name", Parameter::string().max_length(3).default_value("orders"));
    assert_eq!(
        errors(&app),
        [
            "Orders: parameter `Name`: Default `orders` (6 characters) is outside MinLength/MaxLength"
        ]
    );
}

#[test]
fn parameter_number_with_text_default() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    s.add_parameter("Size", Parameter::number().default_value("large"));
    assert_eq!(errors(&app), ["Orders: parameter `Size`: Default `large` is not a number"]);
}

#[test]
fn parameter_constraints_of_the_wrong_kind() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    s.add_parameter("Size", Parameter::string().min_value(1.0));
    s.add_parameter("Count", Parameter::number().max_length(3));
    s.add_parameter("Name", Parameter::string().default_number(3.0));
    assert_eq!(
        errors(&app),
        [
            "Orders: parameter `Size`: MinValue and MaxValue apply to Number parameters, not \
             String",
            "Orders: parameter `Count`: MinLength, MaxLength and AllowedPattern apply to String \
             parameters, not Number",
            "Orders: parameter `Name`: a numeric Default needs a Number parameter, not String",
        ]
    );
}

#[test]
fn template_item_names_must_be_logical_ids() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let q = s.add("Queue", queue());
    s.add_parameter("env-name", Parameter::string());
    s.add_output("queue_url", Output::new(q.reference()));
    assert_eq!(
        errors(&app),
        [
            "Orders: parameter `env-name`: logical ID `env-name` must contain only ASCII letters \
             and digits",
            "Orders: output `queue_url`: logical ID `queue_url` must contain only ASCII letters \
             and digits",
        ]
    );
}

#[test]
fn and_with_one_operand() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    s.add_condition("Both", Cond::and([Cond::equals(pseudo::region(), "us-east-1")]));
    let many = (0..11).map(|i| Cond::equals(pseudo::region(), format!("r{i}")));
    s.add_condition("Many", Cond::or(many));
    assert_eq!(
        errors(&app),
        [
            "Orders: condition `Both`: Fn::And takes 2 to 10 conditions, not 1",
            "Orders: condition `Many`: Fn::Or takes 2 to 10 conditions, not 11",
        ]
    );
}

#[test]
fn rule_functions_outside_rules() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    s.add_condition("Listed", Cond::contains(vec!["a", "b"], "a"));
    assert_eq!(
        errors(&app),
        ["Orders: condition `Listed`: Fn::Contains, Fn::EachMemberEquals and Fn::EachMemberIn \
             work only in rules"]
    );
}

#[test]
fn rule_without_assertions() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    s.add_rule("CheckEnv", Rule::new());
    assert_eq!(errors(&app), ["Orders: rule `CheckEnv`: a rule needs at least one assertion"]);
}

#[test]
fn bad_mapping_key() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    s.add_mapping("Ami", Mapping::new().entry("us-east-1", "ami id", "ami-1"));
    s.add_mapping("Empty", Mapping::new());
    assert_eq!(
        errors(&app),
        [
            "Orders: mapping `Ami`: key `ami id` may contain only letters, digits, `-`, `.` and `_`",
            "Orders: mapping `Empty`: a mapping needs at least one entry",
        ]
    );
}

#[test]
fn condition_cycle() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    s.add_condition("IsProd", Cond::equals(pseudo::region(), "us-east-1"));
    s.add_condition("A", Cond::and([Cond::named("IsProd"), Cond::named("B")]));
    s.add_condition("B", Cond::negate(Cond::named("A")));
    assert_eq!(
        errors(&app),
        ["Orders: condition `A`: conditions refer to each other in a loop (A -> B -> A); \
             remove one of the references"]
    );
}

#[test]
fn override_path_errors() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let q = s.add("Queue", queue().property("Tags", json!([{"Key": "a", "Value": "b"}])));
    s.node(q)
        .unwrap()
        .add_override("Properties..X", json!(1))
        .add_override("Properties.Tags.3.Value", json!("c"))
        .add_override("Type.Sub", json!("c"))
        .add_deletion_override("Properties.Tags.x");
    assert_eq!(
        errors(&app),
        [
            "Orders/Queue: override path `Properties..X` has an empty component",
            "Orders/Queue: override path `Properties.Tags.3.Value`: `3` is not an index of the \
             1-item list at `Properties.Tags`",
            "Orders/Queue: override path `Type.Sub`: its parent is not an object or a list",
            "Orders/Queue: override path `Properties.Tags.x`: `x` is not an index of the 1-item \
             list",
        ]
    );
}

#[test]
fn construct_errors_reported_by_code() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    s.child("Pipeline").error(
        "codepipeline.stage-count",
        "a pipeline needs at least two stages",
        "add a stage that acts on the source",
    );
    s.child("Image").warn("the image is tagged `latest`");
    let diag = app.synth(Format::Json).unwrap_err();
    assert_eq!(diag.errors.len(), 1);
    assert_eq!(
        diag.errors[0].to_string(),
        "Orders/Pipeline: a pipeline needs at least two stages; add a stage that acts on the source"
    );
    assert_eq!(diag.errors[0].code(), "codepipeline.stage-count");
    assert!(matches!(
        &diag.errors[0],
        SynthError::InvalidConstruct { stack, path, code, message, fix }
            if stack == "Orders" && path == "Pipeline" && *code == "codepipeline.stage-count"
                && message == "a pipeline needs at least two stages"
                && fix == "add a stage that acts on the source"
    ));
    let warnings: Vec<String> = diag.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings, ["Orders/Image: the image is tagged `latest`"]);
    assert_eq!(
        diag.to_string(),
        "1 error in the app:\n  error[codepipeline.stage-count]: Orders/Pipeline: a pipeline needs at \
         least two stages; add a stage that acts on the source\n  \
         warning: Orders/Image: the image is tagged `latest`\n"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("OrdersQueue", queue());
    s.add("orders-queue", queue());
    s.add("Topic", RawResource::new("AWS::SNS::Topic").property("Q", json!({"Ref": "Missing"})));
    s.add_rule("CheckEnv", Rule::new());
    let diag = app.synth(Format::Json).unwrap_err();
    let got: Vec<String> = diag.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        [
            "Orders: `OrdersQueue` and `orders-queue` both get the logical ID `OrdersQueue`; \
             rename one of them, or pin one with override_logical_id",
            "Orders: rule `CheckEnv`: a rule needs at least one assertion",
            "Orders/Topic: `Ref` target `Missing` does not exist in this stack; check the \
             spelling, or reference the construct's handle instead of its name",
        ]
    );
    assert!(diag.to_string().starts_with("3 errors in the app:\n"));
}

#[test]
fn hard_coded_availability_zones_are_a_warning() {
    let mut app = App::new();
    let mut s = app.stack("Net");
    s.add(
        "Subnet",
        RawResource::new("AWS::EC2::Subnet")
            .property("AvailabilityZone", "us-east-1a")
            .property("CidrBlock", "10.0.0.0/24")
            .property("VpcId", "vpc-123"),
    );
    s.add("Named", RawResource::new("AWS::SQS::Queue").property("QueueName", "us-east-1a"));
    let assembly = app.synth(Format::Json).expect("a warning does not fail synthesis");
    let warnings: Vec<String> = assembly.warnings().iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        vec![
            "Net/Subnet: availability zone `us-east-1a` is hard-coded; use fns::select(i, \
             fns::get_azs(\"\")) so the template works in every region and account"
        ]
    );
}

#[test]
fn retain_except_on_create_is_not_an_update_replace_policy() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let q = s.add("Queue", queue());
    s.node(q)
        .unwrap()
        .set_deletion_policy(stackwright_core::RemovalPolicy::RetainExceptOnCreate)
        .set_update_replace_policy(stackwright_core::RemovalPolicy::RetainExceptOnCreate);
    assert_eq!(
        errors(&app),
        vec![
            "S/Queue: UpdateReplacePolicy takes Delete, Retain or Snapshot; RetainExceptOnCreate \
             is a DeletionPolicy only"
        ]
    );
}

//! The sections of a template and the attributes of a resource, rendered in the order a
//! person reading the CloudFormation documentation expects.

// Tests assert by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};
use stackwright_core::{
    App, AwsParameterType, Cond, Format, Handle, Mapping, Output, Parameter, ParameterType,
    RawResource, RemovalPolicy, Rule, fns, pseudo,
};

fn queue() -> RawResource {
    RawResource::new("AWS::SQS::Queue")
}

fn template(app: &App, stack: &str) -> Value {
    let assembly = app.synth(Format::Json).unwrap_or_else(|d| panic!("{d}"));
    serde_json::from_str(&assembly.stack(stack).unwrap().body).unwrap()
}

/// The keys of an object, in order (`assert_eq!` on JSON objects ignores order).
fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn parameters_render_every_field_in_order() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    s.add_parameter(
        "Name",
        Parameter::string()
            .constraint_description("3 to 20 lowercase letters")
            .no_echo()
            .max_length(20)
            .min_length(3)
            .allowed_pattern("[a-z]+")
            .allowed_values(["orders", "payments"])
            .default_value("orders")
            .description("The service name"),
    );
    s.add_parameter("Size", Parameter::number().max_value(10.5).min_value(1.0).default_number(2.0));
    s.add_parameter("Subnets", Parameter::new(ParameterType::AwsList(AwsParameterType::SubnetId)));
    s.add_parameter(
        "Ami",
        Parameter::new(ParameterType::SsmAws(AwsParameterType::ImageId))
            .default_value("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"),
    );
    let t = template(&app, "Orders");
    let p = &t["Parameters"];
    assert_eq!(keys(p), ["Name", "Size", "Subnets", "Ami"]);
    assert_eq!(
        keys(&p["Name"]),
        [
            "Type",
            "Description",
            "Default",
            "AllowedValues",
            "AllowedPattern",
            "MinLength",
            "MaxLength",
            "NoEcho",
            "ConstraintDescription",
        ]
    );
    assert_eq!(
        p["Name"],
        json!({
            "Type": "String",
            "Description": "The service name",
            "Default": "orders",
            "AllowedValues": ["orders", "payments"],
            "AllowedPattern": "[a-z]+",
            "MinLength": 3,
            "MaxLength": 20,
            "NoEcho": true,
            "ConstraintDescription": "3 to 20 lowercase letters",
        })
    );
    assert_eq!(keys(&p["Size"]), ["Type", "Default", "MinValue", "MaxValue"]);
    assert_eq!(p["Size"], json!({"Type": "Number", "Default": 2, "MinValue": 1, "MaxValue": 10.5}));
    assert_eq!(p["Subnets"], json!({"Type": "List<AWS::EC2::Subnet::Id>"}));
    assert_eq!(p["Ami"]["Type"], "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>");
}

#[test]
fn conditions_if_and_resource_condition() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let env = s.add_parameter("Env", Parameter::string().allowed_values(["dev", "prod"]));
    let is_prod = s.add_condition("IsProd", Cond::equals(env, "prod"));
    let east = s.add_condition("InUsEast1", Cond::equals(pseudo::region(), "us-east-1"));
    s.add_condition("ProdInEast", Cond::and([is_prod.into(), Cond::from(east)]));
    s.add_condition("NotProd", !Cond::from(is_prod));
    s.add_condition("Either", Cond::or([Cond::negate(is_prod), Cond::named("InUsEast1")]));
    let q = s.add(
        "Queue",
        queue().property("VisibilityTimeout", fns::if_::<i64>(is_prod, 300, 30)).property(
            "RedrivePolicy",
            fns::if_::<String>(is_prod, "x", pseudo::no_value::<String>()),
        ),
    );
    s.node(q).unwrap().set_condition(is_prod);
    s.add_output("QueueUrl", Output::new(q.reference()).condition(is_prod));
    let t = template(&app, "Orders");
    assert_eq!(keys(&t["Conditions"]), ["IsProd", "InUsEast1", "ProdInEast", "NotProd", "Either"]);
    assert_eq!(
        t["Conditions"],
        json!({
            "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
            "InUsEast1": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]},
            "ProdInEast": {"Fn::And": [{"Condition": "IsProd"}, {"Condition": "InUsEast1"}]},
            "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]},
            "Either": {"Fn::Or": [{"Fn::Not": [{"Condition": "IsProd"}]}, {"Condition": "InUsEast1"}]},
        })
    );
    let queue_t = &t["Resources"]["Queue"];
    assert_eq!(keys(queue_t), ["Type", "Condition", "Properties"]);
    assert_eq!(queue_t["Condition"], "IsProd");
    assert_eq!(
        queue_t["Properties"],
        json!({
            "VisibilityTimeout": {"Fn::If": ["IsProd", 300, 30]},
            "RedrivePolicy": {"Fn::If": ["IsProd", "x", {"Ref": "AWS::NoValue"}]},
        })
    );
    assert_eq!(t["Outputs"]["QueueUrl"], json!({"Value": {"Ref": "Queue"}, "Condition": "IsProd"}));
}

#[test]
fn mappings_and_find_in_map() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let m = s.add_mapping(
        "RegionConfig",
        Mapping::new()
            .entry("us-east-1", "Ami", "ami-1")
            .list_entry("us-east-1", "Zones", ["a", "b"])
            .entry("eu-west-1", "Ami", "ami-2")
            .entry("us-east-1", "Ami", "ami-3"),
    );
    s.add(
        "Instance",
        RawResource::new("AWS::EC2::Instance")
            .property("ImageId", m.find(pseudo::region(), "Ami"))
            .property("Zones", m.find_list("us-east-1", "Zones")),
    );
    let t = template(&app, "Orders");
    assert_eq!(
        t["Mappings"],
        json!({"RegionConfig": {
            "us-east-1": {"Ami": "ami-3", "Zones": ["a", "b"]},
            "eu-west-1": {"Ami": "ami-2"},
        }})
    );
    assert_eq!(keys(&t["Mappings"]["RegionConfig"]), ["us-east-1", "eu-west-1"]);
    assert_eq!(
        t["Resources"]["Instance"]["Properties"],
        json!({
            "ImageId": {"Fn::FindInMap": ["RegionConfig", {"Ref": "AWS::Region"}, "Ami"]},
            "Zones": {"Fn::FindInMap": ["RegionConfig", "us-east-1", "Zones"]},
        })
    );
}

#[test]
fn rules() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    let env = s.add_parameter("Env", Parameter::string());
    let subnets = s.add_parameter(
        "Subnets",
        Parameter::new(ParameterType::AwsList(AwsParameterType::SubnetId)),
    );
    s.add_rule(
        "ProdSubnets",
        Rule::new()
            .when(Cond::equals(env, "prod"))
            .assert(
                Cond::each_member_in(
                    fns::value_of_all("List<AWS::EC2::Subnet::Id>", "VpcId"),
                    fns::ref_all("AWS::EC2::VPC::Id"),
                ),
                "subnets must be in a VPC of this account",
            )
            .assert(Cond::contains(subnets.values(), "subnet-1"), "subnet-1 is required"),
    );
    s.add_rule("Always", Rule::new().assert(Cond::named("IsX"), "never"));
    s.add_condition("IsX", Cond::equals(env, "x"));
    let t = template(&app, "Orders");
    assert_eq!(
        t["Rules"],
        json!({
            "ProdSubnets": {
                "RuleCondition": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
                "Assertions": [
                    {
                        "Assert": {"Fn::EachMemberIn": [
                            {"Fn::ValueOfAll": ["List<AWS::EC2::Subnet::Id>", "VpcId"]},
                            {"Fn::RefAll": "AWS::EC2::VPC::Id"},
                        ]},
                        "AssertDescription": "subnets must be in a VPC of this account",
                    },
                    {
                        "Assert": {"Fn::Contains": [{"Ref": "Subnets"}, "subnet-1"]},
                        "AssertDescription": "subnet-1 is required",
                    },
                ],
            },
            "Always": {"Assertions": [{"Assert": {"Condition": "IsX"}, "AssertDescription": "never"}]},
        })
    );
    assert_eq!(keys(&t["Rules"]["ProdSubnets"]), ["RuleCondition", "Assertions"]);
}

#[test]
fn transform_single_and_list() {
    let mut app = App::new();
    let mut one = app.stack("One");
    one.add("Queue", queue());
    one.add_transform("AWS::Serverless-2016-10-31").add_transform("AWS::Serverless-2016-10-31");
    let mut two = app.stack("Two");
    two.add("Queue", queue());
    two.add_transform("AWS::LanguageExtensions").add_transform("AWS::Serverless-2016-10-31");
    assert_eq!(template(&app, "One")["Transform"], json!("AWS::Serverless-2016-10-31"));
    assert_eq!(
        template(&app, "Two")["Transform"],
        json!(["AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"])
    );
}

#[test]
fn outputs_with_description_export_and_condition() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let q = s.add("Queue", queue());
    let c = s.add_condition("Always", Cond::equals("a", "a"));
    s.add_output(
        "QueueArn",
        Output::new(q.get_att::<String>("Arn"))
            .condition(c)
            .export_name(stackwright_core::sub!("{}-queue-arn", pseudo::stack_name()))
            .description("The queue's ARN"),
    );
    s.add_output("Literal", Output::new("plain").export_name("orders-literal"));
    let t = template(&app, "Orders");
    assert_eq!(keys(&t["Outputs"]["QueueArn"]), ["Description", "Value", "Export", "Condition"]);
    assert_eq!(
        t["Outputs"],
        json!({
            "QueueArn": {
                "Description": "The queue's ARN",
                "Value": {"Fn::GetAtt": ["Queue", "Arn"]},
                "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-queue-arn"}},
                "Condition": "Always",
            },
            "Literal": {"Value": "plain", "Export": {"Name": "orders-literal"}},
        })
    );
}

#[test]
fn sections_come_in_documented_order_and_empty_ones_are_left_out() {
    let mut app = App::new();
    let mut s = app.stack("Full");
    // Added in scrambled order on purpose.
    let q = s.add("Queue", queue());
    s.add_output("Url", Output::new(q.reference()));
    s.add_condition("C", Cond::equals("a", "b"));
    s.add_mapping("M", Mapping::new().entry("a", "b", "c"));
    s.add_rule("R", Rule::new().assert(Cond::equals("a", "a"), "x"));
    s.add_parameter("P", Parameter::string());
    s.set_globals(json!({"Function": {"Timeout": 30}}));
    s.add_transform("AWS::Serverless-2016-10-31");
    s.add_metadata("cfn-lint", json!({"config": {"ignore_checks": ["W1020"]}}));
    s.set_description("Everything");
    app.stack("Bare").add("Queue", queue());
    let full = template(&app, "Full");
    assert_eq!(
        keys(&full),
        [
            "AWSTemplateFormatVersion",
            "Description",
            "Metadata",
            "Transform",
            "Globals",
            "Parameters",
            "Rules",
            "Mappings",
            "Conditions",
            "Resources",
            "Outputs",
        ]
    );
    assert_eq!(full["AWSTemplateFormatVersion"], "2010-09-09");
    assert_eq!(full["Globals"], json!({"Function": {"Timeout": 30}}));
    assert_eq!(keys(&template(&app, "Bare")), ["AWSTemplateFormatVersion", "Resources"]);
}

#[test]
fn resource_attributes_in_order() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let dep = s.add("Dep", queue());
    let c = s.add_condition("C", Cond::equals("a", "a"));
    let q = s.add("Queue", queue().property("VisibilityTimeout", json!(300)));
    s.node(q)
        .unwrap()
        .add_metadata("Note", dep.reference())
        .set_update_replace_policy(RemovalPolicy::Snapshot)
        .set_deletion_policy(RemovalPolicy::Retain)
        .set_creation_policy(json!({"ResourceSignal": {"Count": 1}}))
        .set_update_policy(json!({"AutoScalingReplacingUpdate": {"WillReplace": true}}))
        .set_condition(c)
        .add_dependency(dep.id());
    let t = template(&app, "Orders");
    let r = &t["Resources"]["Queue"];
    assert_eq!(
        keys(r),
        [
            "Type",
            "Condition",
            "Properties",
            "UpdatePolicy",
            "CreationPolicy",
            "DeletionPolicy",
            "UpdateReplacePolicy",
            "Metadata",
        ]
    );
    // The metadata references Dep, so the explicit dependency is implied and dropped.
    assert_eq!(r["Metadata"], json!({"Note": {"Ref": "Dep"}}));
    assert_eq!(r["DeletionPolicy"], "Retain");
    assert_eq!(r["UpdateReplacePolicy"], "Snapshot");
    assert_eq!(r["CreationPolicy"], json!({"ResourceSignal": {"Count": 1}}));
    assert_eq!(r["UpdatePolicy"], json!({"AutoScalingReplacingUpdate": {"WillReplace": true}}));
}

#[test]
fn overrides_set_create_and_delete() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let dlq = s.add("Dlq", queue());
    let q = s.add(
        "Queue",
        queue()
            .property("VisibilityTimeout", json!(300))
            .property("DelaySeconds", json!(5))
            .property(
                "Tags",
                json!([{"Key": "team", "Value": "a"}, {"Key": "env", "Value": "dev"}]),
            ),
    );
    s.node(q)
        .unwrap()
        .add_override("Properties.VisibilityTimeout", json!(60))
        .add_override("Properties.RedrivePolicy.deadLetterTargetArn", dlq.get_att::<String>("Arn"))
        .add_override("Properties.Tags.1.Value", json!("prod"))
        .add_deletion_override("Properties.DelaySeconds")
        .add_deletion_override("Properties.Tags.0")
        .add_deletion_override("Properties.NotThere.Either")
        .add_override("DeletionPolicy", json!("Retain"));
    let t = template(&app, "Orders");
    assert_eq!(
        t["Resources"]["Queue"],
        json!({
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "VisibilityTimeout": 60,
                "Tags": [{"Key": "env", "Value": "prod"}],
                "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["Dlq", "Arn"]}},
            },
            "DeletionPolicy": "Retain",
        })
    );
    assert_eq!(
        keys(&t["Resources"]["Queue"]["Properties"]),
        ["VisibilityTimeout", "Tags", "RedrivePolicy"]
    );
    // A reference made by an override orders the resources like any other: no DependsOn.
    assert_eq!(t["Resources"]["Queue"].get("DependsOn"), None);
}

#[test]
fn intrinsic_functions_render_in_long_form() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let cidr = fns::cidr("10.0.0.0/16", 4, 8);
    s.add(
        "Thing",
        RawResource::new("Custom::Thing")
            .property("Azs", fns::get_azs(pseudo::region()))
            .property("FirstAz", fns::select(0, fns::get_azs("")))
            .property("Cidr", fns::select(1, cidr))
            .property("Parts", fns::split(",", "a,b"))
            .property("Joined", fns::join("-", vec![pseudo::region(), "x".into()]))
            .property("UserData", fns::base64(stackwright_core::sub!("echo {}", pseudo::region())))
            .property("Imported", fns::import_value("shared-vpc-id"))
            .property("Count", fns::length(fns::split(",", "a,b")))
            .property("Doc", fns::to_json_string(json!({"a": 1})))
            .property("Macro", fns::transform("AWS::Include", json!({"Location": "s3://b/k"})))
            .property("Arns", pseudo::notification_arns())
            .property("Url", stackwright_core::sub!("https://x.{}", pseudo::url_suffix()))
            .property("Id", pseudo::stack_id()),
    );
    let t = template(&app, "Orders");
    assert_eq!(
        t["Resources"]["Thing"]["Properties"],
        json!({
            "Azs": {"Fn::GetAZs": {"Ref": "AWS::Region"}},
            "FirstAz": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
            "Cidr": {"Fn::Select": [1, {"Fn::Cidr": ["10.0.0.0/16", 4, 8]}]},
            "Parts": {"Fn::Split": [",", "a,b"]},
            "Joined": {"Fn::Join": ["-", [{"Ref": "AWS::Region"}, "x"]]},
            "UserData": {"Fn::Base64": {"Fn::Sub": "echo ${AWS::Region}"}},
            "Imported": {"Fn::ImportValue": "shared-vpc-id"},
            "Count": {"Fn::Length": {"Fn::Split": [",", "a,b"]}},
            "Doc": {"Fn::ToJsonString": {"a": 1}},
            "Macro": {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}},
            "Arns": {"Ref": "AWS::NotificationARNs"},
            "Url": {"Fn::Sub": "https://x.${AWS::URLSuffix}"},
            "Id": {"Ref": "AWS::StackId"},
        })
    );
}

#[test]
fn json_text_is_pretty_with_a_trailing_newline() {
    let mut app = App::new();
    app.stack("Orders").add("Queue", queue().property("Name", "a \"quoted\" name"));
    let assembly = app.synth(Format::Json).unwrap();
    let artifact = assembly.stack("Orders").unwrap();
    assert_eq!(artifact.file, "Orders.template.json");
    assert_eq!(
        artifact.body,
        "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Resources\": {\n    \"Queue\": \
         {\n      \"Type\": \"AWS::SQS::Queue\",\n      \"Properties\": {\n        \"Name\": \"a \
         \\\"quoted\\\" name\"\n      }\n    }\n  }\n}\n"
    );
}

#[test]
fn lengths_past_what_a_template_integer_holds_saturate_instead_of_wrapping() {
    let mut app = App::new();
    let mut s = app.stack("S");
    s.add_parameter("Name", Parameter::string().max_length(u64::MAX).min_length(1));
    s.add("Q", queue());
    let t = template(&app, "S");
    assert_eq!(t["Parameters"]["Name"]["MaxLength"], json!(i64::MAX));
    assert_eq!(t["Parameters"]["Name"]["MinLength"], json!(1));
}

//! YAML output: the short-form tags a person writes, the long form where YAML cannot nest two
//! tags, and the same template as the JSON output once the tags are read back.

// Tests assert by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};
use stackwright_core::{
    App, Cond, Format, Handle, Mapping, Output, Parameter, RawResource, Rule, fns, pseudo, sub,
};

fn queue() -> RawResource {
    RawResource::new("AWS::SQS::Queue")
}

/// Reads YAML back into the JSON long form: `!Ref X` becomes `{"Ref": "X"}`, `!GetAtt A.B`
/// becomes `{"Fn::GetAtt": ["A", "B"]}`, `!Name arg` becomes `{"Fn::Name": arg}`.
fn long_form(v: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => match n.as_i64() {
            Some(i) => json!(i),
            None => json!(n.as_f64().unwrap()),
        },
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(long_form).collect()),
        Y::Mapping(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k.as_str().expect("string keys").to_owned(), long_form(v)))
                .collect(),
        ),
        Y::Tagged(t) => {
            let tag = t.tag.to_string();
            let name = tag.trim_start_matches('!');
            let arg = long_form(t.value);
            match (name, arg) {
                ("GetAtt", Value::String(s)) => {
                    let (r, a) = s.split_once('.').unwrap();
                    json!({"Fn::GetAtt": [r, a]})
                }
                ("Ref" | "Condition", arg) => json!({ name: arg }),
                (other, arg) => json!({ format!("Fn::{other}"): arg }),
            }
        }
    }
}

/// Every stack's YAML, read back into the long form, equals its JSON.
fn assert_yaml_matches_json(app: &App) {
    let json_out = app.synth(Format::Json).unwrap_or_else(|d| panic!("{d}"));
    let yaml_out = app.synth(Format::Yaml).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(json_out.stacks().len(), yaml_out.stacks().len());
    for (j, y) in json_out.stacks().iter().zip(yaml_out.stacks()) {
        assert_eq!(y.file, format!("{}.template.yaml", j.name));
        let expected: Value = serde_json::from_str(&j.body).unwrap();
        let parsed: serde_yaml::Value =
            serde_yaml::from_str(&y.body).unwrap_or_else(|e| panic!("{e}\n{}", y.body));
        assert_eq!(long_form(parsed), expected, "YAML of {} was:\n{}", j.name, y.body);
        assert!(y.body.ends_with('\n') && !y.body.ends_with("\n\n"));
    }
}

fn yaml(app: &App, stack: &str) -> String {
    let assembly = app.synth(Format::Yaml).unwrap_or_else(|d| panic!("{d}"));
    assembly.stack(stack).unwrap().body.clone()
}

#[test]
fn short_form_tags() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let q = s.add("Queue", queue());
    s.add(
        "Topic",
        RawResource::new("AWS::SNS::Topic")
            .property("Url", q.reference())
            .property("Arn", q.get_att::<String>("Arn"))
            .property("Policy", sub!("arn:{}:sqs:::{}/*", pseudo::partition(), q.reference()))
            .property("UserData", fns::base64(sub!("echo {}", pseudo::region())))
            .property("Zone", fns::select(0, fns::get_azs("")))
            .property("Zones", fns::get_azs(pseudo::region())),
    );
    assert_eq!(
        yaml(&app, "Orders"),
        "\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      Url: !Ref Queue
      Arn: !GetAtt Queue.Arn
      Policy: !Sub 'arn:${AWS::Partition}:sqs:::${Queue}/*'
      UserData:
        Fn::Base64: !Sub 'echo ${AWS::Region}'
      Zone: !Select
        - 0
        - !GetAZs ''
      Zones:
        Fn::GetAZs: !Ref AWS::Region
"
    );
    assert_yaml_matches_json(&app);
}

#[test]
fn sub_with_variables_conditions_and_mappings() {
    let mut app = App::new();
    let q = app.stack("Producer").add("Queue", queue());
    let mut s = app.stack("Consumer");
    let env = s.add_parameter("Env", Parameter::string().allowed_values(["dev", "prod"]));
    let is_prod = s.add_condition("IsProd", Cond::equals(env, "prod"));
    s.add_condition("NotProd", Cond::negate(is_prod));
    let m = s.add_mapping("Sizes", Mapping::new().entry("prod", "Size", "10"));
    s.add(
        "Reader",
        RawResource::new("AWS::SNS::Topic")
            .property("Name", sub!("{}-{}", env, q.get_att::<String>("QueueName")))
            .property("Size", fns::if_::<String>(is_prod, m.find(env, "Size"), pseudo::no_value()))
            .property(
                "Spec",
                "version: 0.2\nphases:\n  build:\n    commands:\n      - cargo test\n",
            ),
    );
    assert_eq!(
        yaml(&app, "Consumer"),
        "\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env:
    Type: String
    AllowedValues:
      - dev
      - prod
Mappings:
  Sizes:
    prod:
      Size: '10'
Conditions:
  IsProd: !Equals
    - !Ref Env
    - prod
  NotProd: !Not
    - !Condition IsProd
Resources:
  Reader:
    Type: AWS::SNS::Topic
    Properties:
      Name: !Sub
        - '${Env}-${QueueQueueName}'
        - QueueQueueName: !ImportValue Producer:Queue:QueueName
      Size: !If
        - IsProd
        - !FindInMap
          - Sizes
          - !Ref Env
          - Size
        - !Ref AWS::NoValue
      Spec: |
        version: 0.2
        phases:
          build:
            commands:
              - cargo test
"
    );
    assert_yaml_matches_json(&app);
}

#[test]
fn everything_reads_back_as_the_json_template() {
    let mut app = App::new();
    let producer = app.stack("Producer").add("Queue", queue());
    let mut s = app.stack("Orders");
    s.set_description("Orders: queue, topic and friends")
        .add_transform("AWS::Serverless-2016-10-31")
        .add_metadata("Note", json!({"multi": "line\ntext", "empty": {}, "list": []}));
    let env = s.add_parameter("Env", Parameter::string().default_value("dev").description("yes"));
    let c = s.add_condition("IsProd", Cond::equals(env, "prod"));
    s.add_condition("Both", Cond::and([Cond::from(c), Cond::negate(Cond::named("IsProd"))]));
    let m = s.add_mapping("M", Mapping::new().list_entry("a", "b", ["x: y", "#z", "true"]));
    s.add_rule(
        "R",
        Rule::new().when(Cond::equals(env, "prod")).assert(Cond::contains(vec!["a"], "a"), "it's"),
    );
    let q = s.add(
        "Queue",
        queue()
            .property(
                "Weird",
                json!([
                    "", " lead", "trail ", "null", "0x1F", "- dash", "a: b", "ünï", 1.5, -3, true,
                    null
                ]),
            )
            .property("Deep", json!({"A": [{"B": [[1, 2], []]}], "C": {}}))
            .property("List", m.find_list("a", "b"))
            .property("Imported", producer.get_att::<String>("Arn"))
            .property("Script", sub!("echo {}\n  indented\n\nlast\n", pseudo::region()))
            .property("ScriptVars", sub!("echo {}\nnext", producer.reference()))
            .property(
                "Scripts",
                stackwright_core::Val::<Vec<String>>::from(vec![
                    sub!("a {}\nb", pseudo::region()),
                    sub!("{}\n", env),
                ]),
            )
            .property(
                "Nested",
                fns::base64(fns::join(
                    "",
                    vec![sub!("a{}", pseudo::region()), fns::import_value(sub!("{}-x", env))],
                )),
            ),
    );
    s.node(q).unwrap().set_condition(c).add_metadata("K", fns::get_azs(pseudo::region()));
    s.add(
        "Topic",
        RawResource::new("AWS::SNS::Topic")
            .property("V", fns::import_value(fns::select(0, fns::split(",", "a,b")))),
    );
    s.add_output(
        "Out",
        Output::new(sub!("{}/{}", q.reference(), producer.reference()))
            .export_name(sub!("{}-out", pseudo::stack_name())),
    );
    assert_yaml_matches_json(&app);
    let text = yaml(&app, "Orders");
    assert!(text.contains("V:\n        Fn::ImportValue: !Select\n"), "{text}");
}

#[test]
fn yaml_manifest_lists_yaml_files() {
    let mut app = App::new();
    app.stack("Orders").add("Queue", queue());
    let assembly = app.synth(Format::Yaml).unwrap();
    assert_eq!(assembly.format(), Format::Yaml);
    let files: Vec<&str> = assembly.files().iter().map(|(f, _)| *f).collect();
    assert_eq!(files, ["Orders.template.yaml", "manifest.json"]);
    let manifest: Value = serde_json::from_str(assembly.files()[1].1).unwrap();
    assert_eq!(manifest["format"], "yaml");
    assert_eq!(manifest["stacks"][0]["template"], "Orders.template.yaml");
}

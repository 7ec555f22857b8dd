//! YAML output: the short-form tags a person writes, the long form where YAML cannot nest two
//! tags, and the same template as the JSON output once the tags are read back.

// Tests assert by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};
use stackwright_core::emit::{Node, to_yaml};
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
            .property(
                "Size",
                fns::if_::<String>(is_prod, m.find(env, "Size"), pseudo::no_value::<String>()),
            )
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

/// `V: <s>` as the emitter writes it; the text must also read back as `s`.
fn yaml_value(node: Node) -> String {
    let tree = Node::Map(vec![("V".into(), node)]);
    let text = to_yaml(&tree);
    let parsed: serde_yaml::Value =
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(long_form(parsed), tree.to_value(), "YAML was:\n{text}");
    text
}

fn str_value(s: &str) -> String {
    yaml_value(Node::Str(s.into()))
}

#[test]
fn yaml_1_1_non_strings_are_quoted() {
    // YAML 1.1 (PyYAML) reads each of these plain scalars as something other than a string:
    // the value key, merge key, booleans, an octal and a YAML 1.2 octal, an integer with
    // separators, a sexagesimal, a timestamp, infinity, null.
    for (s, quoted) in [
        ("=", "'='"),
        ("<<", "'<<'"),
        ("yes", "'yes'"),
        ("Y", "'Y'"),
        ("off", "'off'"),
        ("017", "'017'"),
        ("0o17", "'0o17'"),
        ("1_000", "'1_000'"),
        ("12:30", "'12:30'"),
        ("190:20:30.15", "'190:20:30.15'"),
        ("2001-12-14", "'2001-12-14'"),
        (".inf", "'.inf'"),
        ("~", "'~'"),
        ("", "''"),
    ] {
        assert_eq!(str_value(s), format!("V: {quoted}\n"), "{s:?}");
    }
    // Near misses stay plain.
    assert_eq!(str_value("yes please"), "V: yes please\n");
    assert_eq!(str_value("a=b"), "V: a=b\n");
}

#[test]
fn line_breaks_and_non_printables_are_escaped() {
    // C1 controls, NEL, the Unicode line and paragraph separators (line breaks to YAML 1.1),
    // the noncharacters U+FFFE and U+FFFF, and a byte order mark have no raw form.
    assert_eq!(str_value("a\u{80}b\u{9F}"), "V: \"a\\u0080b\\u009F\"\n");
    assert_eq!(str_value("a\u{85}b"), "V: \"a\\u0085b\"\n");
    assert_eq!(str_value("a\u{2028}b"), "V: \"a\\u2028b\"\n");
    assert_eq!(str_value("a\u{2029}b"), "V: \"a\\u2029b\"\n");
    assert_eq!(str_value("\u{FFFE}\u{FFFF}"), "V: \"\\uFFFE\\uFFFF\"\n");
    assert_eq!(str_value("\u{FEFF}x"), "V: \"\\uFEFFx\"\n");
    assert_eq!(str_value("a\u{7F}\u{0}"), "V: \"a\\u007F\\u0000\"\n");
    // The same lines with a break in them would otherwise be literal blocks.
    assert_eq!(str_value("a\u{2028}\nb\n"), "V: \"a\\u2028\\nb\\n\"\n");
    // A carriage return is a line break to every reader: double quotes keep it.
    assert_eq!(str_value("a\r\nb"), "V: \"a\\r\\nb\"\n");
    assert_eq!(str_value("tab\there"), "V: \"tab\\there\"\n");
    // Printable non-ASCII text is written as it is.
    assert_eq!(str_value("ünï €"), "V: ünï €\n");
}

#[test]
fn spaces_and_line_breaks_at_the_ends_survive() {
    assert_eq!(str_value(" lead"), "V: ' lead'\n");
    assert_eq!(str_value("trail "), "V: 'trail '\n");
    assert_eq!(str_value("line\n"), "V: |\n  line\n");
    assert_eq!(str_value("a\nb"), "V: |-\n  a\n  b\n");
    assert_eq!(str_value("a\n\n"), "V: |+\n  a\n\n");
    // A first line that starts with a space needs the indentation stated.
    assert_eq!(str_value(" x\ny\n"), "V: |2\n   x\n  y\n");
    assert_eq!(str_value("\n\n  x"), "V: |2-\n\n\n    x\n");
    // Nothing but line breaks, or a line ending in a space: double quotes.
    assert_eq!(str_value("\n\n"), "V: \"\\n\\n\"\n");
    assert_eq!(str_value("a \nb"), "V: \"a \\nb\"\n");
    assert_eq!(str_value("\tx\ny"), "V: \"\\tx\\ny\"\n");
}

#[test]
fn merge_and_long_keys() {
    let tree = Node::Map(vec![("<<".into(), Node::Map(vec![("A".into(), Node::Str("b".into()))]))]);
    assert_eq!(to_yaml(&tree), "'<<':\n  A: b\n");
    // 1024 characters is the longest implicit key YAML readers accept; longer ones take the
    // explicit `? key` form.
    let at_limit = "k".repeat(1024);
    let over = "k".repeat(1025);
    let tree = Node::Map(vec![
        (at_limit.clone(), Node::Int(1)),
        (over.clone(), Node::List(vec![Node::Str("v".into())])),
    ]);
    let text = to_yaml(&tree);
    assert_eq!(text, format!("{at_limit}: 1\n? {over}\n:\n  - v\n"));
    let parsed: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(long_form(parsed), tree.to_value());
    // The limit counts bytes, so fewer multi-byte characters go explicit too.
    let wide = "é".repeat(600);
    let tree = Node::Map(vec![(wide.clone(), Node::Str("v".into()))]);
    assert_eq!(to_yaml(&tree), format!("? {wide}\n: v\n"));
}

#[test]
fn numbers_keep_their_kind() {
    for (node, text) in [
        (Node::Float(1e300), "1.0e+300"),
        (Node::Float(-1.5e16), "-1.5e+16"),
        (Node::Float(1e15), "1000000000000000.0"),
        (Node::Float(-0.0), "-0.0"),
        (Node::Float(0.1), "0.1"),
        (Node::Float(f64::NAN), "null"),
        (Node::Int(i64::MIN), "-9223372036854775808"),
        (Node::Int(i64::MAX), "9223372036854775807"),
    ] {
        assert_eq!(yaml_value(node), format!("V: {text}\n"));
    }
    let parsed: serde_yaml::Value = serde_yaml::from_str(&yaml_value(Node::Float(5e-324))).unwrap();
    assert_eq!(parsed["V"].as_f64(), Some(5e-324));
}

#[test]
fn tags_only_where_they_read_back() {
    // A tag replaces the type a scalar is read as: `!Base64 5` would be the text `5`.
    assert_eq!(yaml_value(Node::func("Fn::Base64", Node::Int(5))), "V:\n  Fn::Base64: 5\n");
    // `!GetAtt A.B.C` splits at the first dot, so a dotted resource name keeps the list.
    let att = |r: &str, a: &str| {
        Node::func("Fn::GetAtt", Node::List(vec![Node::Str(r.into()), Node::Str(a.into())]))
    };
    assert_eq!(yaml_value(att("Db", "Endpoint.Address")), "V: !GetAtt Db.Endpoint.Address\n");
    assert_eq!(yaml_value(att("A.B", "C")), "V: !GetAtt\n  - A.B\n  - C\n");
    assert_eq!(yaml_value(att("Q", "yes")), "V: !GetAtt Q.yes\n");
    assert_eq!(yaml_value(att("1", "2")), "V: !GetAtt '1.2'\n");
    // A name that makes no tag, or one that would read back as another name, stays long.
    assert_eq!(yaml_value(Node::func("Fn::Ref", Node::Str("X".into()))), "V:\n  Fn::Ref: X\n");
    assert_eq!(
        yaml_value(Node::func("Fn::GetAtt", Node::Str("A.B".into()))),
        "V:\n  Fn::GetAtt: A.B\n"
    );
}

#[test]
fn a_lone_scalar_is_a_document() {
    assert_eq!(to_yaml(&Node::Str("a\n---\n...\n".into())), "|\n  a\n  ---\n  ...\n");
    assert_eq!(to_yaml(&Node::Str("---".into())), "'---'\n");
    assert_eq!(
        to_yaml(&Node::func("Fn::Base64", Node::func("Fn::Sub", Node::Str("x".into())))),
        "Fn::Base64: !Sub x\n"
    );
}

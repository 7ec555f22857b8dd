//! References inside one stack: Ref, GetAtt and `sub!` rendering, explicit dependencies,
//! pinned logical IDs, and the errors for cycles, dangling names and foreign handles.

// Tests assert by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};
use stackwright_core::{
    App, Cond, Expr, Format, Handle, Mapping, Output, Parameter, RawResource, fns, pseudo, sub,
};

fn queue() -> RawResource {
    RawResource::new("AWS::SQS::Queue")
}

fn topic() -> RawResource {
    RawResource::new("AWS::SNS::Topic")
}

/// The JSON template of one stack; panics with the diagnostics when synthesis fails.
fn template(app: &App, stack: &str) -> Value {
    let assembly = app.synth(Format::Json).unwrap_or_else(|d| panic!("{d}"));
    serde_json::from_str(&assembly.stack(stack).unwrap().body).unwrap()
}

fn errors(app: &App) -> Vec<String> {
    match app.synth(Format::Json) {
        Ok(_) => panic!("expected errors"),
        Err(d) => d.errors.iter().map(ToString::to_string).collect(),
    }
}

/// Replaces the resource behind `handle` with `f` of it (references to later resources).
fn edit(
    app: &mut App,
    handle: stackwright_core::RawHandle,
    f: impl FnOnce(RawResource) -> RawResource,
) {
    let slot = app.get_mut::<RawResource>(handle).unwrap();
    *slot = f(slot.clone());
}

#[test]
fn ref_and_get_att_render_as_intrinsics() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let q = s.add("Queue", queue());
    s.add(
        "Topic",
        topic()
            .property("QueueUrl", q.reference())
            .property("QueueArn", q.get_att::<String>("Arn"))
            .property("Nested", json!({"List": [{"Ref": "Queue"}, {"Fn::GetAtt": "Queue.Arn"}]})),
    );
    let t = template(&app, "Orders");
    assert_eq!(
        t["Resources"]["Topic"],
        json!({
            "Type": "AWS::SNS::Topic",
            "Properties": {
                "QueueUrl": {"Ref": "Queue"},
                "QueueArn": {"Fn::GetAtt": ["Queue", "Arn"]},
                "Nested": {"List": [{"Ref": "Queue"}, {"Fn::GetAtt": ["Queue", "Arn"]}]},
            },
        })
    );
    assert_eq!(t["Resources"]["Queue"], json!({"Type": "AWS::SQS::Queue"}));
}

#[test]
fn reference_cycle_names_both_paths_in_order() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let a = s.child("Service").add("Role", topic());
    let b = s.child("Service").add("Policy", topic().property("Role", a.reference()));
    edit(&mut app, a, |r| r.property("Policy", b.get_att::<String>("Arn")));
    assert_eq!(
        errors(&app),
        ["Orders: reference cycle Service/Role -> Service/Policy -> Service/Role; break it by \
             removing one reference or by moving a piece into its own resource"]
    );
}

#[test]
fn three_way_cycle_through_sub_and_an_explicit_dependency() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let a = s.add("A", topic());
    let b = s.add("B", topic().property("Name", sub!("{}-b", a.reference())));
    let c = s.add("C", topic().property("Name", sub!("{}-c", b.get_att::<String>("Name"))));
    s.node(a).unwrap().add_dependency(c.id());
    assert_eq!(
        errors(&app),
        ["Orders: reference cycle A -> C -> B -> A; break it by removing one reference or by \
             moving a piece into its own resource"]
    );
}

#[test]
fn self_reference_is_a_cycle() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let a = s.add("Queue", queue());
    edit(&mut app, a, |r| r.property("Me", a.reference()));
    assert_eq!(
        errors(&app),
        ["Orders: reference cycle Queue -> Queue; break it by removing one reference or by \
             moving a piece into its own resource"]
    );
}

#[test]
fn dangling_references_by_name() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add_parameter("Env", Parameter::string());
    s.add("Queue", queue());
    s.add("Ref", topic().property("V", json!({"Ref": "Missing"})));
    s.add("GetAtt", topic().property("V", json!({"Fn::GetAtt": ["Missing", "Arn"]})));
    s.add("Sub", topic().property("V", json!({"Fn::Sub": "${Env}-${Missing}-${AWS::Region}"})));
    s.add("SubAttr", topic().property("V", json!({"Fn::Sub": "${Queue.Arn}/${Gone.Arn}"})));
    s.add("If", topic().property("V", json!({"Fn::If": ["NoSuchCondition", "a", "b"]})));
    s.add("Map", topic().property("V", json!({"Fn::FindInMap": ["NoSuchMap", "a", "b"]})));
    s.add("Typed", topic().property("V", fns::if_named::<String>("Absent", "a", "b")));
    s.add_output("Out", Output::new(fns::ref_named::<String>("Nowhere")));
    let hint = "check the spelling, or reference the construct's handle instead of its name";
    assert_eq!(
        errors(&app),
        [
            format!("Orders/Ref: `Ref` target `Missing` does not exist in this stack; {hint}"),
            format!(
                "Orders/GetAtt: `Fn::GetAtt` target `Missing` does not exist in this stack; {hint}"
            ),
            format!("Orders/Sub: `Fn::Sub` target `Missing` does not exist in this stack; {hint}"),
            format!("Orders/SubAttr: `Fn::Sub` target `Gone` does not exist in this stack; {hint}"),
            "Orders/If: condition `NoSuchCondition` does not exist in this stack; declare it \
             with add_condition, and use the handle it returns"
                .to_owned(),
            "Orders/Map: mapping `NoSuchMap` does not exist in this stack; declare it with \
             add_mapping, and use the handle it returns"
                .to_owned(),
            "Orders/Typed: condition `Absent` does not exist in this stack; declare it with \
             add_condition, and use the handle it returns"
                .to_owned(),
            format!(
                "Orders/output Out: `Ref` target `Nowhere` does not exist in this stack; {hint}"
            ),
        ]
    );
}

#[test]
fn names_that_exist_are_accepted() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add_parameter("Env", Parameter::string());
    s.add_mapping("Sizes", Mapping::new().entry("dev", "Size", "1"));
    s.add_condition("IsProd", Cond::equals(pseudo::region(), "us-east-1"));
    s.add("Queue", queue());
    s.add(
        "Topic",
        topic()
            .property("A", json!({"Ref": "Env"}))
            .property("B", json!({"Ref": "AWS::StackName"}))
            .property("C", json!({"Fn::Sub": "${Queue}-${Queue.Arn}-${Env}-${!Literal}"}))
            .property("D", json!({"Fn::If": ["IsProd", {"Ref": "Queue"}, {"Ref": "AWS::NoValue"}]}))
            .property("E", json!({"Fn::FindInMap": ["Sizes", "dev", "Size"]})),
    );
    let t = template(&app, "Orders");
    assert_eq!(
        t["Resources"]["Topic"]["Properties"],
        json!({
            "A": {"Ref": "Env"},
            "B": {"Ref": "AWS::StackName"},
            "C": {"Fn::Sub": "${Queue}-${Queue.Arn}-${Env}-${!Literal}"},
            "D": {"Fn::If": ["IsProd", {"Ref": "Queue"}, {"Ref": "AWS::NoValue"}]},
            "E": {"Fn::FindInMap": ["Sizes", "dev", "Size"]},
        })
    );
    // References by name order resources like typed ones: Topic comes after Queue, so no
    // DependsOn is needed and none is emitted.
    assert_eq!(t["Resources"]["Topic"].get("DependsOn"), None);
}

#[test]
fn handle_from_another_app() {
    let mut other = App::new();
    let foreign = other.stack("Orders").add("Queue", queue());
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    let t = s.add("Topic", topic().property("Q", foreign.reference()));
    assert!(s.node(foreign).is_none(), "a handle of another app has no node here");
    s.node(t).unwrap().add_dependency(foreign.id());
    assert_eq!(
        errors(&app),
        [
            "Orders/Topic: a reference uses a handle from a different App; handles belong to the app that \
             created them",
            "Orders/Topic: DependsOn uses a handle from a different App; handles belong to the app that \
             created them",
        ]
    );
    // The other app is untouched and still fine.
    assert!(other.synth(Format::Json).is_ok());
}

#[test]
fn condition_and_parameter_handles_from_another_app() {
    let mut other = App::new();
    let cond = other.stack("Orders").add_condition("IsProd", Cond::named("X"));
    let param = other.stack("Orders").add_parameter("Env", Parameter::string());
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add(
        "Topic",
        topic().property("V", fns::if_::<String>(cond, "a", "b")).property("P", param.value()),
    );
    let msg = "Orders/Topic: a reference uses a handle from a different App; handles belong to the app that \
               created them";
    assert_eq!(errors(&app), [msg, msg]);
}

#[test]
fn explicit_dependency_only_without_a_reference() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let a = s.add("A", queue());
    let b = s.add("B", queue());
    let c = s.add("C", topic().property("Q", a.reference()));
    let d = s.add("D", topic().property("Q", sub!("{}!", b.get_att::<String>("Arn"))));
    s.node(b).unwrap().add_dependency(a.id()).add_dependency(a.id());
    s.node(c).unwrap().add_dependency(a.id());
    s.node(d).unwrap().add_dependency(a.id()).add_dependency(b.id()).add_dependency(c.id());
    let t = template(&app, "Orders");
    let r = &t["Resources"];
    assert_eq!(r["A"].get("DependsOn"), None);
    // No reference between A and B: DependsOn is the only thing ordering them.
    assert_eq!(r["B"]["DependsOn"], json!("A"));
    // C references A already (cfn-lint W3005): the explicit dependency is dropped.
    assert_eq!(r["C"].get("DependsOn"), None);
    // D references B through sub!, so only A and C remain, as a list, in the order added.
    assert_eq!(r["D"]["DependsOn"], json!(["A", "C"]));
    // DependsOn comes after Type and Condition, before Properties.
    let keys: Vec<&String> = r["D"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["Type", "DependsOn", "Properties"]);
}

#[test]
fn pinned_logical_id_changes_every_reference() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let q = s.add("Queue", queue());
    s.node(q).unwrap().override_logical_id("OrdersQueueV1");
    let a = s.add("A", topic());
    s.node(a).unwrap().add_dependency(q.id());
    s.add(
        "B",
        topic()
            .property("Url", q.reference())
            .property("Arn", q.get_att::<String>("Arn"))
            .property("Text", sub!("{}|{}", q.reference(), q.get_att::<String>("Arn"))),
    );
    s.add_output("QueueUrl", Output::new(q.reference()));
    app.stack("Consumer").add("C", topic().property("Url", q.reference()));

    let consumer = template(&app, "Consumer");
    let t = template(&app, "Orders");
    let r = &t["Resources"];
    assert!(r.get("Queue").is_none());
    assert_eq!(r["OrdersQueueV1"]["Type"], "AWS::SQS::Queue");
    assert_eq!(r["A"]["DependsOn"], json!("OrdersQueueV1"));
    assert_eq!(
        r["B"]["Properties"],
        json!({
            "Url": {"Ref": "OrdersQueueV1"},
            "Arn": {"Fn::GetAtt": ["OrdersQueueV1", "Arn"]},
            "Text": {"Fn::Sub": "${OrdersQueueV1}|${OrdersQueueV1.Arn}"},
        })
    );
    assert_eq!(t["Outputs"]["QueueUrl"]["Value"], json!({"Ref": "OrdersQueueV1"}));
    assert_eq!(
        t["Outputs"]["ExportOrdersQueueV1Ref"],
        json!({"Value": {"Ref": "OrdersQueueV1"}, "Export": {"Name": "Orders:OrdersQueueV1"}})
    );
    assert_eq!(
        consumer["Resources"]["C"]["Properties"]["Url"],
        json!({"Fn::ImportValue": "Orders:OrdersQueueV1"})
    );
    // The construct path is unchanged.
    let node = app.stacks()[0].resources().next().unwrap();
    assert_eq!(node.path().to_string(), "Queue");
    assert_eq!(node.logical_id(), "OrdersQueueV1");
}

#[test]
fn sub_with_same_stack_get_att_is_inline() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let q = s.add("Queue", queue());
    let env = s.add_parameter("Env", Parameter::string());
    let arn = sub!(
        "arn:{}:sqs:{}:{}:{}-dlq",
        pseudo::partition(),
        pseudo::region(),
        pseudo::account_id(),
        q.get_att::<String>("QueueName")
    );
    s.add(
        "Topic",
        topic()
            .property("Arn", arn)
            .property("Policy", sub!("{}/*", q.get_att::<String>("Arn")))
            .property("Name", sub!("{}-{}-{}", env, q.reference(), pseudo::stack_name())),
    );
    let t = template(&app, "Orders");
    assert_eq!(
        t["Resources"]["Topic"]["Properties"],
        json!({
            "Arn": {"Fn::Sub": "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Queue.QueueName}-dlq"},
            "Policy": {"Fn::Sub": "${Queue.Arn}/*"},
            "Name": {"Fn::Sub": "${Env}-${Queue}-${AWS::StackName}"},
        })
    );
}

#[test]
fn sub_escapes_literal_placeholders() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add(
        "Topic",
        topic()
            .property("Script", sub!("echo ${{HOME}} in {} costs $5 {{}}", pseudo::region()))
            .property("Already", sub!("${{!Keep}}:{}", pseudo::region()))
            .property("Plain", sub!("echo ${{HOME}} {}", "here")),
    );
    let t = template(&app, "Orders");
    assert_eq!(
        t["Resources"]["Topic"]["Properties"],
        json!({
            "Script": {"Fn::Sub": "echo ${!HOME} in ${AWS::Region} costs $5 {}"},
            // `${!X}` is CloudFormation's escape for `${X}`; escaping it again keeps `${!Keep}`.
            "Already": {"Fn::Sub": "${!!Keep}:${AWS::Region}"},
            // Literal only: a plain string, nothing to escape.
            "Plain": "echo ${HOME} here",
        })
    );
}

#[test]
fn sub_of_sub_flattens_and_non_inline_values_become_variables() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let q = s.add("Queue", queue());
    s.add("Var0", queue());
    let inner = sub!("{}-{}", pseudo::region(), "x");
    s.add(
        "Topic",
        topic().property("Flat", sub!("<{}>/{}", inner, q.reference())).property(
            "Az",
            sub!(
                "{}:{}:{}",
                fns::select(0, fns::get_azs("")),
                fns::join(",", vec!["a", "b"]),
                fns::select(0, fns::get_azs(""))
            ),
        ),
    );
    let t = template(&app, "Orders");
    assert_eq!(
        t["Resources"]["Topic"]["Properties"],
        json!({
            "Flat": {"Fn::Sub": "<${AWS::Region}-x>/${Queue}"},
            // `Var0` is a resource of this stack, so the variable takes the next free name;
            // the same value twice shares one variable.
            "Az": {"Fn::Sub": ["${Var02}:${Var1}:${Var02}", {
                "Var02": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
                "Var1": {"Fn::Join": [",", ["a", "b"]]},
            }]},
        })
    );
}

#[test]
fn sub_raw_with_variables() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let q = s.add("Queue", queue());
    let vars = [("Url".to_owned(), Expr::from(q.reference()))];
    s.add("Topic", topic().property("V", fns::sub_raw("${Url}/${AWS::Region}/${!x}", vars)));
    let t = template(&app, "Orders");
    assert_eq!(
        t["Resources"]["Topic"]["Properties"]["V"],
        json!({"Fn::Sub": ["${Url}/${AWS::Region}/${!x}", {"Url": {"Ref": "Queue"}}]})
    );
}

#[test]
fn resources_keep_the_order_they_were_added() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    for id in ["Zeta", "Alpha", "Mid"] {
        s.add(id, queue());
    }
    let t = template(&app, "Orders");
    let keys: Vec<&String> = t["Resources"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["Zeta", "Alpha", "Mid"]);
}

#[test]
fn a_reference_without_dependency_closes_no_cycle() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let alarm = s.add("Alarm", queue());
    let function =
        s.add("Function", topic().property("Alarm", fns::ref_no_dependency::<String>(alarm)));
    edit(&mut app, alarm, |a| a.property("Watches", function.reference()));
    let t = template(&app, "Orders");
    // Rendered as an ordinary `Ref`, but it orders nothing: no cycle, no DependsOn.
    assert_eq!(t["Resources"]["Function"]["Properties"]["Alarm"], json!({"Ref": "Alarm"}));
    assert_eq!(t["Resources"]["Function"].get("DependsOn"), None);
    // The same with an ordinary `Ref` is a cycle.
    let mut app = App::new();
    let mut s = app.stack("Orders");
    let alarm = s.add("Alarm", queue());
    let function = s.add("Function", topic().property("Alarm", alarm.reference()));
    edit(&mut app, alarm, |a| a.property("Watches", function.reference()));
    assert_eq!(
        errors(&app),
        ["Orders: reference cycle Alarm -> Function -> Alarm; break it by removing one \
             reference or by moving a piece into its own resource"]
    );
}

#[test]
fn a_named_reference_without_dependency_is_still_checked() {
    let mut app = App::new();
    let mut s = app.stack("Orders");
    s.add("Queue", queue());
    let named = fns::without_dependency(fns::ref_named::<String>("Qeueu"));
    s.add("Topic", topic().property("Q", named));
    assert_eq!(
        errors(&app),
        ["Orders/Topic: `Qeueu` does not exist in this stack; check the spelling, or \
             reference the construct's handle instead of its name"]
    );
}

#[test]
fn arns_take_the_account_and_region_of_the_stack_that_uses_them() {
    let mut app = App::new();
    let arn = || stackwright_core::Arn::new("ssm", "parameter", "app/db").to_val();
    app.stack("Open").add("Queue", queue().property("P", sub!("{}*", arn())));
    let mut pinned = app.stack("Pinned");
    pinned.set_environment(stackwright_core::Environment::new("111111111111", "eu-west-1"));
    pinned.add("Queue", queue().property("P", arn()));
    assert_eq!(
        template(&app, "Open")["Resources"]["Queue"]["Properties"]["P"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/app/db*"})
    );
    assert_eq!(
        template(&app, "Pinned")["Resources"]["Queue"]["Properties"]["P"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:ssm:eu-west-1:111111111111:parameter/app/db"})
    );
}

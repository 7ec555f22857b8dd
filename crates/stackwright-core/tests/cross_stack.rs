//! References between stacks: exports and imports, deployment order, and what cannot cross
//! (other accounts and regions, template items, colliding export names, cycles).

// Tests assert by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};
use stackwright_core::{
    App, Assembly, Cond, Environment, Format, Handle, Mapping, Output, Parameter, RawResource, fns,
    pseudo, sub,
};

fn queue() -> RawResource {
    RawResource::new("AWS::SQS::Queue")
}

fn topic() -> RawResource {
    RawResource::new("AWS::SNS::Topic")
}

fn synth(app: &App) -> Assembly {
    app.synth(Format::Json).unwrap_or_else(|d| panic!("{d}"))
}

fn template(assembly: &Assembly, stack: &str) -> Value {
    serde_json::from_str(&assembly.stack(stack).unwrap().body).unwrap()
}

fn errors(app: &App) -> Vec<String> {
    match app.synth(Format::Json) {
        Ok(_) => panic!("expected errors"),
        Err(d) => d.errors.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn same_environment_reference_becomes_export_and_import() {
    let mut app = App::new();
    // The consumer is created first: the manifest must still order the producer first.
    app.stack("Consumer");
    let q = app.stack("Producer").add("Queue", queue());
    app.stack("Consumer").add(
        "Reader",
        topic()
            .property("Url", q.reference())
            .property("Arn", q.get_att::<String>("Arn"))
            .property("AgainArn", q.get_att::<String>("Arn"))
            .property("Endpoint", q.get_att::<String>("Endpoint.Address")),
    );
    let assembly = synth(&app);

    let consumer = template(&assembly, "Consumer");
    assert_eq!(
        consumer["Resources"]["Reader"]["Properties"],
        json!({
            "Url": {"Fn::ImportValue": "Producer:Queue"},
            "Arn": {"Fn::ImportValue": "Producer:Queue:Arn"},
            "AgainArn": {"Fn::ImportValue": "Producer:Queue:Arn"},
            "Endpoint": {"Fn::ImportValue": "Producer:Queue:Endpoint-Address"},
        })
    );
    let producer = template(&assembly, "Producer");
    assert_eq!(
        producer["Outputs"],
        json!({
            "ExportQueueRef": {
                "Value": {"Ref": "Queue"},
                "Export": {"Name": "Producer:Queue"},
            },
            "ExportQueueArn": {
                "Value": {"Fn::GetAtt": ["Queue", "Arn"]},
                "Export": {"Name": "Producer:Queue:Arn"},
            },
            "ExportQueueEndpointAddress": {
                "Value": {"Fn::GetAtt": ["Queue", "Endpoint.Address"]},
                "Export": {"Name": "Producer:Queue:Endpoint-Address"},
            },
        })
    );

    let names: Vec<&str> = assembly.stacks().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Producer", "Consumer"]);
    assert_eq!(assembly.stack("Consumer").unwrap().depends_on, ["Producer"]);
    let (file, manifest) = *assembly.files().last().unwrap();
    assert_eq!(file, "manifest.json");
    let manifest: Value = serde_json::from_str(manifest).unwrap();
    assert_eq!(
        manifest,
        json!({
            "version": 1,
            "generator": "stackwright",
            "format": "json",
            "stacks": [
                {
                    "name": "Producer",
                    "template": "Producer.template.json",
                    "environment": {"account": null, "region": null},
                    "dependsOn": [],
                    "companionFiles": [],
                },
                {
                    "name": "Consumer",
                    "template": "Consumer.template.json",
                    "environment": {"account": null, "region": null},
                    "dependsOn": ["Producer"],
                    "companionFiles": [],
                },
            ],
            "files": ["Producer.template.json", "Consumer.template.json", "manifest.json"],
        })
    );
}

#[test]
fn cross_stack_value_in_sub_becomes_a_variable() {
    let mut app = App::new();
    let q = app.stack("Producer").add("Queue", queue());
    let mut c = app.stack("Consumer");
    // A resource of the consumer with the producer's logical ID: the variable must not
    // shadow it.
    let own = c.add("Queue", queue());
    c.add(
        "Reader",
        topic().property(
            "Policy",
            sub!(
                "arn:{}:sqs:{}:{}:{} {} {} {}",
                pseudo::partition(),
                pseudo::region(),
                pseudo::account_id(),
                q.get_att::<String>("QueueName"),
                q.reference(),
                own.reference(),
                q.reference()
            ),
        ),
    );
    let assembly = synth(&app);
    let consumer = template(&assembly, "Consumer");
    assert_eq!(
        consumer["Resources"]["Reader"]["Properties"]["Policy"],
        json!({"Fn::Sub": [
            "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueQueueName} ${Queue2} ${Queue} ${Queue2}",
            {
                "QueueQueueName": {"Fn::ImportValue": "Producer:Queue:QueueName"},
                "Queue2": {"Fn::ImportValue": "Producer:Queue"},
            },
        ]})
    );
}

#[test]
fn cross_stack_output_and_explicit_dependencies_order_stacks() {
    let mut app = App::new();
    let q = app.stack("Network").add("Vpc", RawResource::new("AWS::EC2::VPC"));
    let db = app.stack("Data").add("Db", queue());
    let data_id = app.stack("Data").stack_id();
    let mut c = app.stack("App");
    c.add_output("VpcId", Output::new(q.reference()));
    let svc = c.add("Service", topic());
    c.node(svc).unwrap().add_dependency(db.id());
    app.stack("Late").add("X", topic());
    app.stack("Late").add_stack_dependency(data_id);
    let assembly = synth(&app);
    let order: Vec<(&str, &[String])> =
        assembly.stacks().iter().map(|s| (s.name.as_str(), s.depends_on.as_slice())).collect();
    assert_eq!(
        order,
        [
            ("Network", &[][..]),
            ("Data", &[][..]),
            ("App", &["Network".to_owned(), "Data".to_owned()][..]),
            ("Late", &["Data".to_owned()][..]),
        ]
    );
    let app_t = template(&assembly, "App");
    assert_eq!(app_t["Outputs"]["VpcId"]["Value"], json!({"Fn::ImportValue": "Network:Vpc"}));
    // A dependency on another stack's resource orders the stacks, never a DependsOn.
    assert_eq!(app_t["Resources"]["Service"], json!({"Type": "AWS::SNS::Topic"}));
    // The explicit dependency needs no export.
    assert_eq!(template(&assembly, "Data").get("Outputs"), None);
}

fn env_app(producer: Environment, consumer: Environment) -> App {
    let mut app = App::new();
    let mut p = app.stack("Producer");
    p.set_environment(producer);
    let q = p.add("Queue", queue());
    let mut c = app.stack("Consumer");
    c.set_environment(consumer);
    c.child("Service").add("Reader", topic().property("Q", q.get_att::<String>("Arn")));
    app
}

#[test]
fn cross_account_reference() {
    let app = env_app(
        Environment::new("111111111111", "us-east-1"),
        Environment::new("222222222222", "us-east-1"),
    );
    assert_eq!(
        errors(&app),
        ["Service/Reader: references `Queue` in stack `Producer` (111111111111/us-east-1) \
             from stack `Consumer` (222222222222/us-east-1); CloudFormation exports only work \
             within one account and region. Give the resource a fixed physical name and pass it \
             as a literal or a parameter, or (for IAM) use a role in the target account that \
             trusts this one"]
    );
}

#[test]
fn cross_region_reference() {
    let app = env_app(
        Environment::new("111111111111", "us-east-1"),
        Environment::new("111111111111", "eu-west-1"),
    );
    assert_eq!(
        errors(&app),
        ["Service/Reader: references `Queue` in stack `Producer` (111111111111/us-east-1) \
             from stack `Consumer` (111111111111/eu-west-1); CloudFormation exports only work \
             within one account and region. Give the resource a fixed physical name and pass it \
             as a literal or a parameter, or (for IAM) use a role in the target account that \
             trusts this one"]
    );
}

#[test]
fn open_environment_parts_may_match() {
    let region_only = Environment { account: None, region: Some("us-east-1".into()) };
    let app = env_app(Environment::new("111111111111", "us-east-1"), region_only);
    let assembly = synth(&app);
    let manifest: Value = serde_json::from_str(assembly.files().last().unwrap().1).unwrap();
    assert_eq!(
        manifest["stacks"][0]["environment"],
        json!({"account": "111111111111", "region": "us-east-1"})
    );
    assert_eq!(
        manifest["stacks"][1]["environment"],
        json!({"account": null, "region": "us-east-1"})
    );
    let app = env_app(Environment::new("111111111111", "us-east-1"), Environment::default());
    assert!(app.synth(Format::Json).is_ok());
}

#[test]
fn template_items_of_another_stack() {
    let mut app = App::new();
    let mut p = app.stack("Producer");
    let env = p.add_parameter("Env", Parameter::string());
    let is_prod = p.add_condition("IsProd", Cond::equals(env, "prod"));
    let sizes = p.add_mapping("Sizes", Mapping::new().entry("prod", "Size", "10"));
    p.add("Queue", queue());
    let mut c = app.stack("Consumer");
    c.add(
        "Reader",
        topic()
            .property("Env", env.value())
            .property("Name", sub!("{}-reader", env))
            .property("Size", sizes.find("prod", "Size"))
            .property("Flag", fns::if_::<String>(is_prod, "a", "b")),
    );
    let cond = c.add_condition("Local", Cond::negate(is_prod));
    let r = c.add("Other", topic());
    c.node(r).unwrap().set_condition(cond);
    let tail = "parameters, conditions and mappings belong to one template. Declare it in this \
                stack too";
    assert_eq!(
        errors(&app),
        [
            format!(
                "Consumer/condition Local: uses condition `IsProd` of stack `Producer`; {tail}"
            ),
            format!("Consumer/Reader: uses a parameter (`Env`) of stack `Producer`; {tail}"),
            format!("Consumer/Reader: uses a parameter (`Env`) of stack `Producer`; {tail}"),
            format!("Consumer/Reader: uses mapping `Sizes` of stack `Producer`; {tail}"),
            format!("Consumer/Reader: uses condition `IsProd` of stack `Producer`; {tail}"),
        ]
    );
}

#[test]
fn export_name_collision() {
    let mut app = App::new();
    let a = app.stack("A").add("Queue", queue());
    app.stack("A").add_output("Out", Output::new(a.reference()).export_name("Shared"));
    let b = app.stack("B").add("Queue", queue());
    app.stack("B").add_output("Url", Output::new(b.reference()).export_name("Shared"));
    // A literal export name equal to one stackwright generates collides too.
    app.stack("B").add_output("Manual", Output::new(b.reference()).export_name("A:Queue"));
    app.stack("C").add("Reader", topic().property("Q", a.reference()));
    assert_eq!(
        errors(&app),
        [
            "export name `Shared` is used by both `A/Out` and `B/Url`; export names must be \
             unique in an account and region",
            "export name `A:Queue` is used by both `A/ExportQueueRef` and `B/Manual`; export \
             names must be unique in an account and region",
        ]
    );
}

#[test]
fn same_export_name_in_different_accounts_is_fine() {
    let mut app = App::new();
    for (stack, account) in [("Dev", "111111111111"), ("Prod", "222222222222")] {
        let mut s = app.stack(stack);
        s.set_environment(Environment::new(account, "us-east-1"));
        let q = s.add("Queue", queue());
        s.add_output("Url", Output::new(q.reference()).export_name("OrdersQueueUrl"));
    }
    let assembly = synth(&app);
    for stack in ["Dev", "Prod"] {
        let t = template(&assembly, stack);
        assert_eq!(t["Outputs"]["Url"]["Export"]["Name"], "OrdersQueueUrl");
    }
}

#[test]
fn stacks_that_reference_each_other() {
    let mut app = App::new();
    let a = app.stack("A").add("Queue", queue());
    let b = app.stack("B").add("Queue", queue().property("Peer", a.reference()));
    app.stack("A").add("Topic", topic().property("Peer", b.reference()));
    assert_eq!(
        errors(&app),
        [
            "stacks depend on each other in a cycle: A -> B -> A; move the shared resources into one stack"
        ]
    );
}

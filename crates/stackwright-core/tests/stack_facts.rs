//! What a deployment reads from a stack of the app: its template path, parameters, outputs
//! and capabilities, and the dependencies between stacks, direct or not.

// Tests assert by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use stackwright_core::{
    App, Capabilities, Format, Handle, Output, Parameter, ParameterFact, RawResource,
};

#[test]
fn dependencies_follow_references_through_other_stacks() {
    let mut app = App::new();
    let mut a = app.stack("A");
    let queue = a.add("Queue", RawResource::new("AWS::SQS::Queue"));
    let a_id = a.stack_id();
    let mut b = app.stack("B");
    let topic = b.add(
        "Topic",
        RawResource::new("AWS::SNS::Topic")
            .property("DisplayName", queue.get_att::<String>("QueueName")),
    );
    let b_id = b.stack_id();
    let mut c = app.stack("C");
    c.add(
        "Sub",
        RawResource::new("AWS::SNS::Subscription").property("TopicArn", topic.reference()),
    );
    let c_id = c.stack_id();
    let mut d = app.stack("D");
    d.add("Alone", RawResource::new("AWS::SQS::Queue"));
    d.add_stack_dependency(a_id);
    let d_id = d.stack_id();

    let deps = app.stack_dependencies();
    assert!(deps.depends_on(b_id, a_id));
    assert!(deps.depends_on(c_id, b_id));
    assert!(deps.depends_on(c_id, a_id), "through B");
    assert!(deps.depends_on(d_id, a_id), "explicit");
    assert!(!deps.depends_on(a_id, c_id));
    assert!(!deps.depends_on(a_id, a_id));
    assert!(!deps.depends_on(d_id, b_id));
}

#[test]
fn facts_name_the_template_parameters_outputs_and_capabilities() {
    let mut app = App::new();
    let mut s = app.stack("Svc");
    s.add_parameter("Level", Parameter::string());
    s.add_parameter("Size", Parameter::string().default_value("1"));
    s.add("Role", RawResource::new("AWS::IAM::Role").property("RoleName", "fixed"));
    s.add_output("Out", Output::new("x"));
    let id = s.stack_id();
    let facts = app.stack_facts(id).unwrap();
    assert_eq!(facts.name, "Svc");
    // Outside a synth: JSON, in the default output folder.
    assert_eq!(facts.template_in_source, "stacks/Svc.template.json");
    assert_eq!(
        facts.parameters,
        vec![
            ParameterFact { name: "Level".into(), required: true },
            ParameterFact { name: "Size".into(), required: false },
        ]
    );
    assert_eq!(facts.outputs, vec!["Out".to_owned()]);
    assert_eq!(facts.capabilities, Capabilities { iam: true, named_iam: true, auto_expand: false });
    assert_eq!(app.format(), Format::Json);

    let mut other = App::new();
    assert_eq!(other.stack_facts(id), None, "a stack of another app");
    let _ = other.stack("X");
}

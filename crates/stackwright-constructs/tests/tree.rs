//! Constructs as nodes of the tree: children found through their construct, never by path;
//! state rendered at synth whatever the order of the calls; clashes and foreign handles
//! reported with their paths.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use serde_json::{Value, json};
use stackwright_aws::iam as iam_l1;
use stackwright_aws::sqs as sqs_l1;
use stackwright_constructs::ecs::{
    ContainerDefinition, FargateTaskDefinition, FargateTaskDefinitionProps, TaskDefinitionFile,
};
use stackwright_constructs::iam::{PolicyDocument, PolicyStatement, Principal, Role, RoleProps};
use stackwright_constructs::sqs::{Queue, QueueProps};
use stackwright_core::{App, Environment, Format, Handle, SynthError};

fn trust() -> PolicyDocument {
    PolicyDocument::with([PolicyStatement::allow()
        .principal(Principal::service("codebuild.amazonaws.com"))
        .action("sts:AssumeRole")])
}

fn worker_props() -> RoleProps {
    RoleProps::new(Principal::service("ecs-tasks.amazonaws.com"))
}

#[test]
fn adopted_l1_roles_each_get_a_default_policy_of_their_own() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let queue = Queue::new(&mut s, "Jobs", QueueProps::new());
    let first = s.add(
        "Builder",
        iam_l1::Role::new(iam_l1::RoleRequired { assume_role_policy_document: trust().to_val() }),
    );
    let second = s.add(
        "Tester",
        iam_l1::Role::new(iam_l1::RoleRequired { assume_role_policy_document: trust().to_val() }),
    );
    let (Some(first), Some(second)) =
        (Role::from_resource(&mut s, first), Role::from_resource(&mut s, second))
    else {
        panic!("roles of this app were not adopted");
    };
    queue.grant_send(&mut s, &first);
    queue.grant_consume(&mut s, &second);

    let t = template(&app, "S");
    let policy = |id: &str| t["Resources"][id]["Properties"].clone();
    assert_eq!(policy("BuilderDefaultPolicy")["Roles"], json!([{"Ref": "Builder"}]));
    assert_eq!(policy("TesterDefaultPolicy")["Roles"], json!([{"Ref": "Tester"}]));
    let actions = |id: &str| policy(id)["PolicyDocument"]["Statement"][0]["Action"].clone();
    assert_eq!(
        actions("BuilderDefaultPolicy"),
        json!(["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"])
    );
    assert_eq!(actions("TesterDefaultPolicy")[0], "sqs:ReceiveMessage");
    // Nothing lands in a policy at the stack root that neither role owns.
    assert_eq!(t["Resources"].get("DefaultPolicy"), None);
}

#[test]
fn adopting_a_role_twice_or_a_construct_role_gives_the_same_construct() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let l1 = s.add(
        "Builder",
        iam_l1::Role::new(iam_l1::RoleRequired { assume_role_policy_document: trust().to_val() }),
    );
    let once = Role::from_resource(&mut s, l1);
    assert_eq!(once, Role::from_resource(&mut s, l1));
    let role = Role::new(&mut s, "Worker", worker_props());
    assert_eq!(Role::from_resource(&mut s, role.resource()), Some(role));
}

#[test]
fn a_resource_where_the_default_policy_goes_is_a_clash_not_a_dropped_grant() {
    let queue_at_policy_path = |grant_first: bool| {
        let mut app = App::new();
        let mut s = app.stack("S");
        let queue = Queue::new(&mut s, "Jobs", QueueProps::new());
        let worker = Role::new(&mut s, "Worker", worker_props());
        if grant_first {
            queue.grant_send(&mut s, &worker);
        }
        s.child("Worker").add("DefaultPolicy", sqs_l1::Queue::new());
        if !grant_first {
            queue.grant_send(&mut s, &worker);
        }
        errors(&app)
    };
    assert_eq!(
        queue_at_policy_path(false),
        ["S/Worker/DefaultPolicy: an AWS::SQS::Queue is at this path, and the AWS::IAM::Policy \
             of Role `Worker` was put there too; give one of them another id"]
    );
    assert_eq!(
        queue_at_policy_path(true),
        ["S/Worker/DefaultPolicy: the AWS::IAM::Policy of Role `Worker` is at this path, and \
             an AWS::SQS::Queue was put there too; give one of them another id"]
    );
}

#[test]
fn two_constructs_at_one_path_are_a_clash() {
    let mut app = App::new();
    let mut s = app.stack("S");
    Queue::new(&mut s, "Jobs", QueueProps::new());
    Role::new(&mut s, "Jobs", worker_props());
    let diag = match app.synth(Format::Json) {
        Ok(_) => panic!("two constructs at one path synthesized"),
        Err(d) => d,
    };
    let clash: Vec<&SynthError> = diag.errors.iter().filter(|e| e.code() == "path-clash").collect();
    assert_eq!(clash.len(), 1, "{diag}");
    assert_eq!(
        clash[0].to_string(),
        "S/Jobs: Queue `Jobs` is at this path, and Role `Jobs` was put there too; give one of \
         them another id"
    );
}

/// `taskdef.json` of a task definition with `before` containers added before the file was
/// requested and `after` after it.
fn taskdef_with(before: &[&str], after: &[&str]) -> Value {
    let mut app = App::new();
    let mut s = app.stack("S");
    let props = FargateTaskDefinitionProps::new("app").execution_role_name("exec");
    let task = FargateTaskDefinition::new(&mut s, "Task", props);
    for name in before {
        task.add_container(&mut s, ContainerDefinition::new(*name, "nginx:1.27").port(80));
    }
    s.set_environment(Environment::new("123456789012", "us-east-1"));
    task.add_taskdef_file(&mut s, "taskdef.json", TaskDefinitionFile::new());
    for name in after {
        task.add_container(&mut s, ContainerDefinition::new(*name, "nginx:1.27").port(80));
    }
    let assembly = match app.synth(Format::Json) {
        Ok(a) => a,
        Err(d) => panic!("synthesis failed:\n{d}"),
    };
    let text = assembly.files().into_iter().find(|(p, _)| *p == "taskdef.json");
    serde_json::from_str(text.map_or("", |(_, c)| c)).unwrap_or_default()
}

#[test]
fn taskdef_json_holds_the_containers_added_after_it_was_requested() {
    let names = |v: &Value| -> Vec<Value> {
        let list = v["containerDefinitions"].as_array().cloned().unwrap_or_default();
        list.iter().map(|c| c["name"].clone()).collect()
    };
    assert_eq!(names(&taskdef_with(&["web"], &["sidecar"])), [json!("web"), json!("sidecar")]);
    assert_eq!(names(&taskdef_with(&[], &["web", "sidecar"])), [json!("web"), json!("sidecar")]);
    // Whatever the order of the calls, the same file.
    assert_eq!(taskdef_with(&["web"], &["sidecar"]), taskdef_with(&["web", "sidecar"], &[]));
}

#[test]
fn synth_renders_a_copy_so_later_calls_still_count() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let queue = Queue::new(&mut s, "Jobs", QueueProps::new());
    let worker = Role::new(&mut s, "Worker", worker_props());
    queue.grant_send(&mut s, &worker);
    let first = template(&app, "S");
    assert_eq!(first, template(&app, "S"), "a second synth changed the output");
    let actions = |t: &Value| {
        t["Resources"]["WorkerDefaultPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
            ["Action"]
            .clone()
    };
    assert_eq!(
        actions(&first),
        json!(["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"])
    );
    // A grant made after a synth reaches the next one.
    queue.grant_purge(&mut app.stack("S"), &worker);
    assert_eq!(
        actions(&template(&app, "S")),
        json!(["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:PurgeQueue"])
    );
}

#[test]
fn a_handle_of_another_app_is_reported_once_per_use() {
    let mut other = App::new();
    let foreign = Role::new(&mut other.stack("S"), "Foreign", worker_props());
    let mut app = App::new();
    let mut s = app.stack("S");
    let queue = Queue::new(&mut s, "Jobs", QueueProps::new());
    queue.grant_send(&mut s, &foreign);
    queue.grant_purge(&mut s.child("Later"), &foreign);
    assert_eq!(
        errors(&app),
        [
            "S: a grant to a role uses a handle from a different App; handles belong to the app \
             that created them",
            "S/Later: a grant to a role uses a handle from a different App; handles belong to \
             the app that created them",
        ]
    );
}

#[test]
fn construct_problems_carry_a_code_and_a_fix() {
    let mut app = App::new();
    let mut s = app.stack("S");
    Queue::new(&mut s, "Jobs", QueueProps::new().content_based_deduplication(true));
    let diag = match app.synth(Format::Json) {
        Ok(_) => panic!("deduplication without FIFO synthesized"),
        Err(d) => d,
    };
    assert_eq!(diag.errors.len(), 1, "{diag}");
    match &diag.errors[0] {
        SynthError::InvalidConstruct { stack, path, code, message, fix } => {
            assert_eq!(
                (stack.as_str(), path.as_str(), *code, message.as_str(), fix.as_str()),
                (
                    "S",
                    "Jobs",
                    "messaging.content-based-deduplication",
                    "content_based_deduplication needs a FIFO queue",
                    "call .fifo(true) too"
                )
            );
        }
        other => panic!("not a construct problem: {other:?}"),
    }
    assert_eq!(
        diag.to_string(),
        "1 error in the app:\n  error[messaging.content-based-deduplication]: S/Jobs: \
         content_based_deduplication needs a FIFO queue; call .fifo(true) too\n"
    );
}

#[test]
fn children_are_found_through_their_construct() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let queue = Queue::new(&mut s, "Jobs", QueueProps::new());
    let worker = Role::new(&mut s, "Worker", worker_props());
    assert_eq!(worker.default_policy(s.app()), None, "no grant yet, no policy");
    queue.grant_send(&mut s, &worker);
    let policy = worker.default_policy(s.app()).map(|p| p.id());
    let node = s.app().construct(worker.node().id()).map(|n| {
        let children: Vec<(String, stackwright_core::Child)> =
            n.children().map(|(slot, c)| (slot.to_owned(), c)).collect();
        (n.kind(), n.path().to_string(), children)
    });
    let Some((kind, path, children)) = node else { panic!("the role has no node") };
    assert_eq!((kind, path.as_str()), ("Role", "Worker"));
    let slots: Vec<&str> = children.iter().map(|(slot, _)| slot.as_str()).collect();
    assert_eq!(slots, ["Resource", "DefaultPolicy"]);
    assert_eq!(
        children[1].1,
        stackwright_core::Child::Resource(policy.unwrap_or_else(|| panic!("no policy")))
    );
    // The queue's TLS-only statement created its resource policy at once.
    assert!(queue.resource_policy(s.app()).is_some());
}

#[test]
fn something_else_in_a_policy_slot_is_a_clash_not_a_dropped_grant() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let queue = Queue::new(&mut s, "Jobs", QueueProps::new());
    let worker = Role::new(&mut s, "Worker", worker_props());
    // Added through the role's own scope, so it takes the role's `DefaultPolicy` slot.
    if let Some(mut role_scope) = s.app().scope_of(worker.node().id()) {
        role_scope.add("DefaultPolicy", sqs_l1::Queue::new());
    }
    queue.grant_send(&mut s, &worker);
    assert_eq!(
        errors(&app),
        ["S/Worker/DefaultPolicy: the AWS::SQS::Queue of Role `Worker` is at this path, and \
             the AWS::IAM::Policy that Role `Worker` makes for its grants was put there too; give \
             one of them another id"]
    );
}

#[test]
fn a_policy_of_ones_own_where_the_default_policy_goes_is_a_clash_not_a_lost_grant() {
    // The user's own policy, attached to another role, at `Worker/DefaultPolicy` in the
    // role's own slot. A grant that took it would rewrite its document and land on the other
    // role: the worker would get nothing and the other role the worker's permissions.
    let mut app = App::new();
    let mut s = app.stack("S");
    let queue = Queue::new(&mut s, "Jobs", QueueProps::new());
    let worker = Role::new(&mut s, "Worker", worker_props());
    let other = Role::new(&mut s, "Other", worker_props());
    let own = PolicyDocument::with([PolicyStatement::allow()
        .action("s3:GetObject")
        .resource("arn:aws:s3:::reports/*")]);
    if let Some(mut role_scope) = s.app().scope_of(worker.node().id()) {
        role_scope.add(
            "DefaultPolicy",
            iam_l1::Policy::new(iam_l1::PolicyRequired {
                policy_document: own.to_val(),
                policy_name: "Reports",
            })
            .roles(vec![other.role_name()]),
        );
    }
    queue.grant_send(&mut s, &worker);
    assert_eq!(
        errors(&app),
        ["S/Worker/DefaultPolicy: the AWS::IAM::Policy of Role `Worker` is at this path, and \
             the AWS::IAM::Policy that Role `Worker` makes for its grants was put there too; give \
             one of them another id"]
    );
}

#[test]
fn a_construct_where_the_default_policy_goes_is_a_clash_not_a_lost_grant() {
    #[derive(Clone)]
    struct Audit;
    impl stackwright_core::ConstructState for Audit {
        fn kind(&self) -> &'static str {
            "Audit"
        }
    }
    let mut app = App::new();
    let mut s = app.stack("S");
    let queue = Queue::new(&mut s, "Jobs", QueueProps::new());
    let worker = Role::new(&mut s, "Worker", worker_props());
    if let Some(mut role_scope) = s.app().scope_of(worker.node().id()) {
        role_scope.construct("DefaultPolicy", Audit);
    }
    queue.grant_send(&mut s, &worker);
    assert_eq!(
        errors(&app),
        ["S/Worker/DefaultPolicy: Audit `Worker/DefaultPolicy` is at this path, and the \
             AWS::IAM::Policy that Role `Worker` makes for its grants was put there too; give one \
             of them another id"]
    );
}

#[test]
fn a_resource_at_a_constructs_path_is_a_clash() {
    let mut app = App::new();
    let mut s = app.stack("S");
    Role::new(&mut s, "Worker", worker_props());
    s.add("Worker", sqs_l1::Queue::new());
    let clashes: Vec<String> =
        errors(&app).into_iter().filter(|e| e.contains("at this path")).collect();
    assert_eq!(
        clashes,
        [
            "S/Worker: Role `Worker` is at this path, and an AWS::SQS::Queue was put there too; give \
          one of them another id"
        ]
    );
}

#[test]
fn adopting_the_resource_of_another_kind_of_construct_gives_a_node_of_its_own() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let queue = Queue::new(&mut s, "Jobs", QueueProps::new());
    // A construct of the user's whose main resource is an L1 role.
    #[derive(Clone)]
    struct Custom;
    impl stackwright_core::ConstructState for Custom {
        fn kind(&self) -> &'static str {
            "Custom"
        }
    }
    let (_, mut inner) = s.construct("Custom", Custom);
    let l1 = inner.add(
        "Resource",
        iam_l1::Role::new(iam_l1::RoleRequired { assume_role_policy_document: trust().to_val() }),
    );
    let Some(role) = Role::from_resource(&mut s, l1) else { panic!("not adopted") };
    queue.grant_send(&mut s, &role);
    let t = template(&app, "S");
    // The role's own node sits at the resource's path; its policy beside the resource.
    assert_eq!(
        t["Resources"]["CustomDefaultPolicy"]["Properties"]["Roles"],
        json!([{"Ref": "Custom"}])
    );
}

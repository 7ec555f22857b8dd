//! Same program, same bytes: repeated synthesis, rebuilt apps and apps side by side in one
//! process all give identical output, and apps never see each other.

// Tests assert by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::json;
use stackwright_core::{
    App, Assembly, Cond, Format, Handle, Mapping, Output, Parameter, RawResource, fns, pseudo, sub,
};

/// An app touching every part of synthesis that could leak ordering: several stacks,
/// exports created by several consumers in an order unrelated to creation order, conditions,
/// mappings, explicit dependencies.
fn clean() -> App {
    let mut app = App::new();
    let mut shared = Vec::new();
    for s in 0..4 {
        let mut scope = app.stack(format!("Stack{s}"));
        let env = scope.add_parameter("Env", Parameter::string().default_value("dev"));
        let prod = scope.add_condition("IsProd", Cond::equals(env, "prod"));
        let m = scope.add_mapping("Sizes", Mapping::new().entry("dev", "N", "1"));
        let mut prev: Option<stackwright_core::RawHandle> = None;
        for r in 0..25 {
            let mut res = RawResource::new("AWS::SQS::Queue")
                .property("Size", m.find(env, "N"))
                .property("Flag", fns::if_::<String>(prod, "on", pseudo::no_value::<String>()))
                .property("Tags", json!({"b": 1, "a": 2, "c": [3, 2, 1]}));
            if let Some(p) = prev {
                res = res
                    .property("Prev", sub!("{}:{}", p.get_att::<String>("Arn"), pseudo::region()));
            }
            for (k, &(h, a)) in shared.iter().enumerate().rev() {
                if (r + k) % 7 == 0 {
                    let h: stackwright_core::RawHandle = h;
                    res = res.property(format!("Import{k}"), sub!("{}/x", h.get_att::<String>(a)));
                }
            }
            let h = scope.child("Group").add(&format!("Queue{r}"), res);
            if let (Some(p), true) = (prev, r % 5 == 0) {
                scope.node(h).unwrap().add_dependency(p.id());
            }
            prev = Some(h);
            if r % 9 == 0 {
                shared.push((h, if r % 2 == 0 { "Arn" } else { "QueueName" }));
            }
        }
        scope.add_output("Last", Output::new(prev.unwrap().reference()));
    }
    app
}

fn bodies(a: &Assembly) -> Vec<(String, String)> {
    a.files().into_iter().map(|(f, b)| (f.to_owned(), b.to_owned())).collect()
}

#[test]
fn two_synth_runs_are_byte_identical() {
    let app = clean();
    for format in [Format::Json, Format::Yaml] {
        let first = app.synth(format).unwrap_or_else(|d| panic!("{d}"));
        let second = app.synth(format).unwrap();
        assert_eq!(bodies(&first), bodies(&second));
        assert_eq!(first, second);
    }
    // The fixture really exercises exports.
    let a = app.synth(Format::Json).unwrap();
    assert!(a.stack("Stack0").unwrap().body.contains("\"Export\""));
    assert!(a.stack("Stack3").unwrap().body.contains("Fn::ImportValue"));
}

#[test]
fn rebuilt_apps_give_the_same_bytes() {
    let first = clean().synth(Format::Json).unwrap();
    // Other apps created in between shift the internal app numbers; output must not care.
    let _noise: Vec<App> = (0..5).map(|_| clean()).collect();
    let second = clean().synth(Format::Json).unwrap();
    assert_eq!(bodies(&first), bodies(&second));
    let y1 = clean().synth(Format::Yaml).unwrap();
    let y2 = clean().synth(Format::Yaml).unwrap();
    assert_eq!(bodies(&y1), bodies(&y2));
}

#[test]
fn two_apps_in_one_process_do_not_interfere() {
    let mut a = App::new();
    let mut b = App::new();
    // Interleaved construction with the same stack and construct names.
    let qa = a.stack("Orders").add("Queue", RawResource::new("AWS::SQS::Queue"));
    let qb = b.stack("Orders").add("Queue", RawResource::new("AWS::SNS::Topic"));
    b.stack("Other")
        .add("Reader", RawResource::new("AWS::SNS::Topic").property("Q", qb.reference()));
    a.stack("Orders")
        .add("Reader", RawResource::new("AWS::SNS::Topic").property("Q", qa.reference()));
    assert_ne!(qa, qb, "handles of different apps differ");

    let out_a = a.synth(Format::Json).unwrap();
    let out_b = b.synth(Format::Json).unwrap();
    let names = |x: &Assembly| x.stacks().iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&out_a), ["Orders"]);
    assert_eq!(names(&out_b), ["Orders", "Other"]);
    let ta: serde_json::Value = serde_json::from_str(&out_a.stacks()[0].body).unwrap();
    let tb: serde_json::Value = serde_json::from_str(&out_b.stacks()[0].body).unwrap();
    assert_eq!(ta["Resources"]["Queue"]["Type"], "AWS::SQS::Queue");
    assert_eq!(ta["Resources"]["Reader"]["Properties"]["Q"], json!({"Ref": "Queue"}));
    assert_eq!(tb["Resources"]["Queue"]["Type"], "AWS::SNS::Topic");
    assert_eq!(tb["Outputs"]["ExportQueueRef"]["Export"]["Name"], "Orders:Queue");
    assert_eq!(ta.get("Outputs"), None, "a's template gains nothing from b's references");

    // Each app rejects the other's handles.
    assert!(a.get::<RawResource>(qb).is_none());
    assert!(b.get::<RawResource>(qa).is_none());
    assert!(a.node(qb.id()).is_none());
    assert_eq!(a.get::<RawResource>(qa).unwrap(), &RawResource::new("AWS::SQS::Queue"));

    // Synthesizing one app again after building on the other changes nothing.
    b.stack("Orders").add("More", RawResource::new("AWS::SNS::Topic"));
    assert_eq!(a.synth(Format::Json).unwrap(), out_a);
}

#[test]
fn apps_on_threads() {
    let handles: Vec<_> = (0..4)
        .map(|_| std::thread::spawn(|| bodies(&clean().synth(Format::Json).unwrap())))
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(results.windows(2).all(|w| w[0] == w[1]));
}

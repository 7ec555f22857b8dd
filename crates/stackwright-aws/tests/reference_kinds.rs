//! The reference formats of the schemas against the generated types: the generator records
//! every schema node that names the kind of reference it takes (`tests/data/
//! reference-formats.tsv`, found by a plain walk of the schemas), and whether its Rust type
//! carries the kind. This test counts them, checks that every node without a kind has one of
//! the known reasons, and that the generated source of each type really uses the kinds the
//! census says it does.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const REASONS: &[&str] = &[
    "a definition no property of the type uses",
    "a list of IDs or of names: no single kind",
    "a format on an object with properties (a schema defect): it stays a struct",
    "inside a value the types keep as JSON",
];

struct Row {
    type_name: String,
    pointer: String,
    kind: Option<String>,
    reason: String,
}

fn census() -> Vec<Row> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/reference-formats.tsv");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 5, "a census row has five columns: {l}");
            Row {
                type_name: cols[0].to_owned(),
                pointer: cols[1].to_owned(),
                kind: (cols[3] == "kind").then(|| cols[4].to_owned()),
                reason: cols[4].to_owned(),
            }
        })
        .collect()
}

/// The generated source of every resource type, by type name (from each file's first doc
/// line).
fn sources() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let type_name = text
                .lines()
                .find_map(|l| l.strip_prefix("//! `"))
                .and_then(|l| l.split_once("`: the resource"))
                .map(|(t, _)| t.to_owned());
            if let Some(t) = type_name {
                out.insert(t, text);
            }
        }
    }
    out
}

#[test]
fn most_reference_formats_carry_a_kind_and_the_rest_say_why() {
    let rows = census();
    let kinded = rows.iter().filter(|r| r.kind.is_some()).count();
    println!("{kinded} of {} formatted schema nodes carry a reference kind", rows.len());
    assert!(rows.len() > 1_000, "the census holds {} rows", rows.len());
    // At the pinned schemas: 1,180 of 1,248 (four of them formats a fixup adds).
    assert!(kinded * 100 >= rows.len() * 94, "{kinded} of {} carry a kind", rows.len());
    let unexplained: Vec<String> = rows
        .iter()
        .filter(|r| r.kind.is_none() && !REASONS.contains(&r.reason.as_str()))
        .map(|r| format!("{} {}: {}", r.type_name, r.pointer, r.reason))
        .collect();
    assert!(unexplained.is_empty(), "{unexplained:#?}");
}

#[test]
fn every_kind_the_census_names_exists_and_is_used_by_its_type() {
    let known: BTreeSet<&str> = stackwright_core::kind::KINDS.iter().map(|(_, n)| *n).collect();
    let sources = sources();
    let mut missing = Vec::new();
    for r in census() {
        let Some(kind) = &r.kind else { continue };
        let item = kind.trim_start_matches("Vec<").trim_end_matches('>');
        assert!(known.contains(item), "{}: unknown kind {kind}", r.type_name);
        let Some(source) = sources.get(&r.type_name) else {
            missing.push(format!("{}: no generated file", r.type_name));
            continue;
        };
        let rust = format!("sw::kind::{item}");
        if !source.contains(&rust) {
            missing.push(format!("{} {}: the source never uses {rust}", r.type_name, r.pointer));
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn attributes_and_refs_return_their_kind() {
    use stackwright_aws::{ec2, iam, kms, sns, sqs};
    use stackwright_core::kind::{KmsKeyId, QueueArn, RoleArn, SecurityGroupId, TopicArn, VpcId};
    use stackwright_core::{Handle, ResourceId, Val};
    fn id() -> ResourceId {
        let mut app = stackwright_core::App::new();
        let mut s = app.stack("S");
        s.add("Q", sqs::Queue::new()).id()
    }
    let _: Val<RoleArn> = iam::RoleRef::from_id(id()).arn();
    let _: Val<QueueArn> = sqs::QueueRef::from_id(id()).arn();
    let _: Val<TopicArn> = sns::TopicRef::from_id(id()).reference();
    let _: Val<KmsKeyId> = kms::KeyRef::from_id(id()).reference();
    let _: Val<SecurityGroupId> = ec2::SecurityGroupRef::from_id(id()).group_id();
    let _: Val<VpcId> = ec2::VpcRef::from_id(id()).reference();
}

//! The generator of `stackwright-aws`: reads the CloudFormation resource provider schemas
//! that cfn-lint ships (at a pinned version, checked by hash) and writes one Rust module per
//! service, one file per resource type, and one Cargo feature per service.
//!
//! A tool, never a dependency of a library crate: `cargo xtask codegen` runs it and the
//! output is committed. Schema defects are repaired by named [`fixups`].

// The checks' own translation and compilation of schema patterns, so a pattern the generator
// accepts is one the checks compile. Matching is the checks' business, unused here.
#[allow(dead_code)]
#[path = "../../stackwright-aws/src/support/ecma.rs"]
mod ecma;
mod emit;
pub mod fixups;
mod formats;
pub mod input;
mod lower;
mod model;
mod names;
mod policies;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

pub use formats::Census;
pub use model::{Resource, Service};

/// The services built by default: the CI/CD estate.
pub const DEFAULT_FEATURES: &[&str] = &[
    "applicationautoscaling",
    "autoscaling",
    "cloudformation",
    "cloudwatch",
    "codebuild",
    "codecommit",
    "codedeploy",
    "codepipeline",
    "codestarconnections",
    "codestarnotifications",
    "ec2",
    "ecr",
    "ecs",
    "elasticloadbalancingv2",
    "events",
    "iam",
    "kms",
    "lambda",
    "logs",
    "s3",
    "secretsmanager",
    "serverless",
    "sns",
    "sqs",
    "ssm",
];

/// What the generator produces: files relative to the `stackwright-aws` crate root, and the
/// `[features]` table of its Cargo.toml.
pub struct Output {
    /// `(path, contents)`, paths relative to the crate root, unformatted Rust.
    pub files: Vec<(String, String)>,
    /// The `[features]` section.
    pub features: String,
    /// Resource types generated.
    pub type_count: usize,
    /// Services generated.
    pub service_count: usize,
    /// The schema patterns the generated code checks.
    pub patterns: PatternCounts,
    /// The reference formats of the schemas and how many became a kind.
    pub census: Census,
    /// The properties checked as IAM policy documents.
    pub policy_documents: usize,
}

/// How many schema patterns the generated code checks, and where.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PatternCounts {
    /// Distinct patterns.
    pub distinct: usize,
    /// Checks of a string property.
    pub strings: usize,
    /// Checks of the strings of a list property.
    pub list_items: usize,
    /// Checks of the keys of a map that takes only keys of given patterns.
    pub map_keys: usize,
    /// Checks of the string values of a map under keys of a given pattern.
    pub map_values: usize,
}

/// Generates the crate from cfn-lint's installed package folder.
pub fn generate(cfnlint: &Path) -> Result<Output, String> {
    let mut input = input::read(cfnlint)?;
    input::check_pin(&input)?;
    fixups::apply_all(&mut input.types)?;
    let source = format!("the resource schemas of cfn-lint {}", input.version);

    let mut services: BTreeMap<String, Service> = BTreeMap::new();
    let mut census = Census::default();
    let mut census_tsv = String::from(
        "# Every schema node that names the kind of reference it takes, and the kind its Rust\n\
         # type carries, or `-` and why none.\n\
         # type\tpointer\tformat\tkind or -\tkind or why not\n",
    );
    for t in &input.types {
        let parts: Vec<&str> = t.type_name.split("::").collect();
        let [prefix, service, resource] = parts.as_slice() else {
            return Err(format!("unexpected type name `{}`", t.type_name));
        };
        let module = if *prefix == "AWS" {
            service.to_ascii_lowercase()
        } else {
            format!("{}_{}", prefix.to_ascii_lowercase(), service.to_ascii_lowercase())
        };
        let doc_url = if t.sam {
            format!(
                "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-{}.html",
                resource.to_ascii_lowercase()
            )
        } else {
            format!(
                "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-{}-{}.html",
                service.to_ascii_lowercase(),
                resource.to_ascii_lowercase()
            )
        };
        let r = lower::resource(&t.type_name, &t.schema, doc_url)?;
        check_required_names(&r)?;
        formats::census_rows(&t.schema, &r, &mut census_tsv, &mut census);
        services
            .entry(module.clone())
            .or_insert_with(|| Service {
                module,
                namespace: format!("{prefix}::{service}"),
                resources: Vec::new(),
            })
            .resources
            .push(r);
    }

    let policy_documents = policies::mark(&mut services, &input.policy_paths)?;

    let globals = lower::property_types("Globals", &input.sam_globals)?;
    let mut patterns = BTreeSet::new();
    let mut counts = PatternCounts::default();
    for s in services.values() {
        for r in &s.resources {
            let props = r.props.iter().map(|p| (String::new(), p));
            let nested =
                r.structs.iter().flat_map(|s| s.props.iter().map(|p| (format!("{}.", s.cfn), p)));
            for (owner, p) in props.chain(nested) {
                check_patterns(&r.type_name, &owner, p, &mut patterns, &mut counts)?;
            }
        }
    }
    for s in &globals.structs {
        for p in &s.props {
            check_patterns("Globals", &format!("{}.", s.cfn), p, &mut patterns, &mut counts)?;
        }
    }
    counts.distinct = patterns.len();

    let mut files = Vec::new();
    let mut type_count = 0;
    for s in services.values_mut() {
        s.resources.sort_by(|a, b| a.module.cmp(&b.module));
        for r in &s.resources {
            // `mod r#type;` lives in `type.rs`.
            let file = r.module.trim_start_matches("r#");
            files.push((format!("src/{}/{file}.rs", s.module), emit::resource_file(r, &source)));
            type_count += 1;
        }
        files.push((format!("src/{}/mod.rs", s.module), emit::service_mod(s, &source)));
    }
    let title = "SAM's `Globals` section: properties every function, API or table of the template inherits.";
    files.push((
        "src/serverless/globals.rs".into(),
        emit::property_types_file(title, &globals, &source),
    ));
    files.push(("src/runtimes.rs".into(), runtimes_rs(&input.runtimes, &source)?));
    files.push(("src/lib.rs".into(), lib_rs(&services, &source, &input.sha256, &patterns)));
    // The provider indexes travel with the crate, so its tests can count the generated types
    // against the input without the schemas installed.
    for (name, text) in &input.indexes {
        files.push((format!("tests/data/{name}"), text.clone()));
    }
    files.push(("tests/data/reference-formats.tsv".into(), census_tsv));
    Ok(Output {
        census,
        policy_documents,
        files,
        features: features(&services),
        type_count,
        service_count: services.len(),
        patterns: counts,
    })
}

/// Fails when the struct naming a type's required properties (`TagRequired`) would clash
/// with a type the module already declares.
fn check_required_names(r: &Resource) -> Result<(), String> {
    let declared: BTreeSet<&str> = std::iter::once(r.name.as_str())
        .chain(r.structs.iter().map(|s| s.name.as_str()))
        .chain(r.enums.iter().map(|e| e.name.as_str()))
        .chain(r.unions.iter().map(|u| u.name.as_str()))
        .collect();
    let with_required = std::iter::once((&r.name, &r.props))
        .chain(r.structs.iter().map(|s| (&s.name, &s.props)))
        .filter(|(_, props)| props.iter().any(|p| p.required));
    for (name, _) in with_required {
        let required = emit::required_name(name);
        if declared.contains(required.as_str()) {
            return Err(format!(
                "{}: `{required}` names both a property type and the required properties of \
                 `{name}`",
                r.type_name
            ));
        }
    }
    Ok(())
}

/// Compiles the patterns of one property the way the checks will; a pattern that does not
/// compile is an error naming the type, the property and the pattern, to be repaired by a
/// fixup. `patterns` keeps each pattern once.
fn check_patterns(
    type_name: &str,
    owner: &str,
    p: &model::Prop,
    patterns: &mut BTreeSet<String>,
    counts: &mut PatternCounts,
) -> Result<(), String> {
    let (own, items) = emit::patterns(p);
    let sites = [(own, "", &mut counts.strings), (items, " (its items)", &mut counts.list_items)];
    for (pattern, items, count) in sites {
        let Some(pattern) = pattern else { continue };
        *count += 1;
        if patterns.contains(pattern) {
            continue;
        }
        ecma::compile(pattern).map_err(|e| {
            format!(
                "{type_name}: the pattern of `{owner}{}`{items} does not compile: `{pattern}`: {e}. \
                 Repair it with a fixup in crates/stackwright-codegen/src/fixups.rs",
                p.cfn
            )
        })?;
        patterns.insert(pattern.to_owned());
    }
    let (keys, values) = emit::map_patterns(p);
    counts.map_keys += usize::from(!keys.is_empty());
    counts.map_values += values.len();
    let map_sites = keys
        .iter()
        .map(|k| (k, " (its keys)"))
        .chain(values.iter().flat_map(|(k, v)| [(k, " (its keys)"), (v, " (its values)")]));
    for (pattern, part) in map_sites {
        if patterns.contains(pattern) {
            continue;
        }
        ecma::compile(pattern).map_err(|e| {
            format!(
                "{type_name}: the pattern of `{owner}{}`{part} does not compile: `{pattern}`: {e}. \
                 Repair it with a fixup in crates/stackwright-codegen/src/fixups.rs",
                p.cfn
            )
        })?;
        patterns.insert(pattern.clone());
    }
    Ok(())
}

fn lib_rs(
    services: &BTreeMap<String, Service>,
    source: &str,
    sha256: &str,
    patterns: &BTreeSet<String>,
) -> String {
    let mut o = emit::header(&format!("{source} (input sha256 {sha256})"));
    o.push_str(
        "//! Typed CloudFormation resources (L1), generated from the resource provider schemas:\n\
         //! one module per service behind a Cargo feature of the same name, one file per\n\
         //! resource type.\n//!\n\
         //! Each resource is a struct whose required properties are the arguments of `new` and\n\
         //! whose optional ones are chained setters; fields stay public. Every property takes a\n\
         //! [`Val`](stackwright_core::Val) of its type, so a literal, a parameter or another\n\
         //! resource's attribute fits and a value of the wrong type does not compile. Each type\n\
         //! has a handle (`QueueRef`) whose methods are the attributes the type has. Lengths,\n\
         //! patterns (of strings and of the strings of lists), ranges and allowed values from\n\
         //! the schema are checked at synth.\n//!\n\
         //! The CI/CD services are default features; `all` turns on every service.\n\n",
    );
    o.push_str(
        "#![allow(clippy::all, clippy::pedantic)]\n\npub mod runtimes;\npub mod support;\n\n",
    );
    for s in services.values() {
        let _ = writeln!(o, "#[cfg(feature = {:?})]\npub mod {};", s.module, s.module);
    }
    o.push_str(
        "\n/// Every resource type this crate can generate, with the feature that enables it.\n",
    );
    o.push_str("pub const RESOURCE_TYPES: &[(&str, &str)] = &[\n");
    for s in services.values() {
        for r in &s.resources {
            let _ = writeln!(o, "({:?}, {:?}),", r.type_name, s.module);
        }
    }
    o.push_str("];\n");
    o.push_str(
        "\n/// Every schema pattern the checks of this crate use, whatever the features, so a \
         test can compile them all.\n",
    );
    o.push_str("pub const PATTERNS: &[&str] = &[\n");
    for p in patterns {
        let _ = writeln!(o, "{p:?},");
    }
    o.push_str("];\n");
    o
}

fn features(services: &BTreeMap<String, Service>) -> String {
    let mut o = String::from("[features]\n");
    let defaults: Vec<String> = DEFAULT_FEATURES.iter().map(|f| format!("{f:?}")).collect();
    let _ = writeln!(o, "default = [{}]", defaults.join(", "));
    let all: Vec<String> = services.keys().map(|k| format!("{k:?}")).collect();
    let _ = writeln!(o, "all = [{}]", all.join(", "));
    for k in services.keys() {
        let _ = writeln!(o, "{k} = []");
    }
    o
}

/// The Lambda runtime lifecycle table, sorted by runtime name.
fn runtimes_rs(table: &serde_json::Value, source: &str) -> Result<String, String> {
    let entries = table.as_object().ok_or("the runtime lifecycle table is not an object")?;
    let mut o = emit::header(source);
    o.push_str(
        "//! Lambda runtimes and when AWS deprecates them, so constructs can warn before a\n\
         //! deployment starts failing.\n\n\
         /// One runtime's lifecycle; dates are `YYYY-MM-DD`.\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq)]\n\
         pub struct Lifecycle {\n\
         /// The runtime identifier (`nodejs22.x`).\npub name: &'static str,\n\
         /// When AWS deprecates it.\npub deprecated: &'static str,\n\
         /// When creating functions with it stops working, if known.\npub create_blocked: Option<&'static str>,\n\
         /// The runtime to move to.\npub successor: Option<&'static str>,\n}\n\n\
         /// Every runtime cfn-lint knows, by name.\npub const RUNTIMES: &[Lifecycle] = &[\n",
    );
    let opt = |v: Option<&serde_json::Value>| match v.and_then(|v| v.as_str()) {
        Some(s) => format!("Some({s:?})"),
        None => "None".to_owned(),
    };
    for (name, v) in entries {
        let deprecated = v
            .get("deprecated")
            .and_then(|d| d.as_str())
            .ok_or(format!("runtime {name} has no deprecation date"))?;
        let _ = writeln!(
            o,
            "Lifecycle {{ name: {name:?}, deprecated: {deprecated:?}, create_blocked: {}, successor: {} }},",
            opt(v.get("create-block")),
            opt(v.get("successor"))
        );
    }
    o.push_str(
        "];\n\n/// The lifecycle of a runtime, if known.\n\
         pub fn lifecycle(name: &str) -> Option<&'static Lifecycle> {\n\
         RUNTIMES.iter().find(|r| r.name == name)\n}\n",
    );
    Ok(o)
}

//! Checks of template sections, quotas and stack ordering.

use std::collections::{BTreeSet, HashMap};

use crate::app::App;
use crate::emit::Node;
use crate::error::{Diagnostics, SynthError, Warning};
use crate::expr::{Cond, ConditionTarget, Expr};
use crate::path::check_logical_id;
use crate::stack::Stack;
use crate::template::{Mapping, Parameter, Rule};

use super::graph;
use super::render::StackDoc;

/// CloudFormation's per-template quotas.
pub const MAX_RESOURCES: usize = 500;
/// Parameters per template.
pub const MAX_PARAMETERS: usize = 200;
/// Outputs per template.
pub const MAX_OUTPUTS: usize = 200;
/// Mappings per template.
pub const MAX_MAPPINGS: usize = 200;
/// Largest template body CloudFormation accepts (from S3).
pub const MAX_BODY_BYTES: usize = 1_000_000;
/// Largest template body that can be passed inline, without uploading to S3.
pub const MAX_INLINE_BODY_BYTES: usize = 51_200;

fn item_error(stack: &str, section: &str, name: &str, message: String) -> SynthError {
    SynthError::InvalidTemplateItem {
        stack: stack.to_owned(),
        section: section.to_owned(),
        name: name.to_owned(),
        message,
    }
}

pub(crate) fn template_name(stack: &str, section: &str, name: &str, errors: &mut Vec<SynthError>) {
    if let Some(message) = check_logical_id(name) {
        errors.push(item_error(stack, section, name, message));
    }
}

pub(crate) fn parameter(stack: &str, name: &str, p: &Parameter, errors: &mut Vec<SynthError>) {
    let mut fail = |m: String| errors.push(item_error(stack, "parameter", name, m));
    let kind = p.kind;
    let numeric = matches!(
        kind,
        crate::template::ParameterType::Number | crate::template::ParameterType::NumberList
    );
    if (p.min_length.is_some() || p.max_length.is_some() || p.allowed_pattern.is_some())
        && !kind.is_string_like()
    {
        fail(format!(
            "MinLength, MaxLength and AllowedPattern apply to String parameters, not {}",
            kind.name()
        ));
    }
    if (p.min_value.is_some() || p.max_value.is_some()) && !numeric {
        fail(format!("MinValue and MaxValue apply to Number parameters, not {}", kind.name()));
    }
    if let (Some(lo), Some(hi)) = (p.min_length, p.max_length)
        && lo > hi
    {
        fail(format!("MinLength {lo} is greater than MaxLength {hi}"));
    }
    if let (Some(lo), Some(hi)) = (p.min_value, p.max_value)
        && lo > hi
    {
        fail(format!("MinValue {lo} is greater than MaxValue {hi}"));
    }
    if let Some(Expr::Str(d)) = &p.default {
        if !p.allowed_values.is_empty() && !p.allowed_values.iter().any(|v| v.as_str() == Some(d)) {
            fail(format!("Default `{d}` is not one of its AllowedValues"));
        }
        let len = d.chars().count() as u64;
        if p.min_length.is_some_and(|m| len < m) || p.max_length.is_some_and(|m| len > m) {
            fail(format!("Default `{d}` ({len} characters) is outside MinLength/MaxLength"));
        }
        if numeric && d.parse::<f64>().is_err() && kind == crate::template::ParameterType::Number {
            fail(format!("Default `{d}` is not a number"));
        }
    }
    if let Some(Expr::Int(_) | Expr::Float(_)) = &p.default
        && !numeric
    {
        fail(format!("a numeric Default needs a Number parameter, not {}", kind.name()));
    }
}

pub(crate) fn rule(stack: &str, name: &str, rule: &Rule, errors: &mut Vec<SynthError>) {
    if rule.assertions.is_empty() {
        errors.push(item_error(stack, "rule", name, "a rule needs at least one assertion".into()));
    }
}

pub(crate) fn mapping(stack: &str, name: &str, m: &Mapping, errors: &mut Vec<SynthError>) {
    let key_ok = |k: &str| {
        !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
    };
    if m.entries.is_empty() {
        errors.push(item_error(
            stack,
            "mapping",
            name,
            "a mapping needs at least one entry".into(),
        ));
    }
    for (top, level) in &m.entries {
        for key in std::iter::once(top).chain(level.iter().map(|(k, _)| k)) {
            if !key_ok(key) {
                errors.push(item_error(
                    stack,
                    "mapping",
                    name,
                    format!("key `{key}` may contain only letters, digits, `-`, `.` and `_`"),
                ));
            }
        }
    }
}

pub(crate) fn condition(stack: &str, name: &str, c: &Cond, errors: &mut Vec<SynthError>) {
    fn walk(c: &Cond, out: &mut Vec<String>) {
        match c {
            Cond::And(cs) | Cond::Or(cs) => {
                let f = if matches!(c, Cond::And(_)) { "Fn::And" } else { "Fn::Or" };
                if !(2..=10).contains(&cs.len()) {
                    out.push(format!("{f} takes 2 to 10 conditions, not {}", cs.len()));
                }
                cs.iter().for_each(|c| walk(c, out));
            }
            Cond::Not(c) => walk(c, out),
            Cond::Contains(..) | Cond::EachMemberEquals(..) | Cond::EachMemberIn(..) => out.push(
                "Fn::Contains, Fn::EachMemberEquals and Fn::EachMemberIn work only in rules".into(),
            ),
            _ => {}
        }
    }
    let mut problems = Vec::new();
    walk(c, &mut problems);
    for m in problems {
        errors.push(item_error(stack, "condition", name, m));
    }
}

/// Conditions that refer to each other in a loop.
pub(crate) fn condition_cycles(stack: &Stack, errors: &mut Vec<SynthError>) {
    let index: HashMap<&str, usize> =
        stack.conditions.iter().enumerate().map(|(i, (n, _))| (n.as_str(), i)).collect();
    let edges: Vec<Vec<usize>> = stack
        .conditions
        .iter()
        .map(|(_, c)| {
            let mut deps = Vec::new();
            c.walk_conditions(&mut |t| match t {
                ConditionTarget::Id(id) if id.stack == stack.id => deps.push(id.index as usize),
                ConditionTarget::Named(n) => deps.extend(index.get(n.as_str())),
                _ => {}
            });
            deps
        })
        .collect();
    // Reported as a template-item error, not a ReferenceCycle: that message's advice (move a
    // piece into its own resource) is about resources and would mislead here.
    for cycle in graph::cycles(&edges) {
        let names: Vec<&str> = cycle.iter().map(|&i| stack.conditions[i].0.as_str()).collect();
        errors.push(item_error(
            &stack.name,
            "condition",
            names[0],
            format!(
                "conditions refer to each other in a loop ({}); remove one of the references",
                names.join(" -> ")
            ),
        ));
    }
}

/// Export names must be unique within an account and region. The same name in stacks that
/// deploy to different accounts or regions (dev and prod copies of one stack) is no collision,
/// so only stacks whose environments can overlap are compared (open parts assumed to match).
pub(crate) fn export_names(app: &App, docs: &[StackDoc], errors: &mut Vec<SynthError>) {
    let mut seen: HashMap<String, Vec<(String, usize)>> = HashMap::new();
    for (i, doc) in docs.iter().enumerate() {
        let env = &app.stacks()[i].env;
        for (out, body) in &doc.outputs {
            let Some(Node::Str(name)) = body.get("Export").and_then(|e| e.get("Name")) else {
                continue;
            };
            let who = format!("{}/{}", app.stacks()[i].name, out);
            let earlier = seen.entry(name.clone()).or_default();
            match earlier.iter().find(|(_, j)| app.stacks()[*j].env.can_export_to(env)) {
                Some((first, _)) => errors.push(SynthError::ExportNameCollision {
                    name: name.clone(),
                    first: first.clone(),
                    second: who,
                }),
                None => earlier.push((who, i)),
            }
        }
    }
}

/// The order to deploy stacks in; a cycle between stacks is an error (and the creation order
/// is returned so the rest of synthesis can still report its problems).
pub(crate) fn stack_order(
    app: &App,
    deps: &[BTreeSet<usize>],
    errors: &mut Vec<SynthError>,
) -> Vec<usize> {
    let edges: Vec<Vec<usize>> = deps.iter().map(|d| d.iter().copied().collect()).collect();
    for cycle in graph::cycles(&edges) {
        errors.push(SynthError::StackCycle {
            cycle: cycle.iter().map(|&i| app.stacks()[i].name.clone()).collect(),
        });
    }
    graph::topological_order(&edges).unwrap_or_else(|| (0..edges.len()).collect())
}

pub(crate) fn quotas(stack: &str, doc: &StackDoc, errors: &mut Vec<SynthError>) {
    // CloudFormation rejects a template without resources ("At least one Resources member
    // must be defined"; cfn-lint E1001), so an empty stack must not synthesize quietly.
    if doc.resources.is_empty() {
        errors.push(SynthError::InvalidConstruct {
            stack: stack.to_owned(),
            path: String::new(),
            code: "stack.empty",
            message: "the stack has no resources, and CloudFormation needs at least one".to_owned(),
            fix: "add a resource or remove the stack".to_owned(),
        });
    }
    for (what, count, limit) in [
        ("resources", doc.resources.len(), MAX_RESOURCES),
        ("parameters", doc.parameters.len(), MAX_PARAMETERS),
        ("outputs", doc.outputs.len(), MAX_OUTPUTS),
        ("mappings", doc.mappings.len(), MAX_MAPPINGS),
    ] {
        if count > limit {
            errors.push(SynthError::QuotaExceeded {
                stack: stack.to_owned(),
                what: what.to_owned(),
                count,
                limit,
            });
        }
    }
}

pub(crate) fn body_size(stack: &str, bytes: usize, diag: &mut Diagnostics) {
    if bytes > MAX_BODY_BYTES {
        diag.errors.push(SynthError::QuotaExceeded {
            stack: stack.to_owned(),
            what: "bytes of template body".to_owned(),
            count: bytes,
            limit: MAX_BODY_BYTES,
        });
    } else if bytes > MAX_INLINE_BODY_BYTES {
        diag.warnings.push(Warning {
            path: stack.to_owned(),
            message: format!(
                "the template is {bytes} bytes, over the {MAX_INLINE_BODY_BYTES} bytes that can \
                 be passed inline; deploy it through an S3 bucket (`aws cloudformation deploy \
                 --s3-bucket ...`)"
            ),
        });
    }
}

/// Availability zone names written as literals (`us-east-1a`) tie a template to one region
/// and account mapping (cfn-lint W3010); `fns::get_azs` picks them at deploy time.
pub(crate) fn hard_coded_zones(app: &App, docs: &[StackDoc], warnings: &mut Vec<Warning>) {
    fn walk(node: &Node, under_zone_key: bool, found: &mut Vec<String>) {
        match node {
            Node::Str(s) if under_zone_key && looks_like_zone(s) => found.push(s.clone()),
            Node::List(items) => items.iter().for_each(|n| walk(n, under_zone_key, found)),
            Node::Map(entries) => entries.iter().for_each(|(k, v)| {
                walk(v, under_zone_key || k.contains("AvailabilityZone"), found)
            }),
            Node::Fn(_, arg) => walk(arg, under_zone_key, found),
            _ => {}
        }
    }
    for (stack, doc) in app.stacks().iter().zip(docs) {
        for ((_, resource), node) in doc.resources.iter().zip(&stack.resources) {
            let mut found = Vec::new();
            if let Some(props) = resource.get("Properties") {
                walk(props, false, &mut found);
            }
            for zone in found {
                warnings.push(Warning {
                    path: format!("{}/{}", stack.name, node.path),
                    message: format!(
                        "availability zone `{zone}` is hard-coded; use fns::select(i, fns::get_azs(\"\")) \
                         so the template works in every region and account"
                    ),
                });
            }
        }
    }
}

/// `us-east-1a`, `eu-central-2b`, `us-gov-west-1c`, `us-west-2-lax-1a` (local zones).
fn looks_like_zone(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && s.ends_with(|c: char| c.is_ascii_lowercase())
        && s.chars().rev().nth(1).is_some_and(|c| c.is_ascii_digit())
}

/// Longest file or folder name most filesystems take (ext4, APFS, NTFS: 255).
pub const MAX_FILE_NAME_BYTES: usize = 255;
/// Longest companion file path, leaving room under `PATH_MAX` for where the folder sits.
pub const MAX_COMPANION_PATH_BYTES: usize = 1024;

/// Companion files: relative paths inside the output folder, short enough for a filesystem,
/// not the same file as a template, the manifest or each other (also where the filesystem
/// ignores case), and not a file where another path needs a folder. All of it before
/// anything is written.
pub(crate) fn companion_files(app: &App, errors: &mut Vec<SynthError>) {
    // Every path the output folder will hold, with who writes it.
    let mut taken: Vec<(String, String)> = Vec::new();
    for stack in app.stacks() {
        for ext in ["json", "yaml"] {
            taken.push((
                format!("{}.template.{ext}", stack.name),
                format!("the template of {}", stack.name),
            ));
        }
    }
    taken.push((super::MANIFEST_FILE.to_owned(), "the manifest".to_owned()));
    let companion = FileKind {
        what: "companion file",
        code: "synth.companion-file",
        folder: "the output folder",
        files: |stack| &stack.files,
    };
    file_paths(app, &companion, taken, errors);
    // The workflow folder is a folder of its own, shared with files no synth wrote: its
    // paths clash only with each other.
    let workflow = FileKind {
        what: "workflow file",
        code: "synth.workflow-file",
        folder: "the workflow folder",
        files: |stack| &stack.workflow_files,
    };
    file_paths(app, &workflow, Vec::new(), errors);
}

/// One kind of file a stack writes besides its template, and where it goes.
struct FileKind {
    what: &'static str,
    code: &'static str,
    folder: &'static str,
    files: fn(&crate::stack::Stack) -> &[crate::stack::CompanionFile],
}

fn file_paths(
    app: &App,
    kind: &FileKind,
    mut taken: Vec<(String, String)>,
    errors: &mut Vec<SynthError>,
) {
    for stack in app.stacks() {
        for file in (kind.files)(stack) {
            let path = &file.path;
            let fail = |message: String, fix: &str| SynthError::InvalidConstruct {
                stack: stack.name.clone(),
                path: file.owner.clone(),
                code: kind.code,
                message: format!("{} `{}`: {message}", kind.what, abbreviated(path)),
                fix: fix.to_owned(),
            };
            if !super::assembly::is_inside(path) {
                errors.push(fail(
                    format!("the path is not relative and inside {}", kind.folder),
                    "use `/` between names, with no `..`, no leading `/` and no name starting with `.`",
                ));
                continue;
            }
            if let Some(long) = path.split('/').find(|c| c.len() > MAX_FILE_NAME_BYTES) {
                errors.push(fail(
                    format!(
                        "the name `{}` is {} bytes long, over the {MAX_FILE_NAME_BYTES} a \
                         filesystem takes",
                        abbreviated(long),
                        long.len()
                    ),
                    "shorten it",
                ));
                continue;
            }
            if path.len() > MAX_COMPANION_PATH_BYTES {
                errors.push(fail(
                    format!(
                        "the path is {} bytes long, over the {MAX_COMPANION_PATH_BYTES} allowed",
                        path.len()
                    ),
                    "use fewer or shorter folder names",
                ));
                continue;
            }
            let who = match file.owner.as_str() {
                "" => format!("stack {}", stack.name),
                owner => format!("{}/{owner}", stack.name),
            };
            let clash = taken.iter().find_map(|(other, by)| {
                let (a, b) = (path.as_str(), other.as_str());
                if a == b {
                    Some(format!("{by} already writes this path"))
                } else if a.to_lowercase() == b.to_lowercase() {
                    Some(format!(
                        "{by} writes `{b}`, the same file where case is ignored (macOS, Windows)"
                    ))
                } else if a.strip_prefix(b).is_some_and(|rest| rest.starts_with('/')) {
                    Some(format!("{by} writes the file `{b}`, where this path needs a folder"))
                } else if b.strip_prefix(a).is_some_and(|rest| rest.starts_with('/')) {
                    Some(format!(
                        "{by} writes `{b}`, which needs a folder where this file would be"
                    ))
                } else {
                    None
                }
            });
            match clash {
                Some(message) => errors.push(fail(message, "give the file another name")),
                None => taken.push((path.clone(), who)),
            }
        }
    }
}

/// A path short enough to read in a message: long ones keep their start and their end.
fn abbreviated(path: &str) -> String {
    let n = path.chars().count();
    if n <= 64 {
        return path.to_owned();
    }
    let head: String = path.chars().take(32).collect();
    let tail: String = path.chars().skip(n - 16).collect();
    format!("{head}...{tail}")
}

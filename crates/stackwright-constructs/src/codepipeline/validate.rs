//! The checks CodePipeline would make when the stack deploys, made at synth instead.

use std::collections::HashMap;

use stackwright_aws::codepipeline::pipeline as l1;
use stackwright_core::{Expr, PropertyProblem};

use super::action::Action;
use super::artifact;
use super::model::PipelineState;

/// Where an artifact is produced: stage index, run order, `Stage/Action`.
struct Producer {
    stage: usize,
    run_order: i64,
    label: String,
}

/// Checks the pipeline `p`, rendered into `l1`.
pub(crate) fn validate(p: &PipelineState, l1: &l1::Pipeline, out: &mut Vec<PropertyProblem>) {
    let mut fail = |property: String, message: String| {
        out.push(PropertyProblem::new(property, message));
    };
    let n = p.stages.len();
    if n < 2 {
        fail(
            "Stages".into(),
            format!(
                "the pipeline has {n} stage{}; CodePipeline needs at least two: \
                 a source stage and a stage that acts on its output",
                if n == 1 { "" } else { "s" }
            ),
        );
    }

    // Stage names, action names and placement.
    let mut stage_names: Vec<&str> = Vec::new();
    for (i, stage) in p.stages.iter().enumerate() {
        let at = format!("Stages.{i}");
        if let Some(m) = name_problem("stage", &stage.name) {
            fail(format!("{at}.Name"), m);
        }
        if stage_names.contains(&stage.name.as_str()) {
            fail(
                format!("{at}.Name"),
                format!(
                    "stage name `{}` is used twice; stage names must be unique in a pipeline",
                    stage.name
                ),
            );
        }
        stage_names.push(&stage.name);
        if stage.actions.is_empty() {
            fail(
                format!("{at}.Actions"),
                format!("stage `{}` has no actions; add at least one", stage.name),
            );
        }
        let mut action_names: Vec<&str> = Vec::new();
        for (j, a) in stage.actions.iter().enumerate() {
            let at = format!("{at}.Actions.{j}");
            let label = format!("{}/{}", stage.name, a.name);
            if let Some(m) = name_problem("action", &a.name) {
                fail(format!("{at}.Name"), m);
            }
            if action_names.contains(&a.name.as_str()) {
                fail(
                    format!("{at}.Name"),
                    format!(
                        "action name `{}` is used twice in stage `{}`; \
                         action names must be unique within a stage",
                        a.name, stage.name
                    ),
                );
            }
            action_names.push(&a.name);
            let t = &a.action_type;
            if i == 0 && !t.is_source() {
                fail(
                    format!("{at}.ActionTypeId"),
                    format!(
                        "action `{label}` is {} {} action in the first stage, which may hold \
                         only source actions; move it to a later stage",
                        article(t.label),
                        t.label
                    ),
                );
            }
            if i > 0 && t.is_source() {
                fail(
                    format!("{at}.ActionTypeId"),
                    format!(
                        "action `{label}` is a source action in stage `{}`; \
                         source actions belong in the first stage only",
                        stage.name
                    ),
                );
            }
            if let Some(r) = a.run_order
                && !(1..=999).contains(&r)
            {
                fail(
                    format!("{at}.RunOrder"),
                    format!("action `{label}` has run order {r}; CodePipeline allows 1 to 999"),
                );
            }
            count(
                &mut fail,
                &format!("{at}.InputArtifacts"),
                &label,
                a,
                a.inputs.len(),
                t.inputs,
                "input",
            );
            count(
                &mut fail,
                &format!("{at}.OutputArtifacts"),
                &label,
                a,
                a.outputs.len(),
                t.outputs,
                "output",
            );
        }
    }

    // Artifacts: unique producers, valid names, read only after they are produced.
    let mut producers: HashMap<&str, Producer> = HashMap::new();
    let mut namespaces: HashMap<&str, String> = HashMap::new();
    for (i, stage) in p.stages.iter().enumerate() {
        for (j, a) in stage.actions.iter().enumerate() {
            let at = format!("Stages.{i}.Actions.{j}");
            let label = format!("{}/{}", stage.name, a.name);
            for o in &a.outputs {
                if let Some(m) = artifact::name_problem(o.name()) {
                    fail(format!("{at}.OutputArtifacts"), format!("action `{label}`: {m}"));
                }
                match producers.get(o.name()) {
                    Some(first) => fail(
                        format!("{at}.OutputArtifacts"),
                        format!(
                            "artifact `{}` is produced by both `{}` and `{label}`; \
                             artifact names must be unique in a pipeline",
                            o.name(),
                            first.label
                        ),
                    ),
                    None => {
                        producers.insert(
                            o.name(),
                            Producer {
                                stage: i,
                                run_order: a.run_order.unwrap_or(1),
                                label: label.clone(),
                            },
                        );
                    }
                }
            }
            if let Some(ns) = &a.namespace {
                match namespaces.get(ns.as_str()) {
                    Some(first) => fail(
                        format!("{at}.Namespace"),
                        format!(
                            "variables namespace `{ns}` is used by both `{first}` and `{label}`; \
                             namespaces must be unique in a pipeline"
                        ),
                    ),
                    None => {
                        namespaces.insert(ns, label.clone());
                    }
                }
            }
        }
    }
    for (i, stage) in p.stages.iter().enumerate() {
        for (j, a) in stage.actions.iter().enumerate() {
            let at = format!("Stages.{i}.Actions.{j}");
            let label = format!("{}/{}", stage.name, a.name);
            let run_order = a.run_order.unwrap_or(1);
            for input in &a.inputs {
                let name = input.name();
                let clone_ref = p.clone_refs.iter().any(|(n, _)| n == name);
                if clone_ref && a.action_type.provider != "CodeBuild" {
                    fail(
                        format!("{at}.InputArtifacts"),
                        format!(
                            "action `{label}` reads artifact `{name}`, a CODEBUILD_CLONE_REF, \
                             which only CodeBuild actions can read; output a zip instead"
                        ),
                    );
                }
                match producers.get(name) {
                    Some(pr) if pr.stage < i || (pr.stage == i && pr.run_order < run_order) => {}
                    Some(pr) => fail(
                        format!("{at}.InputArtifacts"),
                        format!(
                            "action `{label}` reads artifact `{name}`, which `{}` produces only \
                             later; an action may read only what earlier stages, or lower run \
                             orders of its own stage, produce",
                            pr.label
                        ),
                    ),
                    None => fail(
                        format!("{at}.InputArtifacts"),
                        format!(
                            "action `{label}` reads artifact `{name}`, which no action produces; \
                             produce it in an earlier stage or fix the name"
                        ),
                    ),
                }
            }
            if a.role_arn.is_some() && !p.store.kms {
                fail(
                    format!("{at}.RoleArn"),
                    format!(
                        "action `{label}` runs as a role of another account, which cannot read \
                         artifacts encrypted with S3-managed keys; make the artifact store \
                         KMS-encrypted with PipelineProps::cross_account(true)"
                    ),
                );
            }
            if let Some(region) = &a.region
                && !p.regions.contains(region)
            {
                let shown = match region.expr() {
                    Expr::Str(s) => format!("`{s}`"),
                    _ => "a region".to_owned(),
                };
                fail(
                    format!("{at}.Region"),
                    format!(
                        "action `{label}` runs in {shown}, which has no artifact store; \
                             add one with PipelineProps::regional_artifact_store"
                    ),
                );
            }
        }
    }

    // Pipeline-level settings.
    let v1 = matches!(l1.pipeline_type.as_ref().map(|v| v.expr()), Some(Expr::Str(s)) if s == "V1");
    if v1 {
        if !p.git_triggers.is_empty() {
            fail("Triggers".into(), "git triggers need pipeline type V2".into());
        }
        if !l1.variables.is_empty() {
            fail("Variables".into(), "pipeline variables need pipeline type V2".into());
        }
        if matches!(l1.execution_mode.as_ref().map(|v| v.expr()), Some(Expr::Str(s)) if s != "SUPERSEDED")
        {
            fail(
                "ExecutionMode".into(),
                "a V1 pipeline runs only in SUPERSEDED mode; use pipeline type V2".into(),
            );
        }
    }
    let mut triggered: Vec<&str> = Vec::new();
    for (k, t) in p.git_triggers.iter().enumerate() {
        let at = format!("Triggers.{k}");
        let first = p.stages.first().map(|s| s.actions.as_slice()).unwrap_or(&[]);
        let source = first.iter().find(|a| a.name == t.source_action);
        if source.is_none_or(|a| a.action_type.provider != "CodeStarSourceConnection") {
            fail(
                at.clone(),
                format!(
                    "git trigger on `{}`: the first stage has no CodeStar connection source \
                     action of that name",
                    t.source_action
                ),
            );
        }
        if triggered.contains(&t.source_action.as_str()) {
            fail(
                at.clone(),
                format!(
                    "source action `{}` has two git triggers; put all its filters in one",
                    t.source_action
                ),
            );
        }
        triggered.push(&t.source_action);
        for m in t.problems() {
            fail(at.clone(), m);
        }
    }
    let mut variable_names: Vec<String> = Vec::new();
    for (k, v) in l1.variables.iter().enumerate() {
        if let Expr::Str(name) = v.name.expr() {
            let ok = !name.is_empty()
                && name.chars().count() <= 128
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '@' || c == '-' || c == '_');
            if !ok {
                fail(
                    format!("Variables.{k}.Name"),
                    format!(
                        "variable name `{name}` must be 1 to 128 letters, digits, `@`, `-` and `_`"
                    ),
                );
            }
            if variable_names.contains(name) {
                fail(format!("Variables.{k}.Name"), format!("variable `{name}` is declared twice"));
            }
            variable_names.push(name.clone());
        }
    }
}

/// Checks an artifact count against what the action type allows.
fn count(
    fail: &mut impl FnMut(String, String),
    property: &str,
    label: &str,
    a: &Action,
    n: usize,
    (min, max): (usize, usize),
    which: &str,
) {
    if (min..=max).contains(&n) {
        return;
    }
    let allowed = match (min, max) {
        (0, 0) => "none".to_owned(),
        (a, b) if a == b => format!("exactly {a}"),
        (a, b) => format!("{a} to {b}"),
    };
    let verb = if which == "input" { "takes" } else { "produces" };
    let t = &a.action_type;
    fail(
        property.to_owned(),
        format!(
            "action `{label}` has {n} {which} artifact{}; {} {} action {verb} {allowed}",
            if n == 1 { "" } else { "s" },
            article(t.label),
            t.label
        ),
    );
}

/// `a` or `an` before a label.
fn article(label: &str) -> &'static str {
    match label.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'E' | 'I' | 'O' | 'U') => "an",
        _ => "a",
    }
}

/// What is wrong with a stage or action name (`[A-Za-z0-9.@_-]{1,100}`), if anything.
pub(crate) fn name_problem(what: &str, name: &str) -> Option<String> {
    if name.is_empty() || name.chars().count() > 100 {
        return Some(format!("{what} name `{name}` must be 1 to 100 characters long"));
    }
    name.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '@' | '_' | '-'))).map(
        |c| {
            format!(
                "{what} name `{name}` contains `{c}`; use letters, digits, `.`, `@`, `_` and `-`"
            )
        },
    )
}

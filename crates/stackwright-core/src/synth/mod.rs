//! Synthesis: from the app model to template bytes in memory.
//!
//! The steps, in order: logical IDs for every resource (`names`); each stack's sections
//! resolved into output trees, references checked and cross-stack references turned into
//! imports (`resolve`, `render`); the exports those imports need added to the producers;
//! cycles and quotas checked (`graph`, `checks`); the trees emitted as JSON or YAML
//! ([`crate::emit`]). Every problem from every step is collected; only a clean run yields
//! an [`Assembly`].

mod assembly;
mod checks;
mod exports;
mod graph;
mod limits;
mod lock;
mod names;
mod output_error;
mod overrides;
mod render;
mod resolve;
mod transaction;
mod tree_checks;

pub use assembly::{
    Assembly, Drift, Format, MANIFEST_FILE, Root, Roots, StackArtifact, WriteReport,
};
pub use checks::{MAX_COMPANION_PATH_BYTES, MAX_FILE_NAME_BYTES};
pub use limits::{
    MAX_MANAGED_POLICY_CHARS, MAX_OUTPUT_DESCRIPTION_BYTES, MAX_PARAMETER_DESCRIPTION_CHARS,
    MAX_ROLE_INLINE_POLICY_CHARS, MAX_TEMPLATE_DESCRIPTION_BYTES,
};
pub use output_error::OutputError;

use std::collections::BTreeSet;

use crate::app::App;
use crate::emit::Node;
use crate::error::{Diagnostics, SynthError};
use crate::path::check_stack_name;

use exports::Exports;
use names::Names;

/// Synthesizes every stack of the app. See [`App::synth`].
pub(crate) fn synthesize(app: &App, format: Format) -> Result<Assembly, Diagnostics> {
    let mut diag = Diagnostics::default();
    if app.stacks().is_empty() {
        diag.errors.push(SynthError::EmptyApp);
        return Err(diag);
    }
    for stack in app.stacks() {
        diag.errors.extend(stack.problems.iter().cloned());
        diag.warnings.extend(stack.warnings.iter().cloned());
        if let Some(message) = check_stack_name(&stack.name) {
            // An empty name would leave nothing before the colon of the message.
            let path = if stack.name.is_empty() { "App".to_owned() } else { stack.name.clone() };
            diag.errors.push(SynthError::InvalidName { path, message });
        }
    }

    let names = Names::compute(app, &mut diag.errors);
    let mut exports = Exports::default();
    let mut stack_deps: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); app.stacks().len()];
    let mut docs: Vec<render::StackDoc> = Vec::with_capacity(app.stacks().len());
    for (i, deps) in stack_deps.iter_mut().enumerate() {
        docs.push(render::render_stack(app, &names, i, &mut exports, deps, &mut diag.errors));
    }
    render::attach_exports(app, &names, &exports, &mut docs, &mut diag.errors);
    checks::hard_coded_zones(app, &docs, &mut diag.warnings);
    checks::export_names(app, &docs, &mut diag.errors);

    checks::companion_files(app, &mut diag.errors);
    let order = checks::stack_order(app, &stack_deps, &mut diag.errors);
    for (stack, doc) in app.stacks().iter().zip(&docs) {
        checks::quotas(&stack.name, doc, &mut diag.errors);
        limits::transformed_quota(stack, doc, &mut diag.errors);
        limits::descriptions(stack, doc, &mut diag.errors);
        limits::output_values(stack, doc, &mut diag.errors);
        limits::policy_sizes(stack, doc, &mut diag.errors);
        tree_checks::document(stack, doc, &mut diag.errors);
    }
    let resources: Vec<&[(String, Node)]> = docs.iter().map(|d| d.resources.as_slice()).collect();
    let findings = crate::security::evaluate(app, &resources, &mut diag);

    let mut artifacts = Vec::with_capacity(docs.len());
    for i in order {
        let stack = &app.stacks()[i];
        let tree: Node = std::mem::take(&mut docs[i]).into_node();
        let body = match format {
            Format::Json => crate::emit::to_json(&tree),
            Format::Yaml => crate::emit::to_yaml(&tree),
        };
        checks::body_size(&stack.name, body.len(), &mut diag);
        let depends_on = stack_deps[i].iter().map(|&d| app.stacks()[d].name.clone()).collect();
        artifacts.push(StackArtifact {
            name: stack.name.clone(),
            file: format!("{}.template.{}", stack.name, format.extension()),
            body,
            environment: stack.env.clone(),
            depends_on,
            files: stack.files.iter().map(|f| (f.path.clone(), f.contents.clone())).collect(),
            workflow_files: stack
                .workflow_files
                .iter()
                .map(|f| (f.path.clone(), f.contents.clone()))
                .collect(),
        });
    }

    if diag.errors.is_empty() {
        Ok(Assembly::new(format, artifacts, diag.warnings).with_findings(findings))
    } else {
        Err(diag)
    }
}

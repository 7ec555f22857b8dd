//! The built-in rule pack compared with a recorded checkov run over the same templates.

use std::collections::BTreeSet;

use stackwright_core::{App, Assembly};

/// Compares the findings of `assembly`, synthesized from `app` with its rule packs, with a checkov run
/// over its templates recorded by `scripts/checkov-examples.sh`: for every checkov check that
/// a rule of the pack covers, checkov must fail or skip it on exactly the resources where the
/// rule finds something (suppressed findings are checkov's skipped checks), and checkov must
/// fail nothing at all. Returns every difference, one per line.
pub fn checkov_parity(app: &App, assembly: &Assembly, recording: &str) -> Result<(), String> {
    let recorded: serde_json::Value =
        serde_json::from_str(recording).map_err(|e| format!("the recording is not JSON: {e}"))?;
    let covered: BTreeSet<&str> =
        app.rules().into_iter().flat_map(|r| r.checkov.iter().copied()).collect();
    let mut problems = Vec::new();
    for stack in assembly.stacks() {
        let Some(results) = recorded.get(&stack.file) else {
            problems.push(format!(
                "{}: not in the recording; run scripts/checkov-examples.sh",
                stack.file
            ));
            continue;
        };
        let rows = |kind: &str| -> BTreeSet<(String, String)> {
            results[kind]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|row| Some((row[0].as_str()?.to_owned(), row[1].as_str()?.to_owned())))
                .collect()
        };
        let (failed, skipped) = (rows("failed"), rows("skipped"));
        for (check, resource) in &failed {
            problems.push(format!("{}: checkov fails {check} on {resource}", stack.file));
        }
        let theirs: BTreeSet<(String, String)> = failed
            .union(&skipped)
            .filter(|(check, _)| covered.contains(check.as_str()))
            .cloned()
            .collect();
        let prefix = format!("{}/", stack.name);
        let ours: BTreeSet<(String, String)> = assembly
            .findings()
            .iter()
            .filter(|f| f.path.starts_with(&prefix))
            .flat_map(|f| f.rule.checkov.iter().map(|c| ((*c).to_owned(), f.logical_id.clone())))
            .collect();
        for (check, resource) in theirs.difference(&ours) {
            problems.push(format!(
                "{}: checkov reports {check} on {resource}, the pack does not",
                stack.file
            ));
        }
        for (check, resource) in ours.difference(&theirs) {
            problems.push(format!(
                "{}: the pack reports {check} on {resource}, checkov does not",
                stack.file
            ));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}

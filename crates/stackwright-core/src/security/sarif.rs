//! The rules and findings as text, JSON and SARIF 2.1.0, for the `rules` command and for
//! code-scanning tools.

use serde_json::{Value, json};

use super::{Finding, SecurityRule};

/// One line per rule: id, severity, equivalents, message and fix.
pub fn rules_text(rules: &[&'static SecurityRule]) -> String {
    let mut out = String::new();
    for r in rules {
        out.push_str(&format!(
            "{} [{}] {}\n    types: {}\n    cdk-nag: {}  checkov: {}  cfn-guard: {}\n    fix: {}\n",
            r.id,
            r.severity,
            r.message,
            r.resource_types.join(", "),
            or_none(r.cdk_nag),
            or_none(r.checkov),
            or_none(r.guard),
            r.fix
        ));
    }
    out
}

fn or_none(ids: &[&str]) -> String {
    if ids.is_empty() { "-".to_owned() } else { ids.join(", ") }
}

fn rule_json(r: &SecurityRule) -> Value {
    json!({
        "id": r.id,
        "severity": r.severity.name(),
        "resource_types": r.resource_types,
        "cdk_nag": r.cdk_nag,
        "checkov": r.checkov,
        "cfn_guard": r.guard,
        "message": r.message,
        "fix": r.fix,
    })
}

/// The rules as a JSON array, pretty-printed.
pub fn rules_json(rules: &[&'static SecurityRule]) -> String {
    let list: Vec<Value> = rules.iter().map(|r| rule_json(r)).collect();
    pretty(&Value::Array(list))
}

/// A SARIF 2.1.0 log with the rules as the tool's rules and each finding as a result located
/// at the file and line where the program created the construct.
pub fn rules_sarif(rules: &[&'static SecurityRule], findings: &[Finding]) -> String {
    let descriptors: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": {"text": r.message},
                "help": {"text": r.fix},
                "defaultConfiguration": {"level": level(r)},
                "properties": {"cdk_nag": r.cdk_nag, "checkov": r.checkov, "cfn_guard": r.guard},
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let detail =
                if f.detail.is_empty() { String::new() } else { format!(" ({})", f.detail) };
            let suppressions: Vec<Value> = f
                .suppressed
                .iter()
                .map(|reason| json!({"kind": "inSource", "justification": reason}))
                .collect();
            json!({
                "ruleId": f.rule.id,
                "suppressions": suppressions,
                "level": level(f.rule),
                "message": {"text": format!("{}: {}{detail}", f.path, f.rule.message)},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.location.file()},
                        "region": {"startLine": f.location.line(), "startColumn": f.location.column()},
                    },
                    "logicalLocations": [{"fullyQualifiedName": f.path, "name": f.logical_id}],
                }],
            })
        })
        .collect();
    let log = json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": {"driver": {"name": "stackwright", "rules": descriptors}},
            "results": results,
        }],
    });
    pretty(&log)
}

fn level(r: &SecurityRule) -> &'static str {
    match r.severity {
        super::Severity::High => "error",
        super::Severity::Medium | super::Severity::Low => "warning",
    }
}

/// Pretty JSON with a final newline; a `Value` always serializes.
fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

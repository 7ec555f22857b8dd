//! Suppressions written into a resource's `Metadata`, in the forms outside scanners read:
//! checkov (`checkov: skip`), cfn-guard (`guard: SuppressedRules`) and cdk-nag
//! (`cdk_nag: rules_to_suppress`).

use crate::emit::Node;

use super::Suppression;

/// The `Metadata` entries for the suppressions that apply to one resource; none when there
/// are none. A rule suppressed twice (two findings) is named once per scanner, with the
/// reasons joined.
pub(crate) fn suppression_metadata(suppressions: &[&Suppression]) -> Vec<(String, Node)> {
    if suppressions.is_empty() {
        return Vec::new();
    }
    let mut checkov: Vec<(&str, String)> = Vec::new();
    let mut guard: Vec<&str> = Vec::new();
    let mut nag: Vec<(&str, String, Vec<String>)> = Vec::new();
    for s in suppressions {
        let reason = s.reason.trim();
        for id in s.rule.checkov {
            add_reason(&mut checkov, id, reason);
        }
        for id in s.rule.guard {
            if !guard.contains(id) {
                guard.push(id);
            }
        }
        for id in s.rule.cdk_nag {
            match nag.iter_mut().find(|(n, _, _)| n == id) {
                Some((_, r, applies)) => {
                    join(r, reason);
                    push_finding(applies, s);
                }
                None => {
                    let mut applies = Vec::new();
                    push_finding(&mut applies, s);
                    nag.push((id, reason.to_owned(), applies));
                }
            }
        }
    }
    let mut out = Vec::new();
    if !checkov.is_empty() {
        let skip = checkov
            .into_iter()
            .map(|(id, comment)| {
                Node::Map(vec![
                    ("id".to_owned(), Node::Str(id.to_owned())),
                    ("comment".to_owned(), Node::Str(comment)),
                ])
            })
            .collect();
        out.push(("checkov".to_owned(), Node::Map(vec![("skip".to_owned(), Node::List(skip))])));
    }
    if !nag.is_empty() {
        let rules = nag
            .into_iter()
            .map(|(id, reason, applies)| {
                let mut entry = vec![
                    ("id".to_owned(), Node::Str(id.to_owned())),
                    ("reason".to_owned(), Node::Str(reason)),
                ];
                if !applies.is_empty() {
                    let list = applies.into_iter().map(Node::Str).collect();
                    entry.push(("applies_to".to_owned(), Node::List(list)));
                }
                Node::Map(entry)
            })
            .collect();
        let body = Node::Map(vec![("rules_to_suppress".to_owned(), Node::List(rules))]);
        out.push(("cdk_nag".to_owned(), body));
    }
    if !guard.is_empty() {
        let rules = guard.into_iter().map(|g| Node::Str(g.to_owned())).collect();
        let body = Node::Map(vec![("SuppressedRules".to_owned(), Node::List(rules))]);
        out.push(("guard".to_owned(), body));
    }
    out
}

fn add_reason<'r>(list: &mut Vec<(&'r str, String)>, id: &'r str, reason: &str) {
    match list.iter_mut().find(|(n, _)| *n == id) {
        Some((_, r)) => join(r, reason),
        None => list.push((id, reason.to_owned())),
    }
}

fn join(into: &mut String, reason: &str) {
    if !into.split("; ").any(|r| r == reason) {
        into.push_str("; ");
        into.push_str(reason);
    }
}

/// A finding-scoped suppression names its finding for cdk-nag (`applies_to`); one that
/// covers the whole rule leaves the list out, so the rule is suppressed whole.
fn push_finding(applies: &mut Vec<String>, s: &Suppression) {
    if let Some(f) = &s.finding
        && !applies.contains(f)
    {
        applies.push(f.clone());
    }
}

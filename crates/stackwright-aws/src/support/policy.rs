//! IAM policy documents, checked on the template value the way IAM checks them.
//!
//! The check reads the value itself, not the Rust type that built it, so a document is
//! checked the same whether it came from a typed `PolicyDocument`, from `serde_json::json!`
//! or from a file: every property that holds a policy (which the generator learns from
//! cfn-lint's IAM rules) calls [`policy`]. Parts given as intrinsics (`Fn::If`, a parameter)
//! are known at deploy time and pass.

use stackwright_core::{Expr, PropertyProblem};

use super::{Field, path};

/// Where a document is used; IAM's rules differ for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// Attached to a role, user or group: statements need resources, never principals.
    Identity,
    /// Attached to a resource (a queue, a topic, a bucket, a key): statements need
    /// principals and resources.
    Resource,
    /// A role's trust policy: statements need principals, have no resources, and only allow
    /// `sts:` actions.
    Trust,
    /// An ECR repository's policy: statements need principals; the repository is the
    /// resource, so naming it is optional.
    Repository,
}

/// The keys a document takes.
const DOCUMENT_KEYS: &[&str] = &["Version", "Id", "Statement"];
/// The keys a statement takes.
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
/// The kinds of principal.
const PRINCIPAL_KEYS: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];

/// Checks the policy document a property holds, when it is set.
pub fn policy(
    out: &mut Vec<PropertyProblem>,
    at: &str,
    name: &str,
    field: &impl Field,
    kind: DocumentKind,
) {
    let Some(doc) = field.to_expr() else { return };
    for m in check_document(&doc, kind) {
        out.push(PropertyProblem::new(path(at, name), m));
    }
}

/// Every rule of IAM's the document breaks, as messages naming the statement. A value that
/// is not an object (an intrinsic, or a document given as a JSON string) is not looked into.
pub fn check_document(doc: &Expr, kind: DocumentKind) -> Vec<String> {
    let mut out = Vec::new();
    let Expr::Map(entries) = doc else { return out };
    if !is_literal(doc) {
        return out;
    }
    for (key, _) in entries {
        if !DOCUMENT_KEYS.contains(&key.as_str()) {
            out.push(format!(
                "the policy document has the key `{key}`, which IAM does not take; a document \
                 has `Version`, `Id` and `Statement`"
            ));
        }
    }
    if let Some(Expr::Str(v)) = get(entries, "Version")
        && v != "2012-10-17"
        && v != "2008-10-17"
    {
        out.push(format!("Version `{v}` is not one IAM knows; use `2012-10-17`"));
    }
    let statements: Vec<&Expr> = match get(entries, "Statement") {
        None => Vec::new(),
        Some(Expr::List(items)) => items.iter().collect(),
        Some(one @ Expr::Map(_)) => vec![one],
        Some(other) if is_literal(other) => {
            out.push("`Statement` is neither a statement nor a list of statements".into());
            return out;
        }
        Some(_) => return out,
    };
    if statements.is_empty() {
        out.push("the policy document has no statements; IAM rejects an empty policy".into());
    }
    let mut sids: Vec<&str> = Vec::new();
    for (i, s) in statements.into_iter().enumerate() {
        match s {
            Expr::Map(fields) if is_literal(s) => {
                check_statement(i, fields, kind, &mut sids, &mut out);
            }
            other if is_literal(other) => out.push(format!("statement {i} is not an object")),
            _ => {}
        }
    }
    out
}

fn check_statement<'a>(
    i: usize,
    s: &'a [(String, Expr)],
    kind: DocumentKind,
    sids: &mut Vec<&'a str>,
    out: &mut Vec<String>,
) {
    let sid = match get(s, "Sid") {
        Some(Expr::Str(sid)) => Some(sid.as_str()),
        _ => None,
    };
    let at = match sid {
        Some(sid) => format!("statement {i} (`{sid}`)"),
        None => format!("statement {i}"),
    };
    let mut fail = |m: String| out.push(format!("{at}: {m}"));
    for (key, _) in s {
        if !STATEMENT_KEYS.contains(&key.as_str()) {
            fail(format!("has the key `{key}`, which a statement does not take"));
        }
    }
    // IAM holds its own policies to letters and digits and unique Sids; services take any
    // Sid in theirs (KMS's default `Enable IAM User Permissions`, SNS's
    // `__default_statement_ID`, repeated Sids in S3). An empty Sid is no Sid.
    if let Some(sid) = sid.filter(|sid| !sid.is_empty()) {
        let iams_own = matches!(kind, DocumentKind::Identity | DocumentKind::Trust);
        if iams_own && !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
            fail(format!("Sid `{sid}` may contain only letters and digits"));
        }
        if iams_own && sids.contains(&sid) {
            fail(format!("Sid `{sid}` is used twice; Sids must be unique in a document"));
        }
        sids.push(sid);
    }
    let allow = match get(s, "Effect") {
        None => {
            fail("has no Effect; use `Allow` or `Deny`".into());
            false
        }
        Some(Expr::Str(e)) if e == "Allow" => true,
        Some(Expr::Str(e)) if e == "Deny" => false,
        Some(Expr::Str(e)) => {
            fail(format!("Effect `{e}` is neither `Allow` nor `Deny`"));
            false
        }
        Some(_) => false,
    };

    let actions = get(s, "Action");
    let not_actions = get(s, "NotAction");
    match (actions, not_actions) {
        (None, None) => fail("has no Action; add at least one action".into()),
        (Some(_), Some(_)) => fail("has both Action and NotAction; use one".into()),
        _ => {}
    }
    for a in actions.into_iter().chain(not_actions).flat_map(literal_strings) {
        if !is_action(a) {
            fail(format!("action `{a}` is not of the form `service:Action` (or `*`)"));
        }
    }

    let principals = ["Principal", "NotPrincipal"].map(|k| get(s, k));
    for p in principals.into_iter().flatten() {
        for m in principal_problems(p) {
            fail(m);
        }
    }
    let resources = ["Resource", "NotResource"].map(|k| get(s, k));
    for r in resources.into_iter().flatten().flat_map(literal_strings) {
        if r != "*" && !r.starts_with("arn:") {
            fail(format!("resource `{r}` is not an ARN (or `*`)"));
        }
    }

    let has_principal = principals.iter().any(Option::is_some);
    let has_resource = resources.iter().any(Option::is_some);
    match kind {
        DocumentKind::Identity => {
            if has_principal {
                fail("has a Principal, which identity policies must not; the principal is whoever the policy is attached to".into());
            }
            if !has_resource {
                fail("has no Resource; name the resources it applies to".into());
            }
        }
        DocumentKind::Resource => {
            if !has_principal {
                fail("has no Principal; a resource policy must say whom it applies to".into());
            }
            if !has_resource {
                fail("has no Resource; name the resources it applies to".into());
            }
        }
        DocumentKind::Repository => {
            if !has_principal {
                fail("has no Principal; a repository policy must say whom it applies to".into());
            }
        }
        DocumentKind::Trust => {
            if !has_principal {
                fail("has no Principal; a trust policy must say who may assume the role".into());
            }
            if has_resource {
                fail("has a Resource, which trust policies must not".into());
            }
            if allow
                && let Some(a) = actions.into_iter().flat_map(literal_strings).find(|a| !is_sts(a))
            {
                fail(format!(
                    "action `{a}` is not an `sts:` action; a trust policy only allows assuming the role"
                ));
            }
        }
    }
}

/// What is wrong with a `Principal` (or `NotPrincipal`) value.
fn principal_problems(p: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    let groups = match p {
        Expr::Str(s) if s == "*" => return out,
        Expr::Map(groups) if is_literal(p) => groups,
        other if is_literal(other) => {
            out.push(
                "the principal is neither `*` nor an object such as `{\"Service\": \"codebuild.amazonaws.com\"}`"
                    .into(),
            );
            return out;
        }
        _ => return out,
    };
    for (key, values) in groups {
        if !PRINCIPAL_KEYS.contains(&key.as_str()) {
            out.push(format!(
                "principal kind `{key}` is not one IAM knows; use `AWS`, `Service`, `Federated` or `CanonicalUser`"
            ));
            continue;
        }
        let values: Vec<&Expr> = match values {
            Expr::List(items) => items.iter().collect(),
            one => vec![one],
        };
        for v in values {
            match (key.as_str(), v) {
                // A service principal is a host name; the domain differs by partition
                // (`amazonaws.com`, `amazonaws.com.cn`, the isolated regions'), so only a
                // bare service name is refused.
                ("Service", Expr::Str(s)) if s != "*" && !s.contains('.') => {
                    out.push(format!(
                        "service principal `{s}` must be a service endpoint such as `codebuild.amazonaws.com`"
                    ));
                }
                ("AWS", Expr::Str(s))
                    if s != "*" && !s.starts_with("arn:") && !is_account_id(s) =>
                {
                    out.push(format!("principal `{s}` is not an ARN"));
                }
                // An account's root (`Principal::account`); other IAM ARNs name accounts
                // that are not numbers (`cloudfront`, `aws`).
                ("AWS", Expr::Arn(arn))
                    if arn.service() == "iam" && arn.literal_name() == Some("root") =>
                {
                    if let Some(id) = arn.literal_account().filter(|id| !is_account_id(id)) {
                        out.push(format!("account principal `{id}` must be a 12-digit account ID"));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The value under `key` of an object's entries.
fn get<'a>(entries: &'a [(String, Expr)], key: &str) -> Option<&'a Expr> {
    entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The literal strings of a value that is a string or a list of them.
fn literal_strings(e: &Expr) -> Vec<&str> {
    match e {
        Expr::Str(s) => vec![s.as_str()],
        Expr::List(items) => items
            .iter()
            .filter_map(|i| match i {
                Expr::Str(s) => Some(s.as_str()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether the value is written out in full (not an intrinsic resolved at deploy time).
fn is_literal(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Null | Expr::Bool(_) | Expr::Int(_) | Expr::Float(_) | Expr::Str(_) | Expr::List(_)
    ) || matches!(e, Expr::Map(entries) if !entries.iter().any(|(k, _)| k.starts_with("Fn::") || k == "Ref"))
}

/// A 12-digit account ID, which IAM reads as the account's root.
fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// `service:Action`, or `*`. IAM reads both parts without regard to case (`S3:GetObject`
/// is `s3:GetObject`), so either case is accepted and written as given.
fn is_action(a: &str) -> bool {
    if a == "*" {
        return true;
    }
    let Some((service, action)) = a.split_once(':') else {
        return false;
    };
    !service.is_empty()
        && service.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !action.is_empty()
        && action.chars().all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '?')
}

/// Whether the action is one of STS's, in any case (`sts:AssumeRole`, `STS:AssumeRole`).
fn is_sts(a: &str) -> bool {
    a.get(..4).is_some_and(|prefix| prefix.eq_ignore_ascii_case("sts:"))
}

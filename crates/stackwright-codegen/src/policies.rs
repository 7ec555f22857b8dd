//! The properties that hold IAM policy documents, as cfn-lint's IAM rules list them
//! (`Resources/AWS::IAM::Role/Properties/Policies/*/PolicyDocument`). Each gets the check of
//! its kind of document, so a document is checked wherever it goes, typed or not.

use std::collections::BTreeMap;

use crate::model::{Resource, Service, Ty};

/// The kind of document (`stackwright_aws::support::DocumentKind`'s variant) a rule checks.
fn kind_of_rule(rule: &str) -> Result<&'static str, String> {
    Ok(match rule {
        "IdentityPolicy" => "Identity",
        "ResourcePolicy" => "Resource",
        "ResourceEcrPolicy" => "Repository",
        "TrustPolicy" => "Trust",
        other => return Err(format!("cfn-lint's policy rule `{other}` has no document kind")),
    })
}

/// Marks every listed property with its kind of document and returns how many it marked.
/// A path that does not lead to a JSON property of a generated type is an error: the rules
/// and the schemas disagree, and a check would silently be lost.
pub fn mark(
    services: &mut BTreeMap<String, Service>,
    paths: &[(String, String)],
) -> Result<usize, String> {
    for (rule, path) in paths {
        let kind = kind_of_rule(rule)?;
        let fail = |why: &str| format!("cfn-lint's {rule} lists `{path}`, but {why}");
        let (type_name, props) = path
            .strip_prefix("Resources/")
            .and_then(|p| p.split_once("/Properties/"))
            .ok_or_else(|| fail("it is not of the form `Resources/<type>/Properties/<path>`"))?;
        let resource = services
            .values_mut()
            .flat_map(|s| s.resources.iter_mut())
            .find(|r| r.type_name == type_name)
            .ok_or_else(|| fail("no such type is generated"))?;
        let segments: Vec<&str> = props.split('/').collect();
        mark_path(resource, &segments, kind).map_err(|why| fail(&why))?;
    }
    Ok(paths.len())
}

/// Follows `segments` from the resource's properties through its property types (`*` is an
/// item of the list before it) and marks the JSON property at the end.
fn mark_path(r: &mut Resource, segments: &[&str], kind: &'static str) -> Result<(), String> {
    // `None` is the resource itself, `Some(i)` its property type `structs[i]`.
    let mut owner: Option<usize> = None;
    let mut rest = segments.iter().filter(|s| **s != "*").peekable();
    while let Some(name) = rest.next() {
        let props = match owner {
            None => &mut r.props,
            Some(i) => &mut r.structs[i].props,
        };
        let prop = props
            .iter_mut()
            .find(|p| p.cfn == *name)
            .ok_or_else(|| format!("`{name}` is not one of its properties"))?;
        if rest.peek().is_none() {
            if prop.ty != Ty::Json {
                return Err(format!("`{name}` is not free-form JSON"));
            }
            prop.checks.policy = Some(kind);
            return Ok(());
        }
        let nested = match &prop.ty {
            Ty::Struct(s) => s.clone(),
            Ty::List(inner) => match &**inner {
                Ty::Struct(s) => s.clone(),
                _ => return Err(format!("`{name}` holds no property type")),
            },
            _ => return Err(format!("`{name}` holds no property type")),
        };
        owner = Some(
            r.structs
                .iter()
                .position(|s| s.name == nested)
                .ok_or_else(|| format!("property type `{nested}` is not generated"))?,
        );
    }
    Err("the path is empty".into())
}

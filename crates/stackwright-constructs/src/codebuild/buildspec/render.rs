//! Rendering a buildspec into the core's tree, keys in the order AWS documents them:
//! version, run-as, env, phases, reports, artifacts, cache.

use stackwright_core::emit::Node;

use super::env::Env;
use super::{Artifacts, BuildSpec, Phase, Report};

pub(crate) fn render(spec: &BuildSpec) -> Node {
    let mut top: Vec<(String, Node)> = vec![("version".into(), Node::Float(0.2))];
    if let Some(user) = &spec.run_as {
        top.push(("run-as".into(), s(user)));
    }
    if !spec.env.is_empty() {
        top.push(("env".into(), env(&spec.env)));
    }
    let phases: Vec<(String, Node)> =
        spec.phases.iter().map(|(name, p)| (name.to_owned(), phase(p))).collect();
    if !phases.is_empty() {
        top.push(("phases".into(), Node::Map(phases)));
    }
    if !spec.reports.is_empty() {
        let reports = spec.reports.iter().map(|(g, r)| (g.clone(), report(r))).collect();
        top.push(("reports".into(), Node::Map(reports)));
    }
    if let Some(a) = &spec.artifacts {
        top.push(("artifacts".into(), artifacts(a)));
    }
    if let Some(paths) = &spec.cache_paths {
        top.push(("cache".into(), Node::Map(vec![("paths".into(), list(paths))])));
    }
    Node::Map(top)
}

fn s(text: &str) -> Node {
    Node::Str(text.to_owned())
}

fn list(items: &[String]) -> Node {
    Node::List(items.iter().map(|i| s(i)).collect())
}

fn string_map(entries: &[(String, String)]) -> Node {
    Node::Map(entries.iter().map(|(k, v)| (k.clone(), s(v))).collect())
}

/// buildspec flags are written `yes`/`no`.
fn yes_no(on: bool) -> Node {
    s(if on { "yes" } else { "no" })
}

fn env(e: &Env) -> Node {
    let mut m: Vec<(String, Node)> = Vec::new();
    if let Some(shell) = &e.shell {
        m.push(("shell".into(), s(shell.as_str())));
    }
    if !e.variables.is_empty() {
        m.push(("variables".into(), string_map(&e.variables)));
    }
    if !e.parameter_store.is_empty() {
        m.push(("parameter-store".into(), string_map(&e.parameter_store)));
    }
    if !e.exported_variables.is_empty() {
        m.push(("exported-variables".into(), list(&e.exported_variables)));
    }
    if !e.secrets_manager.is_empty() {
        m.push(("secrets-manager".into(), string_map(&e.secrets_manager)));
    }
    if let Some(on) = e.git_credential_helper {
        m.push(("git-credential-helper".into(), yes_no(on)));
    }
    Node::Map(m)
}

/// A whole-number version (`18`) reads as a number, as people write it; anything else
/// stays a string, so `3.10` is not read as `3.1`.
fn version(v: &str) -> Node {
    let whole =
        !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()) && (v == "0" || !v.starts_with('0'));
    match v.parse::<i64>() {
        Ok(n) if whole => Node::Int(n),
        _ => s(v),
    }
}

fn phase(p: &Phase) -> Node {
    let mut m: Vec<(String, Node)> = Vec::new();
    if let Some(user) = &p.run_as {
        m.push(("run-as".into(), s(user)));
    }
    if let Some(f) = &p.on_failure {
        m.push(("on-failure".into(), s(f.as_str())));
    }
    if !p.runtime_versions.is_empty() {
        let versions = p.runtime_versions.iter().map(|(r, v)| (r.clone(), version(v))).collect();
        m.push(("runtime-versions".into(), Node::Map(versions)));
    }
    if !p.commands.is_empty() {
        m.push(("commands".into(), list(&p.commands)));
    }
    if !p.finally.is_empty() {
        m.push(("finally".into(), list(&p.finally)));
    }
    Node::Map(m)
}

fn report(r: &Report) -> Node {
    let mut m: Vec<(String, Node)> = vec![("files".into(), list(&r.files))];
    if let Some(dir) = &r.base_directory {
        m.push(("base-directory".into(), s(dir)));
    }
    if let Some(on) = r.discard_paths {
        m.push(("discard-paths".into(), yes_no(on)));
    }
    if let Some(f) = r.file_format {
        m.push(("file-format".into(), s(f.as_str())));
    }
    Node::Map(m)
}

fn artifacts(a: &Artifacts) -> Node {
    let mut m: Vec<(String, Node)> = vec![("files".into(), list(&a.files))];
    if let Some(name) = &a.name {
        m.push(("name".into(), s(name)));
    }
    if let Some(on) = a.discard_paths {
        m.push(("discard-paths".into(), yes_no(on)));
    }
    if let Some(dir) = &a.base_directory {
        m.push(("base-directory".into(), s(dir)));
    }
    if !a.exclude_paths.is_empty() {
        m.push(("exclude-paths".into(), list(&a.exclude_paths)));
    }
    if let Some(on) = a.enable_symlinks {
        m.push(("enable-symlinks".into(), yes_no(on)));
    }
    if let Some(prefix) = &a.s3_prefix {
        m.push(("s3-prefix".into(), s(prefix)));
    }
    if !a.secondary.is_empty() {
        let secondary = a.secondary.iter().map(|(id, art)| (id.clone(), artifacts(art))).collect();
        m.push(("secondary-artifacts".into(), Node::Map(secondary)));
    }
    Node::Map(m)
}

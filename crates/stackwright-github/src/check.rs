//! The checks a workflow passes before it renders. Every problem is collected, with its
//! path and its fix; nothing stops at the first.

use crate::action::{is_commit_sha, superseded};
use crate::cron;
use crate::expr::{Expr, ExprKind, Text, Value};
use crate::job::Job;
use crate::report::{Diagnostic, Report};
use crate::step::{Body, StepData};
use crate::triggers::{Filters, InputKind};
use crate::workflow::Workflow;

const CONFIGURE_CREDENTIALS: &str = "aws-actions/configure-aws-credentials";

/// A job or step id GitHub accepts: a letter or `_`, then letters, digits, `-` or `_`.
fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// An environment variable name the runner sets as given.
fn valid_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `s` holds something shaped like an AWS access key id (`AKIA` or `ASIA` and 16
/// upper-case letters or digits).
fn has_access_key_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(20).any(|w| {
        (w.starts_with(b"AKIA") || w.starts_with(b"ASIA"))
            && w[4..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    })
}

/// Whether a variable of this name holds a secret by its name.
fn secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["SECRET", "PASSWORD", "TOKEN", "PRIVATE_KEY", "ACCESS_KEY"].iter().any(|w| upper.contains(w))
}

struct Checker<'a> {
    wf: &'a Workflow,
    report: Report,
}

/// Runs every check on `wf`.
pub(crate) fn check(wf: &Workflow) -> Report {
    let mut c = Checker { wf, report: Report::default() };
    c.report.errors.extend(wf.misuse.iter().cloned());
    c.workflow();
    c.report
}

impl Checker<'_> {
    fn error(&mut self, code: &'static str, path: &str, message: String, fix: &str) {
        self.report.errors.push(Diagnostic::new(code, path, message, fix));
    }

    fn warn(&mut self, code: &'static str, path: &str, message: String, fix: &str) {
        self.report.warnings.push(Diagnostic::new(code, path, message, fix));
    }

    fn workflow(&mut self) {
        let wf = self.wf;
        let path = wf.file_stem.as_str();
        let stem_ok = !wf.file_stem.is_empty()
            && wf.file_stem.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            && !wf.file_stem.starts_with('.');
        if !stem_ok {
            self.error(
                "github.file-name",
                path,
                format!("the file name `{}` is not a plain file name", wf.file_stem),
                "use letters, digits, `-`, `_` and `.`, not starting with `.`",
            );
        }
        let t = &wf.triggers;
        if t.push.is_none()
            && t.pull_request.is_none()
            && t.dispatch.is_none()
            && t.schedule.is_empty()
        {
            self.error(
                "github.no-trigger",
                path,
                "the workflow has no trigger, so it never runs".to_owned(),
                "add one with `on_push`, `on_pull_request`, `on_dispatch` or `on_schedule`",
            );
        }
        if let Some(p) = &t.push {
            self.filters(path, "push", &p.filters);
        }
        if let Some(p) = &t.pull_request {
            self.filters(path, "pull_request", &p.filters);
        }
        for c in &t.schedule {
            if let Err(why) = cron::check(c) {
                self.error(
                    "github.cron",
                    path,
                    format!("the schedule `{c}` {why}"),
                    "write five fields: minute (0-59), hour (0-23), day of the month (1-31), month (1-12 or JAN-DEC), day of the week (0-6 or SUN-SAT)",
                );
            }
        }
        if let Some(d) = &t.dispatch {
            let mut seen: Vec<&str> = Vec::new();
            for (name, input) in &d.inputs {
                if !valid_id(name) {
                    self.error(
                        "github.input-name",
                        path,
                        format!("the dispatch input name `{name}` is not valid"),
                        "start with a letter or `_` and use letters, digits, `-` and `_`",
                    );
                }
                if seen.contains(&name.as_str()) {
                    self.error(
                        "github.duplicate-input",
                        path,
                        format!("the dispatch input `{name}` is declared twice"),
                        "give each input its own name",
                    );
                }
                seen.push(name);
                if let InputKind::Choice { options, default } = &input.kind {
                    if options.is_empty() {
                        self.error(
                            "github.input-choice",
                            path,
                            format!("the choice input `{name}` has no options"),
                            "list the options it offers",
                        );
                    }
                    if let Some(d) = default
                        && !options.contains(d)
                    {
                        self.error(
                            "github.input-choice",
                            path,
                            format!("the default `{d}` of the choice input `{name}` is not one of its options"),
                            "make the default one of the options",
                        );
                    }
                }
            }
        }
        self.env(path, &wf.env, None);
        if let Some(c) = &wf.concurrency {
            self.text(path, &c.group, None);
        }
        if wf.jobs.is_empty() {
            self.error(
                "github.no-jobs",
                path,
                "the workflow has no jobs".to_owned(),
                "add a job with `Workflow::job`",
            );
        }
        let mut seen: Vec<&str> = Vec::new();
        for (i, job) in wf.jobs.iter().enumerate() {
            let jpath = format!("{path}/{}", job.id);
            if !valid_id(&job.id) {
                self.error(
                    "github.job-id",
                    &jpath,
                    format!("the job id `{}` is not valid", job.id),
                    "start with a letter or `_` and use letters, digits, `-` and `_`",
                );
            }
            if seen.contains(&job.id.as_str()) {
                self.error(
                    "github.duplicate-job",
                    &jpath,
                    format!("the job id `{}` is used by two jobs", job.id),
                    "give each job its own id",
                );
            }
            seen.push(&job.id);
            self.job(&jpath, i, &job.job, &job.steps);
        }
        self.cycles();
    }

    fn filters(&mut self, path: &str, event: &str, f: &Filters) {
        for (name, a, b) in [
            ("branches", &f.branches, &f.branches_ignore),
            ("tags", &f.tags, &f.tags_ignore),
            ("paths", &f.paths, &f.paths_ignore),
        ] {
            if !a.is_empty() && !b.is_empty() {
                self.error(
                    "github.filter",
                    path,
                    format!("the {event} trigger has both `{name}` and `{name}-ignore`, which GitHub refuses"),
                    &format!("keep one: negate patterns with `!` inside `{name}` to exclude"),
                );
            }
        }
    }

    fn job(&mut self, path: &str, index: usize, job: &Job, steps: &[StepData]) {
        if steps.is_empty() {
            self.error(
                "github.no-steps",
                path,
                "the job has no steps".to_owned(),
                "add a step with `Workflow::step`, or remove the job",
            );
        }
        if job.timeout_minutes == Some(0) {
            self.error(
                "github.timeout",
                path,
                "the job's timeout is 0 minutes".to_owned(),
                "give at least one minute",
            );
        }
        let assumes_role = steps.iter().any(|s| {
            s.action().is_some_and(|a| a.repo.eq_ignore_ascii_case(CONFIGURE_CREDENTIALS))
                && s.input("role-to-assume").is_some()
        });
        let token = job.permissions.has_id_token_write();
        if assumes_role && !token {
            self.error(
                "github.id-token",
                path,
                "the job assumes an AWS role through OIDC but its permissions lack `id-token: write`, so configure-aws-credentials cannot get a token".to_owned(),
                "add `.id_token(IdToken::Write)` to the job's permissions",
            );
        }
        if token && !assumes_role {
            // Other actions can request OIDC tokens too (for other clouds, attestations,
            // package registries). When every step is one this crate knows, nothing can
            // use the token: an error. A raw `uses` step may be such a consumer: a warning.
            let opaque = steps.iter().any(|s| match &s.body {
                Body::Uses { action, .. } => !crate::actions_known(&action.repo),
                Body::Run { script, .. } => {
                    script.literals().any(|l| l.contains("ACTIONS_ID_TOKEN_REQUEST"))
                }
            });
            let message = "the job has `id-token: write` but assumes no AWS role".to_owned();
            let fix = "remove `id_token` from the job's permissions, so the job cannot mint OIDC tokens it does not use";
            if opaque {
                self.warn(
                    "github.id-token",
                    path,
                    format!("{message}; keep it only if one of its actions requests an OIDC token"),
                    fix,
                );
            } else {
                self.error("github.id-token", path, message, fix);
            }
        }
        if let Some(c) = &job.condition {
            self.expr(path, c, Some(index), None);
        }
        if let Some(c) = &job.concurrency {
            self.text(path, &c.group, Some(index));
        }
        if let Some(env) = &job.environment {
            self.text(path, &env.name, Some(index));
            if let Some(url) = &env.url {
                self.text(path, url, Some(index));
            }
        }
        if let crate::RunsOn::Label(t) = &job.runs_on {
            self.text(path, t, Some(index));
        }
        self.env(path, &job.env, Some(index));
        let mut outs: Vec<&str> = Vec::new();
        for (name, value) in &job.outputs {
            if outs.contains(&name.as_str()) {
                self.error(
                    "github.duplicate-output",
                    path,
                    format!("the job output `{name}` is declared twice"),
                    "give each output its own name",
                );
            }
            outs.push(name);
            self.text_at(path, value, Some(index), Some(steps.len()));
        }
        if let Some(c) = &job.container {
            self.container(path, c, Some(index));
        }
        for (_, c) in &job.services {
            self.container(path, c, Some(index));
        }
        let mut ids: Vec<&str> = Vec::new();
        for (n, step) in steps.iter().enumerate() {
            let spath = match &step.id {
                Some(id) => format!("{path}/{id}"),
                None => format!("{path}/step {}", n + 1),
            };
            if let Some(id) = &step.id {
                if !valid_id(id) {
                    self.error(
                        "github.step-id",
                        &spath,
                        format!("the step id `{id}` is not valid"),
                        "start with a letter or `_` and use letters, digits, `-` and `_`",
                    );
                }
                if ids.contains(&id.as_str()) {
                    self.error(
                        "github.duplicate-step",
                        &spath,
                        format!("the step id `{id}` is used by two steps of the job"),
                        "give each step its own id",
                    );
                }
                ids.push(id);
            }
            self.step(&spath, index, n, step);
        }
    }

    fn container(&mut self, path: &str, c: &crate::job::Container, job: Option<usize>) {
        self.text(path, &c.image, job);
        if c.image.is_literal() {
            let image: String = c.image.literals().collect();
            // The tag follows the last `:` after the last `/` (a registry may have a port).
            let name = image.rsplit('/').next().unwrap_or_default();
            let tag = name.split_once(':').map(|(_, t)| t);
            if !image.contains("@sha256:") && matches!(tag, None | Some("latest")) {
                self.error(
                    "github.unpinned-image",
                    path,
                    format!("the container image `{image}` names no version, so each run may pull a different image"),
                    "give a version tag (`postgres:16`) or a digest (`@sha256:...`)",
                );
            }
        }
        self.env(path, &c.env, job);
        if let Some((user, password)) = &c.credentials {
            self.text(path, user, job);
            let mut secret = false;
            password.visit(&mut |e| secret |= matches!(e.0, ExprKind::Secret(_)));
            if !secret {
                self.error(
                    "github.secret-literal",
                    path,
                    "a container registry password is not read from a secret".to_owned(),
                    "pass `Expr::secret(\"NAME\")` and store the password as a repository secret",
                );
            }
            self.expr(path, password, job, None);
        }
    }

    fn step(&mut self, path: &str, job: usize, n: usize, step: &StepData) {
        if let Some(name) = &step.name {
            self.text_at(path, name, Some(job), Some(n));
        }
        if let Some(c) = &step.condition {
            self.expr(path, c, Some(job), Some(n));
        }
        if step.timeout_minutes == Some(0) {
            self.error(
                "github.timeout",
                path,
                "the step's timeout is 0 minutes".to_owned(),
                "give at least one minute",
            );
        }
        for (name, value) in &step.env {
            self.env_entry(path, name, value, Some(job));
            self.text_at(path, value, Some(job), Some(n));
        }
        match &step.body {
            Body::Run { script, .. } => {
                if script.literals().any(has_access_key_id) {
                    self.error(
                        "github.secret-literal",
                        path,
                        "the script holds what looks like an AWS access key id".to_owned(),
                        "never put keys in a workflow: assume a role with configure-aws-credentials, or read a secret through `Expr::secret`",
                    );
                }
                if !script.is_literal() {
                    self.error(
                        "github.script-expression",
                        path,
                        "the script holds an expression, which GitHub pastes into the script's code before the shell reads it".to_owned(),
                        "set the value as an environment variable of the step (`.env(\"NAME\", expr)`) and read `\"$NAME\"` in the script",
                    );
                }
                self.text_at(path, script, Some(job), Some(n));
            }
            Body::Uses { action, with } => {
                for (key, value) in with {
                    if let Value::Text(t) = value {
                        self.secret_literal(path, "input", key, t);
                        self.text_at(path, t, Some(job), Some(n));
                    }
                }
                match &action.pin {
                    Some(sha) if !is_commit_sha(sha) => self.error(
                        "github.pin",
                        path,
                        format!("`{}` is pinned to `{sha}`, which is not a full commit SHA", action.repo),
                        "pin to the 40 lower-case hex digits of the commit the tag points at",
                    ),
                    Some(_) => {}
                    None => self.warn(
                        "github.unpinned",
                        path,
                        format!("`{}@{}` is not pinned to a commit; whoever controls the tag controls what runs", action.repo, action.tag),
                        &format!("pin it with `.pin(\"<commit sha of {}>\")`", action.tag),
                    ),
                }
                if let Some((to, why)) = superseded(action) {
                    self.warn(
                        "github.deprecated-action",
                        path,
                        format!("`{}@{}` {why}", action.repo, action.tag),
                        &format!("use `{}@{to}`", action.repo),
                    );
                }
                if action.repo.eq_ignore_ascii_case(CONFIGURE_CREDENTIALS) {
                    self.credentials(path, step);
                }
            }
        }
    }

    fn credentials(&mut self, path: &str, step: &StepData) {
        if let Some(Value::Text(role)) = step.input("role-to-assume")
            && role.is_literal()
        {
            let arn: String = role.literals().collect();
            let parts: Vec<&str> = arn.splitn(6, ':').collect();
            let shape = parts.len() == 6
                && parts[0] == "arn"
                && parts[1].starts_with("aws")
                && parts[2] == "iam"
                && parts[3].is_empty()
                && !parts[4].is_empty()
                && parts[4].bytes().all(|b| b.is_ascii_digit())
                && parts[5].strip_prefix("role/").is_some_and(|n| !n.is_empty());
            if !shape {
                self.error(
                    "github.role-arn",
                    path,
                    format!("`{arn}` is not the ARN of an IAM role"),
                    "give `arn:aws:iam::<account id>:role/<name>`, or the role's ARN from its stack",
                );
            } else if parts[4].len() != 12 {
                self.warn(
                    "github.role-arn",
                    path,
                    format!("the account id `{}` in the role ARN has {} digits; AWS account ids have 12", parts[4], parts[4].len()),
                    "copy the account id from the role's ARN",
                );
            }
        }
        if let Some(Value::Text(region)) = step.input("aws-region")
            && region.is_literal()
        {
            let r: String = region.literals().collect();
            let parts: Vec<&str> = r.split('-').collect();
            let ok = parts.len() >= 3
                && parts.iter().all(|p| {
                    !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                })
                && parts.last().is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
            if !ok {
                self.error(
                    "github.region",
                    path,
                    format!("`{r}` is not an AWS region"),
                    "give a region code such as `us-east-1`",
                );
            }
        }
        if let Some(Value::Int(s)) = step.input("role-duration-seconds")
            && !(900..=43200).contains(s)
        {
            self.error(
                "github.role-duration",
                path,
                format!("a role session of {s} seconds is outside the 900 to 43200 STS allows"),
                "give between 900 (15 minutes) and 43200 (12 hours) seconds",
            );
        }
    }

    fn env(&mut self, path: &str, env: &[(String, Text)], job: Option<usize>) {
        for (name, value) in env {
            self.env_entry(path, name, value, job);
            self.text(path, value, job);
        }
    }

    fn env_entry(&mut self, path: &str, name: &str, value: &Text, _job: Option<usize>) {
        if !valid_env_name(name) {
            self.error(
                "github.env-name",
                path,
                format!("`{name}` is not a valid environment variable name"),
                "start with a letter or `_` and use letters, digits and `_`",
            );
        } else if name.to_ascii_uppercase().starts_with("GITHUB_") {
            self.error(
                "github.env-name",
                path,
                format!("`{name}` starts with `GITHUB_`, which the runner reserves"),
                "choose a name without the `GITHUB_` prefix",
            );
        }
        self.secret_literal(path, "environment variable", name, value);
    }

    /// A secret in plain text: an AWS key, or a literal under a secret's name.
    fn secret_literal(&mut self, path: &str, what: &str, name: &str, value: &Text) {
        if value.literals().any(has_access_key_id) {
            self.error(
                "github.secret-literal",
                path,
                format!("the {what} `{name}` holds what looks like an AWS access key id"),
                "never put keys in a workflow: assume a role with configure-aws-credentials, or read a secret through `Expr::secret`",
            );
        } else if secret_name(name) && value.literals().any(|l| !l.trim().is_empty()) {
            self.error(
                "github.secret-literal",
                path,
                format!("the {what} `{name}` is named like a secret but holds literal text"),
                &format!(
                    "store the value as a secret and pass `Expr::secret(\"{}\")`",
                    name.to_ascii_uppercase().replace('-', "_")
                ),
            );
        }
    }

    fn text(&mut self, path: &str, t: &Text, job: Option<usize>) {
        self.text_at(path, t, job, None);
    }

    /// Checks text read by step `step` of job `job` (or by the job itself when `step` is
    /// `None`; a job output reads after all steps).
    fn text_at(&mut self, path: &str, t: &Text, job: Option<usize>, step: Option<usize>) {
        if t.literals().any(|l| l.contains("${{")) {
            self.error(
                "github.raw-expression",
                path,
                "literal text holds `${{`, which GitHub would evaluate as an expression".to_owned(),
                "build the expression with `Expr` and put it in the text with `Text::push`",
            );
        }
        for e in t.exprs() {
            self.expr(path, e, job, step);
        }
    }

    fn expr(&mut self, path: &str, e: &Expr, job: Option<usize>, step: Option<usize>) {
        let mut found: Vec<(&'static str, String, String)> = Vec::new();
        let wf = self.wf;
        e.visit(&mut |x| {
            if let Some(p) = problem(wf, x, job, step) {
                found.push(p);
            }
        });
        for (code, message, fix) in found {
            self.error(code, path, message, &fix);
        }
    }

    fn cycles(&mut self) {
        // Depth-first search over `needs`; every cycle is reported once, at its first job.
        let n = self.wf.jobs.len();
        let mut state = vec![0u8; n];
        let mut stack: Vec<usize> = Vec::new();
        let mut cycles: Vec<Vec<usize>> = Vec::new();
        for start in 0..n {
            visit(self.wf, start, &mut state, &mut stack, &mut cycles);
        }
        for cycle in cycles {
            let names: Vec<&str> = cycle.iter().map(|&i| self.wf.jobs[i].id.as_str()).collect();
            let path = format!("{}/{}", self.wf.file_stem, names[0]);
            self.error(
                "github.needs-cycle",
                &path,
                format!(
                    "the jobs need each other in a cycle: {} -> {}",
                    names.join(" -> "),
                    names[0]
                ),
                "remove one of the `needs` so that the jobs run in an order",
            );
        }
    }
}

fn visit(
    wf: &Workflow,
    at: usize,
    state: &mut [u8],
    stack: &mut Vec<usize>,
    cycles: &mut Vec<Vec<usize>>,
) {
    match state[at] {
        2 => return,
        1 => {
            if let Some(pos) = stack.iter().position(|&j| j == at) {
                cycles.push(stack[pos..].to_vec());
            }
            return;
        }
        _ => {}
    }
    state[at] = 1;
    stack.push(at);
    for need in &wf.jobs[at].job.needs {
        if need.workflow == wf.id && need.job < wf.jobs.len() {
            visit(wf, need.job, state, stack, cycles);
        }
    }
    stack.pop();
    state[at] = 2;
}

/// What is wrong with the single expression node `e` where it is read, if anything.
fn problem(
    wf: &Workflow,
    e: &Expr,
    job: Option<usize>,
    step: Option<usize>,
) -> Option<(&'static str, String, String)> {
    let job_id = |j: usize| wf.jobs.get(j).map(|d| d.id.as_str()).unwrap_or("?");
    match &e.0 {
        ExprKind::Input(name) => {
            let declared = wf
                .triggers
                .dispatch
                .as_ref()
                .is_some_and(|d| d.inputs.iter().any(|(n, _)| n == name));
            (!declared).then(|| {
                (
                    "github.input",
                    format!("`inputs.{name}` is read but the workflow declares no such input"),
                    format!("declare it: `on_dispatch(Dispatch::new().input(\"{name}\", ...))`"),
                )
            })
        }
        ExprKind::Matrix(key) => {
            let matrix = job.and_then(|j| wf.jobs.get(j)).and_then(|d| d.job.strategy.as_ref());
            match matrix {
                Some(s) if s.matrix.has_key(key) => None,
                Some(_) => Some((
                    "github.matrix",
                    format!("`matrix.{key}` is read but the job's matrix has no key `{key}`"),
                    format!("add an axis `{key}` to the matrix, or read one it has"),
                )),
                None => Some((
                    "github.matrix",
                    format!("`matrix.{key}` is read outside a job with a matrix"),
                    "give the job a `Strategy` with a matrix".to_owned(),
                )),
            }
        }
        ExprKind::StepOutput { workflow, job: j, step: s, name } => {
            if *workflow != wf.id || wf.jobs.get(*j).and_then(|d| d.steps.get(*s)).is_none() {
                return Some((
                    "github.foreign-step",
                    format!("the output `{name}` is read from a step of another workflow"),
                    "read outputs of steps of this workflow only".to_owned(),
                ));
            }
            let sid = wf.jobs[*j].steps[*s].id.clone().unwrap_or_default();
            if job != Some(*j) {
                return Some((
                    "github.step-output",
                    format!(
                        "`steps.{sid}.outputs.{name}` is read outside job `{}`, where only that job's steps can read it",
                        job_id(*j)
                    ),
                    format!(
                        "declare a job output of `{}` with `Workflow::job_output` and read it through the job's handle from a job that needs it",
                        job_id(*j)
                    ),
                ));
            }
            match step {
                None => Some((
                    "github.step-output",
                    format!(
                        "`steps.{sid}.outputs.{name}` is read at the job level, where no step output exists yet"
                    ),
                    "read it in a later step, or in a job output".to_owned(),
                )),
                Some(reader) if reader <= *s => Some((
                    "github.step-output",
                    format!(
                        "`steps.{sid}.outputs.{name}` is read by a step that runs before the step `{sid}` has run"
                    ),
                    "read it in a later step".to_owned(),
                )),
                _ => None,
            }
        }
        ExprKind::StepOutputById { step: sid, name } => {
            let steps = job.and_then(|j| wf.jobs.get(j)).map(|d| d.steps.as_slice()).unwrap_or(&[]);
            let upto = step.unwrap_or(0).min(steps.len());
            let exists = steps[..upto].iter().any(|s| s.id.as_deref() == Some(sid));
            (!exists).then(|| {
                (
                    "github.step-output",
                    format!("`steps.{sid}.outputs.{name}` is read but no earlier step of the job has the id `{sid}`"),
                    format!("give the step `.id(\"{sid}\")` and read its output through the handle `Workflow::step` returns"),
                )
            })
        }
        ExprKind::JobOutput { workflow, job: j, name } => {
            let Some(target) = wf.jobs.get(*j).filter(|_| *workflow == wf.id) else {
                return Some((
                    "github.foreign-job",
                    format!("the job output `{name}` is read from a job of another workflow"),
                    "read outputs of jobs of this workflow only".to_owned(),
                ));
            };
            let needed = job
                .and_then(|r| wf.jobs.get(r))
                .is_some_and(|d| d.job.needs.iter().any(|n| n.workflow == wf.id && n.job == *j));
            if !needed {
                return Some((
                    "github.job-output",
                    format!(
                        "`needs.{}.outputs.{name}` is read by a job that does not need `{}`",
                        target.id, target.id
                    ),
                    format!("add `.needs({})` to the reading job", target.id),
                ));
            }
            (!target.job.outputs.iter().any(|(n, _)| n == name)).then(|| {
                (
                    "github.job-output",
                    format!("`needs.{}.outputs.{name}` is read but job `{}` declares no output `{name}`", target.id, target.id),
                    format!("declare it with `Workflow::job_output` on `{}`", target.id),
                )
            })
        }
        ExprKind::Context(p) | ExprKind::Secret(p) | ExprKind::Var(p) => {
            let ok = !p.is_empty()
                && p.split('.').all(|seg| {
                    !seg.is_empty()
                        && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                });
            (!ok).then(|| {
                (
                    "github.expression",
                    format!("`{p}` is not a property name an expression can read"),
                    "use letters, digits, `_` and `-`, with `.` between properties".to_owned(),
                )
            })
        }
        _ => None,
    }
}

//! `${{ }}` expressions as typed values, and text that mixes literals with expressions.
//!
//! An [`Expr`] is built from what it reads: a context value ([`Expr::github_sha`],
//! [`Expr::secret`], [`Expr::var`], [`Expr::input`], [`Expr::matrix`]), a step's output
//! through the step's handle ([`crate::StepHandle::output`]) or a job's output through the
//! job's handle ([`crate::JobRef::output`]). Where it is used, the workflow checks that what
//! it reads exists there: the step is in the same job and has an id, the job is one the
//! reading job needs, the input is declared, the matrix has the key.

use crate::ids::{JobIndex, StepIndex, WorkflowId};

/// A GitHub Actions expression, written as `${{ ... }}` where a value takes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr(pub(crate) ExprKind);

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ExprKind {
    /// A dotted context path (`github.sha`, `runner.temp`, `env.NAME`).
    Context(String),
    /// `secrets.NAME`.
    Secret(String),
    /// `vars.NAME`.
    Var(String),
    /// `inputs.NAME`, checked against the workflow's dispatch inputs.
    Input(String),
    /// `matrix.KEY`, checked against the job's matrix.
    Matrix(String),
    /// `steps.<id>.outputs.<name>` of a step added with an id, by handle.
    StepOutput { workflow: WorkflowId, job: JobIndex, step: StepIndex, name: String },
    /// `steps.<id>.outputs.<name>` by the step's id as text, checked against the job's steps.
    StepOutputById { step: String, name: String },
    /// `needs.<job>.outputs.<name>`, checked against the reading job's `needs`.
    JobOutput { workflow: WorkflowId, job: JobIndex, name: String },
    /// A string literal inside an expression (`'main'`).
    Str(String),
    /// A boolean literal.
    Bool(bool),
    /// A number literal.
    Int(i64),
    /// A comparison or logical operator.
    Binary(&'static str, Box<Expr>, Box<Expr>),
    /// `!x`.
    Not(Box<Expr>),
    /// A status or other function call (`success()`, `contains(a, b)`).
    Call(&'static str, Vec<Expr>),
}

impl Expr {
    fn context(path: impl Into<String>) -> Expr {
        Expr(ExprKind::Context(path.into()))
    }

    /// `github.sha`: the commit the workflow runs for.
    pub fn github_sha() -> Expr {
        Expr::context("github.sha")
    }

    /// `github.ref`: the full ref (`refs/heads/main`).
    pub fn github_ref() -> Expr {
        Expr::context("github.ref")
    }

    /// `github.ref_name`: the short branch or tag name.
    pub fn github_ref_name() -> Expr {
        Expr::context("github.ref_name")
    }

    /// `github.repository`: `owner/name`.
    pub fn github_repository() -> Expr {
        Expr::context("github.repository")
    }

    /// `github.run_id`.
    pub fn github_run_id() -> Expr {
        Expr::context("github.run_id")
    }

    /// `github.run_attempt`.
    pub fn github_run_attempt() -> Expr {
        Expr::context("github.run_attempt")
    }

    /// `github.event_name`.
    pub fn github_event_name() -> Expr {
        Expr::context("github.event_name")
    }

    /// `github.workflow`.
    pub fn github_workflow() -> Expr {
        Expr::context("github.workflow")
    }

    /// `github.<property>` for any other property of the `github` context; the name is
    /// checked to be a property path.
    pub fn github(property: &str) -> Expr {
        Expr::context(format!("github.{property}"))
    }

    /// `runner.<property>` (`os`, `arch`, `temp`, `tool_cache`, `name`).
    pub fn runner(property: &str) -> Expr {
        Expr::context(format!("runner.{property}"))
    }

    /// `env.<NAME>`: an environment variable set by the workflow, job or step.
    pub fn env(name: &str) -> Expr {
        Expr::context(format!("env.{name}"))
    }

    /// `secrets.<NAME>`: a repository, environment or organization secret. The only way a
    /// secret reaches a workflow: a literal value never does.
    pub fn secret(name: &str) -> Expr {
        Expr(ExprKind::Secret(name.to_owned()))
    }

    /// `vars.<NAME>`: a configuration variable.
    pub fn var(name: &str) -> Expr {
        Expr(ExprKind::Var(name.to_owned()))
    }

    /// `inputs.<name>`: a `workflow_dispatch` input, which must be declared.
    pub fn input(name: &str) -> Expr {
        Expr(ExprKind::Input(name.to_owned()))
    }

    /// `matrix.<key>`: a value of the job's matrix, which must hold the key.
    pub fn matrix(key: &str) -> Expr {
        Expr(ExprKind::Matrix(key.to_owned()))
    }

    /// `steps.<id>.outputs.<name>` for a step known only by its id (a step added as a raw
    /// `uses`). Prefer [`crate::StepHandle::output`]; this form is checked against the ids of
    /// the steps of the job that reads it.
    pub fn step_output_by_id(step_id: &str, name: &str) -> Expr {
        Expr(ExprKind::StepOutputById { step: step_id.to_owned(), name: name.to_owned() })
    }

    /// The output `name` of a step added with an id: the same as
    /// [`crate::StepHandle::output`].
    pub fn step_output<A>(step: &crate::StepHandle<A>, name: &str) -> Expr {
        step.output(name)
    }

    /// A string literal, quoted inside the expression.
    pub fn str(value: &str) -> Expr {
        Expr(ExprKind::Str(value.to_owned()))
    }

    /// A boolean literal.
    pub fn bool(value: bool) -> Expr {
        Expr(ExprKind::Bool(value))
    }

    /// A number literal.
    pub fn int(value: i64) -> Expr {
        Expr(ExprKind::Int(value))
    }

    /// `success()`: every previous step or needed job succeeded.
    pub fn success() -> Expr {
        Expr(ExprKind::Call("success", Vec::new()))
    }

    /// `always()`.
    pub fn always() -> Expr {
        Expr(ExprKind::Call("always", Vec::new()))
    }

    /// `failure()`.
    pub fn failure() -> Expr {
        Expr(ExprKind::Call("failure", Vec::new()))
    }

    /// `cancelled()`.
    pub fn cancelled() -> Expr {
        Expr(ExprKind::Call("cancelled", Vec::new()))
    }

    /// `contains(self, item)`.
    pub fn contains(self, item: impl Into<Expr>) -> Expr {
        Expr(ExprKind::Call("contains", vec![self, item.into()]))
    }

    /// `startsWith(self, prefix)`.
    pub fn starts_with(self, prefix: impl Into<Expr>) -> Expr {
        Expr(ExprKind::Call("startsWith", vec![self, prefix.into()]))
    }

    fn binary(self, op: &'static str, other: impl Into<Expr>) -> Expr {
        Expr(ExprKind::Binary(op, Box::new(self), Box::new(other.into())))
    }

    /// `self == other`.
    pub fn eq(self, other: impl Into<Expr>) -> Expr {
        self.binary("==", other)
    }

    /// `self != other`.
    pub fn ne(self, other: impl Into<Expr>) -> Expr {
        self.binary("!=", other)
    }

    /// `self && other`.
    pub fn and(self, other: impl Into<Expr>) -> Expr {
        self.binary("&&", other)
    }

    /// `self || other`.
    pub fn or(self, other: impl Into<Expr>) -> Expr {
        self.binary("||", other)
    }

    /// `!self`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Expr {
        Expr(ExprKind::Not(Box::new(self)))
    }

    /// Calls `f` on this expression and every expression inside it.
    pub(crate) fn visit(&self, f: &mut dyn FnMut(&Expr)) {
        f(self);
        match &self.0 {
            ExprKind::Binary(_, a, b) => {
                a.visit(f);
                b.visit(f);
            }
            ExprKind::Not(a) => a.visit(f),
            ExprKind::Call(_, args) => args.iter().for_each(|a| a.visit(f)),
            _ => {}
        }
    }
}

/// A string literal becomes a quoted string inside the expression (`'main'`).
impl From<&str> for Expr {
    fn from(value: &str) -> Expr {
        Expr::str(value)
    }
}

impl From<bool> for Expr {
    fn from(value: bool) -> Expr {
        Expr::bool(value)
    }
}

impl From<i64> for Expr {
    fn from(value: i64) -> Expr {
        Expr::int(value)
    }
}

/// A string value: literal text, expressions, or both (`${{ steps.login.outputs.registry
/// }}/app:${{ github.sha }}`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Text(pub(crate) Vec<Part>);

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Part {
    Lit(String),
    Expr(Expr),
}

impl Text {
    /// Empty text.
    pub fn new() -> Text {
        Text(Vec::new())
    }

    /// Appends literal text or an expression.
    pub fn push(mut self, part: impl Into<Text>) -> Text {
        self.0.extend(part.into().0);
        self
    }

    /// Text made of `parts` in order: `Text::concat([login.registry().into(), "/app".into()])`.
    pub fn concat(parts: impl IntoIterator<Item = Text>) -> Text {
        Text(parts.into_iter().flat_map(|t| t.0).collect())
    }

    /// The literal parts, for the checks.
    pub(crate) fn literals(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|p| match p {
            Part::Lit(s) => Some(s.as_str()),
            Part::Expr(_) => None,
        })
    }

    /// The expression parts, for the checks.
    pub(crate) fn exprs(&self) -> impl Iterator<Item = &Expr> {
        self.0.iter().filter_map(|p| match p {
            Part::Expr(e) => Some(e),
            Part::Lit(_) => None,
        })
    }

    /// Whether the text is all literal (no expression).
    pub(crate) fn is_literal(&self) -> bool {
        self.0.iter().all(|p| matches!(p, Part::Lit(_)))
    }
}

impl From<&str> for Text {
    fn from(value: &str) -> Text {
        Text(vec![Part::Lit(value.to_owned())])
    }
}

impl From<String> for Text {
    fn from(value: String) -> Text {
        Text(vec![Part::Lit(value)])
    }
}

impl From<&String> for Text {
    fn from(value: &String) -> Text {
        Text(vec![Part::Lit(value.clone())])
    }
}

impl From<Expr> for Text {
    fn from(value: Expr) -> Text {
        Text(vec![Part::Expr(value)])
    }
}

/// A `with:` input or matrix value: text, a boolean or a number.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A string, possibly with expressions.
    Text(Text),
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
}

impl<T: Into<Text>> From<T> for Value {
    fn from(value: T) -> Value {
        Value::Text(value.into())
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Value {
        Value::Bool(value)
    }
}

impl From<i64> for Value {
    fn from(value: i64) -> Value {
        Value::Int(value)
    }
}

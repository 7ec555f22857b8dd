//! What the checks found: errors that stop rendering, and warnings that deserve a look.

use std::fmt;

/// One problem, at a path (`deploy-ecs`, `deploy-ecs/deploy`, `deploy-ecs/deploy/ecr-login`,
/// `deploy-ecs/deploy/step 2`), with what is wrong and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The kind of problem, stable across releases (`github.id-token`).
    pub code: &'static str,
    /// Where: the workflow's file stem, then the job id, then the step.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
}

impl Diagnostic {
    pub(crate) fn new(
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic { code, path: path.into(), message: message.into(), fix: fix.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)?;
        if !self.fix.is_empty() {
            write!(f, "; {}", self.fix)?;
        }
        Ok(())
    }
}

/// Everything the checks found in a workflow, errors and warnings apart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Problems GitHub would refuse or that would fail or endanger a run.
    pub errors: Vec<Diagnostic>,
    /// Problems that deserve a look but do not stop rendering.
    pub warnings: Vec<Diagnostic>,
}

impl Report {
    /// Whether there is no error.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        writeln!(f, "{n} error{} in the workflow:", if n == 1 { "" } else { "s" })?;
        for e in &self.errors {
            writeln!(f, "  error[{}] {e}", e.code)?;
        }
        for w in &self.warnings {
            writeln!(f, "  warning[{}] {w}", w.code)?;
        }
        Ok(())
    }
}

impl std::error::Error for Report {}

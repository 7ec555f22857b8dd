//! The `phases` section.

/// What CodeBuild does when a command of a phase fails (`on-failure`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OnFailure {
    /// `ABORT`: stop the build (CodeBuild's default).
    Abort,
    /// `CONTINUE`: go on with the next phase.
    Continue,
    /// Any other value, such as `RETRY-3`; checked against the forms CodeBuild accepts
    /// (`RETRY`, `RETRY-<count>`, `RETRY-<regex>`, `RETRY-<count>-<regex>`).
    Other(String),
}

impl OnFailure {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            OnFailure::Abort => "ABORT",
            OnFailure::Continue => "CONTINUE",
            OnFailure::Other(s) => s,
        }
    }

    pub(crate) fn is_valid(&self) -> bool {
        match self {
            OnFailure::Abort | OnFailure::Continue => true,
            OnFailure::Other(s) => {
                s == "ABORT"
                    || s == "CONTINUE"
                    || s == "RETRY"
                    || s.strip_prefix("RETRY-").is_some_and(|rest| !rest.is_empty())
            }
        }
    }
}

/// One phase: optional runtime versions (install only), commands, and a `finally` block
/// that runs after the commands even when one fails.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Phase {
    pub(crate) run_as: Option<String>,
    pub(crate) on_failure: Option<OnFailure>,
    pub(crate) runtime_versions: Vec<(String, String)>,
    pub(crate) commands: Vec<String>,
    pub(crate) finally: Vec<String>,
}

impl Phase {
    /// An empty phase.
    pub fn new() -> Phase {
        Phase::default()
    }

    /// A phase that runs these commands.
    pub fn with_commands<S: Into<String>>(commands: impl IntoIterator<Item = S>) -> Phase {
        Phase::new().commands(commands)
    }

    /// Adds a command.
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.commands.push(command.into());
        self
    }

    /// Adds commands.
    pub fn commands<S: Into<String>>(mut self, commands: impl IntoIterator<Item = S>) -> Self {
        self.commands.extend(commands.into_iter().map(Into::into));
        self
    }

    /// Adds commands to the `finally` block.
    pub fn finally<S: Into<String>>(mut self, commands: impl IntoIterator<Item = S>) -> Self {
        self.finally.extend(commands.into_iter().map(Into::into));
        self
    }

    /// What to do when a command fails.
    pub fn on_failure(mut self, on_failure: OnFailure) -> Self {
        self.on_failure = Some(on_failure);
        self
    }

    /// Runs this phase's commands as another Linux user.
    pub fn run_as(mut self, user: impl Into<String>) -> Self {
        self.run_as = Some(user.into());
        self
    }

    /// Selects a runtime version (`runtime-versions`, install phase only), such as
    /// `("nodejs", "18")` or `("python", "3.12")`. A whole number is written as a YAML
    /// number, anything else as a string, so `3.10` stays `3.10`.
    pub fn runtime_version(
        mut self,
        runtime: impl Into<String>,
        version: impl Into<String>,
    ) -> Self {
        let (runtime, version) = (runtime.into(), version.into());
        match self.runtime_versions.iter_mut().find(|(r, _)| *r == runtime) {
            Some((_, v)) => *v = version,
            None => self.runtime_versions.push((runtime, version)),
        }
        self
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.commands.is_empty() && self.finally.is_empty() && self.runtime_versions.is_empty()
    }
}

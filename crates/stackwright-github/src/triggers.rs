//! What starts a workflow: pushes, pull requests, manual dispatch with typed inputs, and
//! schedules.

use crate::expr::Text;

/// Filters of a `push` trigger. GitHub refuses a filter and its `-ignore` form on one event,
/// which the workflow's checks report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Push {
    pub(crate) filters: Filters,
}

/// Filters of a `pull_request` trigger.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PullRequest {
    pub(crate) filters: Filters,
    pub(crate) types: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Filters {
    pub(crate) branches: Vec<String>,
    pub(crate) branches_ignore: Vec<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) tags_ignore: Vec<String>,
    pub(crate) paths: Vec<String>,
    pub(crate) paths_ignore: Vec<String>,
}

fn strings<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Vec<String> {
    items.into_iter().map(Into::into).collect()
}

macro_rules! filter_methods {
    ($ty:ty; $($(#[$doc:meta])* $name:ident;)*) => {
        impl $ty {
            $(
                $(#[$doc])*
                pub fn $name<I: IntoIterator<Item = S>, S: Into<String>>(mut self, patterns: I) -> Self {
                    self.filters.$name.extend(strings(patterns));
                    self
                }
            )*
        }
    };
}

impl Push {
    /// Every push.
    pub fn new() -> Push {
        Push::default()
    }
}

filter_methods! { Push;
    /// Only pushes to these branches (glob patterns).
    branches;
    /// Not pushes to these branches.
    branches_ignore;
    /// Only pushes of these tags.
    tags;
    /// Not pushes of these tags.
    tags_ignore;
    /// Only pushes that change these paths.
    paths;
    /// Not pushes that change only these paths.
    paths_ignore;
}

impl PullRequest {
    /// Every pull request (opened, synchronize, reopened).
    pub fn new() -> PullRequest {
        PullRequest::default()
    }

    /// Only these activity types (`opened`, `synchronize`, `closed`, ...).
    pub fn types<I: IntoIterator<Item = S>, S: Into<String>>(mut self, types: I) -> PullRequest {
        self.types.extend(strings(types));
        self
    }
}

filter_methods! { PullRequest;
    /// Only pull requests into these base branches.
    branches;
    /// Not pull requests into these base branches.
    branches_ignore;
    /// Only pull requests that change these paths.
    paths;
    /// Not pull requests that change only these paths.
    paths_ignore;
}

/// A `workflow_dispatch` trigger with its inputs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dispatch {
    pub(crate) inputs: Vec<(String, Input)>,
}

impl Dispatch {
    /// A manual trigger without inputs.
    pub fn new() -> Dispatch {
        Dispatch::default()
    }

    /// Adds an input, read in the workflow with [`crate::Expr::input`].
    pub fn input(mut self, name: &str, input: Input) -> Dispatch {
        self.inputs.push((name.to_owned(), input));
        self
    }
}

/// A `workflow_dispatch` input.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    pub(crate) description: String,
    pub(crate) required: bool,
    pub(crate) kind: InputKind,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum InputKind {
    String(Option<String>),
    Boolean(Option<bool>),
    Number(Option<i64>),
    Choice { options: Vec<String>, default: Option<String> },
    Environment(Option<String>),
}

impl Input {
    fn new(description: &str, kind: InputKind) -> Input {
        Input { description: description.to_owned(), required: false, kind }
    }

    /// A free-text input.
    pub fn string(description: &str) -> Input {
        Input::new(description, InputKind::String(None))
    }

    /// A checkbox.
    pub fn boolean(description: &str) -> Input {
        Input::new(description, InputKind::Boolean(None))
    }

    /// A number.
    pub fn number(description: &str) -> Input {
        Input::new(description, InputKind::Number(None))
    }

    /// One of `options`.
    pub fn choice<I: IntoIterator<Item = S>, S: Into<String>>(
        description: &str,
        options: I,
    ) -> Input {
        Input::new(description, InputKind::Choice { options: strings(options), default: None })
    }

    /// One of the repository's environments.
    pub fn environment(description: &str) -> Input {
        Input::new(description, InputKind::Environment(None))
    }

    /// The input must be given.
    pub fn required(mut self) -> Input {
        self.required = true;
        self
    }

    /// The default of a string, choice or environment input (a choice's default must be one
    /// of its options).
    pub fn default_str(mut self, value: &str) -> Input {
        match &mut self.kind {
            InputKind::String(d) | InputKind::Environment(d) => *d = Some(value.to_owned()),
            InputKind::Choice { default, .. } => *default = Some(value.to_owned()),
            InputKind::Boolean(_) | InputKind::Number(_) => {}
        }
        self
    }

    /// The default of a boolean input.
    pub fn default_bool(mut self, value: bool) -> Input {
        if let InputKind::Boolean(d) = &mut self.kind {
            *d = Some(value);
        }
        self
    }

    /// The default of a number input.
    pub fn default_number(mut self, value: i64) -> Input {
        if let InputKind::Number(d) = &mut self.kind {
            *d = Some(value);
        }
        self
    }
}

/// What starts the workflow, in the order GitHub documents the events.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Triggers {
    pub(crate) push: Option<Push>,
    pub(crate) pull_request: Option<PullRequest>,
    pub(crate) dispatch: Option<Dispatch>,
    pub(crate) schedule: Vec<String>,
}

/// A concurrency group: runs in one group wait for each other, or cancel the older one.
#[derive(Clone, Debug, PartialEq)]
pub struct Concurrency {
    pub(crate) group: Text,
    pub(crate) cancel_in_progress: bool,
}

impl Concurrency {
    /// Runs in `group` (text, often with `${{ github.ref }}`) run one at a time.
    pub fn new(group: impl Into<Text>) -> Concurrency {
        Concurrency { group: group.into(), cancel_in_progress: false }
    }

    /// A new run cancels the one in progress instead of waiting.
    pub fn cancel_in_progress(mut self, cancel: bool) -> Concurrency {
        self.cancel_in_progress = cancel;
        self
    }
}

/// Defaults for the `run` steps of a workflow or job.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Defaults {
    pub(crate) shell: Option<Shell>,
    pub(crate) working_directory: Option<String>,
}

impl Defaults {
    /// No defaults yet.
    pub fn new() -> Defaults {
        Defaults::default()
    }

    /// The shell `run` steps use.
    pub fn shell(mut self, shell: Shell) -> Defaults {
        self.shell = Some(shell);
        self
    }

    /// The folder `run` steps start in.
    pub fn working_directory(mut self, dir: &str) -> Defaults {
        self.working_directory = Some(dir.to_owned());
        self
    }
}

/// The shell of a `run` step.
#[derive(Clone, Debug, PartialEq)]
pub enum Shell {
    /// `bash` (with `-e -o pipefail`).
    Bash,
    /// `sh`.
    Sh,
    /// `pwsh`.
    Pwsh,
    /// `python`.
    Python,
    /// `cmd`.
    Cmd,
    /// `powershell`.
    Powershell,
    /// A custom command with `{0}` for the script file (`perl {0}`).
    Custom(String),
}

impl Shell {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Shell::Bash => "bash",
            Shell::Sh => "sh",
            Shell::Pwsh => "pwsh",
            Shell::Python => "python",
            Shell::Cmd => "cmd",
            Shell::Powershell => "powershell",
            Shell::Custom(s) => s,
        }
    }
}

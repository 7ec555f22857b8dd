//! Problems synthesis finds, as data: every error at once, each naming the construct path,
//! what is wrong and how to fix it; warnings kept apart.

use std::fmt;

/// An error that stops synthesis. Each names where it is (stack and construct path) and says
/// how to fix it.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SynthError {
    /// A construct id, logical ID or stack name is not usable.
    #[error("{path}: {message}")]
    InvalidName {
        /// Where the name was given.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// Two stacks have the same name.
    #[error("stack `{name}` is defined twice; give each stack its own name")]
    DuplicateStack {
        /// The stack name.
        name: String,
    },
    /// Two constructs of one stack would get the same logical ID.
    #[error(
        "{stack}: `{first}` and `{second}` both get the logical ID `{logical_id}`; rename one \
         of them, or pin one with override_logical_id"
    )]
    DuplicateLogicalId {
        /// The stack.
        stack: String,
        /// The logical ID both would get.
        logical_id: String,
        /// The construct path (or section) of the first.
        first: String,
        /// The construct path (or section) of the second.
        second: String,
    },
    /// A reference to something that does not exist in the stack.
    #[error("{}: {target} does not exist in this stack; {hint}", loc(stack, path))]
    DanglingReference {
        /// The stack.
        stack: String,
        /// The construct path or section holding the reference.
        path: String,
        /// What was referenced.
        target: String,
        /// How to fix it.
        hint: String,
    },
    /// Resources that reference each other in a loop; CloudFormation cannot order them.
    #[error(
        "{stack}: reference cycle {}; break it by removing one reference or by moving a \
         piece into its own resource",
        cycle.join(" -> ")
    )]
    ReferenceCycle {
        /// The stack.
        stack: String,
        /// The construct paths around the cycle, the first repeated at the end.
        cycle: Vec<String>,
    },
    /// Stacks that depend on each other in a loop; no deployment order exists.
    #[error(
        "stacks depend on each other in a cycle: {}; move the shared resources into one stack",
        cycle.join(" -> ")
    )]
    StackCycle {
        /// The stack names around the cycle, the first repeated at the end.
        cycle: Vec<String>,
    },
    /// A reference between stacks in different accounts or regions.
    #[error(
        "{consumer}: references `{producer}` in stack `{producer_stack}` ({producer_env}) from \
         stack `{consumer_stack}` ({consumer_env}); CloudFormation exports only work within one \
         account and region. Give the resource a fixed physical name and pass it as a literal \
         or a parameter, or (for IAM) use a role in the target account that trusts this one"
    )]
    CrossEnvironmentReference {
        /// The construct path holding the reference.
        consumer: String,
        /// The consumer's stack.
        consumer_stack: String,
        /// The consumer's environment.
        consumer_env: String,
        /// The referenced construct's path.
        producer: String,
        /// The producer's stack.
        producer_stack: String,
        /// The producer's environment.
        producer_env: String,
    },
    /// A reference to a parameter, condition or mapping of another stack.
    #[error(
        "{}: uses {what} of stack `{other_stack}`; parameters, conditions and mappings \
         belong to one template. Declare it in this stack too",
        loc(stack, path)
    )]
    ForeignTemplateItem {
        /// The consumer's stack.
        stack: String,
        /// Where the reference is.
        path: String,
        /// What was referenced.
        what: String,
        /// The stack it belongs to.
        other_stack: String,
    },
    /// A handle created by a different `App`.
    #[error(
        "{}: {used_in} uses a handle from a different App; handles belong to the app that \
         created them",
        loc(stack, path)
    )]
    ForeignHandle {
        /// The stack.
        stack: String,
        /// Where the handle is used.
        path: String,
        /// The use: `a reference`, `grant_send`, `DependsOn`.
        used_in: String,
    },
    /// Two outputs would be exported under the same name.
    #[error(
        "export name `{name}` is used by both `{first}` and `{second}`; export names must be \
         unique in an account and region"
    )]
    ExportNameCollision {
        /// The export name.
        name: String,
        /// The first exporter, `Stack/Output`.
        first: String,
        /// The second exporter.
        second: String,
    },
    /// A CloudFormation quota is exceeded.
    #[error(
        "{stack}: {count} {what} exceed CloudFormation's limit of {limit} per template; split \
         the stack"
    )]
    QuotaExceeded {
        /// The stack.
        stack: String,
        /// What is counted ("resources", "parameters", ...).
        what: String,
        /// How many there are.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A resource property is invalid.
    #[error("{}: property `{property}`: {message}", loc(stack, path))]
    InvalidProperty {
        /// The stack.
        stack: String,
        /// The resource's construct path.
        path: String,
        /// The property (dotted path).
        property: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A construct was given an impossible combination of settings, or found a problem when
    /// it was rendered.
    #[error("{}: {message}{}", loc(stack, path), fix_suffix(fix))]
    InvalidConstruct {
        /// The stack.
        stack: String,
        /// The construct path.
        path: String,
        /// The kind of problem, stable across releases (`iam.session-duration`).
        code: &'static str,
        /// What is wrong.
        message: String,
        /// How to fix it (may be empty when the message says it).
        fix: String,
    },
    /// Two things were put at one construct path.
    #[error(
        "{stack}/{path}: {first} is at this path, and {second} was put there too; give one \
         of them another id"
    )]
    PathClash {
        /// The stack.
        stack: String,
        /// The construct path both claim.
        path: String,
        /// What was there first.
        first: String,
        /// What came second.
        second: String,
    },
    /// A parameter, condition, rule or output is invalid.
    #[error("{stack}: {section} `{name}`: {message}")]
    InvalidTemplateItem {
        /// The stack.
        stack: String,
        /// `parameter`, `condition`, `rule`, `output`, `mapping`.
        section: String,
        /// Its logical name.
        name: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The app has no stacks.
    #[error(
        "the app has no stacks, so there is nothing to synthesize (the output folder is left \
         as it is); add one with app.stack(\"Name\")"
    )]
    EmptyApp,
    /// Where the output folder sits in the source repository cannot be a path there.
    #[error(
        "the output folder's place in the source, `{given}`, is not a relative `/`-separated path inside the repository; give one such as `stacks` or `infra/stacks`"
    )]
    InvalidOutputLocation {
        /// What was given.
        given: String,
    },
}

fn fix_suffix(fix: &str) -> String {
    if fix.is_empty() { String::new() } else { format!("; {fix}") }
}

impl SynthError {
    /// A stable code for the kind of problem, for tools and for looking it up:
    /// `duplicate-logical-id`, or the construct's own code (`iam.session-duration`).
    pub fn code(&self) -> &'static str {
        match self {
            SynthError::InvalidName { .. } => "invalid-name",
            SynthError::DuplicateStack { .. } => "duplicate-stack",
            SynthError::DuplicateLogicalId { .. } => "duplicate-logical-id",
            SynthError::DanglingReference { .. } => "dangling-reference",
            SynthError::ReferenceCycle { .. } => "reference-cycle",
            SynthError::StackCycle { .. } => "stack-cycle",
            SynthError::CrossEnvironmentReference { .. } => "cross-environment-reference",
            SynthError::ForeignTemplateItem { .. } => "foreign-template-item",
            SynthError::ForeignHandle { .. } => "foreign-handle",
            SynthError::ExportNameCollision { .. } => "export-name-collision",
            SynthError::QuotaExceeded { .. } => "quota-exceeded",
            SynthError::InvalidProperty { .. } => "invalid-property",
            SynthError::InvalidConstruct { code, .. } => code,
            SynthError::PathClash { .. } => "path-clash",
            SynthError::InvalidTemplateItem { .. } => "invalid-template-item",
            SynthError::InvalidOutputLocation { .. } => "invalid-output-location",
            SynthError::EmptyApp => "empty-app",
        }
    }
}

/// A problem a construct reports: a stable code for its kind, what is wrong, and the fix.
/// Reported through [`Scope::report`](crate::Scope::report) at the construct's own path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The kind of problem, stable across releases: `<service>.<what>`
    /// (`ecs.fargate-size`, `iam.policy-document`).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it; empty when the message already says it.
    pub fix: String,
}

impl Problem {
    /// A problem of kind `code`.
    pub fn new(code: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Problem {
        Problem { code, message: message.into(), fix: fix.into() }
    }
}

/// `Stack/Construct/Path`, or just `Stack` for the stack itself.
fn loc(stack: &str, path: &str) -> String {
    if path.is_empty() { stack.to_owned() } else { format!("{stack}/{path}") }
}

/// A problem that does not stop synthesis but deserves a look (a plaintext secret, an image
/// tagged `latest`, a template that must be uploaded to S3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// `Stack/Construct/Path` the warning is about.
    pub path: String,
    /// What is suspicious and what to do instead.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Everything synthesis found wrong with an app: all errors at once, and the warnings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diagnostics {
    /// The errors; synthesis produced nothing.
    pub errors: Vec<SynthError>,
    /// The warnings found along the way.
    pub warnings: Vec<Warning>,
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        writeln!(f, "{n} error{} in the app:", if n == 1 { "" } else { "s" })?;
        for e in &self.errors {
            writeln!(f, "  error[{}]: {e}", e.code())?;
        }
        for w in &self.warnings {
            writeln!(f, "  warning: {w}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

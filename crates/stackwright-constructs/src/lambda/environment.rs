//! Environment variables as Lambda checks them, for plain and SAM functions alike: names
//! Lambda reserves, the name pattern, a name set twice, and the 4 KB limit on them all.

use stackwright_core::{Expr, Scope};

/// The names Lambda sets itself and refuses in a function's configuration.
const RESERVED: [&str; 18] = [
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
];

/// The most bytes all names and values of a function's environment may take together.
const MAX_BYTES: usize = 4_096;

/// Reports, as `code`, every variable Lambda would refuse and an environment over 4 KB.
/// Returns which variables may go into the L1: the first of each name, when the name is
/// one Lambda accepts.
pub(crate) fn check_environment<'v>(
    scope: &mut Scope<'_>,
    code: &'static str,
    vars: impl IntoIterator<Item = (&'v str, &'v Expr)>,
) -> Vec<bool> {
    let vars: Vec<(&str, &Expr)> = vars.into_iter().collect();
    let mut keep = Vec::with_capacity(vars.len());
    for (i, (name, _)) in vars.iter().enumerate() {
        let earlier = vars[..i].iter().any(|(n, _)| n == name);
        if earlier {
            keep.push(false);
            continue;
        }
        let times = vars.iter().filter(|(n, _)| n == name).count();
        if times > 1 {
            scope.error(
                code,
                format!("environment variable `{name}` is set {times} times"),
                "set each variable once",
            );
        }
        let ok = if RESERVED.contains(name) {
            scope.error(
                code,
                format!("environment variable `{name}` is reserved: Lambda sets it itself"),
                "give the variable another name",
            );
            false
        } else if !is_variable_name(name) {
            scope.error(
                code,
                format!("environment variable name `{name}` is not one Lambda accepts"),
                "start it with a letter, followed by at least one letter, digit or `_`",
            );
            false
        } else {
            true
        };
        keep.push(ok);
    }
    // Values known only once deployed (a `Ref`, a `Fn::Sub`) count as nothing here.
    let unknown = vars.iter().any(|(_, v)| v.as_str().is_none());
    let bytes = vars.iter().fold(0usize, |sum, (name, value)| {
        sum.saturating_add(name.len()).saturating_add(value.as_str().map_or(0, str::len))
    });
    if bytes > MAX_BYTES {
        let at_least = if unknown { "at least " } else { "" };
        scope.error(
            code,
            format!(
                "the environment variables take {at_least}{bytes} bytes (names and values), \
                 over Lambda's 4 KB ({MAX_BYTES} bytes)"
            ),
            "keep large values in SSM Parameter Store or Secrets Manager and read them at run time",
        );
    }
    keep
}

/// `[a-zA-Z][a-zA-Z0-9_]+`.
fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

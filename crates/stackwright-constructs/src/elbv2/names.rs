//! The name rules load balancers and target groups share.

use stackwright_core::{Expr, Scope, Val};

/// Reports a literal `name` that ELB would reject: 1 to 32 letters, digits and hyphens, not
/// starting or ending with a hyphen.
pub(crate) fn check_name(scope: &mut Scope<'_>, name: &Val<String>, what: &str) {
    let Expr::Str(name) = name.expr() else {
        return;
    };
    if name.is_empty() || name.chars().count() > 32 {
        scope.error(
            "elbv2.name-length",
            format!("{what} name `{name}` must be 1 to 32 characters long"),
            "",
        );
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-')) {
        scope.error(
            "elbv2.name-characters",
            format!("{what} name `{name}` contains `{bad}`"),
            "use letters, digits and `-`",
        );
    }
    if name.starts_with('-') || name.ends_with('-') {
        scope.error(
            "elbv2.name-hyphen",
            format!("{what} name `{name}` must not start or end with `-`"),
            "",
        );
    }
}

/// Reports a port outside 1 to 65535; whether it is inside.
pub(crate) fn check_port(scope: &mut Scope<'_>, what: &str, port: u32) -> bool {
    if (1..=65_535).contains(&port) {
        return true;
    }
    scope.error("elbv2.port", format!("{what} {port} is out of range"), "ports are 1 to 65535");
    false
}

//! String interpolation: literal text with expressions spliced in, rendered as `Fn::Sub`.

use super::{Expr, Val};

/// One piece of an interpolated string.
#[derive(Clone, Debug, PartialEq)]
pub enum SubPart {
    /// Literal text, emitted as written (`${` is escaped on output).
    Lit(String),
    /// An expression whose string value is spliced in.
    Expr(Expr),
}

/// Counts the `{}` placeholders in a format string, treating `{{` and `}}` as escapes.
///
/// Returns `usize::MAX` when the string has a lone `{` or `}` or a placeholder with something
/// inside the braces, so the compile-time check in [`sub!`](crate::sub) rejects it.
pub const fn count_placeholders(fmt: &str) -> usize {
    let b = fmt.as_bytes();
    let mut i = 0;
    let mut n = 0;
    while i < b.len() {
        if b[i] == b'{' {
            if i + 1 < b.len() && b[i + 1] == b'{' {
                i += 2;
                continue;
            }
            if i + 1 < b.len() && b[i + 1] == b'}' {
                n += 1;
                i += 2;
                continue;
            }
            return usize::MAX;
        }
        if b[i] == b'}' {
            if i + 1 < b.len() && b[i + 1] == b'}' {
                i += 2;
                continue;
            }
            return usize::MAX;
        }
        i += 1;
    }
    n
}

/// Builds an interpolated string from a format string with `{}` placeholders and the values
/// that fill them, in order. Prefer the [`sub!`](crate::sub) macro, which checks the number of
/// placeholders at compile time; this function ignores surplus placeholders or values.
pub fn interpolate(fmt: &str, args: impl IntoIterator<Item = Expr>) -> Val<String> {
    let mut args = args.into_iter();
    let mut parts: Vec<SubPart> = Vec::new();
    let mut lit = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('{', Some('{')) | ('}', Some('}')) => {
                chars.next();
                lit.push(c);
            }
            ('{', Some('}')) => {
                chars.next();
                if let Some(arg) = args.next() {
                    push_expr(&mut parts, &mut lit, arg);
                }
            }
            _ => lit.push(c),
        }
    }
    if !lit.is_empty() {
        parts.push(SubPart::Lit(lit));
    }
    match parts.as_slice() {
        [] => Val::from_expr(Expr::Str(String::new())),
        [SubPart::Lit(s)] => Val::from_expr(Expr::Str(s.clone())),
        _ => Val::from_expr(Expr::Interpolate(parts)),
    }
}

/// Appends an expression, folding string literals into the surrounding text and flattening
/// nested interpolations, so `sub!` of a `sub!` reads as one `Fn::Sub`.
fn push_expr(parts: &mut Vec<SubPart>, lit: &mut String, arg: Expr) {
    match arg {
        Expr::Str(s) => lit.push_str(&s),
        Expr::Interpolate(inner) => {
            for p in inner {
                match p {
                    SubPart::Lit(s) => lit.push_str(&s),
                    SubPart::Expr(e) => push_expr(parts, lit, e),
                }
            }
        }
        e => {
            if !lit.is_empty() {
                parts.push(SubPart::Lit(std::mem::take(lit)));
            }
            parts.push(SubPart::Expr(e));
        }
    }
}

/// Interpolates string values into a format string, producing a [`Val<String>`] that renders
/// as `Fn::Sub` (`${Bucket}`, `${Role.Arn}`, `${AWS::Region}`), or a plain string when every
/// argument is a literal.
///
/// Placeholders are `{}`; write `{{` and `}}` for literal braces. The number of placeholders
/// must match the number of arguments, checked at compile time.
///
/// ```
/// use stackwright_core::{sub, pseudo, Val};
/// let arn: Val<String> = sub!("arn:{}:s3:::{}/*", pseudo::partition(), "my-bucket");
/// ```
#[macro_export]
macro_rules! sub {
    ($fmt:literal $(, $arg:expr)* $(,)?) => {{
        const _: () = ::core::assert!(
            $crate::expr::count_placeholders($fmt)
                == <[&str]>::len(&[$(::core::stringify!($arg)),*]),
            "sub!: the format string must have one placeholder per argument (and no lone braces)",
        );
        $crate::expr::interpolate(
            $fmt,
            [$($crate::Expr::from($crate::Val::<::std::string::String>::from($arg))),*],
        )
    }};
}

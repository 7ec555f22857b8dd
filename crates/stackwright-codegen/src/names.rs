//! Rust names for CloudFormation names.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves; fields and methods with these names get a raw identifier or, where
/// Rust forbids one, a trailing underscore.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen",
];

/// Identifiers that cannot be raw (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["self", "super", "crate", "Self", "extern"];

/// A snake_case identifier for a property or attribute name.
pub fn field(name: &str) -> String {
    let snake = name.to_snake_case();
    let snake = if snake.is_empty() { "value".to_owned() } else { snake };
    let snake =
        if snake.starts_with(|c: char| c.is_ascii_digit()) { format!("n{snake}") } else { snake };
    escape(snake)
}

/// Escapes a keyword.
pub fn escape(ident: String) -> String {
    if NOT_RAW.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// A PascalCase type name.
pub fn type_name(name: &str) -> String {
    let cleaned: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    let mut pascal = cleaned.to_upper_camel_case();
    if pascal.is_empty() {
        pascal = "Value".into();
    }
    if pascal.starts_with(|c: char| c.is_ascii_digit()) {
        pascal = format!("V{pascal}");
    }
    if pascal == "Self" {
        pascal = "SelfValue".into();
    }
    pascal
}

/// A module (file) name for a resource type.
pub fn resource_module(name: &str) -> String {
    escape(name.to_snake_case())
}

/// An enum variant for an allowed value.
pub fn variant(value: &str) -> String {
    type_name(value)
}

//! YAML as a person would write a template: block style, two-space indent, short-form tags
//! (`!Ref`, `!GetAtt A.B`, `!Sub`), plain scalars where they are unambiguous, quotes where
//! YAML would read them as something else, literal blocks for multi-line text.
//!
//! YAML gives a node one tag at most, so an intrinsic whose argument is itself an intrinsic
//! (`Fn::Base64` of a `Fn::Sub`) keeps its long `Fn::Base64:` key form around the inner tag.

use super::Node;
use super::json::write_float;

/// Renders a tree as a YAML document ending in a newline.
pub fn to_yaml(node: &Node) -> String {
    let mut out = String::with_capacity(4096);
    match node {
        Node::Map(entries) if !entries.is_empty() => write_map(&mut out, entries, 0),
        Node::List(items) if !items.is_empty() => write_list(&mut out, items, 0),
        other => {
            write_inline_or_block(&mut out, other, 0);
            out.push('\n');
        }
    }
    out
}

fn pad(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// Writes the entries of a non-empty map, each on its own line at `level`.
fn write_map(out: &mut String, entries: &[(String, Node)], level: usize) {
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 {
            pad(out, level);
        }
        write_key(out, k);
        out.push(':');
        write_value_after_key(out, v, level);
    }
}

/// Writes the items of a non-empty list, each on its own line at `level`.
fn write_list(out: &mut String, items: &[Node], level: usize) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            pad(out, level);
        }
        out.push('-');
        match item {
            Node::Map(entries) if !entries.is_empty() => {
                out.push(' ');
                write_map(out, entries, level + 1);
            }
            Node::List(inner) if !inner.is_empty() => {
                out.push(' ');
                write_list(out, inner, level + 1);
            }
            Node::Fn(..) if !short_form(item) => {
                out.push(' ');
                write_long_fn(out, item, level + 1);
            }
            other => {
                out.push(' ');
                write_inline_or_block(out, other, level + 1);
                out.push('\n');
            }
        }
    }
}

/// After `key:`: a scalar on the same line, or a collection on the following lines.
fn write_value_after_key(out: &mut String, v: &Node, level: usize) {
    match v {
        Node::Map(entries) if !entries.is_empty() => {
            out.push('\n');
            pad(out, level + 1);
            write_map(out, entries, level + 1);
        }
        Node::List(items) if !items.is_empty() => {
            out.push('\n');
            pad(out, level + 1);
            write_list(out, items, level + 1);
        }
        Node::Fn(..) if !short_form(v) => {
            out.push('\n');
            pad(out, level + 1);
            write_long_fn(out, v, level + 1);
        }
        other => {
            out.push(' ');
            write_inline_or_block(out, other, level + 1);
            out.push('\n');
        }
    }
}

/// Whether an intrinsic can take its short tag form: not when its argument is itself a
/// tagged node, which would need two tags on one node.
fn short_form(node: &Node) -> bool {
    match node {
        Node::Fn(_, arg) => !matches!(**arg, Node::Fn(..)),
        _ => true,
    }
}

fn write_long_fn(out: &mut String, node: &Node, level: usize) {
    if let Node::Fn(name, arg) = node {
        write_map(out, &[(name.to_string(), (**arg).clone())], level);
    }
}

/// Scalars, empty collections and short-form intrinsics; `level` is the indentation a block
/// below this node would use.
fn write_inline_or_block(out: &mut String, node: &Node, level: usize) {
    match node {
        Node::Null => out.push_str("null"),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Int(i) => out.push_str(&i.to_string()),
        Node::Float(f) => write_float(out, *f),
        Node::Str(s) => write_scalar_str(out, s, level),
        Node::List(_) => out.push_str("[]"),
        Node::Map(_) => out.push_str("{}"),
        Node::Fn(name, arg) => write_tag(out, name, arg, level),
    }
}

fn write_tag(out: &mut String, name: &str, arg: &Node, level: usize) {
    let tag = name.strip_prefix("Fn::").unwrap_or(name);
    out.push('!');
    out.push_str(tag);
    // `!GetAtt Resource.Attribute` is the form people write.
    if name == "Fn::GetAtt"
        && let Node::List(parts) = arg
        && let [Node::Str(r), Node::Str(a)] = parts.as_slice()
    {
        out.push(' ');
        write_scalar_str(out, &format!("{r}.{a}"), level);
        return;
    }
    match arg {
        Node::Map(entries) if !entries.is_empty() => {
            out.push('\n');
            pad(out, level);
            write_map(out, entries, level);
            trim_trailing_newline(out);
        }
        Node::List(items) if !items.is_empty() => {
            out.push('\n');
            pad(out, level);
            write_list(out, items, level);
            trim_trailing_newline(out);
        }
        other => {
            out.push(' ');
            write_inline_or_block(out, other, level);
        }
    }
}

/// Block writers end every line; inline callers add the final newline themselves.
fn trim_trailing_newline(out: &mut String) {
    if out.ends_with('\n') {
        out.pop();
    }
}

/// Keys stay on one line: plain, or quoted.
fn write_key(out: &mut String, s: &str) {
    write_quoted_or_plain(out, s);
}

fn write_scalar_str(out: &mut String, s: &str, level: usize) {
    if s.contains('\n') && !is_plain_safe(s) && literal_block_ok(s) {
        write_literal_block(out, s, level);
    } else {
        write_quoted_or_plain(out, s);
    }
}

fn write_quoted_or_plain(out: &mut String, s: &str) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else if !s.contains('\'') && s.chars().all(|c| !c.is_control()) {
        out.push('\'');
        out.push_str(s);
        out.push('\'');
    } else {
        // A JSON string is a valid YAML double-quoted scalar.
        super::json::write_str(out, s);
    }
}

/// A string YAML reads back as the same string without quotes.
fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with(' ') || s.ends_with(' ') || s.ends_with(':') {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || first.is_ascii_digit()
        || first == '.'
        || first == '+'
    {
        return false;
    }
    if s.contains(": ")
        || s.contains(" #")
        || s.chars().any(|c| c.is_control() || "{}[],".contains(c))
    {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "y"
            | "n"
            | "null"
            | "~"
            | ".nan"
            | ".inf"
            | "-.inf"
    )
}

fn literal_block_ok(s: &str) -> bool {
    !s.starts_with(' ')
        && !s.starts_with('\n')
        && s.chars().all(|c| c == '\n' || !c.is_control())
        && s.lines().all(|l| !l.ends_with(' '))
}

fn write_literal_block(out: &mut String, s: &str, level: usize) {
    let trailing = s.len() - s.trim_end_matches('\n').len();
    out.push('|');
    match trailing {
        0 => out.push('-'),
        1 => {}
        _ => out.push('+'),
    }
    let body = s.trim_end_matches('\n');
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            pad(out, level);
            out.push_str(line);
        }
    }
    for _ in 1..trailing {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Node {
        Node::Str(x.into())
    }

    #[test]
    fn short_tags_are_used() {
        let node = Node::Map(vec![
            ("A".into(), Node::func("Ref", s("Queue"))),
            ("B".into(), Node::func("Fn::GetAtt", Node::List(vec![s("Queue"), s("Arn")]))),
            ("C".into(), Node::func("Fn::Sub", s("arn:${AWS::Partition}:s3:::b/*"))),
        ]);
        assert_eq!(
            to_yaml(&node),
            "A: !Ref Queue\nB: !GetAtt Queue.Arn\nC: 'arn:${AWS::Partition}:s3:::b/*'\n"
                .replace("C: '", "C: !Sub '")
        );
    }

    #[test]
    fn nested_tags_fall_back_to_the_long_form() {
        let node = Node::Map(vec![(
            "UserData".into(),
            Node::func("Fn::Base64", Node::func("Fn::Sub", s("echo ${AWS::Region}"))),
        )]);
        assert_eq!(to_yaml(&node), "UserData:\n  Fn::Base64: !Sub 'echo ${AWS::Region}'\n");
    }

    #[test]
    fn ambiguous_scalars_are_quoted() {
        let node = Node::List(vec![
            s("2012-10-17"),
            s("true"),
            s("*"),
            s("a: b"),
            s("plain-text"),
            s("it's"),
            s(""),
        ]);
        assert_eq!(
            to_yaml(&node),
            "- '2012-10-17'\n- 'true'\n- '*'\n- 'a: b'\n- plain-text\n- it's\n- ''\n"
        );
    }

    #[test]
    fn plain_trees_read_back_as_the_same_value() {
        let tricky = [
            "",
            " lead",
            "trail ",
            "x: y",
            "#c",
            "a #b",
            "-1",
            "1.5",
            "0x1F",
            "yes",
            "No",
            "~",
            "null",
            "@at",
            "`tick",
            "'q'",
            "\"dq\"",
            "tab\there",
            "multi\nline\n",
            "two\n\n",
            "no-newline\nend",
            "ctl\u{1}",
            "{a}",
            "[b]",
            "a,b",
            "%p",
            "!bang",
            "*star",
            "&amp",
            "?q",
            "|pipe",
            ">gt",
            "ünï",
            "2010-09-09",
            ".5",
            "+1",
            "key:",
            "a\n  indented",
        ];
        let node = Node::Map(vec![
            ("List".into(), Node::List(tricky.iter().map(|t| s(t)).collect())),
            (
                "Map".into(),
                Node::Map(
                    tricky.iter().enumerate().map(|(i, t)| (format!("{t}{i}"), s(t))).collect(),
                ),
            ),
            (
                "Nested".into(),
                Node::List(vec![
                    Node::List(vec![Node::Int(1)]),
                    Node::Map(vec![("A".into(), Node::List(vec![]))]),
                ]),
            ),
            ("Num".into(), Node::Float(2.5)),
        ]);
        let text = to_yaml(&node);
        let parsed: serde_json::Value = serde_yaml::from_str(&text)
            .map_err(|e| format!("{e}\n{text}"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed, node.to_value(), "YAML was:\n{text}");
    }

    #[test]
    fn multi_line_text_is_a_literal_block() {
        let node = Node::Map(vec![("BuildSpec".into(), s("version: 0.2\nphases:\n  build: {}\n"))]);
        assert_eq!(to_yaml(&node), "BuildSpec: |\n  version: 0.2\n  phases:\n    build: {}\n");
    }

    #[test]
    fn tagged_lists_nest_in_block_style() {
        let node = Node::Map(vec![(
            "V".into(),
            Node::func(
                "Fn::Join",
                Node::List(vec![s(","), Node::List(vec![s("a"), Node::func("Ref", s("B"))])]),
            ),
        )]);
        assert_eq!(to_yaml(&node), "V: !Join\n  - ','\n  - - a\n    - !Ref B\n");
    }
}

//! Pretty JSON: two-space indent, keys in model order, a trailing newline.

use super::Node;

/// Renders a tree as pretty-printed JSON ending in a newline.
pub fn to_json(node: &Node) -> String {
    let mut out = String::with_capacity(4096);
    write_node(&mut out, node, 0);
    out.push('\n');
    out
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write_node(out: &mut String, node: &Node, level: usize) {
    match node {
        Node::Null => out.push_str("null"),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Int(i) => out.push_str(&i.to_string()),
        Node::Float(f) => write_float(out, *f),
        Node::Str(s) => write_str(out, s),
        Node::List(items) if items.is_empty() => out.push_str("[]"),
        Node::List(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, level + 1);
                write_node(out, item, level + 1);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, level);
            out.push(']');
        }
        Node::Map(entries) if entries.is_empty() => out.push_str("{}"),
        Node::Map(entries) => {
            out.push_str("{\n");
            for (i, (k, v)) in entries.iter().enumerate() {
                indent(out, level + 1);
                write_str(out, k);
                out.push_str(": ");
                write_node(out, v, level + 1);
                if i + 1 < entries.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, level);
            out.push('}');
        }
        Node::Fn(name, arg) => {
            out.push_str("{\n");
            indent(out, level + 1);
            write_str(out, name);
            out.push_str(": ");
            write_node(out, arg, level + 1);
            out.push('\n');
            indent(out, level);
            out.push('}');
        }
    }
}

/// Finite floats in Rust's shortest round-trip form; JSON has no NaN or infinity, so those
/// become `null`.
pub(crate) fn write_float(out: &mut String, f: f64) {
    if f.is_finite() {
        let s = f.to_string();
        out.push_str(&s);
    } else {
        out.push_str("null");
    }
}

pub(crate) fn write_str(out: &mut String, s: &str) {
    out.push('"');
    // Every character that needs escaping is ASCII, so scan bytes and copy the runs between
    // them whole (a byte-at-a-time `push` was a visible share of synth time); slicing at an
    // ASCII byte always lands on a character boundary.
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        if !(b < 0x20 || b == b'"' || b == b'\\' || b == 0x7f) {
            continue;
        }
        out.push_str(&s[run..i]);
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b => out.push_str(&format!("\\u{b:04x}")),
        }
        run = i + 1;
    }
    out.push_str(&s[run..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_parses_back_to_the_same_value() {
        let node = Node::Map(vec![
            (
                "A".into(),
                Node::Str("quote \" back \\ nl \n ctl \u{1}".into()),
            ),
            (
                "B".into(),
                Node::List(vec![Node::Int(-3), Node::Float(0.5), Node::Null]),
            ),
            (
                "C".into(),
                Node::func(
                    "Fn::GetAtt",
                    Node::List(vec![Node::Str("Q".into()), Node::Str("Arn".into())]),
                ),
            ),
            ("D".into(), Node::Map(vec![])),
            ("E".into(), Node::List(vec![])),
            ("F".into(), Node::Float(f64::NAN)),
        ]);
        let text = to_json(&node);
        assert!(text.ends_with("}\n"));
        let parsed: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(parsed, node.to_value());
        assert_eq!(parsed["C"]["Fn::GetAtt"][1], "Arn");
        assert_eq!(parsed["F"], serde_json::Value::Null);
    }

    #[test]
    fn layout_is_two_space_pretty() {
        let node = Node::Map(vec![("K".into(), Node::List(vec![Node::Bool(true)]))]);
        assert_eq!(to_json(&node), "{\n  \"K\": [\n    true\n  ]\n}\n");
    }
}

//! Pretty JSON: two-space indent, keys in model order, a trailing newline. Short leaves stay
//! on one line, as a person would write them: `{"Ref": "Queue"}`,
//! `{"Fn::GetAtt": ["Queue", "Arn"]}`, `["a", "b"]`.

use super::Node;

/// Renders a tree as pretty-printed JSON ending in a newline.
pub fn to_json(node: &Node) -> String {
    let mut out = String::with_capacity(4096);
    write_node(&mut out, node, 0);
    out.push('\n');
    out
}

/// Renders a tree as compact JSON on one line (no trailing newline), as a command line or
/// a one-line file (`imagedefinitions.json`) holds it.
pub fn to_json_line(node: &Node) -> String {
    node.to_value().to_string()
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// The longest single-line form of a short leaf.
const INLINE_WIDTH: usize = 72;

/// Whether a node is a short leaf: a list of scalars, or an intrinsic whose argument is a
/// scalar or such a list. Everything else is laid out over several lines.
fn is_short_leaf(node: &Node) -> bool {
    let scalar = |n: &Node| {
        matches!(n, Node::Null | Node::Bool(_) | Node::Int(_) | Node::Float(_) | Node::Str(_))
    };
    let scalar_list = |n: &Node| matches!(n, Node::List(items) if items.iter().all(scalar));
    match node {
        Node::List(items) => !items.is_empty() && scalar_list(node),
        Node::Fn(_, arg) => scalar(arg) || scalar_list(arg),
        _ => false,
    }
}

/// Writes a short leaf on one line if it fits; returns whether it did.
fn write_inline(out: &mut String, node: &Node) -> bool {
    if !is_short_leaf(node) {
        return false;
    }
    let start = out.len();
    write_flat(out, node);
    if out.len() - start > INLINE_WIDTH {
        out.truncate(start);
        return false;
    }
    true
}

fn write_flat(out: &mut String, node: &Node) {
    match node {
        Node::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_flat(out, item);
            }
            out.push(']');
        }
        Node::Fn(name, arg) => {
            out.push('{');
            write_str(out, name);
            out.push_str(": ");
            write_flat(out, arg);
            out.push('}');
        }
        other => write_node(out, other, 0),
    }
}

fn write_node(out: &mut String, node: &Node, level: usize) {
    if write_inline(out, node) {
        return;
    }
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

/// Finite floats in Rust's shortest round-trip form, always with a fraction so they read back
/// as floats rather than integers; JSON has no NaN or infinity, so those become `null`. The
/// YAML emitter shares this, so the text is also a float to YAML 1.1 and 1.2 readers.
pub(crate) fn write_float(out: &mut String, f: f64) {
    if !f.is_finite() {
        out.push_str("null");
    } else if f.abs() < 1e16 {
        // A whole float keeps its `.0`, so it reads back as a float (`version: 0.0`).
        let s = if f.fract() == 0.0 { format!("{f:.1}") } else { f.to_string() };
        out.push_str(&s);
    } else {
        // Every float this large is whole, and plain digits (`1e300` printed out in full)
        // would read back as an integer. An exponent with a fraction and a signed power
        // (`1.0e+300`) is a float to JSON, YAML 1.2 and YAML 1.1 alike; YAML 1.1 takes
        // neither `1e300` nor `1.0e300` for a number.
        let s = format!("{f:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        out.push_str(mantissa);
        if !mantissa.contains('.') {
            out.push_str(".0");
        }
        out.push('e');
        if !exp.starts_with('-') {
            out.push('+');
        }
        out.push_str(exp);
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
            ("A".into(), Node::Str("quote \" back \\ nl \n ctl \u{1}".into())),
            ("B".into(), Node::List(vec![Node::Int(-3), Node::Float(0.5), Node::Null])),
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
        assert_eq!(to_json(&node), "{\n  \"K\": [true]\n}\n");
        let long = Node::List((0..30).map(|i| Node::Str(format!("item{i}"))).collect());
        assert!(to_json(&long).starts_with("[\n  \"item0\",\n"));
        let att = Node::func(
            "Fn::GetAtt",
            Node::List(vec![Node::Str("Q".into()), Node::Str("Arn".into())]),
        );
        assert_eq!(to_json(&att), "{\"Fn::GetAtt\": [\"Q\", \"Arn\"]}\n");
        let nested =
            Node::func("Fn::Join", Node::List(vec![Node::Str(",".into()), Node::List(vec![])]));
        assert!(to_json(&nested).starts_with("{\n  \"Fn::Join\": [\n"));
    }
}

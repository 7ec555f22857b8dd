//! YAML as a person would write a template: block style, two-space indent, short-form tags
//! (`!Ref`, `!GetAtt A.B`, `!Sub`), plain scalars where they are unambiguous, quotes where
//! YAML would read them as something else, literal blocks for multi-line text.
//!
//! YAML gives a node one tag at most, so an intrinsic whose argument is itself an intrinsic
//! (`Fn::Base64` of a `Fn::Sub`) keeps its long `Fn::Base64:` key form around the inner tag.
//!
//! The text must read back as the same value in YAML 1.1 readers (PyYAML, which cfn-lint and
//! the AWS CLI use) as well as YAML 1.2 ones. The two disagree on more than booleans: YAML 1.1
//! also reads `y`, `on`, `0o17`, `1_000`, `12:30`, `2001-12-14`, `=` and `<<` as non-strings,
//! and takes NEL, U+2028 and U+2029 for line breaks. Plain scalars and literal blocks are
//! therefore kept to what both read alike, and everything else is double-quoted with escapes.

use super::Node;
use super::json::write_float;

/// The longest key, in bytes of YAML text, written as a simple `key: value`. YAML readers
/// give up on an implicit key longer than 1024 characters; a longer key takes the explicit
/// `? key` / `: value` form. Counting bytes rather than characters errs on the safe side.
const MAX_SIMPLE_KEY: usize = 1024;

/// Renders a tree as a YAML document ending in a newline.
pub fn to_yaml(node: &Node) -> String {
    let mut out = String::with_capacity(4096);
    match node {
        Node::Map(entries) if !entries.is_empty() => write_map(&mut out, entries, 0),
        Node::List(items) if !items.is_empty() => write_list(&mut out, items, 0),
        Node::Fn(..) if !short_form(node) => write_long_fn(&mut out, node, 0),
        other => {
            // A lone scalar or tag is the whole document. Its block lines (a literal block, a
            // tag's block argument) are indented one level, so that no line of the text can
            // sit at column 0 and read as a `---` or `...` document marker.
            write_inline_or_block(&mut out, other, 1);
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
        // Written in place; the rare key too long for the simple form is moved behind `? `.
        let start = out.len();
        write_quoted_or_plain(out, k);
        if out.len() - start > MAX_SIMPLE_KEY {
            let key = out.split_off(start);
            out.push_str("? ");
            out.push_str(&key);
            out.push('\n');
            pad(out, level);
        }
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
        out.push_str("- ");
        match item {
            Node::Map(entries) if !entries.is_empty() => write_map(out, entries, level + 1),
            Node::List(inner) if !inner.is_empty() => write_list(out, inner, level + 1),
            Node::Fn(..) if !short_form(item) => write_long_fn(out, item, level + 1),
            other => {
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

/// The short tag of an intrinsic (`Ref`, `Condition`, `X` for `Fn::X`), when its name makes
/// one that reads back as the same name: a bare word, and not one of the two names that keep
/// no `Fn::` prefix.
fn tag_name(name: &str) -> Option<&str> {
    let tag = match name {
        "Ref" | "Condition" => return Some(name),
        _ => name.strip_prefix("Fn::")?,
    };
    let word = !tag.is_empty() && tag.chars().all(|c| c.is_ascii_alphanumeric());
    (word && tag != "Ref" && tag != "Condition").then_some(tag)
}

/// Whether an intrinsic can take its short tag form: not when its argument is itself a
/// tagged node, which would need two tags on one node, nor when its name makes no tag. A
/// null, boolean or number argument keeps the long form too: a tag takes the place of the
/// type a scalar would be read as, so `!Base64 5` is the text `5` to YAML (and to cfn-lint).
/// So does a `Fn::GetAtt` of a single string: `!GetAtt A.B` is the pair `[A, B]` to
/// CloudFormation, not the string `A.B`.
fn short_form(node: &Node) -> bool {
    match node {
        Node::Fn(name, arg) => {
            tag_name(name).is_some()
                && match **arg {
                    Node::Str(_) => name != "Fn::GetAtt",
                    Node::List(_) | Node::Map(_) => true,
                    Node::Null | Node::Bool(_) | Node::Int(_) | Node::Float(_) | Node::Fn(..) => {
                        false
                    }
                }
        }
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

/// A short-form intrinsic; only called for nodes `short_form` accepts.
fn write_tag(out: &mut String, name: &str, arg: &Node, level: usize) {
    out.push('!');
    out.push_str(tag_name(name).unwrap_or(name));
    // `!GetAtt Resource.Attribute` is the form people write. CloudFormation splits it at the
    // first dot, so a resource name with a dot in it keeps the list form.
    if name == "Fn::GetAtt"
        && let Node::List(parts) = arg
        && let [Node::Str(r), Node::Str(a)] = parts.as_slice()
        && !r.contains('.')
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

fn write_scalar_str(out: &mut String, s: &str, level: usize) {
    if literal_block_ok(s) {
        write_literal_block(out, s, level);
    } else {
        write_quoted_or_plain(out, s);
    }
}

/// One line: plain when that reads back as the same string, else single quotes when the
/// text needs no escape, else double quotes.
fn write_quoted_or_plain(out: &mut String, s: &str) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else if !s.contains('\'') && s.chars().all(is_plain_char) {
        // Inside single quotes only `'` is special, and every character here is one a YAML
        // reader takes as itself on a single line.
        out.push('\'');
        out.push_str(s);
        out.push('\'');
    } else {
        write_double_quoted(out, s);
    }
}

/// A character that stands for itself anywhere in a one-line scalar, in YAML 1.1 and 1.2
/// alike: printable in both (so not C0 or C1 controls, DEL, U+FFFE or U+FFFF), not a line
/// break in either (YAML 1.1 also breaks lines at NEL, U+2028 and U+2029), not a tab (which
/// PyYAML does not accept inside a plain scalar), and not a byte order mark, which YAML does
/// not allow inside a document.
fn is_plain_char(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// Double quotes with every character that is not a plain one escaped. The escapes are the
/// ones YAML 1.1 and 1.2 share (`\uXXXX` covers every escaped character here, all below
/// U+10000), and the result stays on one line.
fn write_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_plain_char(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", u32::from(c))),
        }
    }
    out.push('"');
}

/// A string YAML 1.1 and 1.2 readers both read back as the same string without quotes.
fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        // The empty plain scalar is null.
        return false;
    };
    // Indicators cannot start a plain scalar, or change its meaning when they do (`- x`,
    // `? x`, `: x`). A digit, sign or dot starts every number, timestamp and `.inf`/`.nan`
    // of both YAML versions (`0o17`, `1_000`, `12:30`, `2001-12-14`, `+1`, `.5`), so such
    // strings are quoted without working out which of them a reader would take as a number.
    if "-?:,[]{}#&*!|>'\"%@` ".contains(first)
        || first.is_ascii_digit()
        || first == '.'
        || first == '+'
    {
        return false;
    }
    // Trailing spaces are dropped from a plain scalar, `: ` and a trailing `:` end a key,
    // ` #` starts a comment, and flow indicators are kept out for readers in a flow context.
    if s.ends_with(' ')
        || s.ends_with(':')
        || s.contains(": ")
        || s.contains(" #")
        || s.contains(['{', '}', '[', ']', ','])
        || !s.chars().all(is_plain_char)
    {
        return false;
    }
    // The words YAML 1.1 or 1.2 reads as booleans or null (the ASCII case-folded set covers
    // every spelling either accepts), the merge key `<<` and YAML 1.1's value key `=`.
    const WORDS: [&str; 12] =
        ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", "<<", "="];
    s.len() > 5 || !WORDS.iter().any(|w| w.eq_ignore_ascii_case(s))
}

/// Whether multi-line text reads back exactly from a literal block: it has a line with text
/// on it (a block of only line breaks reads back empty), no line ends in whitespace (kept by
/// YAML, but invisible and lost to editors) or starts with a tab (libyaml takes a tab there
/// for indentation and rejects it), and it holds no character a literal block cannot carry as
/// itself: a carriage return or NEL/U+2028/U+2029 would be line breaks to a reader, controls
/// and the other non-printables need escapes, which only double quotes have.
fn literal_block_ok(s: &str) -> bool {
    s.contains('\n')
        && s.chars().any(|c| c != '\n')
        && s.chars().all(|c| c == '\n' || c == '\t' || is_plain_char(c))
        && s.split('\n').all(|l| !l.ends_with([' ', '\t']) && !l.starts_with('\t'))
}

/// `|` with the chomping indicator that gives back the trailing line breaks exactly: `|-`
/// for none, `|` for one, `|+` for more. The content sits at `level`; when its first line
/// with text starts with a space, an indentation indicator says where the content begins,
/// which a reader would otherwise guess from that line. Every layout here puts `level` two
/// columns right of the parent collection, which is what the indicator `2` means.
fn write_literal_block(out: &mut String, s: &str, level: usize) {
    let body = s.trim_end_matches('\n');
    let trailing = s.len() - body.len();
    out.push('|');
    if body.trim_start_matches('\n').starts_with(' ') {
        out.push('2');
    }
    match trailing {
        0 => out.push('-'),
        1 => {}
        _ => out.push('+'),
    }
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

//! Property tests of the YAML emitter: for any tree (any strings, keys, numbers, nesting and
//! intrinsics), the YAML reads back as the same value as the JSON, and no string is left
//! unquoted where a YAML 1.1 reader (PyYAML, used by cfn-lint and the AWS CLI) would take it
//! for something other than a string.

// Tests assert by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::LazyLock;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::string::string_regex;
use regex::Regex;
use serde_json::Value;
use stackwright_core::emit::{Node, to_json, to_yaml};

#[path = "support/yaml_read.rs"]
mod yaml_read;
use yaml_read::{JSON_ULPS, read_yaml, same};

/// Words, numbers, indicators and characters that YAML reads specially somewhere; strings
/// are built by concatenating these with arbitrary text.
const TOKENS: &[&str] = &[
    "",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\r",
    "\r\n",
    "#",
    " #",
    "# ",
    ":",
    ": ",
    ":\t",
    "-",
    "- ",
    "--",
    "?",
    "? ",
    ",",
    "[",
    "]",
    "{",
    "}",
    "'",
    "''",
    "\"",
    "\\",
    "\\n",
    "!",
    "!Ref",
    "&a",
    "*a",
    "%YAML",
    "@",
    "`",
    "|",
    "|-",
    ">",
    "---",
    "...",
    "=",
    "<<",
    "~",
    "null",
    "Null",
    "NULL",
    "y",
    "Y",
    "yes",
    "Yes",
    "YES",
    "n",
    "N",
    "no",
    "No",
    "NO",
    "true",
    "True",
    "TRUE",
    "false",
    "False",
    "FALSE",
    "on",
    "On",
    "ON",
    "off",
    "Off",
    "OFF",
    "0",
    "-0",
    "+1",
    "-1",
    "017",
    "0o17",
    "0b1010",
    "0x1F",
    "1_000",
    "1e3",
    "1.5",
    ".5",
    "-.5",
    "1.",
    "12:30",
    "190:20:30",
    "190:20:30.15",
    "6.8523015e+5",
    "685.230_15e+03",
    ".inf",
    "-.Inf",
    "+.INF",
    ".NaN",
    ".nan",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10 -5",
    "2001-12-15 2:59:43.10",
    "${AWS::Region}",
    "Fn::Sub",
    "a",
    "Queue",
    "ünï",
    "\u{0}",
    "\u{1}",
    "\u{7}",
    "\u{8}",
    "\u{B}",
    "\u{C}",
    "\u{1B}",
    "\u{7F}",
    "\u{80}",
    "\u{84}",
    "\u{85}",
    "\u{9F}",
    "\u{A0}",
    "\u{200B}",
    "\u{2028}",
    "\u{2029}",
    "\u{D7FF}",
    "\u{E000}",
    "\u{FDD0}",
    "\u{FEFF}",
    "\u{FFFD}",
    "\u{FFFE}",
    "\u{FFFF}",
    "\u{1F600}",
    "\u{1FFFE}",
    "\u{10FFFF}",
];

fn token() -> impl Strategy<Value = String> {
    select(TOKENS).prop_map(String::from)
}

/// Strings likely to be hard for YAML: arbitrary ones, single special tokens, and
/// concatenations of tokens, arbitrary characters and short ASCII runs.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => token(),
        1 => any::<char>().prop_map(String::from),
        1 => "[ -~]{1,4}",
    ];
    prop_oneof![
        1 => any::<String>(),
        1 => "\\PC*",
        1 => "(?s:.){0,8}",
        2 => token(),
        6 => vec(piece, 1..6).prop_map(|pieces| pieces.concat()),
        3 => multi_line(),
    ]
}

/// Multi-line text, mostly of the kind a literal block carries (scripts, documents): lines
/// with and without indentation, empty lines, and any number of trailing line breaks.
fn multi_line() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        4 => "[!-~][ -~]{0,10}[!-~]",
        2 => " {1,4}[a-z#:-]{1,6}",
        1 => Just(String::new()),
        1 => "\\PC{0,6}",
        1 => token(),
    ];
    (vec(line, 1..5), 0usize..4).prop_map(|(lines, trailing)| {
        let mut s = lines.join("\n");
        s.extend(std::iter::repeat_n('\n', trailing));
        s
    })
}

/// Keys around the 1024-character limit YAML sets on implicit keys, in one-byte and
/// multi-byte characters and with characters that need escapes.
fn long_text() -> impl Strategy<Value = String> {
    (text(), 1000usize..1040, select(vec!['k', 'é', '"', '\u{1}', ' ', '€'])).prop_map(
        |(head, n, c)| {
            let mut s = head;
            s.extend(std::iter::repeat_n(c, n));
            s
        },
    )
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![8 => text(), 1 => long_text()]
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => any::<f64>(),
        1 => select(vec![
            0.0,
            -0.0,
            0.1,
            -2.5,
            1e15,
            1e16,
            -1e16,
            9007199254740993.0,
            1.2345678901234567e19,
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
            1e-7,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ]),
    ]
}

fn int() -> impl Strategy<Value = i64> {
    prop_oneof![3 => any::<i64>(), 1 => select(vec![i64::MIN, i64::MAX, 0, -1, 1, 10, 17])]
}

/// Intrinsic names: the ones CloudFormation has, and a few that make no short tag.
const FN_NAMES: &[&str] = &[
    "Ref",
    "Condition",
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::Join",
    "Fn::Select",
    "Fn::Split",
    "Fn::If",
    "Fn::Equals",
    "Fn::Not",
    "Fn::And",
    "Fn::Or",
    "Fn::Base64",
    "Fn::ImportValue",
    "Fn::FindInMap",
    "Fn::GetAZs",
    "Fn::Cidr",
    "Fn::Length",
    "Fn::ToJsonString",
    "Fn::Transform",
    "Fn::Ref",
    "Fn::Not A Tag",
    "Fn::",
    "Custom",
];

fn leaf() -> impl Strategy<Value = Node> {
    prop_oneof![
        1 => Just(Node::Null),
        1 => any::<bool>().prop_map(Node::Bool),
        1 => int().prop_map(Node::Int),
        1 => float().prop_map(Node::Float),
        6 => text().prop_map(Node::Str),
    ]
}

/// Arbitrary trees: lists and maps (empty ones too), intrinsics with any argument, including
/// lists, maps and other intrinsics, and `Fn::GetAtt` pairs of arbitrary strings.
fn node() -> impl Strategy<Value = Node> {
    leaf().prop_recursive(4, 40, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Node::List),
            vec((key(), inner.clone()), 0..4).prop_map(|entries| {
                // YAML readers reject a repeated key, and no template has one.
                let mut seen = std::collections::HashSet::new();
                Node::Map(entries.into_iter().filter(|(k, _)| seen.insert(k.clone())).collect())
            }),
            (select(FN_NAMES), inner.clone()).prop_map(|(name, arg)| Node::func(name, arg)),
            (text(), text()).prop_map(|(r, a)| {
                Node::func("Fn::GetAtt", Node::List(vec![Node::Str(r), Node::Str(a)]))
            }),
        ]
    })
}

/// Whether a character may appear raw anywhere in the YAML text: YAML 1.1 and 1.2 read
/// these alike. Line feeds and tabs are the only characters below U+0020 allowed, and none of
/// YAML 1.1's extra line breaks (NEL, U+2028, U+2029) nor a byte order mark may appear.
fn raw_char_ok(c: char) -> bool {
    matches!(c, '\n' | '\t' | ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// PyYAML's implicit resolvers (`yaml/resolver.py`), the patterns a YAML 1.1 reader matches a
/// plain scalar against before it settles for a string. The bool pattern adds the one-letter
/// `y`/`n` forms of the YAML 1.1 type repository, which PyYAML leaves out but other YAML 1.1
/// readers accept. Python's `$` also matches before a final line feed; a plain scalar never
/// holds one, so `$` here means the same.
static YAML11_NON_STRING: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    let patterns = [
        (
            "bool",
            r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$",
        ),
        (
            "float",
            r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        ),
        (
            "int",
            r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$",
        ),
        ("merge", r"^(?:<<)$"),
        ("null", r"^(?:~|null|Null|NULL|)$"),
        (
            "timestamp",
            r"^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$",
        ),
        ("value", r"^(?:=)$"),
    ];
    patterns.into_iter().map(|(name, re)| (name, Regex::new(re).unwrap())).collect()
});

/// The YAML 1.1 type a plain scalar with this text resolves to, when not a string.
fn yaml11_type(plain: &str) -> Option<&'static str> {
    YAML11_NON_STRING.iter().find(|(_, re)| re.is_match(plain)).map(|(name, _)| *name)
}

/// Strings each YAML 1.1 resolver takes for a non-string (the patterns above, unanchored).
fn yaml11_non_strings() -> impl Strategy<Value = String> {
    let pattern = |re: &str| string_regex(re).unwrap();
    prop_oneof![
        pattern(
            "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
        ),
        pattern(r"[-+]?(?:[0-9][0-9_]{0,3})\.[0-9_]{0,3}(?:[eE][-+][0-9]{1,3})?"),
        pattern(r"\.[0-9][0-9_]{0,3}(?:[eE][-+][0-9]{1,3})?"),
        pattern(r"[-+]?[0-9][0-9_]{0,3}(?::[0-5]?[0-9]){1,3}\.[0-9_]{0,3}"),
        pattern(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"),
        pattern(r"[-+]?0b[0-1_]{1,6}|[-+]?0[0-7_]{1,6}|[-+]?(?:0|[1-9][0-9_]{0,6})"),
        pattern(r"[-+]?0x[0-9a-fA-F_]{1,6}|[-+]?[1-9][0-9_]{0,3}(?::[0-5]?[0-9]){1,3}"),
        pattern(r"<<|~|null|Null|NULL|=|"),
        pattern(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
        pattern(
            r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]{1,2})[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{0,3})?(?:[ \t]{0,2}(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?"
        ),
    ]
}

/// The YAML of `node` reads back, strictly, as the tree's own value, and as the value its
/// JSON reads back as; the text holds only characters YAML 1.1 and 1.2 read alike.
fn check_round_trip(node: &Node) -> Result<(), TestCaseError> {
    let yaml = to_yaml(node);
    let json = to_json(node);
    let expected = node.to_value();
    let from_json: Value =
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(same(&from_json, &expected, JSON_ULPS), "JSON was:\n{json}");
    let from_yaml =
        read_yaml(&yaml).map_err(|e| TestCaseError::fail(format!("{e}\nYAML was:\n{yaml}")))?;
    prop_assert!(
        same(&from_yaml, &expected, 0) && same(&from_yaml, &from_json, JSON_ULPS),
        "YAML was:\n{yaml}\nread back as {from_yaml}\nJSON: {from_json}"
    );
    prop_assert!(yaml.ends_with('\n'));
    if let Some(c) = yaml.chars().find(|c| !raw_char_ok(*c)) {
        return Err(TestCaseError::fail(format!("raw U+{:04X} in:\n{yaml}", u32::from(c))));
    }
    Ok(())
}

/// Whether `s` was written as a plain scalar, as a list item and as a key.
fn written_plain(s: &str) -> (bool, bool) {
    let item = to_yaml(&Node::List(vec![Node::Str(s.into())]));
    let key = to_yaml(&Node::Map(vec![(s.into(), Node::Null)]));
    (item == format!("- {s}\n"), key == format!("{s}: null\n"))
}

fn check_plain_scalar(s: &str) -> Result<(), TestCaseError> {
    let (item, key) = written_plain(s);
    if item || key {
        prop_assert_eq!(yaml11_type(s), None, "{:?} written plain", s);
    }
    check_round_trip(&Node::List(vec![Node::Str(s.into())]))?;
    check_round_trip(&Node::Map(vec![(s.into(), Node::Str(s.into()))]))?;
    check_round_trip(&Node::Str(s.into()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn any_tree_reads_back_as_its_json(node in node()) {
        check_round_trip(&node)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    /// No string a YAML 1.1 reader takes for a bool, number, null, timestamp, merge or value
    /// key is written plain, and every string reads back as itself as an item, a key and a
    /// whole document.
    #[test]
    fn plain_scalars_are_strings_to_yaml_1_1(s in prop_oneof![text(), yaml11_non_strings()]) {
        check_plain_scalar(&s)?;
    }

    /// A number is written as a YAML 1.1 number of its own kind (or `null`, as in the JSON,
    /// for NaN and the infinities) and reads back as the same number.
    #[test]
    fn numbers_read_back_as_the_same_number(f in float(), i in int()) {
        let text = to_yaml(&Node::Float(f));
        let expected = if f.is_finite() { Some("float") } else { Some("null") };
        prop_assert_eq!(yaml11_type(text.trim_end()), expected, "{}", text);
        let text = to_yaml(&Node::Int(i));
        prop_assert_eq!(yaml11_type(text.trim_end()), Some("int"), "{}", text);
        check_round_trip(&Node::List(vec![Node::Float(f), Node::Int(i)]))?;
    }
}

/// The resolver patterns match what they should, so the checks above can fail.
#[test]
fn yaml11_patterns_match_the_non_strings() {
    for (s, ty) in [
        ("yes", "bool"),
        ("Off", "bool"),
        ("y", "bool"),
        ("017", "int"),
        ("0b1010", "int"),
        ("0x1F", "int"),
        ("1_000", "int"),
        ("190:20:30", "int"),
        ("12:30", "int"),
        (".inf", "float"),
        ("-.Inf", "float"),
        (".NaN", "float"),
        ("6.8523015e+5", "float"),
        ("685.230_15e+03", "float"),
        ("190:20:30.15", "float"),
        ("1.0e+300", "float"),
        ("2001-12-14", "timestamp"),
        ("2001-12-14t21:59:43.10-05:00", "timestamp"),
        ("2001-12-14 21:59:43.10 -5", "timestamp"),
        ("~", "null"),
        ("", "null"),
        ("<<", "merge"),
        ("=", "value"),
    ] {
        assert_eq!(yaml11_type(s), Some(ty), "{s:?}");
        assert!(!written_plain(s).0 && !written_plain(s).1, "{s:?} written plain");
    }
    for s in ["1e300", "1.0e300", "Fn::Sub", "yes please", "0o", "x=", "<<<", "0o17"] {
        assert_eq!(yaml11_type(s), None, "{s:?}");
    }
    // YAML 1.2 numbers that YAML 1.1 reads as strings are quoted all the same.
    for s in ["0o17", "1e300", "+.5", "-0x1F"] {
        assert_eq!(written_plain(s), (false, false), "{s:?}");
    }
}

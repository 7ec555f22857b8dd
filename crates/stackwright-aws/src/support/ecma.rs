//! Schema patterns: JSON Schema's `pattern` is an ECMA-262 regular expression, matched
//! unanchored (a search, not a full match). This file turns one into a `fancy-regex` pattern
//! with the same meaning and compiles it with the settings every check uses.
//!
//! The generator compiles this very file too (`#[path]` in stackwright-codegen), so a
//! pattern it accepts is exactly a pattern the checks can compile.
//!
//! `fancy-regex` rather than `regex`: schemas use look-around (`(?!...)`) and backreferences,
//! which ECMA has and `regex` does not. A pattern without them is handed whole to the
//! `regex-automata` engine `regex` runs on, so it matches as fast as with `regex`.
//!
//! Where ECMA and Rust syntax differ, the translation keeps ECMA's meaning:
//! - `\d`, `\w` and `\s` (and `\D`, `\W`, `\S`) are ASCII digits, ASCII word characters and
//!   ECMA's whitespace, spelled out as classes. Unicode mode stays on, because without it
//!   `.`, negated classes and `\p{..}` cannot match a `&str`; spelling the classes out gives
//!   ECMA's sets all the same.
//! - `.` excludes every ECMA line terminator (`\n`, `\r`, U+2028, U+2029), not only `\n`.
//! - In a class, `[`, `&`, `~` and `-` are literal unless `-` makes a range, as in ECMA
//!   (Rust would read nested classes and set operations), and a `-` next to a class escape
//!   (`[\w-.]`) is literal.
//! - `\uXXXX` and `\u{X...}` are code points; `\b` in a class is a backspace.
//! - Left as Rust reads them: `\p{..}` (schemas mean Unicode properties, which ECMA has only
//!   with its `u` flag), `\A`, `\Z` and `\z` (anchors, as the Python and Java the schemas
//!   were written against read them; ECMA would read the letters), and `\b`, `\B` outside a
//!   class (Unicode word boundaries, where ECMA's are ASCII: a difference only next to a
//!   non-ASCII letter or digit).

use std::fmt::Write as _;

/// How many times a match may backtrack before giving up. Values checked at synth are short;
/// a pattern that needs more on a value is backtracking catastrophically, and the check
/// gives up rather than hang synthesis.
pub const BACKTRACK_LIMIT: usize = 100_000;

/// ECMA's `\s`: its whitespace and line terminators.
const SPACE: &str =
    r"\t\n\x0B\x0C\r \xA0\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";
/// ECMA's `\d`.
const DIGIT: &str = "0-9";
/// ECMA's `\w`.
const WORD: &str = "0-9A-Za-z_";
/// ECMA's `.` outside a class: anything but a line terminator.
const DOT: &str = r"[^\n\r\x{2028}\x{2029}]";

/// A compiled schema pattern.
#[derive(Clone, Debug)]
pub struct Pattern {
    regex: fancy_regex::Regex,
    /// For a pattern that is one repeated character (`^[a-z]{1,64}$`): the repetition's
    /// bounds, checked by counting, while `regex` checks each character (`^[a-z]*$`).
    /// Compiling the repetition would copy the class once per count: more than the engine's
    /// size limit, and a second to compile, for `^[^\p{C}]{1,2048}$`.
    count: Option<(usize, Option<usize>)>,
}

impl Pattern {
    /// Whether the pattern matches somewhere in `s`; an error when matching gave up
    /// (the backtrack limit).
    pub fn is_match(&self, s: &str) -> Result<bool, fancy_regex::Error> {
        if let Some((min, max)) = self.count {
            let n = s.chars().count();
            if n < min || max.is_some_and(|max| n > max) {
                return Ok(false);
            }
        }
        self.regex.is_match(s)
    }
}

/// Compiles a schema pattern for a search (unanchored, as JSON Schema matches).
pub fn compile(pattern: &str) -> Result<Pattern, String> {
    let (rust, count) = match repetition(pattern) {
        Some(r) => {
            let atom = to_rust(r.atom)?;
            match (r.start, r.end) {
                // Both ends anchored: every character is the atom, and the count is bounded.
                (true, true) => (format!("^(?:{atom})*$"), Some((r.min, r.max))),
                // A search finds the atom repeated `min` times wherever it finds more.
                (start, end) => (
                    format!(
                        "{}(?:{atom}){{{}}}{}",
                        if start { "^" } else { "" },
                        r.min,
                        if end { "$" } else { "" }
                    ),
                    None,
                ),
            }
        }
        None => (to_rust(pattern)?, None),
    };
    let regex = fancy_regex::RegexBuilder::new(&rust)
        .backtrack_limit(BACKTRACK_LIMIT)
        .build()
        .map_err(|e| e.to_string())?;
    Ok(Pattern { regex, count })
}

/// A pattern that is one atom repeated: `^?ATOM{min,max}$?`.
struct Repetition<'a> {
    atom: &'a str,
    min: usize,
    max: Option<usize>,
    start: bool,
    end: bool,
}

/// The pattern as a [`Repetition`], when it is one (an atom is `.`, one escape, or a class).
fn repetition(pattern: &str) -> Option<Repetition<'_>> {
    let start = pattern.starts_with('^');
    let rest = if start { &pattern[1..] } else { pattern };
    let bytes = rest.as_bytes();
    let atom_len = match *bytes.first()? {
        b'.' => 1,
        b'\\' => match bytes.get(1)? {
            b'p' | b'P' if bytes.get(2) == Some(&b'{') => rest.find('}')? + 1,
            b'd' | b'D' | b'w' | b'W' | b's' | b'S' => 2,
            _ => return None,
        },
        b'[' => {
            let mut i = 1;
            loop {
                match *bytes.get(i)? {
                    b'\\' => i += 2,
                    // The first `]` closes, as in ECMA (`[]` is empty) and in `class`.
                    b']' => break i + 1,
                    _ => i += 1,
                }
            }
        }
        _ => return None,
    };
    let (atom, rest) = rest.split_at(atom_len);
    let rest = rest.strip_prefix('{')?;
    let close = rest.find('}')?;
    let (bounds, rest) = (&rest[..close], &rest[close + 1..]);
    let end = match rest {
        "" => false,
        "$" => true,
        _ => return None,
    };
    let (min, max) = match bounds.split_once(',') {
        Some((min, "")) => (min.parse().ok()?, None),
        Some((min, max)) => (min.parse().ok()?, Some(max.parse().ok()?)),
        None => (bounds.parse().ok()?, Some(bounds.parse().ok()?)),
    };
    Some(Repetition { atom, min, max, start, end })
}

/// An escape's meaning, in or out of a class.
enum Escape {
    /// A class: `\d`, `\p{L}`; the text in a class and whether it is negated.
    Class(String, bool),
    /// One character.
    Char(char),
    /// Anything else, copied as written (`\b`, `\1`, `\k<name>`, `\A`).
    Verbatim(String),
}

/// The pattern in `fancy-regex` syntax.
fn to_rust(pattern: &str) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                let (escape, next) = escape(&chars, i + 1, false)?;
                i = next;
                match escape {
                    Escape::Class(set, false) => {
                        let _ = write!(out, "[{set}]");
                    }
                    Escape::Class(set, true) => {
                        let _ = write!(out, "[^{set}]");
                    }
                    Escape::Char(c) => push_char(&mut out, c),
                    Escape::Verbatim(text) => out.push_str(&text),
                }
            }
            '[' => i = class(&chars, i + 1, &mut out)?,
            '.' => {
                out.push_str(DOT);
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// Translates a class whose body starts at `i`; returns the index after its `]`.
fn class(chars: &[char], mut i: usize, out: &mut String) -> Result<usize, String> {
    out.push('[');
    let negated = chars.get(i) == Some(&'^');
    if negated {
        out.push('^');
        i += 1;
    }
    // One atom at a time: a character, or a class escape that cannot end a range.
    let atom = |i: usize| -> Result<Option<(Escape, usize)>, String> {
        match chars.get(i) {
            None => Err("unterminated character class".to_owned()),
            Some(']') => Ok(None),
            Some('\\') => escape(chars, i + 1, true).map(Some),
            Some(&c) => Ok(Some((Escape::Char(c), i + 1))),
        }
    };
    let mut written = false;
    while let Some((first, next)) = atom(i)? {
        i = next;
        // `a-z` is a range when both ends are characters; `-` is literal otherwise.
        if chars.get(i) == Some(&'-')
            && chars.get(i + 1).is_some_and(|c| *c != ']')
            && let Escape::Char(lo) = first
            && let Some((Escape::Char(hi), after)) = atom(i + 1)?
        {
            push_class_char(out, lo);
            out.push('-');
            push_class_char(out, hi);
            i = after;
            written = true;
            continue;
        }
        match first {
            Escape::Char(c) => push_class_char(out, c),
            Escape::Class(set, false) => out.push_str(&set),
            Escape::Class(set, true) => {
                let _ = write!(out, "[^{set}]");
            }
            Escape::Verbatim(text) => out.push_str(&text),
        }
        written = true;
    }
    if !written {
        // `[]` matches nothing and `[^]` anything in ECMA; Rust spells neither so.
        if negated {
            out.pop();
        } else {
            out.push('^');
        }
        out.push_str(r"\x{0}-\x{10FFFF}");
    }
    out.push(']');
    Ok(i + 1)
}

/// Reads the escape after the `\` at `i - 1`; returns it and the index after it.
fn escape(chars: &[char], i: usize, in_class: bool) -> Result<(Escape, usize), String> {
    let Some(&c) = chars.get(i) else {
        return Err("the pattern ends in `\\`".to_owned());
    };
    let space = || SPACE.to_owned();
    Ok(match c {
        'd' => (Escape::Class(DIGIT.to_owned(), false), i + 1),
        'D' => (Escape::Class(DIGIT.to_owned(), true), i + 1),
        'w' => (Escape::Class(WORD.to_owned(), false), i + 1),
        'W' => (Escape::Class(WORD.to_owned(), true), i + 1),
        's' => (Escape::Class(space(), false), i + 1),
        'S' => (Escape::Class(space(), true), i + 1),
        'p' | 'P' if chars.get(i + 1) == Some(&'{') => {
            let end =
                (i + 2..chars.len()).find(|&j| chars[j] == '}').ok_or("`\\p{` without its `}`")?;
            let text: String = chars[i - 1..=end].iter().collect();
            (Escape::Class(text, false), end + 1)
        }
        'u' if chars.get(i + 1) == Some(&'{') => {
            let end =
                (i + 2..chars.len()).find(|&j| chars[j] == '}').ok_or("`\\u{` without its `}`")?;
            let hex: String = chars[i + 2..end].iter().collect();
            (Escape::Char(code_point(&hex)?), end + 1)
        }
        'u' if hex_digits(chars, i + 1, 4) => {
            let hex: String = chars[i + 1..i + 5].iter().collect();
            (Escape::Char(code_point(&hex)?), i + 5)
        }
        'x' if hex_digits(chars, i + 1, 2) => {
            let hex: String = chars[i + 1..i + 3].iter().collect();
            (Escape::Char(code_point(&hex)?), i + 3)
        }
        't' => (Escape::Char('\t'), i + 1),
        'n' => (Escape::Char('\n'), i + 1),
        'r' => (Escape::Char('\r'), i + 1),
        'f' => (Escape::Char('\x0C'), i + 1),
        'v' => (Escape::Char('\x0B'), i + 1),
        '0' if !chars.get(i + 1).is_some_and(char::is_ascii_digit) => (Escape::Char('\0'), i + 1),
        'b' if in_class => (Escape::Char('\x08'), i + 1),
        'c' if chars.get(i + 1).is_some_and(char::is_ascii_alphabetic) => {
            let letter = chars[i + 1] as u32;
            (Escape::Char(char::from_u32(letter % 32).unwrap_or('\0')), i + 2)
        }
        'Z' if !in_class => (Escape::Verbatim(r"\z".to_owned()), i + 1),
        'A' | 'z' | 'b' | 'B' if !in_class => (Escape::Verbatim(format!("\\{c}")), i + 1),
        '1'..='9' if !in_class => {
            let end = (i..chars.len()).find(|&j| !chars[j].is_ascii_digit()).unwrap_or(chars.len());
            (Escape::Verbatim(chars[i - 1..end].iter().collect()), end)
        }
        'k' if !in_class && chars.get(i + 1) == Some(&'<') => {
            let end =
                (i + 2..chars.len()).find(|&j| chars[j] == '>').ok_or("`\\k<` without its `>`")?;
            (Escape::Verbatim(chars[i - 1..=end].iter().collect()), end + 1)
        }
        // Any other escaped character stands for itself.
        other => (Escape::Char(other), i + 1),
    })
}

fn hex_digits(chars: &[char], from: usize, n: usize) -> bool {
    chars.get(from..from + n).is_some_and(|s| s.iter().all(char::is_ascii_hexdigit))
}

fn code_point(hex: &str) -> Result<char, String> {
    u32::from_str_radix(hex, 16)
        .ok()
        .and_then(char::from_u32)
        .ok_or_else(|| format!("`{hex}` is not a code point a string can hold (a lone surrogate?)"))
}

/// A character outside a class, escaped when Rust would read it as syntax.
fn push_char(out: &mut String, c: char) {
    if regex_meta(c) {
        out.push('\\');
        out.push(c);
    } else if c.is_control() {
        let _ = write!(out, "\\x{{{:X}}}", c as u32);
    } else {
        out.push(c);
    }
}

/// A character in a class, escaped when Rust would read it as syntax.
fn push_class_char(out: &mut String, c: char) {
    if regex_meta(c) || matches!(c, '&' | '~' | '-') {
        out.push('\\');
        out.push(c);
    } else if c.is_control() {
        let _ = write!(out, "\\x{{{:X}}}", c as u32);
    } else {
        out.push(c);
    }
}

fn regex_meta(c: char) -> bool {
    matches!(
        c,
        '\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$' | '#'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_match(pattern: &str, s: &str) -> bool {
        match compile(pattern) {
            Ok(re) => re.is_match(s).unwrap_or(true),
            Err(e) => panic!("{pattern}: {e}"),
        }
    }

    #[test]
    fn shorthand_classes_are_ascii_as_in_ecma() {
        assert!(is_match(r"^\d+$", "123"));
        assert!(!is_match(r"^\d+$", "١٢٣"));
        assert!(!is_match(r"^\w+$", "café"));
        assert!(is_match(r"^\W$", "é"));
        assert!(is_match(r"^[^\d]$", "٣"));
        assert!(is_match(r"^[a\D]$", "٣"));
        assert!(is_match(r"^\s$", "\u{FEFF}"));
        assert!(!is_match(r"^\s$", "\u{85}"));
    }

    #[test]
    fn dash_next_to_a_class_escape_is_literal() {
        assert!(is_match(r"^[\w-.~]+$", "a-b.c~"));
        assert!(!is_match(r"^[\w-.~]+$", "a/b"));
        assert!(is_match(r"^[\p{L}\p{N}\p{Z}-_]*$", "ab-_ 1"));
        assert!(!is_match(r"^[\p{L}\p{N}\p{Z}-_]*$", "a."));
        assert!(is_match(r"^[a-z-.]+$", "a-."));
    }

    #[test]
    fn brackets_and_set_operators_in_a_class_are_literal() {
        assert!(is_match(r"^[a[\]]+$", "a[]"));
        assert!(is_match(r"^[a&&b]+$", "a&b"));
        assert!(is_match(r"^[a~~b]+$", "~"));
        assert!(is_match(r"^[ -\.0-\[\]-~]*$", "A[0"));
    }

    #[test]
    fn dot_stops_at_every_line_terminator() {
        assert!(is_match(r"^.$", "é"));
        assert!(!is_match(r"^.$", "\r"));
        assert!(!is_match(r"^.$", "\u{2028}"));
    }

    #[test]
    fn escapes_and_anchors() {
        assert!(is_match(r"^\u0041\x42\u{1F600}$", "AB😀"));
        assert!(is_match(r"\A[a-z]+\Z", "abc"));
        assert!(!is_match(r"\A[a-z]+\Z", "abc1"));
        assert!(is_match(r"^(a)\1$", "aa"));
        assert!(is_match(r"^[\b]$", "\x08"));
        assert!(compile(r"[\uD800]").is_err());
    }

    #[test]
    fn one_repeated_character_is_counted() {
        for (pattern, s, want) in [
            (r"^[^\p{C}]{1,2048}$", "a b", true),
            (r"^[^\p{C}]{1,2048}$", "", false),
            (r"^[^\p{C}]{1,3}$", "abcd", false),
            (r"^[^\p{C}]{1,3}$", "a\u{7}", false),
            (r"^.{2}$", "ab", true),
            (r"^.{2}$", "abc", false),
            (r"^\d{2,}$", "123", true),
            (r"[a-z]{0,1024}", "123", true),
            (r"[a-z]{3,1024}", "1ab2", false),
            (r"[a-z]{3,1024}", "1abc2", true),
            (r"^[a-z]{2,9}", "ab1", true),
            (r"[a-z]{2,9}$", "1ab", true),
            (r"[a-z]{2,9}$", "ab1", false),
        ] {
            assert_eq!(is_match(pattern, s), want, "{pattern} on {s:?}");
        }
    }

    #[test]
    fn empty_classes_keep_their_ecma_meaning() {
        assert!(!is_match(r"a[]", "a"));
        assert!(is_match(r"^a[^]$", "ab"));
    }

    #[test]
    fn look_around_and_search_semantics() {
        let alias = r"^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$";
        assert!(is_match(alias, "live"));
        assert!(is_match(alias, "v2"));
        assert!(!is_match(alias, "123"));
        // Without its anchors the same pattern finds `23` after the look-ahead, as ECMA does.
        assert!(is_match(r"(?!^[0-9]+$)([a-zA-Z0-9-_]+)", "123"));
        // Unanchored: a match anywhere counts.
        assert!(is_match("[a-z]", "123a"));
    }
}

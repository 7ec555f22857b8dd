//! Unified diffs of the output folder against a fresh synthesis, as `diff` and `check`
//! print them: `a/` is what is on disk, `b/` what synth would write.

use std::io::{self, Write};
use std::path::Path;

use similar::{ChangeTag, TextDiff};
use stackwright_core::Drift;

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Lines of context around each change, as `diff -u` and git use.
const CONTEXT: usize = 3;

/// Writes one drifted file: a line saying what synth would do, then the diff.
pub(crate) fn write_drift(
    out: &mut dyn Write,
    dir: &Path,
    drift: &Drift,
    color: bool,
) -> io::Result<()> {
    let (path, old, new, a, b, what) = match drift {
        Drift::Missing { path, expected, .. } => (
            path,
            "",
            expected.as_str(),
            "/dev/null".to_owned(),
            format!("b/{path}"),
            "would be created",
        ),
        Drift::Changed { path, expected, actual, .. } => (
            path,
            actual.as_str(),
            expected.as_str(),
            format!("a/{path}"),
            format!("b/{path}"),
            "would be updated",
        ),
        Drift::Stale { path, actual, .. } => (
            path,
            actual.as_str(),
            "",
            format!("a/{path}"),
            "/dev/null".to_owned(),
            "would be removed (the app no longer produces it)",
        ),
    };
    writeln!(out, "{} {what}", dir.join(path).display())?;
    write_unified(out, old, new, &a, &b, color)
}

/// A unified diff from `old` to `new`. Rendered change by change rather than through
/// `similar`'s `Display`, so colour follows each line's kind rather than its first
/// characters (a removed YAML line `--` would otherwise look like a `---` header).
fn write_unified(
    out: &mut dyn Write,
    old: &str,
    new: &str,
    a: &str,
    b: &str,
    color: bool,
) -> io::Result<()> {
    let paint = |style: &'static str| {
        if color && !style.is_empty() { (style, RESET) } else { ("", "") }
    };
    let diff = TextDiff::from_lines(old, new);
    let mut unified = diff.unified_diff();
    unified.context_radius(CONTEXT);

    let (on, off) = paint(BOLD);
    writeln!(out, "{on}--- {a}{off}")?;
    writeln!(out, "{on}+++ {b}{off}")?;
    for hunk in unified.iter_hunks() {
        let (on, off) = paint(CYAN);
        writeln!(out, "{on}{}{off}", hunk.header())?;
        for change in hunk.iter_changes() {
            let (sign, (on, off)) = match change.tag() {
                ChangeTag::Delete => ('-', paint(RED)),
                ChangeTag::Insert => ('+', paint(GREEN)),
                ChangeTag::Equal => (' ', paint("")),
            };
            let line = change.value();
            let text = line.strip_suffix('\n').unwrap_or(line);
            writeln!(out, "{on}{sign}{text}{off}")?;
            if !line.ends_with('\n') {
                writeln!(out, "\\ No newline at end of file")?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)] // tests assert by panicking
mod tests {
    use super::*;
    use stackwright_core::Root;

    fn render(drift: &Drift, color: bool) -> String {
        let mut out = Vec::new();
        write_drift(&mut out, Path::new("stacks"), drift, color).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn changed_file_shows_both_sides_with_context() {
        let drift = Drift::Changed {
            root: Root::Output,
            path: "A.template.json".into(),
            expected: "1\n2\n3\nnew\n5\n".into(),
            actual: "1\n2\n3\nold\n5\n".into(),
        };
        assert_eq!(
            render(&drift, false),
            "stacks/A.template.json would be updated\n--- a/A.template.json\n+++ b/A.template.json\n\
             @@ -1,5 +1,5 @@\n 1\n 2\n 3\n-old\n+new\n 5\n"
        );
    }

    #[test]
    fn missing_file_diffs_from_dev_null() {
        let drift =
            Drift::Missing { root: Root::Output, path: "m.json".into(), expected: "x\n".into() };
        assert_eq!(
            render(&drift, false),
            "stacks/m.json would be created\n--- /dev/null\n+++ b/m.json\n@@ -0,0 +1 @@\n+x\n"
        );
    }

    #[test]
    fn stale_file_diffs_to_dev_null() {
        let drift = Drift::Stale {
            root: Root::Output,
            path: "Old.template.json".into(),
            actual: "x".into(),
        };
        let text = render(&drift, false);
        assert!(text.starts_with("stacks/Old.template.json would be removed"), "{text}");
        assert!(text.contains("+++ /dev/null\n"), "{text}");
        assert!(text.ends_with("-x\n\\ No newline at end of file\n"), "{text}");
    }

    #[test]
    fn colour_follows_the_line_kind() {
        let drift = Drift::Changed {
            root: Root::Output,
            path: "t.yaml".into(),
            expected: "--\nb\n".into(),
            actual: "---\nb\n".into(),
        };
        let text = render(&drift, true);
        assert!(text.contains("\x1b[31m----\x1b[0m\n"), "{text:?}");
        assert!(text.contains("\x1b[32m+--\x1b[0m\n"), "{text:?}");
        assert!(text.contains("\x1b[36m@@ -1,2 +1,2 @@\x1b[0m\n"), "{text:?}");
        assert!(!render(&drift, false).contains('\x1b'));
    }
}

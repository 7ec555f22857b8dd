//! The result of synthesis: every file's bytes in memory, and writing them out atomically.

use std::fs;
use std::io;
use std::path::Path;

use crate::emit::{Node, to_json};
use crate::env::Environment;
use crate::error::Warning;

/// The manifest's file name in the output folder.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The template format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// Pretty-printed JSON.
    #[default]
    Json,
    /// YAML with short-form intrinsic tags.
    Yaml,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Yaml => "yaml",
        }
    }
}

/// One synthesized stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackArtifact {
    /// The stack name.
    pub name: String,
    /// The template's file name in the output folder.
    pub file: String,
    /// The template text.
    pub body: String,
    /// Where the stack deploys.
    pub environment: Environment,
    /// Stacks that must deploy first (they export values this one imports).
    pub depends_on: Vec<String>,
    /// Companion files, `(path relative to the output folder, contents)`.
    pub files: Vec<(String, String)>,
}

/// How a file on disk differs from what synthesis produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Drift {
    /// The file is missing on disk.
    Missing {
        /// Path relative to the output folder.
        path: String,
        /// What it should contain.
        expected: String,
    },
    /// The file exists with other contents.
    Changed {
        /// Path relative to the output folder.
        path: String,
        /// What it should contain.
        expected: String,
        /// What it contains.
        actual: String,
    },
    /// The previous manifest lists a file this synthesis no longer produces.
    Stale {
        /// Path relative to the output folder.
        path: String,
        /// What it contains.
        actual: String,
    },
}

/// What [`Assembly::write`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or replaced.
    pub written: Vec<String>,
    /// Files already up to date (left untouched).
    pub unchanged: Vec<String>,
    /// Files the previous manifest listed that are no longer produced, now removed.
    pub removed: Vec<String>,
}

/// Everything one synthesis produced: the stacks in deployment order, the manifest, and the
/// warnings. Nothing is on disk until [`write`](Assembly::write).
#[derive(Clone, Debug, PartialEq)]
pub struct Assembly {
    format: Format,
    stacks: Vec<StackArtifact>,
    /// Every template file of the app, selected or not: a file of an unselected stack is
    /// not stale.
    all_files: Vec<String>,
    manifest: String,
    warnings: Vec<Warning>,
}

impl Assembly {
    pub(crate) fn new(
        format: Format,
        stacks: Vec<StackArtifact>,
        warnings: Vec<Warning>,
    ) -> Assembly {
        let manifest = render_manifest(format, &stacks);
        let all_files = stacks
            .iter()
            .flat_map(|s| {
                std::iter::once(s.file.clone()).chain(s.files.iter().map(|(p, _)| p.clone()))
            })
            .collect();
        Assembly { format, stacks, all_files, manifest, warnings }
    }

    /// The format the templates are in.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The stacks, dependencies first.
    pub fn stacks(&self) -> &[StackArtifact] {
        &self.stacks
    }

    /// The stack with this name.
    pub fn stack(&self, name: &str) -> Option<&StackArtifact> {
        self.stacks.iter().find(|s| s.name == name)
    }

    /// The warnings synthesis found.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Keeps only the named stacks' templates (for `synth --stack`); an error naming the
    /// known stacks if a name is unknown. The manifest still describes the whole app, and
    /// the other stacks' files on disk are left alone.
    pub fn select(mut self, names: &[String]) -> Result<Assembly, String> {
        if let Some(unknown) = names.iter().find(|n| self.stack(n).is_none()) {
            let known: Vec<&str> = self.stacks.iter().map(|s| s.name.as_str()).collect();
            return Err(format!("no stack named `{unknown}`; the app has: {}", known.join(", ")));
        }
        if !names.is_empty() {
            self.stacks.retain(|s| names.contains(&s.name));
        }
        Ok(self)
    }

    /// Every file of the output folder with its contents, the manifest last.
    pub fn files(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = Vec::new();
        for s in &self.stacks {
            out.push((s.file.as_str(), s.body.as_str()));
            out.extend(s.files.iter().map(|(p, c)| (p.as_str(), c.as_str())));
        }
        out.push((MANIFEST_FILE, self.manifest.as_str()));
        out
    }

    /// Compares the output folder with this assembly: files missing, changed, or left over
    /// from a previous manifest. Empty when the folder is up to date.
    pub fn compare(&self, dir: &Path) -> io::Result<Vec<Drift>> {
        let mut drift = Vec::new();
        for (path, expected) in self.files() {
            match read_if_exists(&dir.join(path))? {
                None => drift.push(Drift::Missing { path: path.into(), expected: expected.into() }),
                Some(actual) if actual != expected => drift.push(Drift::Changed {
                    path: path.into(),
                    expected: expected.into(),
                    actual,
                }),
                Some(_) => {}
            }
        }
        for path in self.stale_files(dir)? {
            if let Some(actual) = read_if_exists(&dir.join(&path))? {
                drift.push(Drift::Stale { path, actual });
            }
        }
        Ok(drift)
    }

    /// Writes every file into `dir`, each to a temporary name first and then renamed, so a
    /// reader never sees a half-written template. Files whose contents are unchanged are not
    /// touched. Files the previous manifest listed and this one does not are removed; files
    /// no manifest created are never removed.
    pub fn write(&self, dir: &Path) -> io::Result<WriteReport> {
        fs::create_dir_all(dir).map_err(|e| at(dir, e))?;
        let stale = self.stale_files(dir)?;
        let mut report = WriteReport::default();
        for (path, contents) in self.files() {
            let target = dir.join(path);
            if read_if_exists(&target)?.as_deref() == Some(contents) {
                report.unchanged.push(path.to_owned());
                continue;
            }
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|e| at(parent, e))?;
            }
            let tmp = target.with_file_name(format!(
                ".{}.tmp",
                target.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
            ));
            fs::write(&tmp, contents).map_err(|e| at(&tmp, e))?;
            fs::rename(&tmp, &target).map_err(|e| at(&target, e))?;
            report.written.push(path.to_owned());
        }
        for path in stale {
            let target = dir.join(&path);
            if target.is_file() {
                fs::remove_file(&target).map_err(|e| at(&target, e))?;
                report.removed.push(path);
            }
        }
        Ok(report)
    }

    /// Files the manifest already in `dir` lists that this assembly does not produce.
    fn stale_files(&self, dir: &Path) -> io::Result<Vec<String>> {
        let Some(old) = read_if_exists(&dir.join(MANIFEST_FILE))? else {
            return Ok(Vec::new());
        };
        let Ok(old) = serde_json::from_str::<serde_json::Value>(&old) else {
            return Ok(Vec::new());
        };
        let current: Vec<&str> =
            self.all_files.iter().map(String::as_str).chain([MANIFEST_FILE]).collect();
        let listed = old.get("files").and_then(|f| f.as_array()).cloned().unwrap_or_default();
        Ok(listed
            .iter()
            .filter_map(|f| f.as_str())
            // Only paths inside the folder: a manifest edited by hand cannot point elsewhere.
            .filter(|f| is_inside(f))
            .filter(|f| !current.contains(f))
            .map(str::to_owned)
            .collect())
    }
}

/// A relative path that stays inside the output folder: no `..`, no absolute path, no
/// hidden component (the temporary files are hidden).
pub(crate) fn is_inside(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path.split('/').all(|c| !c.is_empty() && c != ".." && !c.starts_with('.'))
}

fn read_if_exists(path: &Path) -> io::Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(s) => Ok(Some(s)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(at(path, e)),
    }
}

/// The error with the path it happened at, so a message can name the file.
fn at(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

fn render_manifest(format: Format, stacks: &[StackArtifact]) -> String {
    let s = |v: &str| Node::Str(v.to_owned());
    let opt = |v: &Option<String>| v.as_deref().map_or(Node::Null, s);
    let stack_nodes = stacks
        .iter()
        .map(|a| {
            Node::Map(vec![
                ("name".into(), s(&a.name)),
                ("template".into(), s(&a.file)),
                (
                    "environment".into(),
                    Node::Map(vec![
                        ("account".into(), opt(&a.environment.account)),
                        ("region".into(), opt(&a.environment.region)),
                    ]),
                ),
                ("dependsOn".into(), Node::List(a.depends_on.iter().map(|d| s(d)).collect())),
                ("companionFiles".into(), Node::List(a.files.iter().map(|(p, _)| s(p)).collect())),
            ])
        })
        .collect();
    let mut files: Vec<Node> = stacks
        .iter()
        .flat_map(|a| std::iter::once(s(&a.file)).chain(a.files.iter().map(|(p, _)| s(p))))
        .collect();
    files.push(s(MANIFEST_FILE));
    to_json(&Node::Map(vec![
        ("version".into(), Node::Int(1)),
        ("generator".into(), s("stackwright")),
        ("format".into(), s(format.extension())),
        ("stacks".into(), Node::List(stack_nodes)),
        ("files".into(), Node::List(files)),
    ]))
}

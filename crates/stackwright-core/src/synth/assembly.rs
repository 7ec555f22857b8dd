//! The result of synthesis: every file's bytes in memory, written out by `transaction`.

use std::path::Path;

use crate::emit::{Node, to_json};
use crate::env::Environment;
use crate::error::Warning;

use super::output_error::OutputError;
use super::transaction::{self, Generation, Steps};

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
    /// Things the user should know about the folder (a previous manifest that could not be
    /// read).
    pub notes: Vec<String>,
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
    findings: Vec<crate::security::Finding>,
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
        Assembly { format, stacks, all_files, manifest, warnings, findings: Vec::new() }
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

    /// Every finding of the app's rule packs, suppressed ones included (with their reason);
    /// each one no suppression covers is also a warning.
    pub fn findings(&self) -> &[crate::security::Finding] {
        &self.findings
    }

    pub(crate) fn with_findings(mut self, findings: Vec<crate::security::Finding>) -> Assembly {
        self.findings = findings;
        self
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
    /// from a previous manifest. Empty when the folder is up to date. Waits for a synth
    /// writing into the folder to finish; an error when the folder does not exist or an
    /// interrupted synth left it half-switched.
    pub fn compare(&self, dir: &Path) -> Result<Vec<Drift>, OutputError> {
        transaction::compare(dir, &self.generation())
    }

    /// Writes every file into `dir` as one transaction: a reader using stackwright sees the
    /// previous generation or this one, never a mix; a failure part-way (a full disk) leaves
    /// the previous generation; a run stopped part-way is finished or undone by the next.
    /// Files whose contents are unchanged are not touched. Files the previous manifest
    /// listed and this one does not are removed; files no manifest created are never
    /// removed. A second synth into the same folder waits for the first.
    pub fn write(&self, dir: &Path) -> Result<WriteReport, OutputError> {
        self.write_waiting(dir, &mut || {})
    }

    /// [`write`](Assembly::write), calling `on_wait` once if another synth holds the folder
    /// and this one has to wait for it.
    pub fn write_waiting(
        &self,
        dir: &Path,
        on_wait: &mut dyn FnMut(),
    ) -> Result<WriteReport, OutputError> {
        transaction::write(dir, &self.generation(), on_wait, &mut Steps::default())
    }

    /// Writes as [`write`](Assembly::write) does but stops dead before the `steps`-th change
    /// to the filesystem, as a crash would, for crash-consistency tests.
    #[doc(hidden)]
    pub fn write_stopping_after(
        &self,
        dir: &Path,
        steps: usize,
    ) -> Result<WriteReport, OutputError> {
        transaction::write(dir, &self.generation(), &mut || {}, &mut Steps::stopping_after(steps))
    }

    /// Writes as [`write`](Assembly::write) does but fails at the `step`-th change to the
    /// filesystem as a full disk would, for tests of the failure path.
    #[doc(hidden)]
    pub fn write_failing_at(&self, dir: &Path, step: usize) -> Result<WriteReport, OutputError> {
        transaction::write(dir, &self.generation(), &mut || {}, &mut Steps::failing_at(step))
    }

    fn generation(&self) -> Generation<'_> {
        Generation { files: self.files(), all_files: &self.all_files }
    }
}

/// A relative path that stays inside the output folder: no `..`, no absolute path, no
/// hidden component (the staging folder is hidden).
pub(crate) fn is_inside(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path.split('/').all(|c| !c.is_empty() && c != ".." && !c.starts_with('.'))
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

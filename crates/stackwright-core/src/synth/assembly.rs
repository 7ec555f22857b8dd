//! The result of synthesis: every file's bytes in memory, written out by `transaction`.

use std::path::{Path, PathBuf};

use crate::emit::{Node, to_json};
use crate::env::Environment;
use crate::error::Warning;

use super::output_error::OutputError;
use super::transaction::{self, Generation, Steps};

/// The manifest's file name in the output folder.
pub const MANIFEST_FILE: &str = "manifest.json";

/// Which folder a file is written into. The output folder holds the templates, their
/// companion files and the manifest; the workflow folder holds files a delivery system reads
/// from a fixed place in the repository (CI workflow definitions), written with the same
/// guarantees and listed in the same manifest. Paths are relative to their root.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Root {
    /// The output folder (`--out`).
    Output,
    /// The workflow folder (`--workflow-dir`).
    Workflow,
}

/// The folders an assembly is written into or compared with: the output folder, and the
/// workflow folder when the app produces files for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Roots<'a> {
    /// The output folder.
    pub output: &'a Path,
    /// The workflow folder; `None` when the caller has none (an app with workflow files is
    /// then refused at write).
    pub workflow: Option<&'a Path>,
}

impl<'a> Roots<'a> {
    /// Only an output folder.
    pub fn new(output: &'a Path) -> Roots<'a> {
        Roots { output, workflow: None }
    }

    /// An output folder and a workflow folder.
    pub fn with_workflow(output: &'a Path, workflow: &'a Path) -> Roots<'a> {
        Roots { output, workflow: Some(workflow) }
    }

    /// The folder of `root`, `None` for a workflow folder not given.
    pub fn dir(&self, root: Root) -> Option<&'a Path> {
        match root {
            Root::Output => Some(self.output),
            Root::Workflow => self.workflow,
        }
    }
}

impl<'a> From<&'a Path> for Roots<'a> {
    fn from(output: &'a Path) -> Roots<'a> {
        Roots::new(output)
    }
}

impl<'a> From<&'a PathBuf> for Roots<'a> {
    fn from(output: &'a PathBuf) -> Roots<'a> {
        Roots::new(output)
    }
}

/// The manifest's list of workflow-folder files, relative to that folder.
pub(crate) const WORKFLOW_FILES_KEY: &str = "workflowFiles";

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
    /// Files for the workflow folder, `(path relative to it, contents)`.
    pub workflow_files: Vec<(String, String)>,
}

/// How a file on disk differs from what synthesis produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Drift {
    /// The file is missing on disk.
    Missing {
        /// The folder the path is relative to.
        root: Root,
        /// Path relative to its folder.
        path: String,
        /// What it should contain.
        expected: String,
    },
    /// The file exists with other contents.
    Changed {
        /// The folder the path is relative to.
        root: Root,
        /// Path relative to its folder.
        path: String,
        /// What it should contain.
        expected: String,
        /// What it contains.
        actual: String,
    },
    /// The previous manifest lists a file this synthesis no longer produces.
    Stale {
        /// The folder the path is relative to.
        root: Root,
        /// Path relative to its folder.
        path: String,
        /// What it contains.
        actual: String,
    },
}

impl Drift {
    /// The folder the drifted file is in.
    pub fn root(&self) -> Root {
        match self {
            Drift::Missing { root, .. }
            | Drift::Changed { root, .. }
            | Drift::Stale { root, .. } => *root,
        }
    }

    /// The drifted file's path, relative to its folder.
    pub fn path(&self) -> &str {
        match self {
            Drift::Missing { path, .. }
            | Drift::Changed { path, .. }
            | Drift::Stale { path, .. } => path,
        }
    }
}

/// What [`Assembly::write`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or replaced, with the folder each is in.
    pub written: Vec<(Root, String)>,
    /// Files already up to date (left untouched).
    pub unchanged: Vec<(Root, String)>,
    /// Files the previous manifest listed that are no longer produced, now removed.
    pub removed: Vec<(Root, String)>,
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
    /// Every workflow-folder file of the app, selected or not.
    all_workflow_files: Vec<String>,
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
        let all_workflow_files =
            stacks.iter().flat_map(|s| s.workflow_files.iter().map(|(p, _)| p.clone())).collect();
        Assembly {
            format,
            stacks,
            all_files,
            all_workflow_files,
            manifest,
            warnings,
            findings: Vec::new(),
        }
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

    /// Every file of the workflow folder with its contents, in the order the stacks hold
    /// them. Empty for an app without workflows.
    pub fn workflow_files(&self) -> Vec<(&str, &str)> {
        self.stacks
            .iter()
            .flat_map(|s| s.workflow_files.iter().map(|(p, c)| (p.as_str(), c.as_str())))
            .collect()
    }

    /// Compares the output folder with this assembly: files missing, changed, or left over
    /// from a previous manifest. Empty when the folder is up to date. Waits for a synth
    /// writing into the folder to finish; an error when the folder does not exist or an
    /// interrupted synth left it half-switched.
    ///
    /// Takes the output folder, or [`Roots`] with a workflow folder too; a workflow folder
    /// that does not exist yet has every workflow file missing.
    pub fn compare<'a>(&self, roots: impl Into<Roots<'a>>) -> Result<Vec<Drift>, OutputError> {
        transaction::compare(&roots.into(), &self.generation())
    }

    /// Writes every file into `dir` as one transaction: a reader using stackwright sees the
    /// previous generation or this one, never a mix; a failure part-way (a full disk) leaves
    /// the previous generation; a run stopped part-way is finished or undone by the next.
    /// Files whose contents are unchanged are not touched. Files the previous manifest
    /// listed and this one does not are removed; files no manifest created are never
    /// removed. A second synth into the same folder waits for the first.
    ///
    /// Takes the output folder, or [`Roots`] with a workflow folder too: its files are part
    /// of the same transaction (one journal covers both folders), and only files a manifest
    /// listed are ever removed from it, so workflows written by hand beside them stay.
    pub fn write<'a>(&self, roots: impl Into<Roots<'a>>) -> Result<WriteReport, OutputError> {
        self.write_waiting(roots, &mut || {})
    }

    /// [`write`](Assembly::write), calling `on_wait` once if another synth holds the folder
    /// and this one has to wait for it.
    pub fn write_waiting<'a>(
        &self,
        roots: impl Into<Roots<'a>>,
        on_wait: &mut dyn FnMut(),
    ) -> Result<WriteReport, OutputError> {
        transaction::write(&roots.into(), &self.generation(), on_wait, &mut Steps::default())
    }

    /// Writes as [`write`](Assembly::write) does but stops dead before the `steps`-th change
    /// to the filesystem, as a crash would, for crash-consistency tests.
    #[doc(hidden)]
    pub fn write_stopping_after<'a>(
        &self,
        roots: impl Into<Roots<'a>>,
        steps: usize,
    ) -> Result<WriteReport, OutputError> {
        let mut steps = Steps::stopping_after(steps);
        transaction::write(&roots.into(), &self.generation(), &mut || {}, &mut steps)
    }

    /// Writes as [`write`](Assembly::write) does but fails at the `step`-th change to the
    /// filesystem as a full disk would, for tests of the failure path.
    #[doc(hidden)]
    pub fn write_failing_at<'a>(
        &self,
        roots: impl Into<Roots<'a>>,
        step: usize,
    ) -> Result<WriteReport, OutputError> {
        let mut steps = Steps::failing_at(step);
        transaction::write(&roots.into(), &self.generation(), &mut || {}, &mut steps)
    }

    /// The files to write: the workflow folder's first, then the output folder's with the
    /// manifest last, so the manifest is in place only once everything it lists is.
    fn generation(&self) -> Generation<'_> {
        let workflow = self.workflow_files().into_iter().map(|(p, c)| (Root::Workflow, p, c));
        let output = self.files().into_iter().map(|(p, c)| (Root::Output, p, c));
        Generation {
            files: workflow.chain(output).collect(),
            all_files: &self.all_files,
            all_workflow_files: &self.all_workflow_files,
        }
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
            let mut node = vec![
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
            ];
            if !a.workflow_files.is_empty() {
                let listed = a.workflow_files.iter().map(|(p, _)| s(p)).collect();
                node.push((WORKFLOW_FILES_KEY.into(), Node::List(listed)));
            }
            Node::Map(node)
        })
        .collect();
    let mut files: Vec<Node> = stacks
        .iter()
        .flat_map(|a| std::iter::once(s(&a.file)).chain(a.files.iter().map(|(p, _)| s(p))))
        .collect();
    files.push(s(MANIFEST_FILE));
    let mut manifest = vec![
        ("version".into(), Node::Int(1)),
        ("generator".into(), s("stackwright")),
        ("format".into(), s(format.extension())),
        ("stacks".into(), Node::List(stack_nodes)),
        ("files".into(), Node::List(files)),
    ];
    // Only apps with workflows list them, so the manifests of the others stay as they were.
    let workflow_files: Vec<Node> =
        stacks.iter().flat_map(|a| a.workflow_files.iter().map(|(p, _)| s(p))).collect();
    if !workflow_files.is_empty() {
        manifest.push((WORKFLOW_FILES_KEY.into(), Node::List(workflow_files)));
    }
    to_json(&Node::Map(manifest))
}

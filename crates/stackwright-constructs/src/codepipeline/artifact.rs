//! Artifacts: the named bundles actions pass to each other through the artifact store.

/// A pipeline artifact: produced by exactly one action (a source's checkout, a build's
/// output) and read by later ones. Only its name appears in the template; the pipeline
/// checks at synth that every artifact an action reads was produced by an earlier action.
///
/// ```
/// use stackwright_constructs::codepipeline::Artifact;
/// let source = Artifact::new("SourceOutput");
/// assert_eq!(source.at_path("template.yaml").to_string(), "SourceOutput::template.yaml");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Artifact {
    name: String,
}

impl Artifact {
    /// An artifact called `name` (1 to 100 letters, digits, `_` and `-`; checked at synth).
    pub fn new(name: impl Into<String>) -> Artifact {
        Artifact { name: name.into() }
    }

    /// The artifact's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A file inside the artifact (`SourceOutput::template.yaml`), for actions that read one
    /// file of an artifact: CloudFormation templates, task definitions, AppSpec files.
    pub fn at_path(&self, file: impl Into<String>) -> ArtifactPath {
        ArtifactPath { artifact: self.clone(), file: file.into() }
    }
}

impl From<&Artifact> for Artifact {
    fn from(a: &Artifact) -> Artifact {
        a.clone()
    }
}

/// A file inside an artifact, rendered `Artifact::path/to/file`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ArtifactPath {
    artifact: Artifact,
    file: String,
}

impl ArtifactPath {
    /// The artifact.
    pub fn artifact(&self) -> &Artifact {
        &self.artifact
    }

    /// The path of the file inside the artifact.
    pub fn file(&self) -> &str {
        &self.file
    }
}

impl std::fmt::Display for ArtifactPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}::{}", self.artifact.name, self.file)
    }
}

/// What is wrong with an artifact name, if anything.
pub(crate) fn name_problem(name: &str) -> Option<String> {
    let bad = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'));
    if name.is_empty() || name.chars().count() > 100 {
        Some(format!("artifact name `{name}` must be 1 to 100 characters long"))
    } else {
        bad.map(|c| {
            format!("artifact name `{name}` contains `{c}`; use letters, digits, `_` and `-`")
        })
    }
}

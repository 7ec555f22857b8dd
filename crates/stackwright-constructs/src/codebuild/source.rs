//! Where a project's source and buildspec come from.

use stackwright_core::Val;

use super::BuildSpec;

/// Where a build's source comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// The input artifact of a CodePipeline action; the project's output then goes back to
    /// the pipeline too (`Artifacts: CODEPIPELINE`, set automatically).
    CodePipeline,
    /// A CodeCommit repository.
    CodeCommit {
        /// The HTTPS clone URL
        /// (`https://git-codecommit.<region>.amazonaws.com/v1/repos/<name>`).
        clone_url: Val<String>,
        /// The branch to build; the default branch when `None`.
        branch: Option<String>,
        /// The repository ARN, for the role's `codecommit:GitPull`; derived from a literal
        /// clone URL when `None`.
        repository_arn: Option<Val<String>>,
    },
    /// A GitHub repository. The account needs GitHub credentials for CodeBuild (an
    /// `AWS::CodeBuild::SourceCredential` or a connection), which this construct does not
    /// create.
    GitHub {
        /// The owner (user or organization).
        owner: String,
        /// The repository name.
        repo: String,
        /// The branch to build; the default branch when `None`.
        branch: Option<String>,
        /// Builds on every push to the branch (a webhook with a push filter).
        webhook: bool,
    },
    /// A zip file in S3.
    S3 {
        /// The bucket name.
        bucket: Val<String>,
        /// The object key.
        key: Val<String>,
    },
    /// No source: the buildspec must be inline.
    NoSource,
}

impl Source {
    /// A CodeCommit repository by clone URL, building `branch`.
    pub fn codecommit(clone_url: impl Into<Val<String>>, branch: impl Into<String>) -> Source {
        Source::CodeCommit {
            clone_url: clone_url.into(),
            branch: Some(branch.into()),
            repository_arn: None,
        }
    }

    /// A GitHub repository, building `branch` when started (no webhook).
    pub fn github(
        owner: impl Into<String>,
        repo: impl Into<String>,
        branch: impl Into<String>,
    ) -> Source {
        Source::GitHub {
            owner: owner.into(),
            repo: repo.into(),
            branch: Some(branch.into()),
            webhook: false,
        }
    }

    /// A zip file in S3.
    pub fn s3(bucket: impl Into<Val<String>>, key: impl Into<Val<String>>) -> Source {
        Source::S3 { bucket: bucket.into(), key: key.into() }
    }

    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Source::CodePipeline => "CODEPIPELINE",
            Source::CodeCommit { .. } => "CODECOMMIT",
            Source::GitHub { .. } => "GITHUB",
            Source::S3 { .. } => "S3",
            Source::NoSource => "NO_SOURCE",
        }
    }
}

/// Where the project finds its buildspec.
#[derive(Clone, Debug, PartialEq)]
pub enum BuildSpecLocation {
    /// Rendered to YAML and embedded in the project (`Source.BuildSpec`). Changes deploy
    /// with the stack.
    Inline(BuildSpec),
    /// A file in the source, relative to its root (`ci/buildspec.yml`). Without any
    /// location, CodeBuild reads `buildspec.yml` at the root.
    File(String),
    /// Written as a companion file at this path in the output folder, and the project
    /// points at it where it sits in the source: `stacks/buildspec.yml` for the CLI's
    /// default output folder at the repository root (see `App::synth_for_source` and the
    /// CLI's `--source-root`). Committing the output folder is all it takes.
    Companion(BuildSpec, String),
}

impl BuildSpecLocation {
    /// The typed buildspec, when the project has one.
    pub fn spec(&self) -> Option<&BuildSpec> {
        match self {
            BuildSpecLocation::Inline(spec) | BuildSpecLocation::Companion(spec, _) => Some(spec),
            BuildSpecLocation::File(_) => None,
        }
    }
}

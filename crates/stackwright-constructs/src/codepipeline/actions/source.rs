//! Source actions: where a pipeline execution's input comes from. Each produces exactly one
//! artifact and belongs in the first stage.

use stackwright_core::{Expr, Val, sub};

use super::super::action::{Action, ActionType, Common, Need, common_methods, push_unique};
use super::super::artifact::Artifact;
use super::super::trigger::EventTrigger;
use super::regional_arn;
use crate::iam::PolicyStatement;

fn source_type(owner: &str, provider: &str, label: &'static str) -> ActionType {
    ActionType::new("Source", owner, provider, label, (0, 0), (1, 1))
}

/// The format of a connection source's output artifact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum OutputFormat {
    /// A zip of the files at the commit (the default).
    CodeZip,
    /// A reference CodeBuild clones with full git history; the CodeBuild project then needs
    /// the connection too (granted automatically to a project stackwright can see).
    CloneRef,
}

/// A GitHub, GitHub Enterprise, GitLab or Bitbucket repository read through a CodeStar
/// connection (`AWS/CodeStarSourceConnection`): the recommended source for hosted git.
///
/// ```
/// use stackwright_constructs::codepipeline::{Artifact, CodeStarConnectionSource};
/// let source = Artifact::new("SourceOutput");
/// let action = CodeStarConnectionSource::new(
///     "Checkout",
///     "arn:aws:codestar-connections:us-east-1:123456789012:connection/0a1b2c3d",
///     "my-org/my-app",
///     "main",
///     &source,
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CodeStarConnectionSource {
    common: Common,
    connection_arn: Val<String>,
    repository: Val<String>,
    branch: Val<String>,
    output: Artifact,
    format: OutputFormat,
    detect_changes: Option<bool>,
}

common_methods!(CodeStarConnectionSource);

impl CodeStarConnectionSource {
    /// Reads `branch` of `repository` (`owner/repo`) through the connection, into `output`.
    pub fn new(
        name: impl Into<String>,
        connection_arn: impl Into<Val<String>>,
        repository: impl Into<Val<String>>,
        branch: impl Into<Val<String>>,
        output: &Artifact,
    ) -> CodeStarConnectionSource {
        CodeStarConnectionSource {
            common: Common::new(name),
            connection_arn: connection_arn.into(),
            repository: repository.into(),
            branch: branch.into(),
            output: output.clone(),
            format: OutputFormat::CodeZip,
            detect_changes: None,
        }
    }

    /// Outputs a reference CodeBuild clones (`CODEBUILD_CLONE_REF`), with git history,
    /// instead of a zip of the files. Only CodeBuild actions can read it.
    pub fn codebuild_clone_ref(mut self, on: bool) -> Self {
        self.format = if on { OutputFormat::CloneRef } else { OutputFormat::CodeZip };
        self
    }

    /// Whether a push starts the pipeline (`DetectChanges`; CodePipeline's default is yes).
    /// Turn it off when [`GitTrigger`](crate::codepipeline::GitTrigger)s decide instead.
    pub fn detect_changes(mut self, on: bool) -> Self {
        self.detect_changes = Some(on);
        self
    }

    fn build(self) -> Action {
        let mut a =
            Action::new(self.common, source_type("AWS", "CodeStarSourceConnection", "source"));
        if let Expr::Str(r) = self.repository.expr() {
            let parts: Vec<&str> = r.split('/').collect();
            if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) {
                a.problems.push(format!("repository `{r}` must be written `owner/repository`"));
            }
        }
        a.config("ConnectionArn", self.connection_arn.clone());
        a.config("FullRepositoryId", self.repository);
        a.config("BranchName", self.branch);
        if self.format == OutputFormat::CloneRef {
            a.config("OutputArtifactFormat", "CODEBUILD_CLONE_REF");
            a.needs.push(Need::CloneRef(use_connection(&self.connection_arn)));
        }
        if let Some(d) = self.detect_changes {
            a.config("DetectChanges", d);
        }
        a.outputs.push(self.output);
        a.allow(use_connection(&self.connection_arn));
        a
    }
}

/// `UseConnection` on a connection, under the prefix its ARN has (connections made since
/// 2024 are `codeconnections`; for an ARN known only at deploy time, both).
pub(crate) fn use_connection(arn: &Val<String>) -> PolicyStatement {
    let actions: &[&str] = match arn.expr() {
        Expr::Str(s) if s.contains(":codeconnections:") => &["codeconnections:UseConnection"],
        Expr::Str(_) => &["codestar-connections:UseConnection"],
        _ => &["codestar-connections:UseConnection", "codeconnections:UseConnection"],
    };
    PolicyStatement::allow().actions(actions.iter().copied()).resource(arn.clone())
}

/// A GitHub repository read with an OAuth token (`ThirdParty/GitHub` version 1).
///
/// Deprecated by AWS: prefer [`CodeStarConnectionSource`]. Synth warns when it is used.
/// The token must come from a `NoEcho` parameter or a Secrets Manager dynamic reference,
/// never a literal. A webhook (`AWS::CodePipeline::Webhook`, child `<Action>Webhook` of the
/// pipeline) starts the pipeline on pushes to the branch, so polling is off.
#[derive(Clone, Debug, PartialEq)]
pub struct GitHubSource {
    common: Common,
    owner: Val<String>,
    repo: Val<String>,
    branch: Val<String>,
    oauth_token: Val<String>,
    output: Artifact,
    webhook: bool,
}

common_methods!(GitHubSource);

impl GitHubSource {
    /// Reads branch `main` of `owner/repo` into `output`.
    pub fn new(
        name: impl Into<String>,
        owner: impl Into<Val<String>>,
        repo: impl Into<Val<String>>,
        oauth_token: impl Into<Val<String>>,
        output: &Artifact,
    ) -> GitHubSource {
        GitHubSource {
            common: Common::new(name),
            owner: owner.into(),
            repo: repo.into(),
            branch: Val::from("main"),
            oauth_token: oauth_token.into(),
            output: output.clone(),
            webhook: true,
        }
    }

    /// Reads this branch instead of `main`.
    pub fn branch(mut self, branch: impl Into<Val<String>>) -> Self {
        self.branch = branch.into();
        self
    }

    /// Whether a webhook starts the pipeline (default `true`); without one the pipeline
    /// starts only by hand or from a rule of yours.
    pub fn webhook(mut self, on: bool) -> Self {
        self.webhook = on;
        self
    }

    fn build(self) -> Action {
        let mut a = Action::new(self.common, source_type("ThirdParty", "GitHub", "source"));
        a.warnings.push(
            "GitHub version 1 source actions (OAuth tokens) are deprecated by AWS; \
             use CodeStarConnectionSource with a CodeStar connection"
                .to_owned(),
        );
        if let Expr::Str(_) = self.oauth_token.expr() {
            a.problems.push(
                "the GitHub OAuth token is a literal, so it would be stored in the template; \
                 pass a NoEcho parameter or a Secrets Manager dynamic reference"
                    .to_owned(),
            );
        }
        a.config("Owner", self.owner);
        a.config("Repo", self.repo);
        a.config("Branch", self.branch.clone());
        a.config("OAuthToken", self.oauth_token.clone());
        a.config("PollForSourceChanges", false);
        a.outputs.push(self.output);
        if self.webhook {
            a.needs.push(Need::GitHubWebhook { branch: self.branch, secret: self.oauth_token });
        }
        a
    }
}

/// A branch of an AWS CodeCommit repository. An EventBridge rule (child `<Action>Trigger`
/// of the pipeline) starts the pipeline on pushes to the branch, so polling is off.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeCommitSource {
    common: Common,
    repository: Val<String>,
    branch: Val<String>,
    output: Artifact,
    clone_ref: bool,
    trigger: bool,
}

common_methods!(CodeCommitSource);

impl CodeCommitSource {
    /// Reads `branch` of the repository named `repository` into `output`.
    pub fn new(
        name: impl Into<String>,
        repository: impl Into<Val<String>>,
        branch: impl Into<Val<String>>,
        output: &Artifact,
    ) -> CodeCommitSource {
        CodeCommitSource {
            common: Common::new(name),
            repository: repository.into(),
            branch: branch.into(),
            output: output.clone(),
            clone_ref: false,
            trigger: true,
        }
    }

    /// Outputs a reference CodeBuild clones (`CODEBUILD_CLONE_REF`), with git history.
    pub fn codebuild_clone_ref(mut self, on: bool) -> Self {
        self.clone_ref = on;
        self
    }

    /// Whether an EventBridge rule starts the pipeline (default `true`); without one the
    /// pipeline starts only by hand or from a rule of yours.
    pub fn trigger(mut self, on: bool) -> Self {
        self.trigger = on;
        self
    }

    fn build(self) -> Action {
        let mut a = Action::new(self.common, source_type("AWS", "CodeCommit", "source"));
        let repo_arn = regional_arn("codecommit", self.repository.clone());
        a.config("RepositoryName", self.repository.clone());
        a.config("BranchName", self.branch.clone());
        a.config("PollForSourceChanges", false);
        let mut actions = vec![
            "codecommit:GetBranch",
            "codecommit:GetCommit",
            "codecommit:UploadArchive",
            "codecommit:GetUploadArchiveStatus",
            "codecommit:CancelUploadArchive",
        ];
        if self.clone_ref {
            a.config("OutputArtifactFormat", "CODEBUILD_CLONE_REF");
            actions.push("codecommit:GetRepository");
            a.needs.push(Need::CloneRef(
                PolicyStatement::allow().action("codecommit:GitPull").resource(repo_arn.clone()),
            ));
        }
        a.allow(PolicyStatement::allow().actions(actions).resource(repo_arn));
        a.outputs.push(self.output);
        if self.trigger {
            a.needs
                .push(Need::Trigger(EventTrigger::codecommit_push(self.repository, self.branch)));
        }
        a
    }
}

/// An object in an S3 bucket (a zip). An EventBridge rule (child `<Action>Trigger` of the
/// pipeline) starts the pipeline when the object is written, so polling is off; the bucket
/// must send events to EventBridge (`NotificationConfiguration.EventBridgeConfiguration`) and
/// be versioned.
#[derive(Clone, Debug, PartialEq)]
pub struct S3Source {
    common: Common,
    bucket: Val<String>,
    key: Val<String>,
    output: Artifact,
    trigger: bool,
}

common_methods!(S3Source);

impl S3Source {
    /// Reads object `key` of the bucket named `bucket` into `output`.
    pub fn new(
        name: impl Into<String>,
        bucket: impl Into<Val<String>>,
        key: impl Into<Val<String>>,
        output: &Artifact,
    ) -> S3Source {
        S3Source {
            common: Common::new(name),
            bucket: bucket.into(),
            key: key.into(),
            output: output.clone(),
            trigger: true,
        }
    }

    /// Whether an EventBridge rule starts the pipeline (default `true`); without one the
    /// pipeline starts only by hand or from a rule of yours.
    pub fn trigger(mut self, on: bool) -> Self {
        self.trigger = on;
        self
    }

    fn build(self) -> Action {
        let mut a = Action::new(self.common, source_type("AWS", "S3", "source"));
        a.config("S3Bucket", self.bucket.clone());
        a.config("S3ObjectKey", self.key.clone());
        a.config("PollForSourceChanges", false);
        let bucket_arn = crate::arns::bucket_arn(self.bucket.clone());
        a.allow(
            PolicyStatement::allow()
                .actions(["s3:GetObject", "s3:GetObjectVersion"])
                .resource(sub!("{}/{}", bucket_arn.clone(), self.key.clone())),
        );
        a.allow(
            PolicyStatement::allow()
                .actions(["s3:GetBucketVersioning", "s3:GetBucketLocation"])
                .resource(bucket_arn),
        );
        a.outputs.push(self.output);
        if self.trigger {
            a.needs.push(Need::Trigger(EventTrigger::s3_object_created(self.bucket, self.key)));
        }
        a
    }
}

/// An image in an ECR repository; the output artifact holds `imageDetail.json`. An
/// EventBridge rule (child `<Action>Trigger` of the pipeline) starts the pipeline when the
/// tag is pushed.
#[derive(Clone, Debug, PartialEq)]
pub struct EcrSource {
    common: Common,
    repository: Val<String>,
    tag: Val<String>,
    output: Artifact,
    trigger: bool,
}

common_methods!(EcrSource);

impl EcrSource {
    /// Reads the image tagged `latest` of the repository named `repository` into `output`.
    pub fn new(
        name: impl Into<String>,
        repository: impl Into<Val<String>>,
        output: &Artifact,
    ) -> EcrSource {
        EcrSource {
            common: Common::new(name),
            repository: repository.into(),
            tag: Val::from("latest"),
            output: output.clone(),
            trigger: true,
        }
    }

    /// Reads the image with this tag instead of `latest`.
    pub fn image_tag(mut self, tag: impl Into<Val<String>>) -> Self {
        self.tag = tag.into();
        self
    }

    /// Whether an EventBridge rule starts the pipeline (default `true`); without one the
    /// pipeline starts only by hand or from a rule of yours.
    pub fn trigger(mut self, on: bool) -> Self {
        self.trigger = on;
        self
    }

    fn build(self) -> Action {
        let mut a = Action::new(self.common, source_type("AWS", "ECR", "source"));
        a.config("RepositoryName", self.repository.clone());
        a.config("ImageTag", self.tag.clone());
        a.allow(
            PolicyStatement::allow()
                .action("ecr:DescribeImages")
                .resource(regional_arn("ecr", sub!("repository/{}", self.repository.clone()))),
        );
        push_unique(&mut a.outputs, &self.output);
        if self.trigger {
            a.needs.push(Need::Trigger(EventTrigger::ecr_image_push(self.repository, self.tag)));
        }
        a
    }
}

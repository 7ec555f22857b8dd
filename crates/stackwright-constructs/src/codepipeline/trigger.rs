//! What starts a pipeline: git triggers on a connection source (pipeline type V2), and
//! EventBridge rules (an image push, an S3 upload, a CodeCommit push, any pattern).

use stackwright_aws::codepipeline::pipeline as l1;
use stackwright_core::{Json, Val};

use super::actions::regional_arn;

/// A V2 git trigger: starts the pipeline when a push or a pull request on the repository of
/// a [`CodeStarConnectionSource`](super::CodeStarConnectionSource) matches a filter.
///
/// ```
/// use stackwright_constructs::codepipeline::{GitTrigger, PullRequestEvent, PullRequestFilter, PushFilter};
/// let trigger = GitTrigger::new("Checkout")
///     .on_push(PushFilter::branches(["main", "release/*"]).file_paths(["src/**"]))
///     .on_push(PushFilter::tags(["v*"]))
///     .on_pull_request(PullRequestFilter::branches(["main"]).events([PullRequestEvent::Open, PullRequestEvent::Updated]));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct GitTrigger {
    pub(crate) source_action: String,
    pub(crate) push: Vec<PushFilter>,
    pub(crate) pull_request: Vec<PullRequestFilter>,
}

impl GitTrigger {
    /// A trigger on the source action named `source_action` (a CodeStar connection source of
    /// the first stage). Add up to three push and three pull request filters.
    pub fn new(source_action: impl Into<String>) -> GitTrigger {
        GitTrigger {
            source_action: source_action.into(),
            push: Vec::new(),
            pull_request: Vec::new(),
        }
    }

    /// Starts on pushes matching the filter.
    pub fn on_push(mut self, filter: PushFilter) -> Self {
        self.push.push(filter);
        self
    }

    /// Starts on pull request events matching the filter.
    pub fn on_pull_request(mut self, filter: PullRequestFilter) -> Self {
        self.pull_request.push(filter);
        self
    }

    pub(crate) fn declaration(&self) -> l1::PipelineTriggerDeclaration {
        let mut git = l1::GitConfiguration::new(l1::GitConfigurationRequired {
            source_action_name: self.source_action.as_str(),
        });
        git.push = self.push.iter().map(PushFilter::render).collect();
        git.pull_request = self.pull_request.iter().map(PullRequestFilter::render).collect();
        l1::PipelineTriggerDeclaration::new(l1::PipelineTriggerDeclarationRequired {
            provider_type: "CodeStarSourceConnection",
        })
        .git_configuration(git)
    }

    /// Problems with the filters, as messages.
    pub(crate) fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let at = format!("git trigger on `{}`", self.source_action);
        if self.push.is_empty() && self.pull_request.is_empty() {
            out.push(format!("{at} has no filter; add on_push or on_pull_request"));
        }
        if self.push.len() > 3 {
            out.push(format!(
                "{at} has {} push filters; CodePipeline allows at most 3",
                self.push.len()
            ));
        }
        if self.pull_request.len() > 3 {
            out.push(format!(
                "{at} has {} pull request filters; CodePipeline allows at most 3",
                self.pull_request.len()
            ));
        }
        for f in &self.push {
            if f.tags.is_empty() && f.branches.is_empty() {
                out.push(format!("{at}: a push filter needs branches or tags"));
            }
            if !f.tags.is_empty() && (!f.branches.is_empty() || !f.file_paths.is_empty()) {
                out.push(format!(
                    "{at}: a push filter filters on tags, or on branches and file paths, not both"
                ));
            }
            for p in [&f.branches, &f.tags, &f.file_paths] {
                p.check(&at, &mut out);
            }
        }
        for f in &self.pull_request {
            if f.branches.is_empty() {
                out.push(format!("{at}: a pull request filter needs branches"));
            }
            for p in [&f.branches, &f.file_paths] {
                p.check(&at, &mut out);
            }
        }
        out
    }
}

/// Glob patterns to include and exclude.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Patterns {
    includes: Vec<String>,
    excludes: Vec<String>,
}

impl Patterns {
    fn is_empty(&self) -> bool {
        self.includes.is_empty() && self.excludes.is_empty()
    }

    fn check(&self, at: &str, out: &mut Vec<String>) {
        for list in [&self.includes, &self.excludes] {
            if list.len() > 8 {
                out.push(format!(
                    "{at}: {} patterns in one list; CodePipeline allows at most 8",
                    list.len()
                ));
            }
        }
    }

    fn option<T>(&self, make: impl FnOnce(Vec<String>, Vec<String>) -> T) -> Option<T> {
        (!self.is_empty()).then(|| make(self.includes.clone(), self.excludes.clone()))
    }
}

fn strings<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Vec<String> {
    items.into_iter().map(Into::into).collect()
}

fn set_list(v: Vec<String>) -> Option<Val<Vec<String>>> {
    (!v.is_empty()).then(|| Val::from(v))
}

/// The branch and file path filters pushes and pull requests share, for a struct with
/// `branches` and `file_paths` [`Patterns`].
macro_rules! branch_and_path_methods {
    ($what:literal, $to:literal) => {
        #[doc = concat!("Ignores ", $what, " ", $to, " branches matching these globs.")]
        pub fn exclude_branches<S: Into<String>>(
            mut self,
            globs: impl IntoIterator<Item = S>,
        ) -> Self {
            self.branches.excludes = strings(globs);
            self
        }

        #[doc = concat!("Only ", $what, " that change files matching these globs.")]
        pub fn file_paths<S: Into<String>>(mut self, globs: impl IntoIterator<Item = S>) -> Self {
            self.file_paths.includes = strings(globs);
            self
        }

        #[doc = concat!("Ignores ", $what, " that change only files matching these globs.")]
        pub fn exclude_file_paths<S: Into<String>>(
            mut self,
            globs: impl IntoIterator<Item = S>,
        ) -> Self {
            self.file_paths.excludes = strings(globs);
            self
        }
    };
}

/// Which pushes start the pipeline: branches (and file paths), or tags.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PushFilter {
    branches: Patterns,
    tags: Patterns,
    file_paths: Patterns,
}

impl PushFilter {
    /// Pushes to branches matching these globs.
    pub fn branches<S: Into<String>>(globs: impl IntoIterator<Item = S>) -> PushFilter {
        let mut f = PushFilter::default();
        f.branches.includes = strings(globs);
        f
    }

    /// Pushes of tags matching these globs.
    pub fn tags<S: Into<String>>(globs: impl IntoIterator<Item = S>) -> PushFilter {
        let mut f = PushFilter::default();
        f.tags.includes = strings(globs);
        f
    }

    /// Ignores tags matching these globs.
    pub fn exclude_tags<S: Into<String>>(mut self, globs: impl IntoIterator<Item = S>) -> Self {
        self.tags.excludes = strings(globs);
        self
    }

    branch_and_path_methods!("pushes", "to");

    fn render(&self) -> l1::GitPushFilter {
        let mut f = l1::GitPushFilter::new();
        if let Some(b) = self.branches.option(branch_criteria) {
            f = f.branches(b);
        }
        if let Some(t) = self.tags.option(|i, e| {
            let mut c = l1::GitTagFilterCriteria::new();
            c.includes = set_list(i);
            c.excludes = set_list(e);
            c
        }) {
            f = f.tags(t);
        }
        if let Some(p) = self.file_paths.option(path_criteria) {
            f = f.file_paths(p);
        }
        f
    }
}

fn branch_criteria(i: Vec<String>, e: Vec<String>) -> l1::GitBranchFilterCriteria {
    let mut c = l1::GitBranchFilterCriteria::new();
    c.includes = set_list(i);
    c.excludes = set_list(e);
    c
}

fn path_criteria(i: Vec<String>, e: Vec<String>) -> l1::GitFilePathFilterCriteria {
    let mut c = l1::GitFilePathFilterCriteria::new();
    c.includes = set_list(i);
    c.excludes = set_list(e);
    c
}

/// A pull request event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PullRequestEvent {
    /// `OPEN`: a pull request is opened.
    Open,
    /// `UPDATED`: commits are pushed to it.
    Updated,
    /// `CLOSED`: it is merged or closed.
    Closed,
}

impl PullRequestEvent {
    fn as_str(self) -> &'static str {
        match self {
            PullRequestEvent::Open => "OPEN",
            PullRequestEvent::Updated => "UPDATED",
            PullRequestEvent::Closed => "CLOSED",
        }
    }
}

/// Which pull request events start the pipeline.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PullRequestFilter {
    branches: Patterns,
    file_paths: Patterns,
    events: Vec<PullRequestEvent>,
}

impl PullRequestFilter {
    /// Pull requests into branches matching these globs (all events unless
    /// [`events`](PullRequestFilter::events) narrows them).
    pub fn branches<S: Into<String>>(globs: impl IntoIterator<Item = S>) -> PullRequestFilter {
        let mut f = PullRequestFilter::default();
        f.branches.includes = strings(globs);
        f
    }

    branch_and_path_methods!("pull requests", "into");

    /// Only these events.
    pub fn events(mut self, events: impl IntoIterator<Item = PullRequestEvent>) -> Self {
        for e in events {
            if !self.events.contains(&e) {
                self.events.push(e);
            }
        }
        self
    }

    fn render(&self) -> l1::GitPullRequestFilter {
        let mut f = l1::GitPullRequestFilter::new();
        if let Some(b) = self.branches.option(branch_criteria) {
            f = f.branches(b);
        }
        if let Some(p) = self.file_paths.option(path_criteria) {
            f = f.file_paths(p);
        }
        if !self.events.is_empty() {
            let events: Vec<&str> = self.events.iter().map(|e| e.as_str()).collect();
            f = f.events(events);
        }
        f
    }
}

/// An EventBridge rule that starts the pipeline, for
/// [`Pipeline::add_event_trigger`](super::Pipeline::add_event_trigger).
#[derive(Clone, Debug, PartialEq)]
pub struct EventTrigger {
    pub(crate) pattern: Val<Json>,
    pub(crate) description: String,
}

impl EventTrigger {
    /// When an image with `tag` is pushed to the ECR repository named `repository`.
    pub fn ecr_image_push(
        repository: impl Into<Val<String>>,
        tag: impl Into<Val<String>>,
    ) -> EventTrigger {
        EventTrigger {
            pattern: Val::<Json>::object([
                ("source", list1("aws.ecr")),
                ("detail-type", list1("ECR Image Action")),
                (
                    "detail",
                    Val::<Json>::object([
                        ("action-type", list1("PUSH")),
                        ("result", list1("SUCCESS")),
                        ("repository-name", list1(repository.into())),
                        ("image-tag", list1(tag.into())),
                    ]),
                ),
            ]),
            description: "Starts the pipeline when the image is pushed".to_owned(),
        }
    }

    /// When object `key` is written to the bucket named `bucket` ("Object Created"). The
    /// bucket must send its events to EventBridge
    /// (`NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled`).
    pub fn s3_object_created(
        bucket: impl Into<Val<String>>,
        key: impl Into<Val<String>>,
    ) -> EventTrigger {
        EventTrigger {
            pattern: Val::<Json>::object([
                ("source", list1("aws.s3")),
                ("detail-type", list1("Object Created")),
                (
                    "detail",
                    Val::<Json>::object([
                        ("bucket", Val::<Json>::object([("name", list1(bucket.into()))])),
                        ("object", Val::<Json>::object([("key", list1(key.into()))])),
                    ]),
                ),
            ]),
            description: "Starts the pipeline when the source object is uploaded".to_owned(),
        }
    }

    /// When `branch` of the CodeCommit repository named `repository` is created or updated.
    pub fn codecommit_push(
        repository: impl Into<Val<String>>,
        branch: impl Into<Val<String>>,
    ) -> EventTrigger {
        let repo_arn = regional_arn("codecommit", repository.into());
        EventTrigger {
            pattern: Val::<Json>::object([
                ("source", list1("aws.codecommit")),
                ("detail-type", list1("CodeCommit Repository State Change")),
                ("resources", list1(repo_arn)),
                (
                    "detail",
                    Val::<Json>::object([
                        (
                            "event",
                            Val::<Json>::list([
                                Val::<Json>::from("referenceCreated"),
                                Val::<Json>::from("referenceUpdated"),
                            ]),
                        ),
                        ("referenceType", list1("branch")),
                        ("referenceName", list1(branch.into())),
                    ]),
                ),
            ]),
            description: "Starts the pipeline when the branch is pushed".to_owned(),
        }
    }

    /// Any event pattern.
    pub fn pattern(pattern: impl Into<Val<Json>>, description: impl Into<String>) -> EventTrigger {
        EventTrigger { pattern: pattern.into(), description: description.into() }
    }
}

fn list1(v: impl Into<Val<String>>) -> Val<Json> {
    Val::<Json>::list([v.into().into_json()])
}

//! References to actions (`owner/repo@v4`), their pins and the majors that have moved on.

/// An action a `uses` step runs: `owner/repo` (or `owner/repo/path`) at a tag, optionally
/// pinned to the commit the tag points at, which renders `owner/repo@<sha> # <tag>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionRef {
    pub(crate) repo: String,
    pub(crate) tag: String,
    pub(crate) pin: Option<String>,
}

impl ActionRef {
    /// `repo` (`owner/name`, or `owner/name/path` for an action in a sub-folder) at `tag`.
    pub fn new(repo: &str, tag: &str) -> ActionRef {
        ActionRef { repo: repo.to_owned(), tag: tag.to_owned(), pin: None }
    }

    /// Pins the reference to `sha`, the 40-hex commit `tag` points at; the tag is kept in a
    /// comment for readers and update tools.
    pub fn pin(mut self, sha: &str) -> ActionRef {
        self.pin = Some(sha.to_owned());
        self
    }

    /// The value of `uses:` (without the tag comment a pin adds).
    pub fn uses(&self) -> String {
        format!("{}@{}", self.repo, self.pin.as_deref().unwrap_or(&self.tag))
    }

    /// The action's tag (`v4`).
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The commit the reference is pinned to, if any.
    pub fn pinned_to(&self) -> Option<&str> {
        self.pin.as_deref()
    }
}

/// Whether `sha` is a full commit SHA as GitHub takes it in `uses:`.
pub(crate) fn is_commit_sha(sha: &str) -> bool {
    sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Majors of the actions this crate knows that have moved on: (repository, majors, the major
/// to use, why).
const SUPERSEDED: [(&str, &[&str], &str, &str); 6] = [
    (
        "actions/checkout",
        &["v1", "v2", "v3"],
        "v4",
        "runs on a Node.js version GitHub's runners no longer ship",
    ),
    (
        "aws-actions/configure-aws-credentials",
        &["v1", "v2", "v3"],
        "v4",
        "runs on a Node.js version GitHub's runners no longer ship",
    ),
    (
        "aws-actions/amazon-ecr-login",
        &["v1"],
        "v2",
        "runs on a Node.js version GitHub's runners no longer ship",
    ),
    (
        "aws-actions/amazon-ecs-deploy-task-definition",
        &["v1"],
        "v2",
        "is superseded by v2, which receives the fixes",
    ),
    (
        "aws-actions/setup-sam",
        &["v1"],
        "v2",
        "runs on a Node.js version GitHub's runners no longer ship",
    ),
    (
        "actions/setup-python",
        &["v1", "v2", "v3", "v4"],
        "v5",
        "runs on a Node.js version GitHub's runners no longer ship",
    ),
];

/// When `action` names a major that has moved on: the major to use, and why.
pub(crate) fn superseded(action: &ActionRef) -> Option<(&'static str, &'static str)> {
    let major = action.tag.split('.').next().unwrap_or_default();
    SUPERSEDED
        .iter()
        .find(|(repo, majors, _, _)| {
            action.repo.eq_ignore_ascii_case(repo) && majors.contains(&major)
        })
        .map(|(_, _, to, why)| (*to, *why))
}

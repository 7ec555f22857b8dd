//! Which workflow runs may assume a role: the `sub` claim of GitHub's token.

/// The repository and the branch, tag, environment or pull requests whose workflow runs may
/// assume a [`GithubRole`](super::GithubRole). Rendered as the token's `sub` claim
/// (`repo:owner/name:ref:refs/heads/main`). A branch or tag may hold `*` wildcards, which
/// then match with `StringLike`. Checked when the role is created: a bad repository or an
/// empty name is the role's error.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GithubSubject {
    repository: String,
    kind: Kind,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Branch(String),
    Tag(String),
    Environment(String),
    PullRequest,
}

impl GithubSubject {
    /// Runs on a branch (`push` to it, or `workflow_dispatch` from it) of `owner/name`.
    pub fn branch(repository: impl Into<String>, branch: impl Into<String>) -> GithubSubject {
        GithubSubject { repository: repository.into(), kind: Kind::Branch(branch.into()) }
    }

    /// Runs on a tag of `owner/name` (`v*` for every version tag).
    pub fn tag(repository: impl Into<String>, tag: impl Into<String>) -> GithubSubject {
        GithubSubject { repository: repository.into(), kind: Kind::Tag(tag.into()) }
    }

    /// Jobs of `owner/name` that run in this GitHub environment, whatever the branch: the
    /// environment's protection rules (required reviewers, branches) are then the gate.
    pub fn environment(
        repository: impl Into<String>,
        environment: impl Into<String>,
    ) -> GithubSubject {
        GithubSubject { repository: repository.into(), kind: Kind::Environment(environment.into()) }
    }

    /// Runs for pull requests of `owner/name`, including ones from forks' branches merged
    /// into it: give such a role read-only permissions.
    pub fn pull_request(repository: impl Into<String>) -> GithubSubject {
        GithubSubject { repository: repository.into(), kind: Kind::PullRequest }
    }

    /// The repository, `owner/name`.
    pub fn repository(&self) -> &str {
        &self.repository
    }

    /// The `sub` claim this subject matches.
    pub fn claim(&self) -> String {
        let repo = &self.repository;
        match &self.kind {
            Kind::Branch(b) => format!("repo:{repo}:ref:refs/heads/{b}"),
            Kind::Tag(t) => format!("repo:{repo}:ref:refs/tags/{t}"),
            Kind::Environment(e) => format!("repo:{repo}:environment:{e}"),
            Kind::PullRequest => format!("repo:{repo}:pull_request"),
        }
    }

    /// Whether the claim holds a wildcard, so it matches with `StringLike`.
    pub fn is_pattern(&self) -> bool {
        match &self.kind {
            Kind::Branch(n) | Kind::Tag(n) => n.contains(['*', '?']),
            Kind::Environment(_) | Kind::PullRequest => false,
        }
    }

    /// What is wrong with this subject, each as `(message, fix)`.
    pub(crate) fn problems(&self) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        if let Some(problem) = repository_problem(&self.repository) {
            out.push((
                format!("repository `{}` {problem}", self.repository),
                "name it as `owner/name`, as in the repository's URL",
            ));
        }
        let (what, name) = match &self.kind {
            Kind::Branch(n) => ("branch", n),
            Kind::Tag(n) => ("tag", n),
            Kind::Environment(n) => ("environment", n),
            Kind::PullRequest => return out,
        };
        if name.is_empty() {
            out.push((format!("the {what} name is empty"), "name the branch, tag or environment"));
        } else if name.contains(|c: char| c.is_whitespace() || c.is_control()) || name.contains(':')
        {
            out.push((
                format!("the {what} name `{name}` holds a space, a control character or `:`"),
                "GitHub's token cannot carry such a name: use the name as GitHub shows it",
            ));
        } else if what != "environment" && (name.starts_with("refs/") || name.contains("..")) {
            out.push((
                format!("the {what} name `{name}` is not a plain {what} name"),
                "give the name without `refs/heads/` or `refs/tags/`, and without `..`",
            ));
        }
        out
    }
}

/// Why `owner/name` is not a GitHub repository name: owners are 1 to 39 letters, digits and
/// single hyphens, not at either end; names are 1 to 100 letters, digits, `.`, `-` and `_`,
/// and not `.` or `..`.
fn repository_problem(repository: &str) -> Option<&'static str> {
    let Some((owner, name)) = repository.split_once('/') else {
        return Some("is not of the form `owner/name`");
    };
    let owner_ok = (1..=39).contains(&owner.len())
        && owner.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !owner.starts_with('-')
        && !owner.ends_with('-')
        && !owner.contains("--");
    if !owner_ok {
        return Some(
            "has an owner GitHub does not allow (1 to 39 letters, digits or single hyphens, \
             not at either end)",
        );
    }
    let name_ok = (1..=100).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && name != "."
        && name != "..";
    if !name_ok {
        return Some(
            "has a name GitHub does not allow (1 to 100 letters, digits, `.`, `-` or `_`)",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_name_the_repository_and_the_ref_or_environment() {
        let claims: Vec<String> = [
            GithubSubject::branch("acme/shop", "main"),
            GithubSubject::tag("acme/shop", "v*"),
            GithubSubject::environment("acme/shop", "production"),
            GithubSubject::pull_request("acme/shop"),
        ]
        .iter()
        .map(GithubSubject::claim)
        .collect();
        assert_eq!(
            claims,
            [
                "repo:acme/shop:ref:refs/heads/main",
                "repo:acme/shop:ref:refs/tags/v*",
                "repo:acme/shop:environment:production",
                "repo:acme/shop:pull_request",
            ]
        );
        assert!(GithubSubject::tag("acme/shop", "v*").is_pattern());
        assert!(!GithubSubject::branch("acme/shop", "main").is_pattern());
    }
}

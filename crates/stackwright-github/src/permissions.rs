//! The `GITHUB_TOKEN` permissions of a job: every scope GitHub's workflow schema defines,
//! each with the levels the schema allows for it.

/// The access a scope grants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// `read`.
    Read,
    /// `write` (implies read).
    Write,
    /// `none`.
    None,
}

impl Access {
    fn as_str(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
            Access::None => "none",
        }
    }
}

/// The access of the scopes GitHub allows only to be read (`models`,
/// `vulnerability-alerts`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadAccess {
    /// `read`.
    Read,
    /// `none`.
    None,
}

/// The `id-token` scope: `write` lets the job request an OIDC token (to assume an AWS role).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdToken {
    /// `write`.
    Write,
    /// `none`.
    None,
}

/// The scopes in the order GitHub's workflow schema lists them, with the YAML key of each.
const SCOPES: [&str; 19] = [
    "actions",
    "artifact-metadata",
    "attestations",
    "checks",
    "code-quality",
    "contents",
    "deployments",
    "discussions",
    "id-token",
    "issues",
    "models",
    "packages",
    "pages",
    "pull-requests",
    "repository-projects",
    "security-events",
    "statuses",
    "vulnerability-alerts",
    "copilot-requests",
];

/// The permissions of a job's `GITHUB_TOKEN`. Every scope not set is `none` on GitHub once
/// any scope is set, so a job holds exactly what it lists; [`Permissions::none`] renders
/// `permissions: {}`.
///
/// ```
/// use stackwright_github::{Access, IdToken, Permissions};
/// let p = Permissions::none().id_token(IdToken::Write).contents(Access::Read);
/// assert!(p.has_id_token_write());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Permissions {
    /// Levels by index into `SCOPES`.
    levels: [Option<&'static str>; 19],
}

macro_rules! scope {
    ($(#[$doc:meta] $fn:ident $idx:literal;)*) => {
        $(
            #[$doc]
            pub fn $fn(mut self, access: Access) -> Permissions {
                self.levels[$idx] = Some(access.as_str());
                self
            }
        )*
    };
}

impl Permissions {
    /// No permission at all: `permissions: {}`. Add the scopes the job needs.
    pub fn none() -> Permissions {
        Permissions::default()
    }

    scope! {
        /// `actions`: workflow runs and artifacts.
        actions 0;
        /// `artifact-metadata`: artifact metadata records.
        artifact_metadata 1;
        /// `attestations`: artifact attestations.
        attestations 2;
        /// `checks`: check runs and suites.
        checks 3;
        /// `code-quality`: code quality findings.
        code_quality 4;
        /// `contents`: the repository's contents, commits, branches, tags and releases.
        contents 5;
        /// `deployments`: deployments and their statuses.
        deployments 6;
        /// `discussions`: discussions.
        discussions 7;
        /// `issues`: issues and their comments.
        issues 9;
        /// `packages`: GitHub Packages.
        packages 11;
        /// `pages`: GitHub Pages builds.
        pages 12;
        /// `pull-requests`: pull requests.
        pull_requests 13;
        /// `repository-projects`: classic projects.
        repository_projects 14;
        /// `security-events`: code scanning and other security alerts.
        security_events 15;
        /// `statuses`: commit statuses.
        statuses 16;
    }

    /// `id-token`: `write` lets the job request an OIDC token, which assuming an AWS role
    /// through `configure-aws-credentials` needs.
    pub fn id_token(mut self, access: IdToken) -> Permissions {
        self.levels[8] = Some(match access {
            IdToken::Write => "write",
            IdToken::None => "none",
        });
        self
    }

    /// `models`: GitHub Models inference.
    pub fn models(mut self, access: ReadAccess) -> Permissions {
        self.levels[10] = Some(read_only(access));
        self
    }

    /// `vulnerability-alerts`: Dependabot alerts.
    pub fn vulnerability_alerts(mut self, access: ReadAccess) -> Permissions {
        self.levels[17] = Some(read_only(access));
        self
    }

    /// `copilot-requests: write`: the job may make Copilot requests.
    pub fn copilot_requests(mut self) -> Permissions {
        self.levels[18] = Some("write");
        self
    }

    /// Whether `id-token: write` is granted.
    pub fn has_id_token_write(&self) -> bool {
        self.levels[8] == Some("write")
    }

    /// The scopes set, in GitHub's order, with their levels.
    pub fn entries(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        SCOPES.iter().zip(self.levels.iter()).filter_map(|(k, v)| v.map(|v| (*k, v)))
    }
}

fn read_only(access: ReadAccess) -> &'static str {
    match access {
        ReadAccess::Read => "read",
        ReadAccess::None => "none",
    }
}

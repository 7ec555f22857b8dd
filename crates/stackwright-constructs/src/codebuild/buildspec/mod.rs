//! A typed buildspec (version 0.2): the build commands and settings CodeBuild runs.
//!
//! A [`BuildSpec`] is built with chained methods, checked ([`BuildSpec::errors`],
//! [`BuildSpec::warnings`]) and rendered to YAML through the core emitter, with its sections
//! and keys in the order AWS documents them. A project embeds it inline or writes it as a
//! companion file (see [`BuildSpecLocation`](super::BuildSpecLocation)).
//!
//! ```
//! use stackwright_constructs::codebuild::{Artifacts, BuildSpec, Phase};
//! let spec = BuildSpec::new()
//!     .variable("NODE_ENV", "production")
//!     .parameter_store("DB_PASSWORD", "/myapp/prod/db-password")
//!     .install(Phase::new().runtime_version("nodejs", "18").command("npm ci"))
//!     .pre_build(Phase::with_commands(["npm test"]))
//!     .build(Phase::with_commands(["npm run build"]))
//!     .artifacts(Artifacts::new(["dist/**/*"]));
//! assert!(spec.errors().is_empty());
//! assert!(spec.to_yaml().starts_with("version: 0.2\n"));
//! ```

mod artifacts;
mod env;
pub(crate) mod lint;
mod phases;
mod render;

pub use artifacts::{Artifacts, Report, ReportFormat};
pub use env::Shell;
pub use phases::{OnFailure, Phase};

use env::Env;
use stackwright_core::emit::{self, Node};

/// The phases, in the order CodeBuild runs them.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Phases {
    pub(crate) install: Option<Phase>,
    pub(crate) pre_build: Option<Phase>,
    pub(crate) build: Option<Phase>,
    pub(crate) post_build: Option<Phase>,
}

impl Phases {
    /// `(name, phase)` of each phase present, in run order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&'static str, &Phase)> {
        [
            ("install", &self.install),
            ("pre_build", &self.pre_build),
            ("build", &self.build),
            ("post_build", &self.post_build),
        ]
        .into_iter()
        .filter_map(|(n, p)| p.as_ref().map(|p| (n, p)))
    }
}

/// A buildspec, version 0.2.
///
/// Secrets belong in [`parameter_store`](BuildSpec::parameter_store) or
/// [`secrets_manager`](BuildSpec::secrets_manager), never in plain
/// [`variable`](BuildSpec::variable)s; a project that uses the buildspec gets read access to
/// exactly the parameters and secrets it names.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BuildSpec {
    pub(crate) run_as: Option<String>,
    pub(crate) env: Env,
    pub(crate) phases: Phases,
    pub(crate) reports: Vec<(String, Report)>,
    pub(crate) artifacts: Option<Artifacts>,
    pub(crate) cache_paths: Option<Vec<String>>,
}

impl BuildSpec {
    /// An empty buildspec; give at least one phase commands.
    pub fn new() -> BuildSpec {
        BuildSpec::default()
    }

    /// Runs every command as this Linux user (`run-as`).
    pub fn run_as(mut self, user: impl Into<String>) -> Self {
        self.run_as = Some(user.into());
        self
    }

    /// The shell commands run in (`env.shell`).
    pub fn shell(mut self, shell: Shell) -> Self {
        self.env.shell = Some(shell);
        self
    }

    /// A plain-text variable (`env.variables`). Setting a name again replaces its value.
    /// Anything secret belongs in [`parameter_store`](Self::parameter_store) or
    /// [`secrets_manager`](Self::secrets_manager).
    pub fn variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        env::set(&mut self.env.variables, name.into(), value.into());
        self
    }

    /// A variable read from an SSM parameter at build time (`env.parameter-store`): `name`
    /// is the variable, `parameter` the parameter's name (`/myapp/prod/db-password`).
    pub fn parameter_store(
        mut self,
        name: impl Into<String>,
        parameter: impl Into<String>,
    ) -> Self {
        env::set(&mut self.env.parameter_store, name.into(), parameter.into());
        self
    }

    /// A variable read from Secrets Manager at build time (`env.secrets-manager`): `secret`
    /// is `secret-id[:json-key[:version-stage[:version-id]]]`, such as `prod/myapp:api_key`.
    pub fn secrets_manager(mut self, name: impl Into<String>, secret: impl Into<String>) -> Self {
        env::set(&mut self.env.secrets_manager, name.into(), secret.into());
        self
    }

    /// Exports a variable set during the build to the pipeline (`env.exported-variables`).
    /// Exported values are visible in the pipeline, so never export a secret.
    pub fn exported_variable(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        if !self.env.exported_variables.contains(&name) {
            self.env.exported_variables.push(name);
        }
        self
    }

    /// Lets git commands use CodeBuild's source credentials (`env.git-credential-helper`).
    pub fn git_credential_helper(mut self, on: bool) -> Self {
        self.env.git_credential_helper = Some(on);
        self
    }

    /// The `install` phase: runtime versions and tool installation.
    pub fn install(mut self, phase: Phase) -> Self {
        self.phases.install = Some(phase);
        self
    }

    /// The `pre_build` phase: logins and unit tests, before the build proper.
    pub fn pre_build(mut self, phase: Phase) -> Self {
        self.phases.pre_build = Some(phase);
        self
    }

    /// The `build` phase.
    pub fn build(mut self, phase: Phase) -> Self {
        self.phases.build = Some(phase);
        self
    }

    /// The `post_build` phase: pushing images, writing deployment files.
    pub fn post_build(mut self, phase: Phase) -> Self {
        self.phases.post_build = Some(phase);
        self
    }

    /// A test or coverage report (`reports`): `group` is a report group name (CodeBuild
    /// creates `<project-name>-<group>`) or a report group ARN.
    pub fn report(mut self, group: impl Into<String>, report: Report) -> Self {
        let group = group.into();
        match self.reports.iter_mut().find(|(g, _)| *g == group) {
            Some((_, r)) => *r = report,
            None => self.reports.push((group, report)),
        }
        self
    }

    /// The files the build outputs (`artifacts`).
    pub fn artifacts(mut self, artifacts: Artifacts) -> Self {
        self.artifacts = Some(artifacts);
        self
    }

    /// Paths kept between builds (`cache.paths`); the project needs an S3 cache or a local
    /// custom cache for them to take effect.
    pub fn cache_paths<S: Into<String>>(mut self, paths: impl IntoIterator<Item = S>) -> Self {
        self.cache_paths.get_or_insert_with(Vec::new).extend(paths.into_iter().map(Into::into));
        self
    }

    /// Every rule this buildspec breaks; CodeBuild would reject it or run it wrongly.
    pub fn errors(&self) -> Vec<String> {
        lint::errors(self)
    }

    /// What is legal but unwise: secrets in plain text, images pushed only as `latest`,
    /// tests that run after the image build.
    pub fn warnings(&self) -> Vec<String> {
        lint::warnings(self)
    }

    /// The buildspec as a tree, keys in AWS's documented order.
    pub fn to_node(&self) -> Node {
        render::render(self)
    }

    /// The buildspec as YAML text.
    pub fn to_yaml(&self) -> String {
        emit::to_yaml(&self.to_node())
    }

    /// The buildspec as a JSON value (for tests and tooling).
    pub fn to_json_value(&self) -> serde_json::Value {
        self.to_node().to_value()
    }

    /// The parameter names `env.parameter-store` reads.
    pub fn parameters(&self) -> impl Iterator<Item = &str> {
        self.env.parameter_store.iter().map(|(_, p)| p.as_str())
    }

    /// The secret references `env.secrets-manager` reads.
    pub fn secrets(&self) -> impl Iterator<Item = &str> {
        self.env.secrets_manager.iter().map(|(_, s)| s.as_str())
    }

    /// The first command that runs Docker, if any.
    pub(crate) fn docker_command(&self) -> Option<String> {
        lint::docker_command(self)
    }

    /// Whether the buildspec has a `cache` section.
    pub(crate) fn has_cache_paths(&self) -> bool {
        self.cache_paths.is_some()
    }
}

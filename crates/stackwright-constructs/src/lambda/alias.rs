//! Versions and aliases: what a CodeDeploy deployment shifts traffic between.

use crate::Stateless;
use stackwright_aws::lambda as l1;
use stackwright_core::kind;
use stackwright_core::{ConstructRef, Handle, Scope, Val};

use super::Function;

/// How to build a [`Version`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VersionProps {
    description: Option<Val<String>>,
    code_sha256: Option<Val<String>>,
}

impl VersionProps {
    /// No description and no code hash.
    pub fn new() -> VersionProps {
        VersionProps::default()
    }

    /// Sets the description. Changing it publishes a new version (the resource is
    /// replaced), so a build revision here publishes one version per build.
    pub fn description(mut self, text: impl Into<Val<String>>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Sets the SHA-256 of the code the version must have (`CodeSha256`); changing it
    /// publishes a new version.
    pub fn code_sha256(mut self, sha: impl Into<Val<String>>) -> Self {
        self.code_sha256 = Some(sha.into());
        self
    }

    pub(crate) fn has_description(&self) -> bool {
        self.description.is_some()
    }
}

/// A published, immutable version of a function (`AWS::Lambda::Version`).
///
/// CloudFormation publishes a version when this resource is created or replaced, not when
/// the function's code changes: change its description or code hash with the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Version {
    node: ConstructRef<Stateless>,
    resource: l1::VersionRef,
    /// The function it is a version of.
    function: l1::FunctionRef,
}

impl Version {
    /// Publishes a version of `function` as the construct `id` in `scope`.
    #[track_caller]
    pub fn new(
        scope: &mut Scope<'_>,
        id: &str,
        function: &Function,
        props: VersionProps,
    ) -> Version {
        let (node, mut inner) = scope.construct(id, Stateless::new("Version"));
        let mut v =
            l1::Version::new(l1::VersionRequired { function_name: function.function_name() });
        v.description = props.description;
        v.code_sha256 = props.code_sha256;
        Version { node, resource: inner.add("Resource", v), function: function.resource() }
    }

    /// The construct node, for its path and children.
    pub fn node(&self) -> ConstructRef<Stateless> {
        self.node
    }

    /// The L1 handle, for escape hatches.
    pub fn resource(&self) -> l1::VersionRef {
        self.resource
    }

    /// The version number.
    pub fn version(&self) -> Val<String> {
        self.resource.version()
    }

    /// The version's ARN (`Ref`: the function ARN qualified by the version).
    pub fn arn(&self) -> Val<kind::FunctionArn> {
        self.resource.reference()
    }

    /// The name of the function this is a version of.
    pub fn function_name(&self) -> Val<String> {
        self.function.reference()
    }
}

/// What to do about an alias name Lambda refuses.
pub(crate) const ALIAS_NAME_FIX: &str =
    "use 1 to 128 letters, digits, `-` and `_`, and not only digits";

/// What is wrong with an alias name, as Lambda checks it: 1 to 128 characters of
/// `[a-zA-Z0-9-_]`, not all digits (that would read as a version number).
pub(crate) fn alias_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("the alias name is empty".to_owned());
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Some(format!("alias name `{name}` has characters Lambda does not accept"));
    }
    if name.chars().all(|c| c.is_ascii_digit()) {
        return Some(format!(
            "alias name `{name}` is only digits, which Lambda reads as a version number"
        ));
    }
    if name.len() > 128 {
        return Some(format!("alias name `{name}` is {} characters long", name.len()));
    }
    None
}

/// How to build an [`Alias`].
#[derive(Clone, Debug, PartialEq)]
pub struct AliasProps {
    name: String,
    version: Version,
    description: Option<String>,
}

impl AliasProps {
    /// The alias `name` (`live`) pointing at `version`, of the function `version` belongs
    /// to: the function is given once, with the version. The name is 1 to 128 letters,
    /// digits, `-` and `_`, and not only digits; anything else is a synth error.
    pub fn new(name: impl Into<String>, version: &Version) -> AliasProps {
        AliasProps { name: name.into(), version: *version, description: None }
    }

    /// Sets the description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }
}

/// A named pointer to a function version (`AWS::Lambda::Alias`): callers invoke the alias,
/// and a CodeDeploy deployment moves it from one version to the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Alias {
    node: ConstructRef<Stateless>,
    resource: l1::AliasRef,
    // The function's name, kept to name hooks and grants; `Ref` of an alias is its ARN.
    function: l1::FunctionRef,
}

impl Alias {
    /// Creates the alias as the construct `id` in `scope`, for the function of the version
    /// in `props`.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str, props: AliasProps) -> Alias {
        let (node, mut inner) = scope.construct(id, Stateless::new("Alias"));
        let name = props.name;
        // Checked here in full, the length too, so the L1 does not report it again.
        if let Some(problem) = alias_name_problem(&name) {
            inner.error("lambda.alias-name", problem, ALIAS_NAME_FIX);
        }
        let version = props.version;
        let mut a = l1::Alias::new(l1::AliasRequired {
            function_name: version.function_name(),
            function_version: version.version(),
            name,
        });
        a.description = props.description.map(Val::from);
        let resource = inner.add("Resource", a);
        // The name is checked above in Lambda's words: its length and its pattern.
        if let Some(node) = inner.node(resource) {
            node.cover_property_checks(["Name"]);
        }
        Alias { node, resource, function: version.function }
    }

    /// The construct node, for its path and children.
    pub fn node(&self) -> ConstructRef<Stateless> {
        self.node
    }

    /// The L1 handle, for escape hatches (`scope.node(alias.resource())`).
    pub fn resource(&self) -> l1::AliasRef {
        self.resource
    }

    /// The alias ARN (`Ref`).
    pub fn arn(&self) -> Val<kind::FunctionArn> {
        self.resource.reference()
    }

    /// The name of the function the alias belongs to.
    pub fn function_name(&self) -> Val<String> {
        self.function.reference()
    }
}

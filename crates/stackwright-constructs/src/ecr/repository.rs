//! The `Repository` construct and the resource wrapper that keeps its lifecycle rules typed
//! until synth.

use stackwright_aws::ecr::repository as l1;
use stackwright_core::{
    ConstructRef, ConstructState, Expr, Handle, RemovalPolicy, Scope, Val, sub,
};

use super::{LifecyclePolicy, LifecycleRule};
use crate::iam::{Grantee, PolicyStatement};

/// Whether pushing an existing tag again may move it to a new image.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TagMutability {
    /// Tags can move (`MUTABLE`, ECR's default): needed to push `latest` again and again.
    Mutable,
    /// Tags never move (`IMMUTABLE`): a deployed tag always means the same image.
    Immutable,
    /// Tags can move except those matching these wildcard patterns
    /// (`MUTABLE_WITH_EXCLUSION`, 1 to 5 patterns).
    MutableWithExclusion(Vec<String>),
    /// Tags never move except those matching these wildcard patterns, such as `latest`
    /// (`IMMUTABLE_WITH_EXCLUSION`, 1 to 5 patterns).
    ImmutableWithExclusion(Vec<String>),
}

impl TagMutability {
    fn value(&self) -> l1::RepositoryImageTagMutability {
        use l1::RepositoryImageTagMutability as M;
        match self {
            TagMutability::Mutable => M::Mutable,
            TagMutability::Immutable => M::Immutable,
            TagMutability::MutableWithExclusion(_) => M::MutableWithExclusion,
            TagMutability::ImmutableWithExclusion(_) => M::ImmutableWithExclusion,
        }
    }

    fn exclusions(&self) -> Option<&[String]> {
        match self {
            TagMutability::Mutable | TagMutability::Immutable => None,
            TagMutability::MutableWithExclusion(p) | TagMutability::ImmutableWithExclusion(p) => {
                Some(p)
            }
        }
    }
}

/// How images are encrypted at rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum RepositoryEncryption {
    /// Amazon S3-managed keys (`AES256`): free, nothing to manage. The default.
    #[default]
    Aes256,
    /// KMS with the AWS-managed `aws/ecr` key (`KMS` without a key).
    AwsManagedKms,
    /// KMS with this customer-managed key (ID, ARN or alias).
    Kms(Val<String>),
}

/// How to build a [`Repository`]. Every field has a default; the builder methods set them.
#[derive(Clone, Debug, PartialEq)]
pub struct RepositoryProps {
    repository_name: Option<Val<String>>,
    image_scan_on_push: bool,
    image_tag_mutability: TagMutability,
    encryption: RepositoryEncryption,
    lifecycle_rules: Vec<LifecycleRule>,
    empty_on_delete: bool,
    removal_policy: RemovalPolicy,
}

impl Default for RepositoryProps {
    fn default() -> Self {
        RepositoryProps {
            repository_name: None,
            image_scan_on_push: true,
            image_tag_mutability: TagMutability::Immutable,
            encryption: RepositoryEncryption::Aes256,
            lifecycle_rules: Vec::new(),
            empty_on_delete: false,
            removal_policy: RemovalPolicy::Retain,
        }
    }
}

impl RepositoryProps {
    /// Defaults: images scanned on push, immutable tags, AES256 encryption, no lifecycle
    /// rules, and the
    /// repository (with its images) kept when it leaves the stack.
    pub fn new() -> RepositoryProps {
        RepositoryProps::default()
    }

    /// Fixes the repository name: lowercase letters and digits in parts separated by `.`,
    /// `_`, `__` or dashes, optionally under `/`-separated namespaces (`team/myapp`).
    pub fn repository_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.repository_name = Some(name.into());
        self
    }

    /// Whether each pushed image is scanned for vulnerabilities (default `true`).
    pub fn image_scan_on_push(mut self, on: bool) -> Self {
        self.image_scan_on_push = on;
        self
    }

    /// Sets whether tags may move to new images (default `Immutable`: a deployed tag always
    /// names the same image; a build that pushes `latest` again needs
    /// `ImmutableWithExclusion(vec!["latest".into()])`).
    pub fn image_tag_mutability(mut self, mutability: TagMutability) -> Self {
        self.image_tag_mutability = mutability;
        self
    }

    /// Sets the encryption at rest. Changing it later replaces the repository.
    pub fn encryption(mut self, encryption: RepositoryEncryption) -> Self {
        self.encryption = encryption;
        self
    }

    /// Replaces the lifecycle rules.
    pub fn lifecycle_rules(mut self, rules: impl IntoIterator<Item = LifecycleRule>) -> Self {
        self.lifecycle_rules = rules.into_iter().collect();
        self
    }

    /// Adds a lifecycle rule after the others.
    pub fn lifecycle_rule(mut self, rule: LifecycleRule) -> Self {
        self.lifecycle_rules.push(rule);
        self
    }

    /// Lets CloudFormation delete the repository even when it still holds images
    /// (`EmptyOnDelete`). Needs [`removal_policy`](Self::removal_policy) `Delete`.
    pub fn empty_on_delete(mut self, on: bool) -> Self {
        self.empty_on_delete = on;
        self
    }

    /// What happens to the repository when it leaves the stack or is replaced (default
    /// `Retain`, since images are usually not reproducible). `Snapshot` is not supported.
    pub fn removal_policy(mut self, policy: RemovalPolicy) -> Self {
        self.removal_policy = policy;
        self
    }
}

/// What a [`Repository`] keeps until synth: its lifecycle rules, typed, so rules added after
/// creation are numbered, checked and rendered into `LifecyclePolicyText` together.
#[derive(Clone, Debug, PartialEq)]
pub struct RepositoryState {
    lifecycle: LifecyclePolicy,
}

impl RepositoryState {
    /// The lifecycle rules.
    pub fn lifecycle_policy(&self) -> &LifecyclePolicy {
        &self.lifecycle
    }
}

impl ConstructState for RepositoryState {
    fn kind(&self) -> &'static str {
        "Repository"
    }

    fn render(&self, scope: &mut Scope<'_>) {
        if self.lifecycle.is_empty() {
            return;
        }
        let Some(resource) = scope.slot_resource::<l1::RepositoryRef>("Resource") else { return };
        if let Some(r) = scope.app().get_mut::<l1::Repository>(resource) {
            // A registry ID set on the L1 stays; only the text is ours.
            let policy =
                r.lifecycle_policy.take().map_or_else(l1::LifecyclePolicy::new, |boxed| *boxed);
            r.lifecycle_policy =
                Some(Box::new(policy.lifecycle_policy_text(self.lifecycle.to_json_string())));
        }
        // The rules are checked here with ECR's own rules and messages (the length too).
        if let Some(node) = scope.node(resource) {
            node.cover_property_checks(["LifecyclePolicy.LifecyclePolicyText"]);
        }
        for m in self.lifecycle.validate() {
            let message = format!("property `LifecyclePolicy.LifecyclePolicyText`: {m}");
            scope.error("ecr.lifecycle-policy", message, "");
        }
    }
}

/// An ECR repository: scanned on push, encrypted, kept on stack deletion, with typed
/// lifecycle rules and least-privilege pull and push grants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Repository {
    node: ConstructRef<RepositoryState>,
    resource: l1::RepositoryRef,
}

impl Repository {
    /// Creates the repository as the construct `id` in `scope`.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str, props: RepositoryProps) -> Repository {
        let state = RepositoryState { lifecycle: LifecyclePolicy::with(props.lifecycle_rules) };
        let (node, mut inner) = scope.construct(id, state);
        let mut name_reported = false;
        if let Some(Expr::Str(name)) = props.repository_name.as_ref().map(Val::expr)
            && let Some(m) = name_problem(name)
        {
            inner.error("ecr.repository-name", m, "");
            name_reported = true;
        }
        if props.empty_on_delete && props.removal_policy != RemovalPolicy::Delete {
            inner.error("ecr.empty-on-delete", format!("empty_on_delete only matters when CloudFormation deletes the repository, but the removal policy is {}", props.removal_policy.name()), "also set .removal_policy(RemovalPolicy::Delete)");
        }
        if props.removal_policy == RemovalPolicy::Snapshot {
            inner.error(
                "ecr.removal-policy",
                "ECR repositories cannot be snapshotted",
                "use RemovalPolicy::Retain or RemovalPolicy::Delete",
            );
        }

        let mut r = l1::Repository::new();
        // A name reported above stays out of the L1, whose pattern would report it again.
        r.repository_name = props.repository_name.filter(|_| !name_reported);
        r.image_scanning_configuration = Some(Box::new(
            l1::ImageScanningConfiguration::new().scan_on_push(props.image_scan_on_push),
        ));
        {
            let m = &props.image_tag_mutability;
            r.image_tag_mutability = Some(m.value().into());
            if let Some(patterns) = m.exclusions() {
                // Reported here in the user's terms and kept out of the L1, so its item
                // count check does not report the same thing again.
                if (1..=5).contains(&patterns.len()) {
                    r.image_tag_mutability_exclusion_filters = patterns
                        .iter()
                        .map(|p| {
                            l1::ImageTagMutabilityExclusionFilter::new(l1::ImageTagMutabilityExclusionFilterRequired { image_tag_mutability_exclusion_filter_type: l1::ImageTagMutabilityExclusionFilterImageTagMutabilityExclusionFilterType::Wildcard, image_tag_mutability_exclusion_filter_value: p.as_str() })
                        })
                        .collect();
                } else {
                    inner.error(
                        "ecr.exclusion-patterns",
                        format!("{} needs 1 to 5 exclusion patterns", m.value().as_str()),
                        format!("got {}", patterns.len()),
                    );
                }
            }
        }
        // AES256 is the service default; stating it keeps the template honest about what it
        // relies on.
        r.encryption_configuration = Some(Box::new(match props.encryption {
            RepositoryEncryption::Aes256 => {
                l1::EncryptionConfiguration::new(l1::EncryptionConfigurationRequired {
                    encryption_type: l1::EncryptionConfigurationEncryptionType::Aes256,
                })
            }
            RepositoryEncryption::AwsManagedKms => {
                l1::EncryptionConfiguration::new(l1::EncryptionConfigurationRequired {
                    encryption_type: l1::EncryptionConfigurationEncryptionType::Kms,
                })
            }
            RepositoryEncryption::Kms(key) => {
                l1::EncryptionConfiguration::new(l1::EncryptionConfigurationRequired {
                    encryption_type: l1::EncryptionConfigurationEncryptionType::Kms,
                })
                .kms_key(key)
            }
        }));
        if props.empty_on_delete {
            r.empty_on_delete = Some(true.into());
        }
        let resource = inner.add("Resource", r);
        // Both policies, so a replacement does not delete the old repository either (cfn-lint
        // warns when only DeletionPolicy is set). UpdateReplacePolicy has no "retain except"
        // form; a replaced repository is simply kept then.
        let on_replace = match props.removal_policy {
            RemovalPolicy::RetainExceptOnCreate => RemovalPolicy::Retain,
            p => p,
        };
        if let Some(node) = inner.node(resource) {
            node.set_deletion_policy(props.removal_policy).set_update_replace_policy(on_replace);
        }
        Repository { node, resource }
    }

    /// The construct node, for its path, children and state.
    pub fn node(&self) -> ConstructRef<RepositoryState> {
        self.node
    }

    /// The L1 handle, for escape hatches (`scope.node(repo.resource())`). Its
    /// `LifecyclePolicyText` is written from the typed rules at synth.
    pub fn resource(&self) -> l1::RepositoryRef {
        self.resource
    }

    /// The repository ARN.
    pub fn arn(&self) -> Val<String> {
        self.resource.arn()
    }

    /// The repository name (`Ref`).
    pub fn repository_name(&self) -> Val<String> {
        self.resource.reference()
    }

    /// The repository URI, `<account>.dkr.ecr.<region>.amazonaws.com/<name>`.
    pub fn repository_uri(&self) -> Val<String> {
        self.resource.repository_uri()
    }

    /// The URI of one image, `<uri>:<tag>`, as buildspecs and task definitions name it.
    pub fn uri_for_tag(&self, tag: impl Into<Val<String>>) -> Val<String> {
        sub!("{}:{}", self.repository_uri(), tag.into())
    }

    /// Adds a lifecycle rule after the others; checked and numbered with them at synth.
    #[track_caller]
    pub fn add_lifecycle_rule(&self, scope: &mut Scope<'_>, rule: LifecycleRule) {
        match scope.app().state_mut(self.node) {
            Some(r) => r.lifecycle.add(rule),
            None => scope.foreign_handle("the repository"),
        }
    }

    /// Lets `grantee` pull images: `docker pull` after `docker login`.
    #[track_caller]
    pub fn grant_pull(&self, scope: &mut Scope<'_>, grantee: &impl Grantee) {
        self.grant(scope, grantee, PULL);
    }

    /// Lets `grantee` push images: `docker push` after `docker login`.
    #[track_caller]
    pub fn grant_push(&self, scope: &mut Scope<'_>, grantee: &impl Grantee) {
        self.grant(scope, grantee, PUSH);
    }

    /// Lets `grantee` pull and push images, as a build that starts `FROM` its own previous
    /// image does.
    #[track_caller]
    pub fn grant_pull_push(&self, scope: &mut Scope<'_>, grantee: &impl Grantee) {
        self.grant(scope, grantee, PULL);
        self.grant(scope, grantee, PUSH);
    }

    fn grant(&self, scope: &mut Scope<'_>, grantee: &impl Grantee, actions: &[&str]) {
        grantee.add_to_principal_policy(
            scope,
            PolicyStatement::allow().actions(actions.iter().copied()).resource(self.arn()),
        );
        // `docker login` needs a registry token, and ecr:GetAuthorizationToken does not take
        // a resource: IAM only accepts it on `*`. It grants no access to any repository by
        // itself, so it stays apart from the repository statement.
        grantee.add_to_principal_policy(
            scope,
            PolicyStatement::allow().action("ecr:GetAuthorizationToken").resource("*"),
        );
    }
}

const PULL: &[&str] =
    &["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"];

const PUSH: &[&str] = &[
    "ecr:BatchCheckLayerAvailability",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:PutImage",
];

/// ECR's name rule: `/`-separated parts, each lowercase letters and digits joined by `.`,
/// `_`, `__` or a run of dashes. The length (2 to 256) is the L1's check.
fn name_problem(name: &str) -> Option<String> {
    let ok = !name.is_empty() && name.split('/').all(part_ok);
    (!ok).then(|| {
        format!(
            "repository name `{name}` is not one ECR accepts: use lowercase letters and digits, joined by `.`, `_`, `__` or `-` and optionally grouped under `/` namespaces (`team/my-app`), with no separator at either end"
        )
    })
}

fn part_ok(part: &str) -> bool {
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    if !part.starts_with(alnum) || !part.ends_with(alnum) {
        return false;
    }
    part.split(alnum)
        .filter(|sep| !sep.is_empty())
        .all(|sep| matches!(sep, "." | "_" | "__") || sep.chars().all(|c| c == '-'))
}

#[cfg(test)]
mod tests {
    use super::name_problem;

    #[test]
    fn names_follow_ecr_pattern() {
        for ok in ["myapp", "team/my-app", "a.b_c__d--e", "x1/y2/z3"] {
            assert_eq!(name_problem(ok), None, "{ok}");
        }
        for bad in ["MyApp", "-app", "app-", "a..b", "a___b", "a/", "/a", "a//b", "a_-b", "my app"]
        {
            assert!(name_problem(bad).is_some(), "{bad}");
        }
    }
}

//! The build environment: compute type, image, environment variables.

use stackwright_core::{Arn, Val};

/// How much CPU and memory a build gets. You pay per build minute: pick the smallest that
/// works.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ComputeType {
    /// `BUILD_GENERAL1_SMALL`: 3 GB, 2 vCPUs. The default.
    #[default]
    Small,
    /// `BUILD_GENERAL1_MEDIUM`: 7 GB, 4 vCPUs.
    Medium,
    /// `BUILD_GENERAL1_LARGE`: 15 GB, 8 vCPUs.
    Large,
    /// `BUILD_GENERAL1_XLARGE`.
    XLarge,
    /// `BUILD_GENERAL1_2XLARGE`.
    X2Large,
    /// `BUILD_LAMBDA_1GB`: runs on Lambda (Lambda images only, no Docker).
    Lambda1Gb,
    /// `BUILD_LAMBDA_2GB`.
    Lambda2Gb,
    /// `BUILD_LAMBDA_4GB`.
    Lambda4Gb,
    /// `BUILD_LAMBDA_8GB`.
    Lambda8Gb,
    /// `BUILD_LAMBDA_10GB`.
    Lambda10Gb,
}

impl ComputeType {
    /// The name CodeBuild uses.
    pub fn as_str(self) -> &'static str {
        match self {
            ComputeType::Small => "BUILD_GENERAL1_SMALL",
            ComputeType::Medium => "BUILD_GENERAL1_MEDIUM",
            ComputeType::Large => "BUILD_GENERAL1_LARGE",
            ComputeType::XLarge => "BUILD_GENERAL1_XLARGE",
            ComputeType::X2Large => "BUILD_GENERAL1_2XLARGE",
            ComputeType::Lambda1Gb => "BUILD_LAMBDA_1GB",
            ComputeType::Lambda2Gb => "BUILD_LAMBDA_2GB",
            ComputeType::Lambda4Gb => "BUILD_LAMBDA_4GB",
            ComputeType::Lambda8Gb => "BUILD_LAMBDA_8GB",
            ComputeType::Lambda10Gb => "BUILD_LAMBDA_10GB",
        }
    }

    /// Whether builds run on Lambda rather than in a container.
    pub fn is_lambda(self) -> bool {
        matches!(
            self,
            ComputeType::Lambda1Gb
                | ComputeType::Lambda2Gb
                | ComputeType::Lambda4Gb
                | ComputeType::Lambda8Gb
                | ComputeType::Lambda10Gb
        )
    }
}

#[derive(Clone, Debug, PartialEq)]
enum ImageRef {
    /// A CodeBuild-managed image.
    Managed(&'static str),
    /// A public registry image (Docker Hub); pulled with CodeBuild's credentials.
    Registry(String),
    /// An ECR image, pulled with the project's role; the repository ARN when known.
    Ecr { uri: Val<String>, repository_arn: Option<Val<String>> },
}

/// A Linux build image: a CodeBuild-managed one (the constants) or a custom one from ECR or
/// a public registry.
#[derive(Clone, Debug, PartialEq)]
pub struct LinuxBuildImage {
    image: ImageRef,
    arm: bool,
    lambda: bool,
}

const fn managed(name: &'static str, arm: bool, lambda: bool) -> LinuxBuildImage {
    LinuxBuildImage { image: ImageRef::Managed(name), arm, lambda }
}

impl LinuxBuildImage {
    /// `aws/codebuild/standard:5.0` (Ubuntu 20.04).
    pub const STANDARD_5_0: LinuxBuildImage = managed("aws/codebuild/standard:5.0", false, false);
    /// `aws/codebuild/standard:6.0` (Ubuntu 22.04).
    pub const STANDARD_6_0: LinuxBuildImage = managed("aws/codebuild/standard:6.0", false, false);
    /// `aws/codebuild/standard:7.0` (Ubuntu 22.04). The default.
    pub const STANDARD_7_0: LinuxBuildImage = managed("aws/codebuild/standard:7.0", false, false);
    /// `aws/codebuild/amazonlinux2-x86_64-standard:4.0`.
    pub const AMAZON_LINUX_2_4: LinuxBuildImage =
        managed("aws/codebuild/amazonlinux2-x86_64-standard:4.0", false, false);
    /// `aws/codebuild/amazonlinux2-x86_64-standard:5.0`.
    pub const AMAZON_LINUX_2_5: LinuxBuildImage =
        managed("aws/codebuild/amazonlinux2-x86_64-standard:5.0", false, false);
    /// `aws/codebuild/amazonlinux-x86_64-standard:5.0` (Amazon Linux 2023).
    pub const AMAZON_LINUX_2023_5: LinuxBuildImage =
        managed("aws/codebuild/amazonlinux-x86_64-standard:5.0", false, false);
    /// `aws/codebuild/amazonlinux2-aarch64-standard:2.0` (ARM).
    pub const AMAZON_LINUX_2_ARM_2: LinuxBuildImage =
        managed("aws/codebuild/amazonlinux2-aarch64-standard:2.0", true, false);
    /// `aws/codebuild/amazonlinux2-aarch64-standard:3.0` (ARM).
    pub const AMAZON_LINUX_2_ARM_3: LinuxBuildImage =
        managed("aws/codebuild/amazonlinux2-aarch64-standard:3.0", true, false);
    /// `aws/codebuild/amazonlinux-aarch64-standard:3.0` (Amazon Linux 2023, ARM).
    pub const AMAZON_LINUX_2023_ARM_3: LinuxBuildImage =
        managed("aws/codebuild/amazonlinux-aarch64-standard:3.0", true, false);
    /// `aws/codebuild/amazonlinux-x86_64-lambda-standard:nodejs18` (Lambda compute only).
    pub const LAMBDA_NODEJS_18: LinuxBuildImage =
        managed("aws/codebuild/amazonlinux-x86_64-lambda-standard:nodejs18", false, true);
    /// `aws/codebuild/amazonlinux-x86_64-lambda-standard:nodejs20` (Lambda compute only).
    pub const LAMBDA_NODEJS_20: LinuxBuildImage =
        managed("aws/codebuild/amazonlinux-x86_64-lambda-standard:nodejs20", false, true);
    /// `aws/codebuild/amazonlinux-x86_64-lambda-standard:python3.12` (Lambda compute only).
    pub const LAMBDA_PYTHON_3_12: LinuxBuildImage =
        managed("aws/codebuild/amazonlinux-x86_64-lambda-standard:python3.12", false, true);
    /// `aws/codebuild/amazonlinux-aarch64-lambda-standard:nodejs20` (Lambda compute, ARM).
    pub const LAMBDA_ARM_NODEJS_20: LinuxBuildImage =
        managed("aws/codebuild/amazonlinux-aarch64-lambda-standard:nodejs20", true, true);

    /// A custom image in ECR, by its URI
    /// (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag]`). The project's role
    /// pulls it (`ImagePullCredentialsType: SERVICE_ROLE`) and gets ECR pull permissions on
    /// that repository. For a URI that is not a literal, use
    /// [`from_ecr_repository`](Self::from_ecr_repository).
    pub fn from_ecr(image_uri: impl Into<String>) -> LinuxBuildImage {
        LinuxBuildImage {
            image: ImageRef::Ecr { uri: Val::from(image_uri.into()), repository_arn: None },
            arm: false,
            lambda: false,
        }
    }

    /// A custom image in ECR given by expressions: the repository's ARN (for the pull
    /// permissions) and the image URI with its tag.
    pub fn from_ecr_repository(
        repository_arn: impl Into<Val<String>>,
        image_uri: impl Into<Val<String>>,
    ) -> LinuxBuildImage {
        LinuxBuildImage {
            image: ImageRef::Ecr {
                uri: image_uri.into(),
                repository_arn: Some(repository_arn.into()),
            },
            arm: false,
            lambda: false,
        }
    }

    /// A public image from Docker Hub (`node:20`).
    pub fn from_docker_registry(name: impl Into<String>) -> LinuxBuildImage {
        LinuxBuildImage { image: ImageRef::Registry(name.into()), arm: false, lambda: false }
    }

    /// Marks a custom image as built for ARM (`ARM_CONTAINER`).
    pub fn arm(mut self, on: bool) -> Self {
        self.arm = on;
        self
    }

    /// The image name or URI.
    pub fn image(&self) -> Val<String> {
        match &self.image {
            ImageRef::Managed(name) => Val::from(*name),
            ImageRef::Registry(name) => Val::from(name),
            ImageRef::Ecr { uri, .. } => uri.clone(),
        }
    }

    /// Whether the image runs on ARM.
    pub fn is_arm(&self) -> bool {
        self.arm
    }

    /// Whether the image is a Lambda image.
    pub fn is_lambda(&self) -> bool {
        self.lambda
    }

    /// The environment type for this image: `LINUX_CONTAINER`, `ARM_CONTAINER`,
    /// `LINUX_LAMBDA_CONTAINER` or `ARM_LAMBDA_CONTAINER`.
    pub fn environment_type(&self) -> &'static str {
        match (self.arm, self.lambda) {
            (false, false) => "LINUX_CONTAINER",
            (true, false) => "ARM_CONTAINER",
            (false, true) => "LINUX_LAMBDA_CONTAINER",
            (true, true) => "ARM_LAMBDA_CONTAINER",
        }
    }

    pub(crate) fn is_ecr(&self) -> bool {
        matches!(self.image, ImageRef::Ecr { .. })
    }

    /// For an ECR image, the repository ARN the role must pull from: given, or derived from
    /// a literal URI. `Err` with the URI when it cannot be derived.
    pub(crate) fn ecr_repository_arn(&self) -> Option<Result<Val<String>, String>> {
        let ImageRef::Ecr { uri, repository_arn } = &self.image else {
            return None;
        };
        if let Some(arn) = repository_arn {
            return Some(Ok(arn.clone()));
        }
        let text = uri.expr().as_str().unwrap_or_default();
        Some(ecr_arn_from_uri(text).ok_or_else(|| text.to_owned()))
    }
}

/// `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>[:tag|@digest]` -> the
/// repository ARN.
fn ecr_arn_from_uri(uri: &str) -> Option<Val<String>> {
    let (host, path) = uri.split_once('/')?;
    let mut parts = host.split('.');
    let account = parts.next()?;
    let (dkr, ecr, region) = (parts.next()?, parts.next()?, parts.next()?);
    let ok = account.len() == 12
        && account.chars().all(|c| c.is_ascii_digit())
        && dkr == "dkr"
        && ecr == "ecr"
        && !region.is_empty()
        && parts.next() == Some("amazonaws");
    if !ok {
        return None;
    }
    let repo = path.split('@').next().unwrap_or(path);
    let repo = match repo.rsplit_once(':') {
        Some((r, _)) => r,
        None => repo,
    };
    if repo.is_empty() {
        return None;
    }
    Some(Arn::new("ecr", "repository", repo).region(region).account(account).to_val())
}

/// Where an environment variable's value comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum EnvironmentVariableType {
    /// `PLAINTEXT`: the value itself, visible in the console. Never for secrets.
    #[default]
    Plaintext,
    /// `PARAMETER_STORE`: the value is an SSM parameter name.
    ParameterStore,
    /// `SECRETS_MANAGER`: the value is `secret-id[:json-key[:version-stage[:version-id]]]`.
    SecretsManager,
}

impl EnvironmentVariableType {
    /// The name CodeBuild uses.
    pub fn as_str(self) -> &'static str {
        match self {
            EnvironmentVariableType::Plaintext => "PLAINTEXT",
            EnvironmentVariableType::ParameterStore => "PARAMETER_STORE",
            EnvironmentVariableType::SecretsManager => "SECRETS_MANAGER",
        }
    }
}

/// An environment variable of the project (set for every build, before the buildspec's).
#[derive(Clone, Debug, PartialEq)]
pub struct EnvironmentVariable {
    /// The value, or the parameter name or secret reference.
    pub value: Val<String>,
    /// Where the value comes from.
    pub kind: EnvironmentVariableType,
}

impl EnvironmentVariable {
    /// A plain-text value.
    pub fn plaintext(value: impl Into<Val<String>>) -> EnvironmentVariable {
        EnvironmentVariable { value: value.into(), kind: EnvironmentVariableType::Plaintext }
    }

    /// A value read from an SSM parameter (by name) at build time.
    pub fn parameter_store(parameter: impl Into<Val<String>>) -> EnvironmentVariable {
        EnvironmentVariable {
            value: parameter.into(),
            kind: EnvironmentVariableType::ParameterStore,
        }
    }

    /// A value read from Secrets Manager at build time.
    pub fn secrets_manager(secret: impl Into<Val<String>>) -> EnvironmentVariable {
        EnvironmentVariable { value: secret.into(), kind: EnvironmentVariableType::SecretsManager }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stackwright_core::{Environment, Expr, pseudo, sub};

    #[test]
    fn ecr_uris_give_repository_arns() {
        let arn = ecr_arn_from_uri("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:1.2");
        let Some(Expr::Arn(arn)) = arn.map(Val::into_expr) else {
            panic!("no ARN for an ECR image URI");
        };
        // The URI's own region and account, whatever the stack's.
        assert_eq!(
            arn.format(&Environment::new("111111111111", "eu-west-1")),
            sub!("arn:{}:ecr:us-east-1:123456789012:repository/team/app", pseudo::partition())
        );
        assert!(ecr_arn_from_uri("docker.io/library/node:20").is_none());
        assert!(ecr_arn_from_uri("123456789.dkr.ecr.us-east-1.amazonaws.com/app").is_none());
    }
}

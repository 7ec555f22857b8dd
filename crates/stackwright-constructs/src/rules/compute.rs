//! Rules for ECS clusters and task definitions and CodeBuild projects.

use stackwright_core::emit::Node;
use stackwright_core::security::ResourceView;
use stackwright_core::{SecurityRule, Severity};

use super::checks::{is_true, items, text};

/// Clusters record container metrics and logs with Container Insights.
pub static ECS_CONTAINER_INSIGHTS: SecurityRule = SecurityRule {
    id: "ecs.container-insights",
    severity: Severity::Low,
    resource_types: &["AWS::ECS::Cluster"],
    cdk_nag: &["AwsSolutions-ECS4"],
    checkov: &["CKV_AWS_65"],
    guard: &["ECS_CONTAINER_INSIGHTS_ENABLED"],
    message: "the cluster does not record Container Insights",
    fix: "leave ClusterProps::container_insights at ContainerInsights::Enabled (the default), or set ClusterSettings \
          `containerInsights` to `enabled`",
    check: |r, out| {
        let on = items(r.property("ClusterSettings")).into_iter().any(|s| {
            text(s.get("Name")) == Some("containerInsights")
                && matches!(text(s.get("Value")), Some("enabled" | "enhanced"))
        });
        if !on {
            out.push(String::new());
        }
    },
};

/// EFS volumes of a task definition encrypt data in transit.
pub static ECS_EFS_TRANSIT_ENCRYPTION: SecurityRule = SecurityRule {
    id: "ecs.efs-transit-encryption",
    severity: Severity::High,
    resource_types: &["AWS::ECS::TaskDefinition"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_97"],
    guard: &["ECS_TASK_DEFINITION_EFS_ENCRYPTION_ENABLED"],
    message: "an EFS volume of the task definition is mounted without encryption in transit",
    fix: "set the volume's EFSVolumeConfiguration TransitEncryption to `ENABLED`",
    check: efs_transit,
};

fn efs_transit(r: &ResourceView<'_>, out: &mut Vec<String>) {
    for (i, volume) in items(r.property("Volumes")).into_iter().enumerate() {
        let Some(efs) = volume.get("EFSVolumeConfiguration") else { continue };
        if text(efs.get("TransitEncryption")) != Some("ENABLED") {
            out.push(match text(volume.get("Name")) {
                Some(name) => format!("volume {name}"),
                None => format!("volume {}", i + 1),
            });
        }
    }
}

/// Build artifacts are encrypted.
pub static CODEBUILD_ARTIFACT_ENCRYPTION: SecurityRule = SecurityRule {
    id: "codebuild.artifact-encryption",
    severity: Severity::Medium,
    resource_types: &["AWS::CodeBuild::Project"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_78"],
    guard: &["CODEBUILD_PROJECT_ARTIFACT_ENCRYPTION"],
    message: "the project writes S3 artifacts with encryption turned off",
    fix: "remove EncryptionDisabled from the artifacts (the Project construct never sets it)",
    check: artifact_encryption,
};

fn artifact_encryption(r: &ResourceView<'_>, out: &mut Vec<String>) {
    let mut artifacts: Vec<&Node> = items(r.property("Artifacts"));
    artifacts.extend(items(r.property("SecondaryArtifacts")));
    for a in artifacts {
        if text(a.get("Type")) == Some("S3") && is_true(a.get("EncryptionDisabled")) {
            out.push(text(a.get("ArtifactIdentifier")).unwrap_or_default().to_owned());
        }
    }
}

/// Projects build on images CodeBuild provides and patches.
pub static CODEBUILD_MANAGED_IMAGE: SecurityRule = SecurityRule {
    id: "codebuild.managed-image",
    severity: Severity::Low,
    resource_types: &["AWS::CodeBuild::Project"],
    cdk_nag: &["AwsSolutions-CB5"],
    checkov: &[],
    guard: &[],
    message: "the project builds on an image CodeBuild does not provide",
    fix: "use a CodeBuild curated image (aws/codebuild/...), or suppress saying who patches the \
          custom image and why it is needed",
    check: |r, out| match r.property("Environment.Image") {
        Some(Node::Str(image)) if image.starts_with("aws/codebuild/") => {}
        Some(Node::Str(image)) => out.push(image.clone()),
        Some(_) => out.push(String::new()),
        None => {}
    },
};

/// Every container of a task definition sends its output to a log driver.
pub static ECS_CONTAINER_LOGGING: SecurityRule = SecurityRule {
    id: "ecs.container-logging",
    severity: Severity::Medium,
    resource_types: &["AWS::ECS::TaskDefinition"],
    cdk_nag: &["AwsSolutions-ECS7"],
    checkov: &[],
    guard: &[],
    message: "a container of the task definition has no log configuration: its output is lost",
    fix: "give the container a LogConfiguration (FargateTaskDefinition's containers log to its \
          log group)",
    check: |r, out| {
        for (i, c) in items(r.property("ContainerDefinitions")).into_iter().enumerate() {
            if c.get("LogConfiguration").and_then(|l| l.get("LogDriver")).is_none() {
                out.push(match text(c.get("Name")) {
                    Some(name) => format!("container {name}"),
                    None => format!("container {}", i + 1),
                });
            }
        }
    },
};

/// Build output is encrypted with a customer key.
pub static CODEBUILD_KMS: SecurityRule = SecurityRule {
    id: "codebuild.kms",
    severity: Severity::Low,
    resource_types: &["AWS::CodeBuild::Project"],
    cdk_nag: &["AwsSolutions-CB4"],
    checkov: &[],
    guard: &[],
    message: "the project encrypts its output with the AWS managed S3 key, not a customer key",
    fix: "set the project's EncryptionKey to a customer key, or suppress when the artifact \
          bucket's policy is the control intended",
    check: |r, out| {
        let key = r.property("EncryptionKey");
        if key.is_none() || text(key) == Some("alias/aws/s3") {
            out.push(String::new());
        }
    },
};

/// Containers get their settings from secrets and parameters, not plain variables.
pub static ECS_ENVIRONMENT_VARIABLES: SecurityRule = SecurityRule {
    id: "ecs.environment-variables",
    severity: Severity::Low,
    resource_types: &["AWS::ECS::TaskDefinition"],
    cdk_nag: &["AwsSolutions-ECS2"],
    checkov: &[],
    guard: &[],
    message: "a container takes environment variables written into the task definition, \
              readable by anyone who can describe it",
    fix: "pass sensitive values as Secrets (Secrets Manager or SSM parameters); suppress when \
          the variables hold only configuration",
    check: |r, out| {
        for (i, c) in items(r.property("ContainerDefinitions")).into_iter().enumerate() {
            if c.get("Environment").is_some() {
                out.push(match text(c.get("Name")) {
                    Some(name) => format!("container {name}"),
                    None => format!("container {}", i + 1),
                });
            }
        }
    },
};

/// EFS file systems are encrypted at rest.
pub static EFS_ENCRYPTED: SecurityRule = SecurityRule {
    id: "efs.encrypted",
    severity: Severity::Medium,
    resource_types: &["AWS::EFS::FileSystem"],
    cdk_nag: &["AwsSolutions-EFS1"],
    checkov: &["CKV_AWS_42"],
    guard: &["EFS_ENCRYPTED_CHECK"],
    message: "the file system is not encrypted at rest",
    fix: "set Encrypted to true (and KmsKeyId for a customer key)",
    check: |r, out| {
        if !is_true(r.property("Encrypted")) {
            out.push(String::new());
        }
    },
};

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

//! Rules for buckets written as L1 resources. The pipeline's artifact bucket passes them all;
//! they catch buckets a user adds with `stackwright::aws::s3::Bucket`.

use stackwright_core::security::ResourceView;
use stackwright_core::{SecurityRule, Severity};

use super::checks::{is_true, text, tls_only};

const BUCKET: &[&str] = &["AWS::S3::Bucket"];

/// Buckets keep every version of their objects.
pub static S3_VERSIONED: SecurityRule = SecurityRule {
    id: "s3.versioned",
    severity: Severity::Low,
    resource_types: BUCKET,
    cdk_nag: &[],
    checkov: &["CKV_AWS_21"],
    guard: &["S3_BUCKET_VERSIONING_ENABLED"],
    message: "the bucket does not keep earlier versions of overwritten or deleted objects",
    fix: "set VersioningConfiguration to Status `Enabled`",
    check: |r, out| {
        if text(r.property("VersioningConfiguration.Status")) != Some("Enabled") {
            out.push(String::new());
        }
    },
};

/// Buckets block every form of public access.
pub static S3_PUBLIC_ACCESS_BLOCK: SecurityRule = SecurityRule {
    id: "s3.public-access-block",
    severity: Severity::High,
    resource_types: BUCKET,
    cdk_nag: &["AwsSolutions-S2"],
    checkov: &["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"],
    guard: &["S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED"],
    message: "the bucket's public access block leaves a setting off",
    fix: "set PublicAccessBlockConfiguration with BlockPublicAcls, BlockPublicPolicy, \
          IgnorePublicAcls and RestrictPublicBuckets all true",
    check: public_access_block,
};

/// The four settings of a public access block, each a finding of its own when it is off.
const BLOCK_SETTINGS: [&str; 4] =
    ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"];

fn public_access_block(r: &ResourceView<'_>, out: &mut Vec<String>) {
    for setting in BLOCK_SETTINGS {
        if !is_true(r.property(&format!("PublicAccessBlockConfiguration.{setting}"))) {
            out.push(setting.to_owned());
        }
    }
}

/// Buckets do not let everyone read them through a canned ACL.
pub static S3_PUBLIC_READ_ACL: SecurityRule = SecurityRule {
    id: "s3.public-read-acl",
    severity: Severity::High,
    resource_types: BUCKET,
    cdk_nag: &[],
    checkov: &["CKV_AWS_20"],
    guard: &["S3_BUCKET_PUBLIC_READ_PROHIBITED"],
    message: "the bucket's canned ACL lets anyone list and read it",
    fix: "remove AccessControl (buckets are private by default); serve public files through \
          CloudFront with an origin access control",
    check: |r, out| {
        if let Some(acl @ ("PublicRead" | "PublicReadWrite" | "AuthenticatedRead")) =
            text(r.property("AccessControl"))
        {
            out.push(acl.to_owned());
        }
    },
};

/// Buckets do not let everyone write to them through a canned ACL.
pub static S3_PUBLIC_WRITE_ACL: SecurityRule = SecurityRule {
    id: "s3.public-write-acl",
    severity: Severity::High,
    resource_types: BUCKET,
    cdk_nag: &[],
    checkov: &["CKV_AWS_57"],
    guard: &["S3_BUCKET_PUBLIC_WRITE_PROHIBITED"],
    message: "the bucket's canned ACL lets anyone write to it",
    fix: "remove AccessControl `PublicReadWrite`; grant writers through IAM",
    check: |r, out| {
        if text(r.property("AccessControl")) == Some("PublicReadWrite") {
            out.push("PublicReadWrite".to_owned());
        }
    },
};

/// Buckets refuse requests that do not use TLS.
pub static S3_TLS_ONLY: SecurityRule = SecurityRule {
    id: "s3.tls-only",
    severity: Severity::Medium,
    resource_types: BUCKET,
    cdk_nag: &["AwsSolutions-S10"],
    checkov: &[],
    guard: &["S3_BUCKET_SSL_REQUESTS_ONLY"],
    message: "no bucket policy denies requests made without TLS",
    fix: "add an AWS::S3::BucketPolicy denying s3:* when aws:SecureTransport is false (the \
          pipeline's artifact bucket has one)",
    check: |r, out| tls_only(r, "AWS::S3::BucketPolicy", "Bucket", "PolicyDocument", out),
};

/// Buckets are not websites served straight from S3.
pub static S3_WEBSITE: SecurityRule = SecurityRule {
    id: "s3.website",
    severity: Severity::Medium,
    resource_types: BUCKET,
    cdk_nag: &["AwsSolutions-S5"],
    checkov: &[],
    guard: &[],
    message: "the bucket serves a static website itself, which needs a public read policy and \
              serves plain HTTP",
    fix: "remove WebsiteConfiguration and serve the files through CloudFront with an origin \
          access control",
    check: |r, out| {
        if r.property("WebsiteConfiguration").is_some() {
            out.push(String::new());
        }
    },
};

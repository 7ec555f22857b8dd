//! The artifact store a pipeline creates: a private, versioned, encrypted, TLS-only bucket,
//! and a KMS key when artifacts must be readable from other accounts.

use stackwright_aws::kms as kms_l1;
use stackwright_aws::s3 as s3_l1;
use stackwright_aws::s3::bucket as b;
use stackwright_core::kind;
use stackwright_core::{App, Arn, ConstructRef, Handle, RemovalPolicy, Scope, Val, pseudo, sub};

use super::model::PipelineState;
use crate::iam::{
    DocumentKind, PolicyDocument, PolicySlot, PolicyStatement, Principal, add_statement,
};

/// The bucket's `Policy`.
const BUCKET_POLICY: PolicySlot<s3_l1::BucketPolicy> = PolicySlot {
    slot: "ArtifactsBucket/Policy",
    property: "PolicyDocument",
    made_by_owner: false,
    kind: DocumentKind::Resource,
    apply: |p, doc, _| p.policy_document = doc,
};

/// The key's own policy, in the key itself.
const KEY_POLICY: PolicySlot<kms_l1::Key> = PolicySlot {
    slot: "ArtifactsKey/Resource",
    property: "KeyPolicy",
    made_by_owner: true,
    kind: DocumentKind::Resource,
    apply: |k, doc, _| k.key_policy = Some(doc),
};

/// The resources of a created store.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CreatedStore {
    pub(crate) bucket: s3_l1::BucketRef,
    pub(crate) key: Option<kms_l1::KeyRef>,
}

/// Creates the store's bucket (`ArtifactsBucket`), its policy and, for `kms`, its key
/// (`ArtifactsKey`) in `scope`, the scope of the pipeline `pipeline`.
pub(crate) fn create(
    scope: &mut Scope<'_>,
    pipeline: ConstructRef<PipelineState>,
    kms: bool,
    name: Option<Val<kind::BucketName>>,
    access_logs: Option<(Val<kind::BucketName>, String)>,
) -> CreatedStore {
    let key = kms.then(|| {
        let k = kms_l1::Key::new()
            .description(sub!("Encrypts the artifacts of pipeline {}", pseudo::stack_name()))
            .enable_key_rotation(true);
        let key = scope.child("ArtifactsKey").add("Resource", k);
        // The account administers the key; IAM policies (the pipeline role's) grant its use.
        let root = Arn::new("iam", "", "root").global().to_val();
        let admin =
            PolicyStatement::allow().principal(Principal::arn(root)).action("kms:*").resource("*");
        add_to_key_policy(scope.app(), pipeline, admin);
        retain(scope, key);
        key
    });

    let default = match &key {
        Some(k) => {
            b::ServerSideEncryptionByDefault::new(b::ServerSideEncryptionByDefaultRequired {
                sse_algorithm: "aws:kms",
            })
            .kms_master_key_id(k.arn())
        }
        None => b::ServerSideEncryptionByDefault::new(b::ServerSideEncryptionByDefaultRequired {
            sse_algorithm: "AES256",
        }),
    };
    let mut rule = b::ServerSideEncryptionRule::new().server_side_encryption_by_default(default);
    if key.is_some() {
        rule = rule.bucket_key_enabled(true);
    }
    let mut bucket = b::Bucket::new()
        .bucket_encryption(b::BucketEncryption::new(b::BucketEncryptionRequired {
            server_side_encryption_configuration: [rule],
        }))
        .public_access_block_configuration(
            b::PublicAccessBlockConfiguration::new()
                .block_public_acls(true)
                .block_public_policy(true)
                .ignore_public_acls(true)
                .restrict_public_buckets(true),
        )
        .versioning_configuration(b::VersioningConfiguration::new(
            b::VersioningConfigurationRequired { status: "Enabled" },
        ));
    bucket.bucket_name = name;
    if let Some((target, prefix)) = access_logs {
        bucket.logging_configuration = Some(Box::new(
            b::LoggingConfiguration::new().destination_bucket_name(target).log_file_prefix(prefix),
        ));
    }
    let bucket = scope.child("ArtifactsBucket").add("Resource", bucket);
    retain(scope, bucket);
    let deny = PolicyStatement::deny()
        .principal(Principal::Any)
        .action("s3:*")
        .resource(bucket.arn())
        .resource(sub!("{}/*", bucket.arn()))
        .condition("Bool", "aws:SecureTransport", "false");
    add_to_bucket_policy(scope.app(), pipeline, bucket, deny);
    CreatedStore { bucket, key }
}

/// Adds a statement to the bucket's policy (its child `Policy`).
pub(crate) fn add_to_bucket_policy(
    app: &mut App,
    pipeline: ConstructRef<PipelineState>,
    bucket: s3_l1::BucketRef,
    statement: PolicyStatement,
) {
    let name = bucket.reference();
    let make = || {
        s3_l1::BucketPolicy::new(s3_l1::BucketPolicyRequired {
            bucket: name,
            policy_document: PolicyDocument::new().to_val(),
        })
    };
    add_statement(app, pipeline, BUCKET_POLICY, make, statement);
}

/// Adds a statement to the key's policy.
pub(crate) fn add_to_key_policy(
    app: &mut App,
    pipeline: ConstructRef<PipelineState>,
    statement: PolicyStatement,
) {
    // The key was created with the pipeline, so the slot is never empty.
    add_statement(app, pipeline, KEY_POLICY, kms_l1::Key::new, statement);
}

/// Artifacts outlive the stack: an old execution may still need them, and CloudFormation
/// cannot delete a bucket that is not empty.
fn retain(scope: &mut Scope<'_>, handle: impl Handle) {
    if let Some(node) = scope.node(handle) {
        node.set_deletion_policy(RemovalPolicy::Retain)
            .set_update_replace_policy(RemovalPolicy::Retain);
    }
}

/// The statements the pipeline role needs on the store.
pub(crate) fn store_statements(
    bucket_arn: &Val<String>,
    key_arn: Option<&Val<kind::KmsKeyArn>>,
) -> Vec<PolicyStatement> {
    let mut out = vec![
        PolicyStatement::allow()
            .actions(["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"])
            .resource(sub!("{}/*", bucket_arn.clone())),
        PolicyStatement::allow()
            .actions(["s3:GetBucketVersioning", "s3:GetBucketLocation"])
            .resource(bucket_arn.clone()),
    ];
    if let Some(k) = key_arn {
        out.push(key_use(k.clone()));
    }
    out
}

/// Encrypting and decrypting with the store's key.
pub(crate) fn key_use(key_arn: Val<kind::KmsKeyArn>) -> PolicyStatement {
    PolicyStatement::allow()
        .actions([
            "kms:Decrypt",
            "kms:DescribeKey",
            "kms:Encrypt",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
        ])
        .resource(key_arn)
}

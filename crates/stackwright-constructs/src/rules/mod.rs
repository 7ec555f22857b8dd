//! The AWS rule pack: security rules for the services of a CI/CD estate, each with its
//! cdk-nag (`AwsSolutions-*`) and checkov (`CKV_AWS_*`) equivalents. Register it with
//! `app.add_rule_pack(rules::PACK)` (the facade's `app.run()` does); suppress a rule on a
//! construct with `scope.suppress(node, Suppression::new(&rules::ELB_HTTPS_LISTENER, "why"))`.

mod apigateway;
mod checks;
mod compute;
mod escalation;
mod instances;
mod lambda;
mod messaging;
mod network;
mod policies;
mod s3;

use stackwright_core::{RulePack, SecurityRule, Severity};

use checks::*;

pub use apigateway::*;
pub use compute::*;
pub use escalation::*;
pub use instances::*;
pub use lambda::*;
pub use messaging::*;
pub use network::*;
pub use policies::*;
pub use s3::*;

/// Every rule of the pack, in the order the docs list them.
pub static PACK: RulePack = &[
    &SNS_ENCRYPTED,
    &SQS_ENCRYPTED,
    &SQS_KMS_KEY,
    &SNS_TLS_ONLY,
    &SQS_TLS_ONLY,
    &SQS_DEAD_LETTER_QUEUE,
    &ECR_IMMUTABLE_TAGS,
    &ECR_SCAN_ON_PUSH,
    &ECR_KMS,
    &LOGS_RETENTION,
    &LOGS_KMS,
    &S3_ACCESS_LOGS,
    &S3_VERSIONED,
    &S3_PUBLIC_ACCESS_BLOCK,
    &S3_PUBLIC_READ_ACL,
    &S3_PUBLIC_WRITE_ACL,
    &S3_TLS_ONLY,
    &S3_WEBSITE,
    &ELB_DROP_INVALID_HEADERS,
    &ELB_ACCESS_LOGS,
    &ELB_HTTPS_LISTENER,
    &ELB_TLS_POLICY,
    &EC2_OPEN_HTTP,
    &EC2_OPEN_SSH,
    &EC2_OPEN_RDP,
    &EC2_RULE_DESCRIPTION,
    &EC2_ENDPOINT_ACCEPTANCE,
    &EC2_IMDSV2,
    &EC2_PUBLIC_IP,
    &EC2_GROUP_DESCRIPTION,
    &EC2_EBS_ENCRYPTION,
    &EC2_TERMINATION_PROTECTION,
    &EC2_NETWORK_ACL,
    &ELB_CLASSIC,
    &EC2_DETAILED_MONITORING,
    &EC2_VPC_FLOW_LOGS,
    &AUTOSCALING_COOLDOWN,
    &AUTOSCALING_HEALTH_CHECK,
    &AUTOSCALING_NOTIFICATIONS,
    &LAMBDA_DLQ,
    &LAMBDA_IN_VPC,
    &LAMBDA_CONCURRENCY,
    &LAMBDA_ENV_SECRETS,
    &LAMBDA_ENV_KMS,
    &LAMBDA_DEPRECATED_RUNTIME,
    &LAMBDA_PERMISSION_SOURCE,
    &LAMBDA_URL_AUTH,
    &KMS_ROTATION,
    &KMS_WILDCARD_PRINCIPAL,
    &ECR_PUBLIC_POLICY,
    &IAM_USER_POLICY,
    &IAM_ADMIN_STATEMENT,
    &IAM_STAR_ACTION,
    &IAM_PUBLIC_TRUST,
    &IAM_ACCOUNT_TRUST,
    &IAM_AWS_MANAGED_POLICY,
    &IAM_CREDENTIALS_EXPOSURE,
    &IAM_DATA_EXFILTRATION,
    &IAM_PRIVILEGE_ESCALATION,
    &ECS_CONTAINER_INSIGHTS,
    &ECS_EFS_TRANSIT_ENCRYPTION,
    &ECS_CONTAINER_LOGGING,
    &ECS_ENVIRONMENT_VARIABLES,
    &EFS_ENCRYPTED,
    &CODEBUILD_ARTIFACT_ENCRYPTION,
    &CODEBUILD_MANAGED_IMAGE,
    &CODEBUILD_KMS,
    &APIGATEWAY_METHOD_AUTH,
    &APIGATEWAY_TRACING,
    &APIGATEWAY_ACCESS_LOGS,
    &APIGATEWAY_CACHE,
    &APIGATEWAY_V2_ACCESS_LOGS,
    &APIGATEWAY_REQUEST_VALIDATION,
    &APIGATEWAY_EXECUTION_LOGS,
    &SAM_IMPLICIT_API,
];

pub(crate) const LAMBDA_TYPES: &[&str] = &["AWS::Lambda::Function", "AWS::Serverless::Function"];

/// Topics encrypt messages at rest with a KMS key.
pub static SNS_ENCRYPTED: SecurityRule = SecurityRule {
    id: "sns.encrypted",
    severity: Severity::Medium,
    resource_types: &["AWS::SNS::Topic"],
    cdk_nag: &["AwsSolutions-SNS2"],
    checkov: &["CKV_AWS_26"],
    guard: &["SNS_ENCRYPTED_KMS"],
    message: "the topic does not encrypt messages at rest",
    fix: "leave TopicProps::encrypted on (the default) or give a key with .master_key(key)",
    check: |r, out| absent(r, "KmsMasterKeyId", out),
};

/// Queues encrypt messages at rest (SQS-managed keys or KMS).
pub static SQS_ENCRYPTED: SecurityRule = SecurityRule {
    id: "sqs.encrypted",
    severity: Severity::Medium,
    resource_types: &["AWS::SQS::Queue"],
    cdk_nag: &["AwsSolutions-SQS2"],
    checkov: &[],
    guard: &["SQS_QUEUE_ENCRYPTION"],
    message: "the queue does not encrypt messages at rest",
    fix: "keep the default QueueEncryption::SqsManaged, or use QueueEncryption::Kms",
    check: sqs_encrypted,
};

/// Queues encrypt with a KMS key (checkov's reading: SQS-managed encryption does not count).
pub static SQS_KMS_KEY: SecurityRule = SecurityRule {
    id: "sqs.kms-key",
    severity: Severity::Low,
    resource_types: &["AWS::SQS::Queue"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_27"],
    guard: &[],
    message: "the queue is not encrypted with a KMS key",
    fix: "use QueueEncryption::Kms when key policies must control who reads the messages; \
          the Queue construct suppresses this for SQS-managed encryption",
    check: |r, out| absent(r, "KmsMasterKeyId", out),
};

/// Image tags never move to another image.
pub static ECR_IMMUTABLE_TAGS: SecurityRule = SecurityRule {
    id: "ecr.immutable-tags",
    severity: Severity::Medium,
    resource_types: &["AWS::ECR::Repository"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_51"],
    guard: &[],
    message: "image tags can be moved to another image",
    fix: "leave the default TagMutability::Immutable",
    check: |r, out| not_equal(r, "ImageTagMutability", "IMMUTABLE", out),
};

/// Images are scanned for vulnerabilities on push.
pub static ECR_SCAN_ON_PUSH: SecurityRule = SecurityRule {
    id: "ecr.scan-on-push",
    severity: Severity::Medium,
    resource_types: &["AWS::ECR::Repository"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_163"],
    guard: &[],
    message: "pushed images are not scanned for vulnerabilities",
    fix: "leave .image_scan_on_push(true), the default",
    check: |r, out| not_true(r, "ImageScanningConfiguration.ScanOnPush", out),
};

/// Images are encrypted with KMS.
pub static ECR_KMS: SecurityRule = SecurityRule {
    id: "ecr.kms",
    severity: Severity::Low,
    resource_types: &["AWS::ECR::Repository"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_136"],
    guard: &[],
    message: "images are encrypted with S3-managed keys, not KMS",
    fix: ".encryption(RepositoryEncryption::AwsManagedKms) or RepositoryEncryption::Kms(key)",
    check: |r, out| not_equal(r, "EncryptionConfiguration.EncryptionType", "KMS", out),
};

/// Log groups expire their events.
pub static LOGS_RETENTION: SecurityRule = SecurityRule {
    id: "logs.retention",
    severity: Severity::Low,
    resource_types: &["AWS::Logs::LogGroup"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_66"],
    guard: &["CLOUDWATCH_LOG_GROUP_RETENTION_PERIOD_CHECK"],
    message: "the log group keeps its events forever",
    fix: "set a retention (the constructs set one by default)",
    check: |r, out| absent(r, "RetentionInDays", out),
};

/// Log groups encrypt with a KMS key.
pub static LOGS_KMS: SecurityRule = SecurityRule {
    id: "logs.kms",
    severity: Severity::Low,
    resource_types: &["AWS::Logs::LogGroup"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_158"],
    guard: &["CLOUDWATCH_LOG_GROUP_ENCRYPTED"],
    message: "the log group is encrypted with CloudWatch Logs' own key, not a KMS key",
    fix: "set the log group's KmsKeyId (the construct's log_group() handle) to a key whose \
          policy lets logs.<region>.amazonaws.com use it, or suppress with the reason",
    check: |r, out| absent(r, "KmsKeyId", out),
};

/// Buckets log server access.
pub static S3_ACCESS_LOGS: SecurityRule = SecurityRule {
    id: "s3.access-logs",
    severity: Severity::Low,
    resource_types: &["AWS::S3::Bucket"],
    cdk_nag: &["AwsSolutions-S1"],
    checkov: &["CKV_AWS_18"],
    guard: &["S3_BUCKET_LOGGING_ENABLED"],
    message: "the bucket does not log server access",
    fix: "give the pipeline an access-log bucket (PipelineProps::artifact_access_logs)",
    check: |r, out| absent(r, "LoggingConfiguration", out),
};

/// Application load balancers drop invalid header fields.
pub static ELB_DROP_INVALID_HEADERS: SecurityRule = SecurityRule {
    id: "elbv2.drop-invalid-headers",
    severity: Severity::Medium,
    resource_types: &["AWS::ElasticLoadBalancingV2::LoadBalancer"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_131"],
    guard: &[],
    message: "the load balancer forwards requests with invalid header fields",
    fix: "leave .drop_invalid_header_fields(true), the default",
    check: elb_drop_headers,
};

/// Load balancers log access.
pub static ELB_ACCESS_LOGS: SecurityRule = SecurityRule {
    id: "elbv2.access-logs",
    severity: Severity::Low,
    resource_types: &["AWS::ElasticLoadBalancingV2::LoadBalancer"],
    cdk_nag: &["AwsSolutions-ELB2"],
    checkov: &["CKV_AWS_91"],
    guard: &["ELB_LOGGING_ENABLED"],
    message: "the load balancer does not log access",
    fix: "LoadBalancerProps::access_logs(bucket, prefix)",
    check: elb_access_logs,
};

/// Listeners take HTTPS, or redirect to it.
pub static ELB_HTTPS_LISTENER: SecurityRule = SecurityRule {
    id: "elbv2.https-listener",
    severity: Severity::High,
    resource_types: &["AWS::ElasticLoadBalancingV2::Listener"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_2"],
    guard: &["ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK"],
    message: "the listener serves plain HTTP",
    fix: "add_https_listener with a certificate (port 80 then redirects to HTTPS)",
    check: listener_https,
};

/// HTTPS listeners use a TLS 1.2+ policy.
pub static ELB_TLS_POLICY: SecurityRule = SecurityRule {
    id: "elbv2.tls-policy",
    severity: Severity::High,
    resource_types: &["AWS::ElasticLoadBalancingV2::Listener"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_103"],
    guard: &[],
    message: "the listener does not require TLS 1.2 or later",
    fix: "add_https_listener sets ELBSecurityPolicy-TLS13-1-2-2021-06",
    check: listener_tls,
};

/// Security groups do not open port 80 to the internet.
pub static EC2_OPEN_HTTP: SecurityRule = SecurityRule {
    id: "ec2.open-http",
    severity: Severity::Medium,
    resource_types: &["AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"],
    cdk_nag: &["AwsSolutions-EC23"],
    checkov: &["CKV_AWS_260"],
    guard: &[],
    message: "the security group admits anyone on the internet to port 80",
    fix: "admit only known networks, or suppress for a public load balancer's listener",
    check: open_http,
};

/// Asynchronously invoked functions keep failed events.
pub static LAMBDA_DLQ: SecurityRule = SecurityRule {
    id: "lambda.dlq",
    severity: Severity::Low,
    resource_types: LAMBDA_TYPES,
    cdk_nag: &[],
    checkov: &["CKV_AWS_116"],
    guard: &["LAMBDA_DLQ_CHECK"],
    message: "the function has no dead-letter queue for failed asynchronous events",
    fix: "give it a dead-letter queue, or suppress for functions only invoked synchronously",
    check: |r, out| {
        if r.property("DeadLetterConfig").is_none() && r.property("DeadLetterQueue").is_none() {
            out.push(String::new());
        }
    },
};

/// Functions run inside a VPC.
pub static LAMBDA_IN_VPC: SecurityRule = SecurityRule {
    id: "lambda.in-vpc",
    severity: Severity::Low,
    resource_types: LAMBDA_TYPES,
    cdk_nag: &[],
    checkov: &["CKV_AWS_117"],
    guard: &["LAMBDA_INSIDE_VPC"],
    message: "the function does not run inside a VPC",
    fix: "attach it to a VPC when it reaches private resources; suppress otherwise",
    check: |r, out| absent(r, "VpcConfig", out),
};

/// Functions have a concurrency limit.
pub static LAMBDA_CONCURRENCY: SecurityRule = SecurityRule {
    id: "lambda.concurrency",
    severity: Severity::Low,
    resource_types: LAMBDA_TYPES,
    cdk_nag: &[],
    checkov: &["CKV_AWS_115"],
    guard: &["LAMBDA_CONCURRENCY_CHECK"],
    message: "the function has no reserved concurrency limit",
    fix: "reserve a concurrency, or suppress when the account's limit is the intended bound",
    check: |r, out| absent(r, "ReservedConcurrentExecutions", out),
};

/// Customer keys rotate.
pub static KMS_ROTATION: SecurityRule = SecurityRule {
    id: "kms.rotation",
    severity: Severity::Medium,
    resource_types: &["AWS::KMS::Key"],
    cdk_nag: &["AwsSolutions-KMS5"],
    checkov: &["CKV_AWS_7"],
    guard: &["CMK_BACKING_KEY_ROTATION_ENABLED"],
    message: "the key does not rotate",
    fix: "enable key rotation (EnableKeyRotation)",
    check: kms_rotation,
};

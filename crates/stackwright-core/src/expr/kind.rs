//! Reference kinds: what a string value refers to (an IAM role ARN, a security group ID, a
//! bucket name), so a value of one kind does not compile where another belongs.
//!
//! The kinds are the reference formats CloudFormation's resource schemas annotate (the
//! `format` keyword of cfn-lint's schemas, `AWS::IAM::Role.Arn` and so on). A property that
//! takes a kind is a `Val<K>`: an attribute or `Ref` that yields that kind fits, as does a
//! literal string, a template parameter or an explicit [`Val::assume`]; literals are checked
//! against the kind's pattern at synth. A kind converts into a plain `Val<String>` wherever
//! any string is accepted (`Fn::Sub`, an output), never into another kind, except into a
//! union kind that lists it ([`KmsKey`] takes a key ARN, a key ID or an alias; [`AnyArn`],
//! what a policy statement's resources take, every ARN kind and a plain string, but no
//! name, ID or URL).
//!
//! A few kinds are not formats of the schemas but of references they leave without one (a
//! DynamoDB table's name and ARN, a queue's URL); the generator's fixups add the formats.

use std::fmt;

use super::{Expr, Json, Val, ValueType};
use crate::template::ParameterRef;

/// A kind of reference a string value can be. Implemented by the marker types of this
/// module; `Val<K>` is a string of kind `K`.
#[diagnostic::on_unimplemented(
    message = "a `{Self}` value and a string do not convert into each other",
    label = "not of the type this place takes",
    note = "text converts into `Val<String>` and into the reference kinds (`Val<RoleArn>`, \
            `Val<SubnetId>`, ...), and a kind into `Val<String>`; `{Self}` is neither"
)]
pub trait Kind: ValueType + fmt::Debug {
    /// The schemas' name for the kind: `AWS::IAM::Role.Arn`.
    const FORMAT: &'static str;
    /// What a value of the kind is, for messages: `an IAM role ARN`.
    const WHAT: &'static str;
    /// An example, for messages.
    const EXAMPLE: &'static str;
    /// The regular expressions a literal must match one of (the member kinds' patterns for
    /// a union).
    const PATTERNS: &'static [&'static str];
}

/// What every ARN pattern starts with: any partition.
#[cfg(test)]
const ARN_PREFIX: &str = "^arn:aws[a-zA-Z-]*:";

macro_rules! kinds {
    ($( $(#[$doc:meta])* $name:ident = $format:literal, $what:literal, $example:literal, [$($pattern:expr),+ $(,)?]; )*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $name;
        impl ValueType for $name {}
        impl Kind for $name {
            const FORMAT: &'static str = $format;
            const WHAT: &'static str = $what;
            const EXAMPLE: &'static str = $example;
            const PATTERNS: &'static [&'static str] = &[$($pattern),+];
        }
    )*};
}

// Each pattern is the one cfn-lint's format rule checks.
kinds! {
    /// `AWS::IAM::Role.Arn`: an IAM role's ARN, what `Fn::GetAtt Role.Arn` yields.
    RoleArn = "AWS::IAM::Role.Arn", "an IAM role ARN", "arn:aws:iam::123456789012:role/my-role",
        [const_format_arn::ROLE];
    /// `AWS::KMS::Key.Arn`: a KMS key's ARN (or an alias ARN).
    KmsKeyArn = "AWS::KMS::Key.Arn", "a KMS key ARN",
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        [const_format_arn::KMS_KEY];
    /// `AWS::KMS::Key.Id`: a KMS key ID, what `Ref` of a key yields.
    KmsKeyId = "AWS::KMS::Key.Id", "a KMS key ID", "1234abcd-12ab-34cd-56ef-1234567890ab",
        [KMS_KEY_ID];
    /// `AWS::KMS::Alias.AliasName`: a KMS alias name, `alias/...`.
    KmsAliasName = "AWS::KMS::Alias.AliasName", "a KMS alias name", "alias/my-key",
        [KMS_ALIAS];
    /// A KMS key given by its ARN, its ID or an alias name: what most `KmsKeyId`
    /// properties take.
    KmsKey = "AWS::KMS::Key.Arn|AWS::KMS::Key.Id|AWS::KMS::Alias.AliasName",
        "a KMS key ARN, key ID or alias name", "alias/aws/sns",
        [const_format_arn::KMS_KEY, KMS_KEY_ID, KMS_ALIAS];
    /// `AWS::EC2::SecurityGroup.Id`: a security group ID, `sg-...`.
    SecurityGroupId = "AWS::EC2::SecurityGroup.Id", "a security group ID", "sg-0123456789abcdef0",
        [SECURITY_GROUP_ID];
    /// `AWS::EC2::SecurityGroup.Name`: a security group name (EC2-Classic and default VPC).
    SecurityGroupName = "AWS::EC2::SecurityGroup.Name", "a security group name", "my-group",
        [SECURITY_GROUP_NAME];
    /// A security group by ID or name: what `Ref` of a security group yields.
    SecurityGroupIdOrName = "AWS::EC2::SecurityGroup.Id|AWS::EC2::SecurityGroup.Name",
        "a security group ID or name", "sg-0123456789abcdef0",
        [SECURITY_GROUP_ID, SECURITY_GROUP_NAME];
    /// `AWS::EC2::Subnet.Id`: a subnet ID, `subnet-...`.
    SubnetId = "AWS::EC2::Subnet.Id", "a subnet ID", "subnet-0123456789abcdef0",
        ["^subnet-(([0-9A-Fa-f]{8})|([0-9A-Fa-f]{17}))$"];
    /// `AWS::EC2::VPC.Id`: a VPC ID, `vpc-...`.
    VpcId = "AWS::EC2::VPC.Id", "a VPC ID", "vpc-0123456789abcdef0",
        ["^vpc-(([0-9A-Fa-f]{8})|([0-9A-Fa-f]{17}))$"];
    /// `AWS::EC2::Image.Id`: an AMI ID, `ami-...`.
    ImageId = "AWS::EC2::Image.Id", "an AMI ID", "ami-0123456789abcdef0",
        ["^ami-([0-9a-z]{8}|[0-9a-z]{17})$", "^resolve:ssm:"];
    /// `AWS::S3::Bucket.Name`: a bucket name, what `Ref` of a bucket yields.
    BucketName = "AWS::S3::Bucket.Name", "an S3 bucket name", "my-bucket",
        ["^(?![.\\-])(?!.*\\.\\.)(?!.*\\-\\.)(?!.*\\.\\-)[a-z0-9.\\-]{3,63}(?<![.\\-])$"];
    /// `AWS::Lambda::Function.Arn`: a Lambda function's ARN.
    FunctionArn = "AWS::Lambda::Function.Arn", "a Lambda function ARN",
        "arn:aws:lambda:us-east-1:123456789012:function:my-function",
        [const_format_arn::FUNCTION];
    /// `AWS::SNS::Topic.Arn`: an SNS topic's ARN, what `Ref` of a topic yields.
    TopicArn = "AWS::SNS::Topic.Arn", "an SNS topic ARN", "arn:aws:sns:us-east-1:123456789012:my-topic",
        [const_format_arn::TOPIC];
    /// `AWS::SQS::Queue.Arn`: an SQS queue's ARN (`Ref` of a queue is its URL).
    QueueArn = "AWS::SQS::Queue.Arn", "an SQS queue ARN", "arn:aws:sqs:us-east-1:123456789012:my-queue",
        [const_format_arn::QUEUE];
    /// `AWS::Logs::LogGroup.Name`: a log group name, what `Ref` of a log group yields.
    LogGroupName = "AWS::Logs::LogGroup.Name", "a CloudWatch Logs log group name", "/aws/lambda/my-function",
        ["^[\\.\\-_\\/#A-Za-z0-9]{1,512}$"];
    /// `AWS::SQS::Queue.Url`: an SQS queue's URL, what `Ref` of a queue yields.
    QueueUrl = "AWS::SQS::Queue.Url", "an SQS queue URL",
        "https://sqs.us-east-1.amazonaws.com/123456789012/my-queue",
        ["^https?://[^/\\s]+/\\d{12}/[^/\\s]+$"];
    /// `AWS::DynamoDB::Table.Name`: a DynamoDB table's name, what `Ref` of a table yields.
    TableName = "AWS::DynamoDB::Table.Name", "a DynamoDB table name", "my-table",
        ["^[a-zA-Z0-9_.-]{3,255}$"];
    /// `AWS::DynamoDB::Table.Arn`: a DynamoDB table's ARN.
    TableArn = "AWS::DynamoDB::Table.Arn", "a DynamoDB table ARN",
        "arn:aws:dynamodb:us-east-1:123456789012:table/my-table",
        [const_format_arn::TABLE];
    /// Any ARN: what a policy statement's `Resource` and an `AWS` principal take. Every ARN
    /// kind converts into it, and so does a plain `Val<String>` (an ARN built with the
    /// formatter or `Fn::Sub`); a name, an ID or a URL kind does not.
    AnyArn = "ARN", "an ARN", "arn:aws:s3:::my-bucket/*",
        ["^arn:aws[a-zA-Z-]*:", "^\\*$"];
    /// `AWS::ACM::Certificate.Arn`: a certificate's ARN.
    CertificateArn = "AWS::ACM::Certificate.Arn", "an ACM certificate ARN",
        "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
        [const_format_arn::CERTIFICATE];
    /// `AWS::Route53::HostedZone.Id`: a Route 53 hosted zone ID.
    HostedZoneId = "AWS::Route53::HostedZone.Id", "a Route 53 hosted zone ID", "Z0123456789ABCDEFGHIJ",
        ["^[A-Z0-9]{1,32}$", "^/hostedzone/[A-Z0-9]{1,32}$"];
    /// `AWS::Route53::AliasTarget.HostedZoneId`: the hosted zone of an alias target (a load
    /// balancer's canonical zone, say).
    AliasTargetHostedZoneId = "AWS::Route53::AliasTarget.HostedZoneId",
        "an alias target's hosted zone ID", "Z35SXDOTRQ7X7K",
        ["^[A-Z0-9]{1,32}$"];
}

const KMS_KEY_ID: &str = "^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias/[a-zA-Z0-9/_-]+)$";
const KMS_ALIAS: &str = "^alias/[a-zA-Z0-9:/_-]+$";
const SECURITY_GROUP_ID: &str = "^sg-([a-fA-F0-9]{8}|[a-fA-F0-9]{17})$";
const SECURITY_GROUP_NAME: &str = "^[a-zA-Z0-9 \\._\\-:\\/()#\\,@\\[\\]+=&;\\{\\}!\\$\\*]+$";

/// The ARN patterns, written out so they stay `const`.
mod const_format_arn {
    pub const ROLE: &str = "^arn:aws[a-zA-Z-]*:iam::\\d{12}:role/.+$";
    pub const KMS_KEY: &str = "^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:\\d{12}:(key|alias)/.+$";
    pub const FUNCTION: &str = "^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:function:.+(:.+)?$";
    pub const TOPIC: &str = "^arn:aws[a-zA-Z-]*:sns:[a-z0-9-]+:\\d{12}:.+$";
    pub const QUEUE: &str = "^arn:aws[a-zA-Z-]*:sqs:[a-z0-9-]+:\\d{12}:.+$";
    pub const CERTIFICATE: &str = "^arn:aws[a-zA-Z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/.+$";
    pub const TABLE: &str = "^arn:aws[a-zA-Z-]*:dynamodb:[a-z0-9-]+:\\d{12}:table/.+$";
}

/// A kind of the module by its schema name, for the generator's check that every format it
/// meets has a type: `(format, type name)`.
pub const KINDS: &[(&str, &str)] = &[
    (RoleArn::FORMAT, "RoleArn"),
    (KmsKeyArn::FORMAT, "KmsKeyArn"),
    (KmsKeyId::FORMAT, "KmsKeyId"),
    (KmsAliasName::FORMAT, "KmsAliasName"),
    (KmsKey::FORMAT, "KmsKey"),
    (SecurityGroupId::FORMAT, "SecurityGroupId"),
    (SecurityGroupName::FORMAT, "SecurityGroupName"),
    (SecurityGroupIdOrName::FORMAT, "SecurityGroupIdOrName"),
    (SubnetId::FORMAT, "SubnetId"),
    (VpcId::FORMAT, "VpcId"),
    (ImageId::FORMAT, "ImageId"),
    (BucketName::FORMAT, "BucketName"),
    (FunctionArn::FORMAT, "FunctionArn"),
    (TopicArn::FORMAT, "TopicArn"),
    (QueueArn::FORMAT, "QueueArn"),
    (LogGroupName::FORMAT, "LogGroupName"),
    (CertificateArn::FORMAT, "CertificateArn"),
    (HostedZoneId::FORMAT, "HostedZoneId"),
    (AliasTargetHostedZoneId::FORMAT, "AliasTargetHostedZoneId"),
    (QueueUrl::FORMAT, "QueueUrl"),
    (TableName::FORMAT, "TableName"),
    (TableArn::FORMAT, "TableArn"),
];

impl<K: Kind> Val<K> {
    /// A string expression taken as this kind: an ARN built with `Fn::Sub`, an import, an
    /// output of another tool. The caller vouches for what it refers to; a literal is still
    /// checked against the kind's pattern at synth.
    pub fn assume(value: impl Into<Val<String>>) -> Val<K> {
        Val::from_expr(value.into().into_expr())
    }

    /// The same expression as a plain string, for places that take any string.
    pub fn into_string(self) -> Val<String> {
        Val::from_expr(self.into_expr())
    }
}

impl<K: Kind> From<&str> for Val<K> {
    fn from(s: &str) -> Self {
        Val::from_expr(Expr::Str(s.to_owned()))
    }
}
impl<K: Kind> From<String> for Val<K> {
    fn from(s: String) -> Self {
        Val::from_expr(Expr::Str(s))
    }
}
impl<K: Kind> From<&String> for Val<K> {
    fn from(s: &String) -> Self {
        Val::from_expr(Expr::Str(s.clone()))
    }
}
impl<K: Kind> From<&Val<K>> for Val<K> {
    fn from(v: &Val<K>) -> Self {
        v.clone()
    }
}
impl<K: Kind> From<ParameterRef> for Val<K> {
    fn from(p: ParameterRef) -> Self {
        Val::assume(p.value())
    }
}
impl<K: Kind> From<Val<K>> for Val<String> {
    fn from(v: Val<K>) -> Self {
        v.into_string()
    }
}
impl<K: Kind> From<&Val<K>> for Val<String> {
    fn from(v: &Val<K>) -> Self {
        v.clone().into_string()
    }
}
impl<K: Kind> From<Val<K>> for Val<Json> {
    fn from(v: Val<K>) -> Self {
        v.into_json()
    }
}

macro_rules! union_members {
    ($union:ident: $($member:ident),+) => {$(
        impl From<Val<$member>> for Val<$union> {
            fn from(v: Val<$member>) -> Self {
                Val::from_expr(v.into_expr())
            }
        }
        impl From<&Val<$member>> for Val<$union> {
            fn from(v: &Val<$member>) -> Self {
                Val::from_expr(v.expr().clone())
            }
        }
    )+};
}
union_members!(KmsKey: KmsKeyArn, KmsKeyId, KmsAliasName);
union_members!(SecurityGroupIdOrName: SecurityGroupId, SecurityGroupName);
union_members!(
    AnyArn: RoleArn,
    KmsKeyArn,
    FunctionArn,
    TopicArn,
    QueueArn,
    CertificateArn,
    TableArn
);

/// A string of no particular kind may be an ARN (one built with the formatter, `Fn::Sub`, an
/// attribute the schemas give no kind); the policy check judges a literal at synth.
impl From<Val<String>> for Val<AnyArn> {
    fn from(v: Val<String>) -> Self {
        Val::from_expr(v.into_expr())
    }
}
impl From<&Val<String>> for Val<AnyArn> {
    fn from(v: &Val<String>) -> Self {
        Val::from_expr(v.expr().clone())
    }
}
impl From<crate::Arn> for Val<AnyArn> {
    fn from(arn: crate::Arn) -> Self {
        Val::from_expr(arn.to_val().into_expr())
    }
}

/// Whether a literal is a dynamic reference (`{{resolve:ssm:...}}`), which CloudFormation
/// resolves at deploy time and no pattern can judge.
pub fn is_dynamic_reference(literal: &str) -> bool {
    literal.starts_with("{{resolve:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_patterns_start_with_the_partition_prefix() {
        for p in [
            const_format_arn::ROLE,
            const_format_arn::KMS_KEY,
            const_format_arn::FUNCTION,
            const_format_arn::TOPIC,
            const_format_arn::QUEUE,
            const_format_arn::CERTIFICATE,
            const_format_arn::TABLE,
        ] {
            assert!(p.starts_with(ARN_PREFIX), "{p}");
        }
    }

    #[test]
    fn a_kind_converts_to_a_string_and_a_union_but_keeps_its_expression() {
        let arn: Val<KmsKeyArn> = "arn:aws:kms:us-east-1:123456789012:key/x".into();
        let any: Val<KmsKey> = arn.clone().into();
        let s: Val<String> = arn.into();
        assert_eq!(any.expr(), s.expr());
        assert_eq!(KINDS.len(), 22);
    }
}

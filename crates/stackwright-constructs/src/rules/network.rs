//! Rules for security groups and VPC endpoint services.

use stackwright_core::emit::Node;
use stackwright_core::security::ResourceView;
use stackwright_core::{SecurityRule, Severity};

use super::checks::{is_true, open_port, text};

const GROUPS: &[&str] = &["AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"];

/// Security groups do not open SSH to the internet.
pub static EC2_OPEN_SSH: SecurityRule = SecurityRule {
    id: "ec2.open-ssh",
    severity: Severity::High,
    resource_types: GROUPS,
    cdk_nag: &["AwsSolutions-EC23"],
    checkov: &["CKV_AWS_24"],
    guard: &["INCOMING_SSH_DISABLED"],
    message: "the security group admits anyone on the internet to SSH",
    fix: "reach instances through Systems Manager Session Manager, or admit only known networks",
    check: |r, out| open_port(r, 22, out),
};

/// Security groups do not open RDP to the internet.
pub static EC2_OPEN_RDP: SecurityRule = SecurityRule {
    id: "ec2.open-rdp",
    severity: Severity::High,
    resource_types: GROUPS,
    cdk_nag: &["AwsSolutions-EC23"],
    checkov: &["CKV_AWS_25"],
    guard: &["RESTRICTED_INCOMING_TRAFFIC"],
    message: "the security group admits anyone on the internet to RDP",
    fix: "reach instances through Systems Manager Fleet Manager, or admit only known networks",
    check: |r, out| open_port(r, 3389, out),
};

/// Every rule of a security group says why it exists.
pub static EC2_RULE_DESCRIPTION: SecurityRule = SecurityRule {
    id: "ec2.rule-description",
    severity: Severity::Low,
    resource_types: &[
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::SecurityGroupIngress",
        "AWS::EC2::SecurityGroupEgress",
    ],
    cdk_nag: &[],
    checkov: &["CKV_AWS_23"],
    guard: &[],
    message: "a security group rule has no description",
    fix: "give the rule a Description saying what it admits and why (the constructs' \
          allow_from describes the rules it adds)",
    check: rule_descriptions,
};

fn described(rule: &Node) -> bool {
    text(rule.get("Description")).is_some_and(|d| !d.is_empty())
        || matches!(rule.get("Description"), Some(Node::Fn(..)))
}

fn rule_descriptions(r: &ResourceView<'_>, out: &mut Vec<String>) {
    if r.resource_type() != "AWS::EC2::SecurityGroup" {
        let described = text(r.property("Description")).is_some_and(|d| !d.is_empty())
            || matches!(r.property("Description"), Some(Node::Fn(..)));
        if !described {
            out.push(String::new());
        }
        return;
    }
    for (key, kind) in [("SecurityGroupIngress", "ingress"), ("SecurityGroupEgress", "egress")] {
        let Some(Node::List(rules)) = r.property(key) else { continue };
        for (i, rule) in rules.iter().enumerate() {
            if !described(rule) {
                out.push(format!("{kind} rule {}", i + 1));
            }
        }
    }
}

/// Endpoint services accept each connection request by hand.
pub static EC2_ENDPOINT_ACCEPTANCE: SecurityRule = SecurityRule {
    id: "ec2.endpoint-acceptance",
    severity: Severity::Medium,
    resource_types: &["AWS::EC2::VPCEndpointService"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_123"],
    guard: &[],
    message: "the endpoint service accepts connection requests without review",
    fix: "set AcceptanceRequired to true, or suppress when AllowedPrincipals of the \
          service's permissions already name every consumer",
    check: |r, out| {
        if !is_true(r.property("AcceptanceRequired")) {
            out.push(String::new());
        }
    },
};

/// Launch templates require IMDSv2 tokens.
pub static EC2_IMDSV2: SecurityRule = SecurityRule {
    id: "ec2.imdsv2",
    severity: Severity::High,
    resource_types: &["AWS::EC2::LaunchTemplate"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_79"],
    guard: &["EC2_IMDSV2_CHECK"],
    message: "instances launched from the template answer IMDSv1 requests, which a server-side \
              request forgery can use to read the instance role's credentials",
    fix: "set LaunchTemplateData.MetadataOptions.HttpTokens to `required` (the \
          AutoScalingGroup construct does)",
    check: |r, out| {
        let options = "LaunchTemplateData.MetadataOptions";
        let disabled = text(r.property(&format!("{options}.HttpEndpoint"))) == Some("disabled");
        let required = text(r.property(&format!("{options}.HttpTokens"))) == Some("required");
        if !disabled && !required {
            out.push(String::new());
        }
    },
};

/// Instances get no public address.
pub static EC2_PUBLIC_IP: SecurityRule = SecurityRule {
    id: "ec2.public-ip",
    severity: Severity::Medium,
    resource_types: &["AWS::EC2::LaunchTemplate", "AWS::EC2::Instance"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_88"],
    guard: &["EC2_INSTANCE_NO_PUBLIC_IP"],
    message: "a network interface gives the instance a public IP address",
    fix: "launch into private subnets behind a load balancer and leave \
          AssociatePublicIpAddress off",
    check: |r, out| {
        let interfaces = if r.resource_type() == "AWS::EC2::Instance" {
            r.property("NetworkInterfaces")
        } else {
            r.property("LaunchTemplateData.NetworkInterfaces")
        };
        let Some(Node::List(interfaces)) = interfaces else { return };
        for (i, interface) in interfaces.iter().enumerate() {
            if is_true(interface.get("AssociatePublicIpAddress")) {
                out.push(format!("network interface {}", i + 1));
            }
        }
    },
};

//! Rules for EC2 instances, their volumes and launch templates, security group
//! descriptions, network ACLs and classic load balancers.

use stackwright_core::emit::Node;
use stackwright_core::security::ResourceView;
use stackwright_core::{SecurityRule, Severity};

use super::checks::{is_true, items, refers_to, text};

/// Security groups say what they are for.
pub static EC2_GROUP_DESCRIPTION: SecurityRule = SecurityRule {
    id: "ec2.group-description",
    severity: Severity::Low,
    resource_types: &["AWS::EC2::SecurityGroup"],
    cdk_nag: &["AwsSolutions-EC27"],
    checkov: &[],
    guard: &[],
    message: "the security group's description does not say what it is for",
    fix: "write a GroupDescription of at least two characters naming what the group holds",
    check: |r, out| {
        if text(r.property("GroupDescription")).is_some_and(|d| d.chars().count() < 2) {
            out.push(String::new());
        }
    },
};

/// EBS volumes are encrypted.
pub static EC2_EBS_ENCRYPTION: SecurityRule = SecurityRule {
    id: "ec2.ebs-encryption",
    severity: Severity::Medium,
    resource_types: &["AWS::EC2::Volume", "AWS::EC2::Instance", "AWS::EC2::LaunchTemplate"],
    cdk_nag: &["AwsSolutions-EC26"],
    checkov: &[],
    guard: &["ENCRYPTED_VOLUMES"],
    message: "an EBS volume is not encrypted",
    fix: "set Encrypted to true on the volume or the block device mapping's Ebs",
    check: ebs_encryption,
};

fn ebs_encryption(r: &ResourceView<'_>, out: &mut Vec<String>) {
    let mappings = match r.resource_type() {
        "AWS::EC2::Volume" => {
            if !is_true(r.property("Encrypted")) {
                out.push(String::new());
            }
            return;
        }
        "AWS::EC2::Instance" => r.property("BlockDeviceMappings"),
        _ => r.property("LaunchTemplateData.BlockDeviceMappings"),
    };
    for m in items(mappings) {
        if let Some(ebs) = m.get("Ebs")
            && !is_true(ebs.get("Encrypted"))
        {
            out.push(text(m.get("DeviceName")).unwrap_or_default().to_owned());
        }
    }
}

/// Instances outside an Auto Scaling group cannot be terminated by accident.
pub static EC2_TERMINATION_PROTECTION: SecurityRule = SecurityRule {
    id: "ec2.termination-protection",
    severity: Severity::Low,
    resource_types: &["AWS::EC2::Instance"],
    cdk_nag: &["AwsSolutions-EC29"],
    checkov: &[],
    guard: &["EC2_INSTANCE_TERMINATION_PROTECTION"],
    message: "the instance can be terminated through the API without first lifting a protection",
    fix: "set DisableApiTermination to true, or run it in an AutoScalingGroup that replaces it",
    check: |r, out| {
        if !is_true(r.property("DisableApiTermination")) {
            out.push(String::new());
        }
    },
};

/// Subnets are guarded by security groups, not network ACLs.
pub static EC2_NETWORK_ACL: SecurityRule = SecurityRule {
    id: "ec2.network-acl",
    severity: Severity::Low,
    resource_types: &["AWS::EC2::NetworkAcl", "AWS::EC2::NetworkAclEntry"],
    cdk_nag: &["AwsSolutions-VPC3"],
    checkov: &[],
    guard: &[],
    message: "a network ACL guards a whole subnet, statelessly, in both directions",
    fix: "use security groups between the constructs (allow_from); suppress when a subnet-wide \
          deny is intended",
    check: |_, out| out.push(String::new()),
};

/// Load balancers are application or network load balancers, not classic ones.
pub static ELB_CLASSIC: SecurityRule = SecurityRule {
    id: "elb.classic",
    severity: Severity::Medium,
    resource_types: &["AWS::ElasticLoadBalancing::LoadBalancer"],
    cdk_nag: &["AwsSolutions-ELB1", "AwsSolutions-ELB3", "AwsSolutions-ELB4", "AwsSolutions-ELB5"],
    checkov: &[],
    guard: &[],
    message: "a classic load balancer: no HTTP-to-HTTPS redirect, no header checks, no \
              per-target health",
    fix: "use elbv2::ApplicationLoadBalancer",
    check: |r, out| {
        let listeners = items(r.property("Listeners"));
        if listeners.is_empty() {
            out.push(String::new());
        }
        for l in listeners {
            let port = match l.get("LoadBalancerPort") {
                Some(Node::Str(p)) => p.clone(),
                Some(Node::Int(p)) => p.to_string(),
                _ => String::new(),
            };
            out.push(format!("port {port}"));
        }
    },
};

/// Instances report metrics every minute.
pub static EC2_DETAILED_MONITORING: SecurityRule = SecurityRule {
    id: "ec2.detailed-monitoring",
    severity: Severity::Low,
    resource_types: &["AWS::EC2::Instance", "AWS::AutoScaling::LaunchConfiguration"],
    cdk_nag: &["AwsSolutions-EC28"],
    checkov: &[],
    guard: &["EC2_INSTANCE_DETAILED_MONITORING_ENABLED"],
    message: "the instance reports metrics every five minutes only",
    fix: "set Monitoring (InstanceMonitoring for a launch configuration) to true",
    check: |r, out| {
        let key = if r.resource_type() == "AWS::EC2::Instance" {
            "Monitoring"
        } else {
            "InstanceMonitoring"
        };
        if !is_true(r.property(key)) {
            out.push(String::new());
        }
    },
};

/// VPCs record their traffic in flow logs.
pub static EC2_VPC_FLOW_LOGS: SecurityRule = SecurityRule {
    id: "ec2.vpc-flow-logs",
    severity: Severity::Medium,
    resource_types: &["AWS::EC2::VPC"],
    cdk_nag: &["AwsSolutions-VPC7"],
    checkov: &[],
    guard: &["VPC_FLOW_LOGS_ENABLED"],
    message: "no flow log records the VPC's traffic",
    fix: "add an AWS::EC2::FlowLog with ResourceType VPC and ResourceId the VPC, or suppress \
          with the reason",
    check: |r, out| {
        let logged = r.template().any(|f| {
            f.resource_type() == "AWS::EC2::FlowLog"
                && f.property("ResourceId").is_some_and(|id| refers_to(id, r.logical_id()))
        });
        if !logged {
            out.push(String::new());
        }
    },
};

const GROUP: &[&str] = &["AWS::AutoScaling::AutoScalingGroup"];

/// Scaling waits between activities.
pub static AUTOSCALING_COOLDOWN: SecurityRule = SecurityRule {
    id: "autoscaling.cooldown",
    severity: Severity::Low,
    resource_types: GROUP,
    cdk_nag: &["AwsSolutions-AS1"],
    checkov: &[],
    guard: &[],
    message: "the group's cooldown is zero, so scaling activities follow each other at once",
    fix: "remove Cooldown (300 seconds by default) or set a positive one",
    check: |r, out| {
        let zero = match r.property("Cooldown") {
            Some(Node::Str(c)) => c.trim() == "0",
            Some(Node::Int(c)) => *c == 0,
            _ => false,
        };
        if zero {
            out.push(String::new());
        }
    },
};

/// Groups checked by a load balancer give new instances time to start.
pub static AUTOSCALING_HEALTH_CHECK: SecurityRule = SecurityRule {
    id: "autoscaling.health-check",
    severity: Severity::Low,
    resource_types: GROUP,
    cdk_nag: &["AwsSolutions-AS2"],
    checkov: &[],
    guard: &[],
    message: "the group uses the load balancer's health check without a grace period",
    fix: "set HealthCheckGracePeriod (the AutoScalingGroup construct sets 300 seconds)",
    check: |r, out| {
        if text(r.property("HealthCheckType")) == Some("ELB")
            && r.property("HealthCheckGracePeriod").is_none()
        {
            out.push(String::new());
        }
    },
};

/// Groups notify of every launch and termination, and of their failures.
pub static AUTOSCALING_NOTIFICATIONS: SecurityRule = SecurityRule {
    id: "autoscaling.notifications",
    severity: Severity::Low,
    resource_types: GROUP,
    cdk_nag: &["AwsSolutions-AS3"],
    checkov: &[],
    guard: &[],
    message: "the group does not notify of every launch and termination and their errors",
    fix: "add NotificationConfigurations sending autoscaling:EC2_INSTANCE_LAUNCH, \
          _LAUNCH_ERROR, _TERMINATE and _TERMINATE_ERROR to a topic",
    check: |r, out| {
        let configs = items(r.property("NotificationConfigurations"));
        for event in ["LAUNCH", "LAUNCH_ERROR", "TERMINATE", "TERMINATE_ERROR"] {
            let name = format!("autoscaling:EC2_INSTANCE_{event}");
            let sent = configs.iter().any(|c| {
                items(c.get("NotificationTypes"))
                    .into_iter()
                    .any(|t| text(Some(t)) == Some(name.as_str()))
            });
            if !sent {
                out.push(name);
            }
        }
    },
};

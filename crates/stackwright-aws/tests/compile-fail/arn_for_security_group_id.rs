// A rule's source group takes a security group ID; a role's ARN is not one, nor is a VPC ID.
use stackwright_aws::{ec2, iam};
use stackwright_core::{App, Json, Val};

fn main() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let role = s.add(
        "Role",
        iam::Role::new(iam::RoleRequired { assume_role_policy_document: Val::<Json>::from("{}") }),
    );
    let vpc = s.add("Vpc", ec2::Vpc::new());
    let _ =
        ec2::SecurityGroupIngress::new(ec2::SecurityGroupIngressRequired { ip_protocol: "tcp" })
            .source_security_group_id(role.arn());
    let _ =
        ec2::SecurityGroupIngress::new(ec2::SecurityGroupIngressRequired { ip_protocol: "tcp" })
            .source_security_group_id(vpc.reference());
}

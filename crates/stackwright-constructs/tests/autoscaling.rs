//! Auto Scaling groups: the launch template, the AMI from SSM, the instance role and profile,
//! the CodeDeploy agent in user data, target groups and every check.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use serde_json::{Value, json};
use stackwright_constructs::autoscaling::{
    AutoScalingGroup, AutoScalingGroupProps, MachineImage, Subnets,
};
use stackwright_constructs::ec2::{Vpc, VpcProps};
use stackwright_constructs::elbv2::{
    ApplicationLoadBalancer, LoadBalancerProps, TargetGroup, TargetGroupProps, TargetType,
};
use stackwright_core::App;

fn app_with(props: impl FnOnce(&Vpc) -> AutoScalingGroupProps) -> App {
    let mut app = App::new();
    let mut s = app.stack("S");
    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new().max_azs(2));
    AutoScalingGroup::new(&mut s, "Fleet", props(&vpc));
    app
}

fn props<'a>(t: &'a Value, id: &str) -> &'a Value {
    let r = &t["Resources"][id];
    assert!(r.is_object(), "no resource {id} in {t:#}");
    &r["Properties"]
}

#[test]
fn instances_start_from_a_launch_template_with_the_latest_amazon_linux_from_ssm() {
    let app =
        app_with(|vpc| AutoScalingGroupProps::new(vpc, "t3.micro").min_capacity(2).max_capacity(4));
    let t = template(&app, "S");
    assert_eq!(
        t["Parameters"]["FleetImageId"],
        json!({
            "Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
            "Description": "The AMI of the Auto Scaling group's instances, from SSM",
            "Default": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64"
        })
    );
    assert_eq!(
        props(&t, "FleetLaunchTemplate"),
        &json!({
            "LaunchTemplateData": {
                "IamInstanceProfile": { "Arn": { "Fn::GetAtt": ["FleetInstanceProfile", "Arn"] } },
                "ImageId": { "Ref": "FleetImageId" },
                "InstanceType": "t3.micro",
                "MetadataOptions": { "HttpTokens": "required" },
                "SecurityGroupIds": [{ "Fn::GetAtt": ["FleetSecurityGroup", "GroupId"] }]
            }
        })
    );
    assert_eq!(
        props(&t, "Fleet"),
        &json!({
            "LaunchTemplate": {
                "LaunchTemplateId": { "Ref": "FleetLaunchTemplate" },
                "Version": { "Fn::GetAtt": ["FleetLaunchTemplate", "LatestVersionNumber"] }
            },
            "MaxSize": "4",
            "MinSize": "2",
            "VPCZoneIdentifier": [
                { "Ref": "VpcPrivateSubnet1Subnet" },
                { "Ref": "VpcPrivateSubnet2Subnet" }
            ]
        })
    );
    assert_eq!(
        props(&t, "FleetInstanceProfile"),
        &json!({ "Roles": [{ "Ref": "FleetInstanceRole" }] })
    );
    assert_eq!(
        props(&t, "FleetInstanceRole")["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({ "Service": "ec2.amazonaws.com" })
    );
    // Nothing granted, nothing to run: no policy and no user data.
    assert!(t["Resources"]["FleetInstanceRoleDefaultPolicy"].is_null());
    assert_eq!(props(&t, "FleetSecurityGroup")["VpcId"], json!({ "Ref": "Vpc" }));
}

#[test]
fn the_codedeploy_agent_is_installed_at_boot_and_may_read_its_install_bucket_only() {
    let app = app_with(|vpc| {
        AutoScalingGroupProps::new(vpc, "t3.micro")
            .code_deploy_agent(true)
            .user_data("dnf install -y nodejs22")
    });
    let t = template(&app, "S");
    let script = "#!/bin/bash\nset -euo pipefail\nyum install -y ruby wget\ncd /tmp\n\
        wget https://aws-codedeploy-${AWS::Region}.s3.${AWS::Region}.${AWS::URLSuffix}/latest/install\n\
        chmod +x ./install\n./install auto\nsystemctl enable --now codedeploy-agent\n\
        dnf install -y nodejs22\n";
    assert_eq!(
        props(&t, "FleetLaunchTemplate")["LaunchTemplateData"]["UserData"],
        json!({ "Fn::Base64": { "Fn::Sub": script } })
    );
    assert_eq!(
        props(&t, "FleetInstanceRoleDefaultPolicy")["PolicyDocument"]["Statement"],
        json!([{
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": { "Fn::Sub": "arn:${AWS::Partition}:s3:::aws-codedeploy-${AWS::Region}/*" }
        }])
    );
    // The instances boot with the permission in place.
    assert_eq!(t["Resources"]["Fleet"]["DependsOn"], json!("FleetInstanceRoleDefaultPolicy"));
}

#[test]
fn commands_alone_run_without_the_agent() {
    let app = app_with(|vpc| AutoScalingGroupProps::new(vpc, "t3.micro").user_data("echo hi"));
    let t = template(&app, "S");
    assert_eq!(
        props(&t, "FleetLaunchTemplate")["LaunchTemplateData"]["UserData"],
        json!({ "Fn::Base64": "#!/bin/bash\nset -euo pipefail\necho hi\n" })
    );
}

#[test]
fn image_subnets_capacity_and_systems_manager_are_settings() {
    let app = app_with(|vpc| {
        AutoScalingGroupProps::new(vpc, "m7g.large")
            .machine_image(MachineImage::id("ami-0123456789abcdef0"))
            .subnets(Subnets::Public)
            .min_capacity(1)
            .max_capacity(3)
            .desired_capacity(2)
            .ssm_managed(true)
            .auto_scaling_group_name("web")
    });
    let t = template(&app, "S");
    assert!(t["Parameters"].is_null(), "{:#}", t["Parameters"]);
    let lt = &props(&t, "FleetLaunchTemplate")["LaunchTemplateData"];
    assert_eq!(lt["ImageId"], json!("ami-0123456789abcdef0"));
    let group = props(&t, "Fleet");
    assert_eq!(group["DesiredCapacity"], json!("2"));
    assert_eq!(group["AutoScalingGroupName"], json!("web"));
    assert_eq!(
        group["VPCZoneIdentifier"],
        json!([{ "Ref": "VpcPublicSubnet1Subnet" }, { "Ref": "VpcPublicSubnet2Subnet" }])
    );
    assert_eq!(
        props(&t, "FleetInstanceRole")["ManagedPolicyArns"],
        json!([{ "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore" }])
    );
}

#[test]
fn instances_register_into_target_groups_and_admit_the_load_balancers_added_later() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new().max_azs(2));
    let targets = TargetGroup::new(
        &mut s,
        "Targets",
        TargetGroupProps::new(&vpc, 8080).target_type(TargetType::Instance),
    );
    AutoScalingGroup::new(
        &mut s,
        "Fleet",
        AutoScalingGroupProps::new(&vpc, "t3.micro").target_group(&targets),
    );
    // The listener comes after the group: the rule is added at synth.
    let alb = ApplicationLoadBalancer::new(&mut s, "Alb", LoadBalancerProps::public_in(&vpc));
    alb.add_listener(&mut s, "Listener", 80, &targets);
    let t = template(&app, "S");
    assert_eq!(props(&t, "Targets")["TargetType"], json!("instance"));
    let group = props(&t, "Fleet");
    assert_eq!(group["TargetGroupARNs"], json!([{ "Ref": "Targets" }]));
    assert_eq!(group["HealthCheckType"], json!("ELB"));
    assert_eq!(group["HealthCheckGracePeriod"], json!(300));
    assert_eq!(
        props(&t, "FleetSecurityGroupFromAlbSecurityGroupTcp8080"),
        &json!({
            "Description": "from AlbSecurityGroup:8080",
            "FromPort": 8080,
            "GroupId": { "Fn::GetAtt": ["FleetSecurityGroup", "GroupId"] },
            "IpProtocol": "tcp",
            "SourceSecurityGroupId": { "Fn::GetAtt": ["AlbSecurityGroup", "GroupId"] },
            "ToPort": 8080
        })
    );
}

#[test]
fn a_target_group_of_ip_targets_is_refused() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new().max_azs(2));
    let targets = TargetGroup::new(&mut s, "Targets", TargetGroupProps::new(&vpc, 8080));
    AutoScalingGroup::new(
        &mut s,
        "Fleet",
        AutoScalingGroupProps::new(&vpc, "t3.micro").target_group(&targets),
    );
    assert_eq!(
        errors(&app),
        [
            "S/Fleet: the group registers its instances into a target group of IP targets; create the target group with .target_type(TargetType::Instance)"
        ]
    );
}

#[test]
fn capacities_and_instance_types_are_checked() {
    let check = |f: fn(AutoScalingGroupProps) -> AutoScalingGroupProps| {
        errors(&app_with(|vpc| f(AutoScalingGroupProps::new(vpc, "t3.micro"))))
    };
    assert_eq!(
        check(|p| p.min_capacity(3).max_capacity(2)),
        [
            "S/Fleet: min_capacity (3) is above max_capacity (2); keep min_capacity at or below max_capacity"
        ]
    );
    assert_eq!(
        check(|p| p.min_capacity(0).max_capacity(0)),
        [
            "S/Fleet: max_capacity is 0, so the group never runs an instance; set max_capacity to at least 1"
        ]
    );
    assert_eq!(
        check(|p| p.min_capacity(1).max_capacity(2).desired_capacity(3)),
        [
            "S/Fleet: desired_capacity (3) is outside min_capacity (1) to max_capacity (2); choose a desired capacity between the minimum and the maximum"
        ]
    );
    assert!(check(|p| p.min_capacity(0).max_capacity(2).desired_capacity(0)).is_empty());
    for bad in ["t3", "micro.", " t3.micro", ""] {
        let app = app_with(|vpc| AutoScalingGroupProps::new(vpc, bad));
        assert_eq!(
            errors(&app),
            [format!(
                "S/Fleet: `{bad}` is not an EC2 instance type; name one as family.size, such as t3.micro"
            )]
        );
    }
    let app = app_with(|vpc| {
        AutoScalingGroupProps::new(vpc, "t3.micro")
            .machine_image(MachineImage::ssm_parameter("ami-latest"))
    });
    assert_eq!(
        errors(&app),
        [
            "S/Fleet: the AMI's SSM parameter `ami-latest` is not a parameter path; name it from its leading `/`, such as /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64"
        ]
    );
}

//! The load balancer and target group constructs: a blue/green pair behind an ALB, and the
//! checks.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use serde_json::json;
use stackwright_constructs::Duration;
use stackwright_constructs::ec2::{Port, SecurityGroup, Vpc, VpcProps};
use stackwright_constructs::elbv2::{
    ApplicationLoadBalancer, LoadBalancerProps, TargetGroup, TargetGroupProps,
};
use stackwright_core::{App, Handle, Val};

fn blue_green_app() -> App {
    let mut app = App::new();
    let mut s = app.stack("Web");
    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new());
    let alb = ApplicationLoadBalancer::new(&mut s, "Alb", LoadBalancerProps::public_in(&vpc));
    let blue = TargetGroup::new(
        &mut s,
        "Blue",
        TargetGroupProps::new(&vpc, 8080)
            .health_check_path("/health")
            .health_check_interval(Duration::seconds(15))
            .health_check_timeout(Duration::seconds(5))
            .healthy_threshold(2)
            .unhealthy_threshold(3)
            .healthy_http_codes("200-299")
            .deregistration_delay(Duration::seconds(30)),
    );
    let green = TargetGroup::new(&mut s, "Green", TargetGroupProps::new(&vpc, 8080));
    let prod = alb.add_listener(&mut s, "ProdListener", 80, &blue);
    let test = alb.add_listener(&mut s, "TestListener", 8080, &green);
    assert_eq!((prod.port(), test.port()), (80, 8080));
    let tasks = SecurityGroup::new(&mut s, "Tasks", &vpc, "tasks");
    tasks.allow_from(&mut s, &alb.security_group(), Port::tcp(8080));
    app
}

#[test]
fn the_load_balancer_is_internet_facing_in_the_public_subnets() {
    let t = template(&blue_green_app(), "Web");
    assert_eq!(
        t["Resources"]["Alb"],
        json!({
            "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "DependsOn": "VpcPublicDefaultRoute",
            "Properties": {
                "LoadBalancerAttributes": [
                    {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}
                ],
                "Scheme": "internet-facing",
                "SecurityGroups": [{"Fn::GetAtt": ["AlbSecurityGroup", "GroupId"]}],
                "Subnets": [{"Ref": "VpcPublicSubnet1Subnet"}, {"Ref": "VpcPublicSubnet2Subnet"}],
                "Type": "application"
            }
        })
    );
}

#[test]
fn listeners_forward_and_open_their_ports() {
    let t = template(&blue_green_app(), "Web");
    let r = &t["Resources"];
    assert_eq!(
        r["AlbProdListener"],
        json!({
            "Type": "AWS::ElasticLoadBalancingV2::Listener",
            "Properties": {
                "DefaultActions": [{"TargetGroupArn": {"Ref": "Blue"}, "Type": "forward"}],
                "LoadBalancerArn": {"Ref": "Alb"},
                "Port": 80,
                "Protocol": "HTTP"
            }
        })
    );
    assert_eq!(
        r["AlbTestListener"]["Properties"]["DefaultActions"][0]["TargetGroupArn"],
        json!({"Ref": "Green"})
    );
    assert_eq!(
        r["AlbSecurityGroup"]["Properties"]["SecurityGroupIngress"],
        json!([
            {"CidrIp": "0.0.0.0/0", "Description": "from 0.0.0.0/0:80", "FromPort": 80, "IpProtocol": "tcp", "ToPort": 80},
            {"CidrIp": "0.0.0.0/0", "Description": "from 0.0.0.0/0:8080", "FromPort": 8080, "IpProtocol": "tcp", "ToPort": 8080}
        ])
    );
    assert_eq!(
        r["TasksFromAlbSecurityGroupTcp8080"]["Properties"]["SourceSecurityGroupId"],
        json!({"Fn::GetAtt": ["AlbSecurityGroup", "GroupId"]})
    );
}

#[test]
fn target_groups_take_ip_targets_over_http() {
    let t = template(&blue_green_app(), "Web");
    assert_eq!(
        t["Resources"]["Blue"]["Properties"],
        json!({
            "HealthCheckIntervalSeconds": 15,
            "HealthCheckPath": "/health",
            "HealthCheckTimeoutSeconds": 5,
            "HealthyThresholdCount": 2,
            "Matcher": {"HttpCode": "200-299"},
            "Port": 8080,
            "Protocol": "HTTP",
            "TargetGroupAttributes": [
                {"Key": "deregistration_delay.timeout_seconds", "Value": "30"}
            ],
            "TargetType": "ip",
            "UnhealthyThresholdCount": 3,
            "VpcId": {"Ref": "Vpc"}
        })
    );
    assert_eq!(
        t["Resources"]["Green"]["Properties"],
        json!({"Port": 8080, "Protocol": "HTTP", "TargetType": "ip", "VpcId": {"Ref": "Vpc"}})
    );
}

#[test]
fn accessors_give_arns_and_names() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let tg = TargetGroup::new(&mut s, "Tg", TargetGroupProps::in_vpc_id("vpc-11111111", 80));
    let alb = ApplicationLoadBalancer::new(
        &mut s,
        "Lb",
        LoadBalancerProps::new(
            "vpc-11111111",
            [Val::from("subnet-aaaaaaaa"), Val::from("subnet-bbbbbbbb")],
        )
        .internet_facing(false)
        .load_balancer_name("web")
        .idle_timeout(Duration::minutes(2)),
    );
    let listener = alb.add_listener(&mut s, "Http", 80, &tg);
    assert_eq!(tg.arn(), tg.resource().reference());
    assert_eq!(alb.arn(), alb.resource().reference());
    assert_eq!(listener.arn(), listener.resource().reference());
    assert_eq!(tg.target_group_name(), tg.resource().target_group_name());
    let t = template(&app, "S");
    let lb = &t["Resources"]["Lb"];
    assert_eq!(lb["Properties"]["Scheme"], "internal");
    assert_eq!(lb["Properties"]["Name"], "web");
    assert_eq!(
        lb["Properties"]["LoadBalancerAttributes"],
        json!([
            {"Key": "idle_timeout.timeout_seconds", "Value": "120"},
            {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}
        ])
    );
    assert!(lb.get("DependsOn").is_none());
}

#[test]
fn load_balancer_props_are_checked() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let tg = TargetGroup::new(&mut s, "Tg", TargetGroupProps::in_vpc_id("vpc-11111111", 80));
    let one = ApplicationLoadBalancer::new(
        &mut s,
        "One",
        LoadBalancerProps::new("vpc-11111111", [Val::from("subnet-aaaaaaaa")]),
    );
    ApplicationLoadBalancer::new(
        &mut s,
        "Named",
        LoadBalancerProps::new(
            "vpc-11111111",
            [Val::from("subnet-aaaaaaaa"), Val::from("subnet-bbbbbbbb")],
        )
        .load_balancer_name("internal-web_1-")
        .idle_timeout(Duration::seconds(0)),
    );
    one.add_listener(&mut s, "Zero", 0, &tg);
    one.add_listener(&mut s, "Huge", 70_000, &tg);
    one.add_listener(&mut s, "Http", 80, &tg);
    one.add_listener(&mut s, "Again", 80, &tg);
    assert_eq!(
        errors(&app),
        vec![
            "S/One: an Application Load Balancer needs at least 2 subnets in different availability zones; got 1",
            "S/Named: load balancer name `internal-web_1-` contains `_`; use letters, digits and `-`",
            "S/Named: load balancer name `internal-web_1-` must not start or end with `-`",
            "S/Named: load balancer name `internal-web_1-` must not start with `internal-`",
            "S/Named: idle_timeout is 0 seconds; ELB allows 1 to 4000 seconds",
            "S/One: listener port 0 is out of range; ports are 1 to 65535",
            "S/One: listener port 70000 is out of range; ports are 1 to 65535",
            "S/One: listener port 80 is already taken by `Http`; each listener of a load balancer needs its own port",
        ]
    );
}

#[test]
fn target_group_props_are_checked() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let tg = |s: &mut stackwright_core::Scope<'_>, id: &str, p: TargetGroupProps| {
        TargetGroup::new(s, id, p);
    };
    tg(
        &mut s,
        "Timing",
        TargetGroupProps::in_vpc_id("vpc-11111111", 80)
            .health_check_interval(Duration::seconds(10))
            .health_check_timeout(Duration::seconds(10)),
    );
    tg(
        &mut s,
        "SlowCheck",
        TargetGroupProps::in_vpc_id("vpc-11111111", 80).health_check_timeout(Duration::seconds(60)),
    );
    tg(
        &mut s,
        "Ranges",
        TargetGroupProps::in_vpc_id("vpc-11111111", 0)
            .health_check_interval(Duration::minutes(10))
            .health_check_timeout(Duration::seconds(1))
            .healthy_threshold(1)
            .unhealthy_threshold(11)
            .deregistration_delay(Duration::hours(2)),
    );
    tg(
        &mut s,
        "Named",
        TargetGroupProps::in_vpc_id("vpc-11111111", 65_536)
            .target_group_name("a-very-long-target-group-name-over-32")
            .health_check_path("health"),
    );
    assert_eq!(
        errors(&app),
        vec![
            "S/Timing: health_check_interval (10 seconds) must be longer than health_check_timeout (10 seconds)",
            "S/SlowCheck: health_check_interval (30 seconds) must be longer than health_check_timeout (60 seconds)",
            "S/Ranges: port 0 is out of range; ports are 1 to 65535",
            "S/Ranges: health_check_interval is 10 minutes; ELB allows 5 to 300 seconds",
            "S/Ranges: health_check_timeout is 1 seconds; ELB allows 2 to 120 seconds",
            "S/Ranges: deregistration_delay is 2 hours; ELB allows 0 to 3600 seconds",
            "S/Ranges: healthy_threshold is 1; ELB allows 2 to 10",
            "S/Ranges: unhealthy_threshold is 11; ELB allows 2 to 10",
            "S/Named: port 65536 is out of range; ports are 1 to 65535",
            "S/Named: target group name `a-very-long-target-group-name-over-32` must be 1 to 32 characters long",
            "S/Named: health_check_path `health` must start with `/` and be at most 1024 characters long",
        ]
    );
}

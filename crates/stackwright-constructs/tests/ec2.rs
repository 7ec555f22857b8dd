//! The VPC and security group constructs: layout, zones, routes, rules and their checks.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use serde_json::{Value, json};
use stackwright_constructs::ec2::{NatGateways, Port, SecurityGroup, Vpc, VpcProps};
use stackwright_core::{App, Format};

fn vpc_app(props: VpcProps) -> App {
    let mut app = App::new();
    let mut s = app.stack("Net");
    Vpc::new(&mut s, "Vpc", props);
    app
}

fn count(t: &Value, ty: &str) -> usize {
    t["Resources"]
        .as_object()
        .map(|r| r.values().filter(|v| v["Type"] == ty).count())
        .unwrap_or_default()
}

/// Whether `s` contains something shaped like an availability zone name (`us-east-1a`):
/// `[a-z]{2}-[a-z]+-\d[a-z]`.
fn has_zone_name(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len()).any(|start| {
        let mut i = start;
        if !(i + 2 < b.len() && b[i].is_ascii_lowercase() && b[i + 1].is_ascii_lowercase()) {
            return false;
        }
        i += 2;
        if b.get(i) != Some(&b'-') {
            return false;
        }
        i += 1;
        let letters = b[i..].iter().take_while(|c| c.is_ascii_lowercase()).count();
        if letters == 0 {
            return false;
        }
        i += letters;
        b.get(i) == Some(&b'-')
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            && b.get(i + 2).is_some_and(u8::is_ascii_lowercase)
    })
}

fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.iter().for_each(|(k, x)| {
            out.push(k.clone());
            strings(x, out);
        }),
        _ => {}
    }
}

#[test]
fn the_zone_scan_finds_zone_names() {
    assert!(has_zone_name("us-east-1a"));
    assert!(has_zone_name("in eu-west-3c here"));
    assert!(!has_zone_name("us-east-1"));
    assert!(!has_zone_name("10.0.0.0/24"));
}

#[test]
fn a_default_vpc_has_two_zones_with_nat_per_zone() {
    let t = template(&vpc_app(VpcProps::new()), "Net");
    for (ty, n) in [
        ("AWS::EC2::VPC", 1),
        ("AWS::EC2::Subnet", 4),
        ("AWS::EC2::InternetGateway", 1),
        ("AWS::EC2::VPCGatewayAttachment", 1),
        ("AWS::EC2::RouteTable", 3),
        ("AWS::EC2::Route", 3),
        ("AWS::EC2::SubnetRouteTableAssociation", 4),
        ("AWS::EC2::EIP", 2),
        ("AWS::EC2::NatGateway", 2),
    ] {
        assert_eq!(count(&t, ty), n, "{ty}");
    }
    assert_eq!(t["Resources"].as_object().map(|r| r.len()), Some(21));
    assert_eq!(
        t["Resources"]["Vpc"]["Properties"],
        json!({
            "CidrBlock": "10.0.0.0/16",
            "EnableDnsHostnames": true,
            "EnableDnsSupport": true,
            "Tags": [{"Key": "Name", "Value": "Net/Vpc"}]
        })
    );
}

#[test]
fn zones_are_selected_from_get_azs_never_written() {
    let t = template(&vpc_app(VpcProps::new()), "Net");
    let mut all = Vec::new();
    strings(&t, &mut all);
    let written: Vec<_> = all.iter().filter(|s| has_zone_name(s)).collect();
    assert!(written.is_empty(), "hard-coded zones: {written:?}");
    for (subnet, i) in [
        ("VpcPublicSubnet1Subnet", 0),
        ("VpcPublicSubnet2Subnet", 1),
        ("VpcPrivateSubnet1Subnet", 0),
        ("VpcPrivateSubnet2Subnet", 1),
    ] {
        assert_eq!(
            t["Resources"][subnet]["Properties"]["AvailabilityZone"],
            json!({"Fn::Select": [i, {"Fn::GetAZs": ""}]}),
            "{subnet}"
        );
    }
}

#[test]
fn subnet_blocks_are_carved_in_order() {
    let t = template(&vpc_app(VpcProps::new()), "Net");
    let cidr = |id: &str| t["Resources"][id]["Properties"]["CidrBlock"].clone();
    assert_eq!(cidr("VpcPublicSubnet1Subnet"), "10.0.0.0/24");
    assert_eq!(cidr("VpcPublicSubnet2Subnet"), "10.0.1.0/24");
    assert_eq!(cidr("VpcPrivateSubnet1Subnet"), "10.0.2.0/24");
    assert_eq!(cidr("VpcPrivateSubnet2Subnet"), "10.0.3.0/24");

    let t = template(
        &vpc_app(VpcProps::new().cidr("172.16.0.0/20").max_azs(3).subnet_prefix(23)),
        "Net",
    );
    let cidr = |id: &str| t["Resources"][id]["Properties"]["CidrBlock"].clone();
    assert_eq!(cidr("VpcPublicSubnet3Subnet"), "172.16.4.0/23");
    assert_eq!(cidr("VpcPrivateSubnet3Subnet"), "172.16.10.0/23");
}

#[test]
fn routes_to_the_gateway_depend_on_its_attachment() {
    let t = template(&vpc_app(VpcProps::new()), "Net");
    let r = &t["Resources"];
    assert_eq!(
        r["VpcPublicDefaultRoute"],
        json!({
            "Type": "AWS::EC2::Route",
            "DependsOn": "VpcVPCGW",
            "Properties": {
                "DestinationCidrBlock": "0.0.0.0/0",
                "GatewayId": {"Ref": "VpcIGW"},
                "RouteTableId": {"Ref": "VpcPublicRouteTable"}
            }
        })
    );
    assert_eq!(r["VpcPublicSubnet1EIP"]["DependsOn"], "VpcVPCGW");
    assert_eq!(
        r["VpcPrivateSubnet2DefaultRoute"]["Properties"]["NatGatewayId"],
        json!({"Ref": "VpcPublicSubnet2NATGateway"})
    );
    for id in ["VpcPublicSubnet1RouteTableAssociation", "VpcPublicSubnet2RouteTableAssociation"] {
        assert_eq!(r[id]["Properties"]["RouteTableId"], json!({"Ref": "VpcPublicRouteTable"}));
    }
}

#[test]
fn one_nat_gateway_serves_every_private_subnet() {
    let t = template(&vpc_app(VpcProps::new().max_azs(3).nat_gateways(NatGateways::One)), "Net");
    assert_eq!(count(&t, "AWS::EC2::NatGateway"), 1);
    assert_eq!(count(&t, "AWS::EC2::Subnet"), 6);
    for i in 1..=3 {
        assert_eq!(
            t["Resources"][format!("VpcPrivateSubnet{i}DefaultRoute")]["Properties"]["NatGatewayId"],
            json!({"Ref": "VpcPublicSubnet1NATGateway"})
        );
    }
}

#[test]
fn without_nat_private_subnets_have_no_default_route() {
    let t = template(&vpc_app(VpcProps::new().nat_gateways(NatGateways::None)), "Net");
    assert_eq!(count(&t, "AWS::EC2::NatGateway"), 0);
    assert_eq!(count(&t, "AWS::EC2::EIP"), 0);
    assert_eq!(count(&t, "AWS::EC2::Route"), 1);
    assert_eq!(count(&t, "AWS::EC2::RouteTable"), 3);
}

#[test]
fn accessors_name_the_resources() {
    let mut app = App::new();
    let mut s = app.stack("Net");
    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new());
    assert_eq!(vpc.public_subnet_ids().len(), 2);
    assert_eq!(vpc.private_subnet_ids().len(), 2);
    assert_eq!(vpc.nat_gateways().len(), 2);
    assert_eq!(vpc.availability_zone_count(), 2);
    let sg = SecurityGroup::new(&mut s, "Sg", &vpc, "tasks");
    sg.allow_from_cidr(&mut s, vpc.cidr_block(), Port::tcp(80));
    let t = template(&app, "Net");
    assert_eq!(t["Resources"]["Sg"]["Properties"]["VpcId"], json!({"Ref": "Vpc"}));
    assert_eq!(
        t["Resources"]["Sg"]["Properties"]["SecurityGroupIngress"][0]["CidrIp"],
        "10.0.0.0/16"
    );
}

#[test]
fn synthesis_is_deterministic() {
    let app = vpc_app(VpcProps::new().max_azs(3));
    let a = app.synth(Format::Json).map(|a| a.stack("Net").map(|s| s.body.clone()));
    let b = app.synth(Format::Json).map(|a| a.stack("Net").map(|s| s.body.clone()));
    assert_eq!(a.ok().flatten(), b.ok().flatten());
}

#[test]
fn vpc_props_are_checked() {
    let mut app = App::new();
    let mut s = app.stack("S");
    Vpc::new(&mut s, "One", VpcProps::new().max_azs(1));
    Vpc::new(&mut s, "Four", VpcProps::new().max_azs(4));
    Vpc::new(&mut s, "Bad", VpcProps::new().cidr("10.0.0/16"));
    Vpc::new(&mut s, "Wide", VpcProps::new().cidr("10.0.0.0/8"));
    Vpc::new(&mut s, "Host", VpcProps::new().cidr("10.0.1.0/16"));
    Vpc::new(&mut s, "Small", VpcProps::new().cidr("10.0.0.0/24").subnet_prefix(25));
    Vpc::new(&mut s, "Prefix", VpcProps::new().subnet_prefix(30));
    assert_eq!(
        errors(&app),
        vec![
            "S/One: max_azs is 1; a Vpc spans 2 or 3 availability zones (a load balancer needs 2)",
            "S/Four: max_azs is 4; a Vpc spans 2 or 3 availability zones (a load balancer needs 2)",
            "S/Bad: cidr `10.0.0/16` is not an IPv4 CIDR block like 10.0.0.0/16",
            "S/Wide: cidr `10.0.0.0/8` has prefix /8; a VPC's block must be /16 to /28",
            "S/Host: cidr `10.0.1.0/16` has host bits set; use `10.0.0.0/16`",
            "S/Small: cidr `10.0.0.0/24` holds 2 subnets of /25, but the Vpc needs 4; use a larger block or a longer subnet_prefix",
            "S/Prefix: subnet_prefix is /30; subnets must be /16 to /28 and no larger than the VPC's /16",
        ]
    );
}

#[test]
fn security_groups_allow_all_egress_and_typed_ingress() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let web = SecurityGroup::in_vpc_id(&mut s, "Web", "vpc-11111111", "web");
    let app_sg = SecurityGroup::in_vpc_id(&mut s, "App", "vpc-11111111", "app");
    web.allow_from_cidr(&mut s, "0.0.0.0/0", Port::tcp(443));
    web.allow_from_cidr(&mut s, "0.0.0.0/0", Port::tcp(443));
    web.allow_from_cidr(&mut s, "10.0.0.0/16", Port::udp(53));
    app_sg.allow_from(&mut s, &web, Port::tcp_range(8000, 8080));
    app_sg.allow_from(&mut s, &web, Port::tcp_range(8000, 8080));
    app_sg.allow_from(&mut s, &app_sg, Port::all_tcp());
    web.allow_from(&mut s, &app_sg, Port::tcp(9000));
    let t = template(&app, "S");
    let r = &t["Resources"];
    assert_eq!(
        r["Web"]["Properties"],
        json!({
            "GroupDescription": "web",
            "SecurityGroupEgress": [{
                "CidrIp": "0.0.0.0/0",
                "Description": "Allow all outbound traffic by default",
                "IpProtocol": "-1"
            }],
            "SecurityGroupIngress": [
                {"CidrIp": "0.0.0.0/0", "Description": "from 0.0.0.0/0:443", "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443},
                {"CidrIp": "10.0.0.0/16", "Description": "from 10.0.0.0/16:53", "FromPort": 53, "IpProtocol": "udp", "ToPort": 53}
            ],
            "VpcId": "vpc-11111111"
        })
    );
    assert_eq!(
        r["AppFromWebTcp8000to8080"],
        json!({
            "Type": "AWS::EC2::SecurityGroupIngress",
            "Properties": {
                "Description": "from Web:8000-8080",
                "FromPort": 8000,
                "GroupId": {"Fn::GetAtt": ["App", "GroupId"]},
                "IpProtocol": "tcp",
                "SourceSecurityGroupId": {"Fn::GetAtt": ["Web", "GroupId"]},
                "ToPort": 8080
            }
        })
    );
    assert_eq!(r["AppFromAppAllTcp"]["Properties"]["FromPort"], 0);
    assert_eq!(r["AppFromAppAllTcp"]["Properties"]["ToPort"], 65_535);
    assert_eq!(r["WebFromAppTcp9000"]["Type"], "AWS::EC2::SecurityGroupIngress");
    assert_eq!(count(&t, "AWS::EC2::SecurityGroupIngress"), 3);
}

#[test]
fn security_group_rules_are_checked() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let sg = SecurityGroup::in_vpc_id(&mut s, "Sg", "vpc-11111111", " ");
    let other = SecurityGroup::in_vpc_id(&mut s, "Other", "vpc-11111111", "other");
    sg.allow_from_cidr(&mut s, "10.0.0.0/33", Port::tcp(80));
    sg.allow_from_cidr(&mut s, "anywhere", Port::tcp(80));
    sg.allow_from_cidr(&mut s, "0.0.0.0/0", Port::tcp(70_000));
    sg.allow_from_cidr(&mut s, "0.0.0.0/0", Port::udp(65_536));
    sg.allow_from(&mut s, &other, Port::tcp_range(90, 80));
    assert_eq!(
        errors(&app),
        vec![
            "S/Sg: the description must not be empty; EC2 requires one",
            "S/Sg: `10.0.0.0/33` is not an IPv4 CIDR block like 10.0.0.0/16",
            "S/Sg: `anywhere` is not an IPv4 CIDR block like 10.0.0.0/16",
            "S/Sg: port 70000 is out of range; ports are 0 to 65535",
            "S/Sg: port 65536 is out of range; ports are 0 to 65535",
            "S/Sg: port range 90-80 is empty; the first port must not be above the last",
        ]
    );
}

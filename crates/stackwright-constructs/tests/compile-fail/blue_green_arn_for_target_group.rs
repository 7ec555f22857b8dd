//! A blue/green deployment takes the target groups themselves: an ARN where CodeDeploy needs
//! the group does not compile (names and ARNs of groups outside the app go through
//! `EcsBlueGreen::from_names`).

use stackwright_constructs::codedeploy::EcsBlueGreen;
use stackwright_constructs::ec2::{Vpc, VpcProps};
use stackwright_constructs::elbv2::{
    ApplicationLoadBalancer, LoadBalancerProps, TargetGroup, TargetGroupProps,
};
use stackwright_core::{App, Val};

fn main() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new());
    let blue = TargetGroup::new(&mut s, "Blue", TargetGroupProps::new(&vpc, 8080));
    let green = TargetGroup::new(&mut s, "Green", TargetGroupProps::new(&vpc, 8080));
    let subnets = [Val::from("subnet-a"), Val::from("subnet-b")];
    let alb = ApplicationLoadBalancer::new(&mut s, "Alb", LoadBalancerProps::new(vpc.vpc_id(), subnets));
    let production = alb.add_listener(&mut s, "Production", 80, &blue);
    let _ = EcsBlueGreen::new(blue.arn(), &green, &production);
}

// A subnet list takes subnet IDs: a VPC's ID, or a security group's, does not fit.
use stackwright_aws::ec2;
use stackwright_core::{App, Val};

fn main() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let vpc = s.add("Vpc", ec2::Vpc::new());
    let _ = ec2::NatGateway::new().subnet_id(vpc.reference());
    let ids: Vec<Val<stackwright_core::kind::SubnetId>> = vec![vpc.reference()];
    let _ = ids;
}

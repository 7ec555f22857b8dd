//! The `Vpc` construct.

use crate::Stateless;
use stackwright_aws::ec2 as l1;
use stackwright_core::kind;
use stackwright_core::{ConstructRef, Handle, Scope, Val, fns};

use super::cidr::{format_ipv4_cidr, parse_ipv4_cidr};

/// How many NAT gateways give the private subnets their way out to the internet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum NatGateways {
    /// None: the private subnets get no default route, so they reach only the VPC (and
    /// whatever VPC endpoints you add). Nothing is billed for NAT.
    None,
    /// One, in the first public subnet, shared by every private subnet: cheaper, but traffic
    /// leaving the other zones crosses zones and stops if that zone fails.
    One,
    /// One per availability zone, each private subnet using its own zone's (as CDK does).
    /// The default.
    #[default]
    PerAz,
}

/// How to build a [`Vpc`]. Every field has a default; the builder methods set them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VpcProps {
    cidr: String,
    max_azs: u32,
    nat_gateways: NatGateways,
    subnet_prefix: u8,
}

impl Default for VpcProps {
    fn default() -> Self {
        VpcProps {
            cidr: "10.0.0.0/16".into(),
            max_azs: 2,
            nat_gateways: NatGateways::PerAz,
            subnet_prefix: 24,
        }
    }
}

impl VpcProps {
    /// Defaults: `10.0.0.0/16` across 2 availability zones, one public and one private `/24`
    /// per zone, a NAT gateway per zone.
    pub fn new() -> VpcProps {
        VpcProps::default()
    }

    /// The VPC's IPv4 block, a literal such as `10.0.0.0/16` (prefix `/16` to `/28`).
    pub fn cidr(mut self, cidr: impl Into<String>) -> Self {
        self.cidr = cidr.into();
        self
    }

    /// How many availability zones the VPC spans: 2 (the default) or 3.
    pub fn max_azs(mut self, n: u32) -> Self {
        self.max_azs = n;
        self
    }

    /// How many NAT gateways to create; see [`NatGateways`].
    pub fn nat_gateways(mut self, n: NatGateways) -> Self {
        self.nat_gateways = n;
        self
    }

    /// The prefix length of every subnet (default 24, at most 28).
    pub fn subnet_prefix(mut self, prefix: u8) -> Self {
        self.subnet_prefix = prefix;
        self
    }
}

/// A VPC with a public and a private subnet in each of its availability zones.
///
/// The zones are `Fn::Select [i, Fn::GetAZs ""]`, never names written into the template, so
/// the same template deploys in any region. Subnet blocks are carved out of the VPC's block in
/// order: the public subnets first, then the private ones (`10.0.0.0/24`, `10.0.1.0/24`, … for
/// the defaults). The public subnets share a route table whose `0.0.0.0/0` route goes to the
/// internet gateway; each private subnet has its own route table, with a `0.0.0.0/0` route to
/// a NAT gateway unless [`NatGateways::None`] was chosen, in which case it has no default
/// route at all.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Vpc {
    node: ConstructRef<Stateless>,
    resource: l1::VpcRef,
    cidr: String,
    gateway_attachment: l1::VpcGatewayAttachmentRef,
    public_route: l1::RouteRef,
    public_subnets: Vec<l1::SubnetRef>,
    private_subnets: Vec<l1::SubnetRef>,
    private_route_tables: Vec<l1::RouteTableRef>,
    nat_gateways: Vec<l1::NatGatewayRef>,
}

impl Vpc {
    /// Creates the VPC and its subnets, gateways and routes as the construct `id` in `scope`.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str, props: VpcProps) -> Vpc {
        let (node, mut inner) = scope.construct(id, Stateless::new("Vpc"));
        let name = format!("{}/{}", inner.name(), inner.path());
        let azs = match props.max_azs {
            2 | 3 => props.max_azs,
            n => {
                inner.error(
                    "ec2.max-azs",
                    format!("max_azs is {n}"),
                    "a Vpc spans 2 or 3 availability zones (a load balancer needs 2)",
                );
                2
            }
        };
        let blocks = subnet_blocks(&mut inner, &props, 2 * azs);
        let block = |k: u32| blocks.get(k as usize).cloned().unwrap_or_default();

        let vpc = inner.add(
            "Resource",
            l1::Vpc::new()
                .cidr_block(props.cidr.as_str())
                .enable_dns_hostnames(true)
                .enable_dns_support(true)
                .tags([l1::vpc::Tag::new(l1::vpc::TagRequired {
                    key: "Name",
                    value: name.as_str(),
                })]),
        );
        let igw = inner.add(
            "IGW",
            l1::InternetGateway::new().tags([l1::internet_gateway::Tag::new(
                l1::internet_gateway::TagRequired { key: "Name", value: name.as_str() },
            )]),
        );
        let attachment = inner.add(
            "VPCGW",
            l1::VpcGatewayAttachment::new(l1::VpcGatewayAttachmentRequired {
                vpc_id: vpc.reference(),
            })
            .internet_gateway_id(igw.reference()),
        );
        let public_rt = inner.add(
            "PublicRouteTable",
            l1::RouteTable::new(l1::RouteTableRequired { vpc_id: vpc.reference() }).tags([
                l1::route_table::Tag::new(l1::route_table::TagRequired {
                    key: "Name",
                    value: format!("{name}/PublicRouteTable"),
                }),
            ]),
        );
        // The route names the gateway but not its attachment, and CloudFormation rejects a
        // route to a gateway that is not attached yet.
        let public_route = inner.add(
            "PublicDefaultRoute",
            l1::Route::new(l1::RouteRequired { route_table_id: public_rt.reference() })
                .destination_cidr_block("0.0.0.0/0")
                .gateway_id(igw.reference()),
        );
        if let Some(node) = inner.node(public_route) {
            node.add_dependency(attachment);
        }

        let az = |i: u32| fns::select(i64::from(i), fns::get_azs(""));
        let mut public_subnets = Vec::new();
        let mut nat_gateways = Vec::new();
        for i in 0..azs {
            let label = format!("PublicSubnet{}", i + 1);
            let mut sub = inner.child(&label);
            let subnet = sub.add(
                "Subnet",
                l1::Subnet::new(l1::SubnetRequired { vpc_id: vpc.reference() })
                    .availability_zone(az(i))
                    .cidr_block(block(i))
                    .map_public_ip_on_launch(true)
                    .tags([l1::subnet::Tag::new(l1::subnet::TagRequired {
                        key: "Name",
                        value: format!("{name}/{label}"),
                    })]),
            );
            sub.add(
                "RouteTableAssociation",
                l1::SubnetRouteTableAssociation::new(l1::SubnetRouteTableAssociationRequired {
                    route_table_id: public_rt.reference(),
                    subnet_id: subnet.reference(),
                }),
            );
            let wants_nat = match props.nat_gateways {
                NatGateways::None => false,
                NatGateways::One => i == 0,
                NatGateways::PerAz => true,
            };
            if wants_nat {
                let eip = sub.add(
                    "EIP",
                    l1::Eip::new().domain("vpc").tags([l1::eip::Tag::new(l1::eip::TagRequired {
                        key: "Name",
                        value: format!("{name}/{label}"),
                    })]),
                );
                // An address for a VPC needs the internet gateway attached first.
                if let Some(node) = sub.node(eip) {
                    node.add_dependency(attachment);
                }
                let nat = sub.add(
                    "NATGateway",
                    l1::NatGateway::new()
                        .allocation_id(eip.allocation_id())
                        .subnet_id(subnet.reference())
                        .tags([l1::nat_gateway::Tag::new(l1::nat_gateway::TagRequired {
                            key: "Name",
                            value: format!("{name}/{label}"),
                        })]),
                );
                nat_gateways.push(nat);
            }
            public_subnets.push(subnet);
        }

        let mut private_subnets = Vec::new();
        let mut private_route_tables = Vec::new();
        for i in 0..azs {
            let label = format!("PrivateSubnet{}", i + 1);
            let mut sub = inner.child(&label);
            let subnet = sub.add(
                "Subnet",
                l1::Subnet::new(l1::SubnetRequired { vpc_id: vpc.reference() })
                    .availability_zone(az(i))
                    .cidr_block(block(azs + i))
                    .map_public_ip_on_launch(false)
                    .tags([l1::subnet::Tag::new(l1::subnet::TagRequired {
                        key: "Name",
                        value: format!("{name}/{label}"),
                    })]),
            );
            let rt = sub.add(
                "RouteTable",
                l1::RouteTable::new(l1::RouteTableRequired { vpc_id: vpc.reference() }).tags([
                    l1::route_table::Tag::new(l1::route_table::TagRequired {
                        key: "Name",
                        value: format!("{name}/{label}"),
                    }),
                ]),
            );
            sub.add(
                "RouteTableAssociation",
                l1::SubnetRouteTableAssociation::new(l1::SubnetRouteTableAssociationRequired {
                    route_table_id: rt.reference(),
                    subnet_id: subnet.reference(),
                }),
            );
            let nat = nat_gateways.get(i as usize).or(nat_gateways.first());
            if let Some(nat) = nat {
                sub.add(
                    "DefaultRoute",
                    l1::Route::new(l1::RouteRequired { route_table_id: rt.reference() })
                        .destination_cidr_block("0.0.0.0/0")
                        .nat_gateway_id(nat.reference()),
                );
            }
            private_subnets.push(subnet);
            private_route_tables.push(rt);
        }

        Vpc {
            node,
            resource: vpc,
            cidr: props.cidr,
            gateway_attachment: attachment,
            public_route,
            public_subnets,
            private_subnets,
            private_route_tables,
            nat_gateways,
        }
    }

    /// The construct node, for its path and children.
    pub fn node(&self) -> ConstructRef<Stateless> {
        self.node
    }

    /// The L1 handle, for escape hatches.
    pub fn resource(&self) -> l1::VpcRef {
        self.resource
    }

    /// The VPC ID.
    pub fn vpc_id(&self) -> Val<kind::VpcId> {
        self.resource.reference()
    }

    /// The VPC's IPv4 block, as written in the props.
    pub fn cidr_block(&self) -> Val<String> {
        Val::from(self.cidr.as_str())
    }

    /// The IDs of the public subnets, one per availability zone, in zone order.
    pub fn public_subnet_ids(&self) -> Vec<Val<kind::SubnetId>> {
        self.public_subnets.iter().map(l1::SubnetRef::reference).collect()
    }

    /// The IDs of the private subnets, one per availability zone, in zone order.
    pub fn private_subnet_ids(&self) -> Vec<Val<kind::SubnetId>> {
        self.private_subnets.iter().map(l1::SubnetRef::reference).collect()
    }

    /// The L1 handles of the public subnets.
    pub fn public_subnets(&self) -> &[l1::SubnetRef] {
        &self.public_subnets
    }

    /// The L1 handles of the private subnets.
    pub fn private_subnets(&self) -> &[l1::SubnetRef] {
        &self.private_subnets
    }

    /// The route tables of the private subnets, in zone order.
    pub fn private_route_tables(&self) -> &[l1::RouteTableRef] {
        &self.private_route_tables
    }

    /// The NAT gateways, in zone order (none, one or one per zone).
    pub fn nat_gateways(&self) -> &[l1::NatGatewayRef] {
        &self.nat_gateways
    }

    /// The internet gateway's attachment: resources that need the VPC to reach the internet
    /// while they are created can depend on it.
    pub fn internet_gateway_attachment(&self) -> l1::VpcGatewayAttachmentRef {
        self.gateway_attachment
    }

    /// The public subnets' `0.0.0.0/0` route to the internet gateway. Resources that need
    /// the internet while they are created (an internet-facing load balancer) depend on it,
    /// as CloudFormation cannot infer that.
    pub fn internet_route(&self) -> l1::RouteRef {
        self.public_route
    }

    /// How many availability zones the VPC spans.
    pub fn availability_zone_count(&self) -> usize {
        self.public_subnets.len()
    }
}

/// `count` subnet blocks of the props' prefix length, in order from the start of the VPC's
/// block; reports what does not fit. Empty when the blocks cannot be computed.
fn subnet_blocks(scope: &mut Scope<'_>, props: &VpcProps, count: u32) -> Vec<String> {
    let Some((base, prefix)) = parse_ipv4_cidr(&props.cidr) else {
        scope.error(
            "ec2.cidr",
            format!("cidr `{}` is not an IPv4 CIDR block like 10.0.0.0/16", props.cidr),
            "",
        );
        return Vec::new();
    };
    let mut ok = true;
    if !(16..=28).contains(&prefix) {
        scope.error(
            "ec2.cidr-prefix",
            format!("cidr `{}` has prefix /{prefix}", props.cidr),
            "a VPC's block must be /16 to /28",
        );
        ok = false;
    }
    let host_mask = u32::MAX.checked_shr(u32::from(prefix)).unwrap_or(0);
    if base & host_mask != 0 {
        scope.error(
            "ec2.cidr-host-bits",
            format!("cidr `{}` has host bits set", props.cidr),
            format!("use `{}`", format_ipv4_cidr(base & !host_mask, prefix)),
        );
        ok = false;
    }
    let sub = props.subnet_prefix;
    if !(16..=28).contains(&sub) || sub < prefix {
        scope.error(
            "ec2.subnet-prefix",
            format!("subnet_prefix is /{sub}"),
            format!("subnets must be /16 to /28 and no larger than the VPC's /{prefix}"),
        );
        return Vec::new();
    }
    let available = 1u64 << (sub - prefix);
    if u64::from(count) > available {
        scope.error(
            "ec2.cidr-too-small",
            format!(
                "cidr `{}` holds {available} subnets of /{sub}, but the Vpc needs {count}",
                props.cidr
            ),
            "use a larger block or a longer subnet_prefix",
        );
        ok = false;
    }
    if !ok {
        return Vec::new();
    }
    let size = 1u32 << (32 - u32::from(sub));
    (0..count).map(|k| format_ipv4_cidr((base & !host_mask) + k * size, sub)).collect()
}

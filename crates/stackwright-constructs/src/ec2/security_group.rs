//! The `SecurityGroup` construct and its typed ports.

use crate::Stateless;
use stackwright_aws::ec2 as l1;
use stackwright_core::kind;
use stackwright_core::{ConstructRef, Expr, Scope, Val};

use super::parse_ipv4_cidr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Protocol {
    Tcp,
    Udp,
}

/// The protocol and ports a rule opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Port {
    protocol: Protocol,
    from: u32,
    to: u32,
}

impl Port {
    /// One TCP port.
    pub fn tcp(port: u32) -> Port {
        Port { protocol: Protocol::Tcp, from: port, to: port }
    }

    /// The TCP ports `from` to `to`, both included.
    pub fn tcp_range(from: u32, to: u32) -> Port {
        Port { protocol: Protocol::Tcp, from, to }
    }

    /// Every TCP port.
    pub fn all_tcp() -> Port {
        Port { protocol: Protocol::Tcp, from: 0, to: 65_535 }
    }

    /// One UDP port.
    pub fn udp(port: u32) -> Port {
        Port { protocol: Protocol::Udp, from: port, to: port }
    }

    /// What is wrong with the ports, if anything.
    fn problem(&self) -> Option<String> {
        for p in [self.from, self.to] {
            if p > 65_535 {
                return Some(format!("port {p} is out of range; ports are 0 to 65535"));
            }
        }
        if self.from > self.to {
            return Some(format!(
                "port range {}-{} is empty; the first port must not be above the last",
                self.from, self.to
            ));
        }
        None
    }

    fn ip_protocol(&self) -> &'static str {
        match self.protocol {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
        }
    }

    /// The ports for descriptions: `80`, `8000-8080`, `ALL PORTS`.
    fn display(&self) -> String {
        if self.from == 0 && self.to == 65_535 {
            "ALL PORTS".into()
        } else if self.from == self.to {
            self.from.to_string()
        } else {
            format!("{}-{}", self.from, self.to)
        }
    }

    /// The ports in a construct id: `Tcp80`, `Tcp8000to8080`, `AllTcp`.
    fn label(&self) -> String {
        let proto = match self.protocol {
            Protocol::Tcp => "Tcp",
            Protocol::Udp => "Udp",
        };
        if self.from == 0 && self.to == 65_535 {
            format!("All{proto}")
        } else if self.from == self.to {
            format!("{proto}{}", self.from)
        } else {
            format!("{proto}{}to{}", self.from, self.to)
        }
    }
}

/// Something with a security group that traffic can be allowed from or to: a
/// [`SecurityGroup`], a load balancer, a service.
pub trait Connectable {
    /// The security group traffic is allowed from or to; `None` when it has none of this
    /// app's (a service given security groups by ID).
    fn security_group(&self) -> Option<SecurityGroup>;
}

impl Connectable for SecurityGroup {
    fn security_group(&self) -> Option<SecurityGroup> {
        Some(*self)
    }
}

/// A security group. Outbound traffic is allowed to anywhere (stated in the template);
/// inbound traffic only as the `allow_*` methods open it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SecurityGroup {
    node: ConstructRef<Stateless>,
    resource: l1::SecurityGroupRef,
}

impl SecurityGroup {
    /// Creates the group in `vpc` as the construct `id` in `scope`.
    #[track_caller]
    pub fn new(
        scope: &mut Scope<'_>,
        id: &str,
        vpc: &super::Vpc,
        description: impl Into<Val<String>>,
    ) -> SecurityGroup {
        SecurityGroup::in_vpc_id(scope, id, vpc.vpc_id(), description)
    }

    /// Creates the group in the VPC `vpc_id`, outside this app, as the construct `id` in
    /// `scope`.
    #[track_caller]
    pub fn in_vpc_id(
        scope: &mut Scope<'_>,
        id: &str,
        vpc_id: impl Into<Val<kind::VpcId>>,
        description: impl Into<Val<String>>,
    ) -> SecurityGroup {
        let (node, mut inner) = scope.construct(id, Stateless::new("SecurityGroup"));
        let description = description.into();
        // The L1 checks the length; it allows an empty description, which EC2 rejects.
        if matches!(description.expr(), Expr::Str(text) if text.trim().is_empty()) {
            inner.error(
                "ec2.security-group-description",
                "the description must not be empty",
                "EC2 requires one",
            );
        }
        let sg =
            l1::SecurityGroup::new(l1::SecurityGroupRequired { group_description: description })
                .vpc_id(vpc_id)
                .security_group_egress([l1::security_group::Egress::new(
                    l1::security_group::EgressRequired { ip_protocol: "-1" },
                )
                .cidr_ip("0.0.0.0/0")
                .description("Allow all outbound traffic by default")]);
        SecurityGroup { node, resource: inner.add("Resource", sg) }
    }

    /// The construct node, for its path and children.
    pub fn node(&self) -> ConstructRef<Stateless> {
        self.node
    }

    /// The L1 handle, for escape hatches.
    pub fn resource(&self) -> l1::SecurityGroupRef {
        self.resource
    }

    /// The group ID (`sg-…`), which every VPC property asks for.
    pub fn group_id(&self) -> Val<kind::SecurityGroupId> {
        self.resource.group_id()
    }

    /// Opens `port` to the IPv4 block `cidr` (an inline rule of the group). A literal block
    /// is checked; the same rule twice is added once.
    #[track_caller]
    pub fn allow_from_cidr(&self, scope: &mut Scope<'_>, cidr: impl Into<Val<String>>, port: Port) {
        let cidr = cidr.into();
        let Some(mut owner) = scope.app().scope_of(self.node.id()) else {
            scope.foreign_handle("allow_from_cidr");
            return;
        };
        let mut ok = report(&mut owner, port);
        let mut description = None;
        if let Expr::Str(text) = cidr.expr() {
            if parse_ipv4_cidr(text).is_none() {
                owner.error(
                    "ec2.cidr",
                    format!("`{text}` is not an IPv4 CIDR block like 10.0.0.0/16"),
                    "",
                );
                ok = false;
            }
            description = Some(format!("from {text}:{}", port.display()));
        }
        if !ok {
            return;
        }
        let mut rule = l1::security_group::Ingress::new(l1::security_group::IngressRequired {
            ip_protocol: port.ip_protocol(),
        })
        .cidr_ip(cidr)
        .from_port(i64::from(port.from))
        .to_port(i64::from(port.to));
        if let Some(d) = description {
            rule = rule.description(d);
        }
        if let Some(sg) = owner.app().get_mut::<l1::SecurityGroup>(self.resource)
            && !sg.security_group_ingress.contains(&rule)
        {
            sg.security_group_ingress.push(rule);
        }
    }

    /// Opens `port` to members of the security group of `source` (a group, a load balancer,
    /// a service), as a separate `AWS::EC2::SecurityGroupIngress` (the child
    /// `From<source><port>`), so two groups that admit each other form no cycle. The same rule
    /// twice is added once.
    #[track_caller]
    pub fn allow_from(&self, scope: &mut Scope<'_>, source: &impl Connectable, port: Port) {
        let Some(source) = source.security_group() else {
            let Some(mut scope) = scope.app().scope_of(self.node.id()) else {
                scope.foreign_handle("allow_from");
                return;
            };
            scope.error(
                "ec2.connection",
                format!(
                    "port {} is opened to something without a security group of this app",
                    port.display()
                ),
                "give it one (a service gets its own unless given security groups by ID), or allow from the group itself",
            );
            return;
        };
        let source_name = scope
            .app()
            .construct(source.node.id())
            .map(|n| n.path().logical_id())
            .unwrap_or_default();
        let Some(mut owner) = scope.app().scope_of(self.node.id()) else {
            scope.foreign_handle("allow_from");
            return;
        };
        if !report(&mut owner, port) {
            return;
        }
        let id = format!("From{source_name}{}", port.label());
        if owner.slot(&id).is_some() {
            return;
        }
        let mut rule = l1::SecurityGroupIngress::new(l1::SecurityGroupIngressRequired {
            ip_protocol: port.ip_protocol(),
        })
        .group_id(self.group_id())
        .source_security_group_id(source.group_id())
        .from_port(i64::from(port.from))
        .to_port(i64::from(port.to));
        rule = rule.description(format!("from {source_name}:{}", port.display()));
        owner.add(&id, rule);
    }
}

/// Reports a bad port at `scope`; whether the port is good.
fn report(scope: &mut Scope<'_>, port: Port) -> bool {
    match port.problem() {
        Some(message) => {
            scope.error("ec2.port", message, "");
            false
        }
        None => true,
    }
}

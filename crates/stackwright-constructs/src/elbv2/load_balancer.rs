//! The `ApplicationLoadBalancer` construct and its listeners.

use stackwright_aws::ec2::RouteRef;
use stackwright_aws::elasticloadbalancingv2 as l1;
use stackwright_core::{Child, ConstructRef, Handle, Scope, Val};

use super::TargetGroup;
use super::names::{check_name, check_port};
use crate::Duration;
use crate::Stateless;
use crate::ec2::{Port, SecurityGroup, Vpc};

/// How to build an [`ApplicationLoadBalancer`]: the VPC and subnets are required; the builder
/// methods set the rest.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadBalancerProps {
    vpc_id: Val<String>,
    subnets: Vec<Val<String>>,
    internet_facing: bool,
    name: Option<Val<String>>,
    idle_timeout: Option<Duration>,
    internet_route: Option<RouteRef>,
}

impl LoadBalancerProps {
    /// An internet-facing load balancer in `subnets` (at least 2, in different availability
    /// zones) of the VPC `vpc_id`.
    pub fn new(
        vpc_id: impl Into<Val<String>>,
        subnets: impl IntoIterator<Item = Val<String>>,
    ) -> LoadBalancerProps {
        LoadBalancerProps {
            vpc_id: vpc_id.into(),
            subnets: subnets.into_iter().collect(),
            internet_facing: true,
            name: None,
            idle_timeout: None,
            internet_route: None,
        }
    }

    /// An internet-facing load balancer in the public subnets of `vpc`, one per zone. It
    /// depends on the VPC's internet route, without which ELB refuses to create it.
    pub fn public_in(vpc: &Vpc) -> LoadBalancerProps {
        let mut props = LoadBalancerProps::new(vpc.vpc_id(), vpc.public_subnet_ids());
        props.internet_route = Some(vpc.internet_route());
        props
    }

    /// Whether it is reachable from the internet (default `true`); internal, it is reachable
    /// only from inside the VPC: give it private subnets.
    pub fn internet_facing(mut self, on: bool) -> Self {
        self.internet_facing = on;
        self
    }

    /// Fixes the name (1 to 32 letters, digits and hyphens). Left out, CloudFormation makes
    /// one up.
    pub fn load_balancer_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// How long an idle connection stays open (1 to 4000 seconds; ELB's default is 60).
    pub fn idle_timeout(mut self, d: Duration) -> Self {
        self.idle_timeout = Some(d);
        self
    }
}

/// An Application Load Balancer with its own security group (the child `SecurityGroup`),
/// which each listener opens on its port to `0.0.0.0/0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ApplicationLoadBalancer {
    node: ConstructRef<Stateless>,
    resource: l1::LoadBalancerRef,
    security_group: SecurityGroup,
}

impl ApplicationLoadBalancer {
    /// Creates the load balancer and its security group as the construct `id` in `scope`.
    pub fn new(
        scope: &mut Scope<'_>,
        id: &str,
        props: LoadBalancerProps,
    ) -> ApplicationLoadBalancer {
        let (node, mut inner) = scope.construct(id, Stateless::new("ApplicationLoadBalancer"));
        if props.subnets.len() < 2 {
            inner.error("elbv2.subnets", "an Application Load Balancer needs at least 2 subnets in different availability zones", format!("got {}", props.subnets.len()));
        }
        let description = format!("Load balancer {}/{}", inner.name(), inner.path());
        let security_group = SecurityGroup::in_vpc_id(
            &mut inner,
            "SecurityGroup",
            props.vpc_id.clone(),
            description,
        );
        let mut lb = l1::LoadBalancer::new()
            .r#type("application")
            .scheme(if props.internet_facing { "internet-facing" } else { "internal" })
            .subnets(props.subnets.clone())
            .security_groups(vec![security_group.group_id()]);
        if let Some(name) = &props.name {
            check_name(&mut inner, name, "load balancer");
            if let stackwright_core::Expr::Str(text) = name.expr()
                && text.starts_with("internal-")
            {
                inner.error(
                    "elbv2.load-balancer-name",
                    format!("load balancer name `{text}` must not start with `internal-`"),
                    "",
                );
            }
            lb.name = Some(name.clone());
        }
        if let Some(d) = props.idle_timeout {
            if (1..=4_000).contains(&d.as_seconds()) {
                lb.load_balancer_attributes.push(
                    l1::load_balancer::LoadBalancerAttribute::new()
                        .key("idle_timeout.timeout_seconds")
                        .value(d.as_seconds().to_string()),
                );
            } else {
                inner.error(
                    "elbv2.idle-timeout",
                    format!("idle_timeout is {d}"),
                    "ELB allows 1 to 4000 seconds",
                );
            }
        }
        let resource = inner.add("Resource", lb);
        if let (Some(route), true) = (props.internet_route, props.internet_facing)
            && let Some(node) = inner.node(resource)
        {
            node.add_dependency(route);
        }
        ApplicationLoadBalancer { node, resource, security_group }
    }

    /// The construct node, for its path and children.
    pub fn node(&self) -> ConstructRef<Stateless> {
        self.node
    }

    /// The L1 handle, for escape hatches.
    pub fn resource(&self) -> l1::LoadBalancerRef {
        self.resource
    }

    /// The load balancer ARN.
    pub fn arn(&self) -> Val<String> {
        // `Ref` gives the ARN.
        self.resource.reference()
    }

    /// The DNS name clients connect to.
    pub fn dns_name(&self) -> Val<String> {
        self.resource.dns_name()
    }

    /// The hosted zone of the DNS name, for Route 53 alias records.
    pub fn canonical_hosted_zone_id(&self) -> Val<String> {
        self.resource.canonical_hosted_zone_id()
    }

    /// The load balancer's security group. A service registered into a target group the
    /// load balancer forwards to admits it by itself; other targets admit it with
    /// `targets_sg.allow_from(scope, &alb, port)`.
    pub fn security_group(&self) -> SecurityGroup {
        self.security_group
    }

    /// Adds an HTTP listener on `port` forwarding to `default_target_group`, as the child `id`
    /// of the load balancer, and opens the port in the load balancer's security group. For
    /// blue/green deployments add a production listener (80) and a test listener (8080).
    pub fn add_listener(
        &self,
        scope: &mut Scope<'_>,
        id: &str,
        port: u32,
        default_target_group: &TargetGroup,
    ) -> Listener {
        let arn = self.arn();
        let mut listener = l1::Listener::new(
            [l1::listener::Action::new("forward").target_group_arn(default_target_group.arn())],
            arn,
        )
        .protocol("HTTP");
        let (resource, ok) = match scope.app().scope_of(self.node.id()) {
            Some(mut owner) => {
                let ok = check_port(&mut owner, "listener port", port);
                if let Some(other) = listener_on(&mut owner, port) {
                    owner.error(
                        "elbv2.listener-port",
                        format!("listener port {port} is already taken by `{other}`"),
                        "each listener of a load balancer needs its own port",
                    );
                }
                if ok {
                    listener = listener.port(i64::from(port));
                }
                (owner.add(id, listener), ok)
            }
            // A handle of another app: add it here, and synth reports the foreign handle.
            None => (scope.add(id, listener), false),
        };
        // The group learns who forwards to it, for the services that register into it: they
        // wait for the listener and admit the load balancer.
        if let Some(state) = scope.app().state_mut(default_target_group.node()) {
            state.listeners.push(resource);
            if !state.load_balancers.contains(&self.security_group) {
                state.load_balancers.push(self.security_group);
            }
        }
        if ok {
            self.security_group.allow_from_cidr(scope, "0.0.0.0/0", Port::tcp(port));
        }
        Listener { resource, port }
    }
}

/// The slot of the listener already on `port` among the children of the construct `scope`
/// belongs to.
fn listener_on(scope: &mut Scope<'_>, port: u32) -> Option<String> {
    let owner = scope.owner()?;
    let app = scope.app();
    let taken = Val::from(i64::from(port));
    app.construct(owner)?.children().find_map(|(slot, child)| {
        let Child::Resource(id) = child else { return None };
        let listener = app.get::<l1::Listener>(l1::ListenerRef::from_id(id))?;
        (listener.port.as_ref()? == &taken).then(|| slot.to_owned())
    })
}

/// A listener of an [`ApplicationLoadBalancer`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Listener {
    resource: l1::ListenerRef,
    port: u32,
}

impl Listener {
    /// The L1 handle, for escape hatches.
    pub fn resource(&self) -> l1::ListenerRef {
        self.resource
    }

    /// The listener ARN, as CodeDeploy's blue/green settings ask for it.
    pub fn arn(&self) -> Val<String> {
        // `Ref` gives the ARN.
        self.resource.reference()
    }

    /// The port it listens on.
    pub fn port(&self) -> u32 {
        self.port
    }
}

impl crate::ec2::Connectable for ApplicationLoadBalancer {
    fn security_group(&self) -> Option<SecurityGroup> {
        Some(self.security_group)
    }
}

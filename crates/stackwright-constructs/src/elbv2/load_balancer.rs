//! The `ApplicationLoadBalancer` construct and its listeners.

use stackwright_aws::ec2::RouteRef;
use stackwright_aws::elasticloadbalancingv2 as l1;
use stackwright_core::kind;
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
    vpc_id: Val<kind::VpcId>,
    subnets: Vec<Val<kind::SubnetId>>,
    internet_facing: bool,
    name: Option<Val<String>>,
    idle_timeout: Option<Duration>,
    internet_route: Option<RouteRef>,
    drop_invalid_header_fields: bool,
    access_logs: Option<(Val<String>, Option<String>)>,
}

impl LoadBalancerProps {
    /// An internet-facing load balancer in `subnets` (at least 2, in different availability
    /// zones) of the VPC `vpc_id`.
    pub fn new(
        vpc_id: impl Into<Val<kind::VpcId>>,
        subnets: impl IntoIterator<Item = Val<kind::SubnetId>>,
    ) -> LoadBalancerProps {
        LoadBalancerProps {
            vpc_id: vpc_id.into(),
            subnets: subnets.into_iter().collect(),
            internet_facing: true,
            name: None,
            idle_timeout: None,
            internet_route: None,
            drop_invalid_header_fields: true,
            access_logs: None,
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

    /// Whether requests with header fields that are not valid HTTP are dropped instead of
    /// forwarded to the targets (default `true`,
    /// `routing.http.drop_invalid_header_fields.enabled`).
    pub fn drop_invalid_header_fields(mut self, on: bool) -> Self {
        self.drop_invalid_header_fields = on;
        self
    }

    /// Logs every request into the S3 bucket named `bucket`, under `prefix` when given
    /// (`access_logs.s3.*`). The bucket's policy must let the region's load balancer account
    /// write there.
    pub fn access_logs(mut self, bucket: impl Into<Val<String>>, prefix: Option<&str>) -> Self {
        self.access_logs = Some((bucket.into(), prefix.map(str::to_owned)));
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
    #[track_caller]
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
        let attribute = |key: &str, value: Val<String>| {
            l1::load_balancer::LoadBalancerAttribute::new().key(key).value(value)
        };
        if props.drop_invalid_header_fields {
            lb.load_balancer_attributes
                .push(attribute("routing.http.drop_invalid_header_fields.enabled", "true".into()));
        }
        if let Some((bucket, prefix)) = props.access_logs {
            lb.load_balancer_attributes.push(attribute("access_logs.s3.enabled", "true".into()));
            lb.load_balancer_attributes.push(attribute("access_logs.s3.bucket", bucket));
            if let Some(prefix) = prefix {
                lb.load_balancer_attributes.push(attribute("access_logs.s3.prefix", prefix.into()));
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
    pub fn canonical_hosted_zone_id(&self) -> Val<kind::AliasTargetHostedZoneId> {
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
    /// Plain HTTP: with a certificate, [`add_https_listener`](Self::add_https_listener).
    #[track_caller]
    pub fn add_listener(
        &self,
        scope: &mut Scope<'_>,
        id: &str,
        port: u32,
        default_target_group: &TargetGroup,
    ) -> Listener {
        let listener = l1::Listener::new(l1::ListenerRequired {
            default_actions: [l1::listener::Action::new(l1::listener::ActionRequired {
                r#type: "forward",
            })
            .target_group_arn(default_target_group.arn())],
            load_balancer_arn: self.arn(),
        })
        .protocol("HTTP");
        self.listener(scope, id, port, listener, Some(default_target_group))
    }

    /// Adds an HTTPS listener as `props` says, as the child `id` of the load balancer: TLS
    /// 1.2 or later (`ELBSecurityPolicy-TLS13-1-2-2021-06`) with the given certificate,
    /// forwarding to the target group, and (unless turned off) an HTTP listener on port 80,
    /// the child `<id>Redirect`, that redirects every request to it. Both ports open in the
    /// load balancer's security group.
    #[track_caller]
    pub fn add_https_listener(
        &self,
        scope: &mut Scope<'_>,
        id: &str,
        props: HttpsListenerProps,
    ) -> Listener {
        let listener = l1::Listener::new(l1::ListenerRequired {
            default_actions: [l1::listener::Action::new(l1::listener::ActionRequired {
                r#type: "forward",
            })
            .target_group_arn(props.target_group.arn())],
            load_balancer_arn: self.arn(),
        })
        .protocol("HTTPS")
        .ssl_policy(props.ssl_policy)
        .certificates([l1::listener::Certificate::new().certificate_arn(props.certificate_arn)]);
        let https = self.listener(scope, id, props.port, listener, Some(&props.target_group));
        if props.redirect_http {
            let redirect =
                l1::listener::RedirectConfig::new(l1::listener::RedirectConfigRequired {
                    status_code: "HTTP_301",
                })
                .protocol("HTTPS")
                .port(props.port.to_string());
            let listener = l1::Listener::new(l1::ListenerRequired {
                default_actions: [l1::listener::Action::new(l1::listener::ActionRequired {
                    r#type: "redirect",
                })
                .redirect_config(redirect)],
                load_balancer_arn: self.arn(),
            })
            .protocol("HTTP");
            self.listener(scope, &format!("{id}Redirect"), 80, listener, None);
        }
        https
    }

    /// Adds `listener` on `port` as the child `id`, checks the port, records it with the
    /// target group it forwards to, and opens the port.
    fn listener(
        &self,
        scope: &mut Scope<'_>,
        id: &str,
        port: u32,
        mut listener: l1::Listener,
        default_target_group: Option<&TargetGroup>,
    ) -> Listener {
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
        if let Some(group) = default_target_group
            && let Some(state) = scope.app().state_mut(group.node())
        {
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

/// The TLS policy of HTTPS listeners: TLS 1.3 and 1.2 only.
pub const TLS_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/// How to add an HTTPS listener ([`ApplicationLoadBalancer::add_https_listener`]).
#[derive(Clone, Debug, PartialEq)]
pub struct HttpsListenerProps {
    port: u32,
    certificate_arn: Val<kind::CertificateArn>,
    target_group: TargetGroup,
    ssl_policy: Val<String>,
    redirect_http: bool,
}

impl HttpsListenerProps {
    /// HTTPS on port 443 with the ACM certificate `certificate_arn`, forwarding to
    /// `target_group`, with [`TLS_POLICY`] and port 80 redirecting to it.
    pub fn new(
        certificate_arn: impl Into<Val<kind::CertificateArn>>,
        target_group: &TargetGroup,
    ) -> Self {
        HttpsListenerProps {
            port: 443,
            certificate_arn: certificate_arn.into(),
            target_group: *target_group,
            ssl_policy: TLS_POLICY.into(),
            redirect_http: true,
        }
    }

    /// The port (default 443).
    pub fn port(mut self, port: u32) -> Self {
        self.port = port;
        self
    }

    /// Another security policy (`ELBSecurityPolicy-TLS13-1-3-2021-06` for TLS 1.3 only).
    pub fn ssl_policy(mut self, policy: impl Into<Val<String>>) -> Self {
        self.ssl_policy = policy.into();
        self
    }

    /// Whether an HTTP listener on port 80 redirects to this one (default `true`).
    pub fn redirect_http(mut self, on: bool) -> Self {
        self.redirect_http = on;
        self
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

//! The `TargetGroup` construct.

use stackwright_aws::elasticloadbalancingv2 as l1;
use stackwright_core::kind;
use stackwright_core::{ConstructRef, ConstructState, Handle, Scope, Val};

use super::names::{check_name, check_port};
use crate::Duration;

/// ELB's defaults for an HTTP target group, used to check the settings left out.
const DEFAULT_INTERVAL: u64 = 30;
const DEFAULT_TIMEOUT: u64 = 5;

/// What a target group's targets are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TargetType {
    /// IP addresses (`ip`): Fargate tasks register this way. The default.
    #[default]
    Ip,
    /// EC2 instances (`instance`): an Auto Scaling group registers its instances this way,
    /// and CodeDeploy moves instances in and out of it.
    Instance,
}

impl TargetType {
    fn name(self) -> &'static str {
        match self {
            TargetType::Ip => "ip",
            TargetType::Instance => "instance",
        }
    }
}

/// How to build a [`TargetGroup`]: the VPC and the port the targets listen on are required;
/// the builder methods set the rest.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetGroupProps {
    vpc_id: Val<kind::VpcId>,
    port: u32,
    name: Option<Val<String>>,
    health_check_path: Option<String>,
    health_check_interval: Option<Duration>,
    health_check_timeout: Option<Duration>,
    healthy_threshold: Option<u32>,
    unhealthy_threshold: Option<u32>,
    healthy_http_codes: Option<String>,
    deregistration_delay: Option<Duration>,
    target_type: TargetType,
}

impl TargetGroupProps {
    /// IP targets (Fargate tasks) in `vpc` receiving HTTP on `port`.
    pub fn new(vpc: &crate::ec2::Vpc, port: u32) -> TargetGroupProps {
        TargetGroupProps::in_vpc_id(vpc.vpc_id(), port)
    }

    /// IP targets in the VPC `vpc_id`, outside this app, receiving HTTP on `port`.
    pub fn in_vpc_id(vpc_id: impl Into<Val<kind::VpcId>>, port: u32) -> TargetGroupProps {
        TargetGroupProps {
            vpc_id: vpc_id.into(),
            port,
            name: None,
            health_check_path: None,
            health_check_interval: None,
            health_check_timeout: None,
            healthy_threshold: None,
            unhealthy_threshold: None,
            healthy_http_codes: None,
            deregistration_delay: None,
            target_type: TargetType::Ip,
        }
    }

    /// What registers into the group (default [`TargetType::Ip`], as Fargate tasks do;
    /// [`TargetType::Instance`] for an Auto Scaling group's instances).
    pub fn target_type(mut self, target_type: TargetType) -> Self {
        self.target_type = target_type;
        self
    }

    /// Fixes the name (1 to 32 letters, digits and hyphens). Left out, CloudFormation makes
    /// one up, so the group can be replaced without a name clash.
    pub fn target_group_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The path the health check requests (default `/`).
    pub fn health_check_path(mut self, path: impl Into<String>) -> Self {
        self.health_check_path = Some(path.into());
        self
    }

    /// Time between health checks (5 to 300 seconds; ELB's default is 30).
    pub fn health_check_interval(mut self, d: Duration) -> Self {
        self.health_check_interval = Some(d);
        self
    }

    /// How long a health check may take (2 to 120 seconds, less than the interval; ELB's
    /// default is 5).
    pub fn health_check_timeout(mut self, d: Duration) -> Self {
        self.health_check_timeout = Some(d);
        self
    }

    /// Passed checks before a target counts as healthy (2 to 10; ELB's default is 5).
    pub fn healthy_threshold(mut self, n: u32) -> Self {
        self.healthy_threshold = Some(n);
        self
    }

    /// Failed checks before a target counts as unhealthy (2 to 10; ELB's default is 2).
    pub fn unhealthy_threshold(mut self, n: u32) -> Self {
        self.unhealthy_threshold = Some(n);
        self
    }

    /// The HTTP codes a healthy target answers with, such as `200` or `200-299`.
    pub fn healthy_http_codes(mut self, codes: impl Into<String>) -> Self {
        self.healthy_http_codes = Some(codes.into());
        self
    }

    /// How long connections drain from a deregistered target (0 to 3600 seconds; ELB's
    /// default is 300). Short delays speed up blue/green shifts.
    pub fn deregistration_delay(mut self, d: Duration) -> Self {
        self.deregistration_delay = Some(d);
        self
    }
}

/// What a [`TargetGroup`] knows of its wiring: the listeners that forward to it, so a
/// service registering into it can wait for them (ECS rejects a target group no load
/// balancer forwards to yet).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TargetGroupState {
    pub(crate) listeners: Vec<l1::ListenerRef>,
    pub(crate) load_balancers: Vec<crate::ec2::SecurityGroup>,
}

impl TargetGroupState {
    /// The listeners that forward to the group, in the order they were added.
    pub fn listeners(&self) -> &[l1::ListenerRef] {
        &self.listeners
    }

    /// The security groups of the load balancers that forward to the group.
    pub fn load_balancers(&self) -> &[crate::ec2::SecurityGroup] {
        &self.load_balancers
    }
}

impl ConstructState for TargetGroupState {
    fn kind(&self) -> &'static str {
        "TargetGroup"
    }
}

/// A target group receiving HTTP: of IP targets, as Fargate services register into, or of
/// instances, as Auto Scaling groups register into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TargetGroup {
    node: ConstructRef<TargetGroupState>,
    resource: l1::TargetGroupRef,
    port: u32,
    target_type: TargetType,
}

impl TargetGroup {
    /// Creates the target group as the construct `id` in `scope`.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str, props: TargetGroupProps) -> TargetGroup {
        let (node, mut inner) = scope.construct(id, TargetGroupState::default());
        let mut tg = l1::TargetGroup::new()
            .target_type(props.target_type.name())
            .protocol("HTTP")
            .vpc_id(props.vpc_id.clone());
        if check_port(&mut inner, "port", props.port) {
            tg = tg.port(i64::from(props.port));
        }
        if let Some(name) = &props.name {
            check_name(&mut inner, name, "target group");
            tg.name = Some(name.clone());
        }
        if let Some(path) = &props.health_check_path {
            if !path.starts_with('/') || path.chars().count() > 1024 {
                inner.error("elbv2.health-check-path", format!(
                    "health_check_path `{path}` must start with `/` and be at most 1024 characters long"
                ), "");
            }
            tg = tg.health_check_path(path.as_str());
        }
        let mut within = |what: &str, d: Option<Duration>, min: u64, max: u64| {
            let d = d?;
            if !(min..=max).contains(&d.as_seconds()) {
                inner.error(
                    "elbv2.health-check-timing",
                    format!("{what} is {d}"),
                    format!("ELB allows {min} to {max} seconds"),
                );
                return None;
            }
            Some(d.as_seconds())
        };
        let interval = within("health_check_interval", props.health_check_interval, 5, 300);
        let timeout = within("health_check_timeout", props.health_check_timeout, 2, 120);
        let delay = within("deregistration_delay", props.deregistration_delay, 0, 3_600);
        let (i, t) = (interval.unwrap_or(DEFAULT_INTERVAL), timeout.unwrap_or(DEFAULT_TIMEOUT));
        if (interval.is_some() || timeout.is_some()) && i <= t {
            inner.error("elbv2.health-check-interval", format!(
                "health_check_interval ({i} seconds) must be longer than health_check_timeout ({t} seconds)"
            ), "");
        }
        tg.health_check_interval_seconds = interval.map(seconds);
        tg.health_check_timeout_seconds = timeout.map(seconds);
        for (what, n, field) in [
            ("healthy_threshold", props.healthy_threshold, &mut tg.healthy_threshold_count),
            ("unhealthy_threshold", props.unhealthy_threshold, &mut tg.unhealthy_threshold_count),
        ] {
            match n {
                Some(n) if !(2..=10).contains(&n) => {
                    inner.error("elbv2.threshold", format!("{what} is {n}"), "ELB allows 2 to 10");
                }
                n => *field = n.map(|n| Val::from(i64::from(n))),
            }
        }
        if let Some(codes) = &props.healthy_http_codes {
            tg = tg.matcher(l1::target_group::Matcher::new().http_code(codes.as_str()));
        }
        if let Some(delay) = delay {
            tg.target_group_attributes.push(
                l1::target_group::TargetGroupAttribute::new()
                    .key("deregistration_delay.timeout_seconds")
                    .value(delay.to_string()),
            );
        }
        let target_type = props.target_type;
        TargetGroup { node, resource: inner.add("Resource", tg), port: props.port, target_type }
    }

    /// The construct node, for its path and children.
    pub fn node(&self) -> ConstructRef<TargetGroupState> {
        self.node
    }

    /// The L1 handle, for escape hatches.
    pub fn resource(&self) -> l1::TargetGroupRef {
        self.resource
    }

    /// The target group ARN.
    pub fn arn(&self) -> Val<String> {
        // `Ref` gives the ARN.
        self.resource.reference()
    }

    /// The port the targets receive traffic on.
    pub fn port(&self) -> u32 {
        self.port
    }

    /// What registers into the group.
    pub fn target_type(&self) -> TargetType {
        self.target_type
    }

    /// The target group's name (the `TargetGroupName` attribute), as CodeDeploy asks for it.
    pub fn target_group_name(&self) -> Val<String> {
        self.resource.target_group_name()
    }

    /// The `targetgroup/<name>/<id>` part of the ARN, as CloudWatch dimensions ask for it.
    pub fn target_group_full_name(&self) -> Val<String> {
        self.resource.target_group_full_name()
    }
}

fn seconds(n: u64) -> Val<i64> {
    Val::from(i64::try_from(n).unwrap_or(i64::MAX))
}

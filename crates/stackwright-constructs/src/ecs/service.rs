//! The `FargateService` construct.

use stackwright_aws::ecs::service as l1;
use stackwright_core::kind;
use stackwright_core::{ConstructRef, ConstructState, Handle, ResourceId, Scope, Val};

use super::{AppSpec, Cluster, FargateTaskDefinition};
use crate::Duration;
use crate::ec2::{Connectable, Port, SecurityGroup, Vpc};
use crate::elbv2::TargetGroup;

/// How a service rolls out a new task definition.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Deployment {
    /// ECS replaces tasks itself (`ECS` controller) between `min_healthy_percent` and
    /// `max_percent` of the desired count, with the deployment circuit breaker on: a
    /// deployment whose tasks keep failing stops, and with `circuit_breaker_rollback` rolls
    /// back to the last working task definition.
    Rolling {
        /// Roll back a failed deployment.
        circuit_breaker_rollback: bool,
        /// Tasks kept running during a deployment, in percent of the desired count (0 to 100).
        min_healthy_percent: u32,
        /// Tasks allowed during a deployment, in percent of the desired count (100 to 200).
        max_percent: u32,
    },
    /// CodeDeploy shifts traffic between two target groups (blue/green; `CODE_DEPLOY`
    /// controller). Needs a load balancer. After creation, CloudFormation no longer changes
    /// the service's task definition or load balancers: a CodeDeploy deployment (the
    /// pipeline's `CodeDeployToECS` action with `taskdef.json` and `appspec.yml`) does.
    CodeDeploy,
}

impl Default for Deployment {
    /// Rolling, 100 to 200 percent, with circuit-breaker rollback.
    fn default() -> Self {
        Deployment::Rolling {
            circuit_breaker_rollback: true,
            min_healthy_percent: 100,
            max_percent: 200,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
struct LoadBalancerTarget {
    target_group_arn: Val<String>,
    /// The target group, when it is one of this app.
    target_group: Option<TargetGroup>,
    container_name: String,
    container_port: u16,
}

/// What a [`FargateService`] checks and wires at synth: its target group's listeners (the
/// service waits for them) and load balancers (its own security group admits them on the
/// container port), and the container and port it registers.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceState {
    target: Option<LoadBalancerTarget>,
    task_definition: FargateTaskDefinition,
    security_group: Option<SecurityGroup>,
}

impl ConstructState for ServiceState {
    fn kind(&self) -> &'static str {
        "FargateService"
    }

    fn render(&self, scope: &mut Scope<'_>) {
        let Some(target) = &self.target else { return };
        let task = scope.app().state(self.task_definition.node()).cloned();
        if let Some(task) = task {
            let container = task.containers().iter().find(|c| c.name == target.container_name);
            match container {
                // No container exposes the target group's port: reported at creation.
                None if target.container_name.is_empty() => {}
                None => scope.error(
                    "ecs.load-balancer-container",
                    format!(
                        "the load balancer targets container `{}`, which the task definition \
                         does not have",
                        target.container_name
                    ),
                    "name one of its containers",
                ),
                Some(c) if !c.ports.contains(&target.container_port) => scope.error(
                    "ecs.load-balancer-port",
                    format!(
                        "the load balancer targets port {} of container `{}`, which it does \
                         not expose",
                        target.container_port, c.name
                    ),
                    format!("add .port({}) to the container", target.container_port),
                ),
                Some(_) => {}
            }
        }
        let Some(group) = target.target_group else { return };
        let (listeners, load_balancers) = scope
            .app()
            .state(group.node())
            .map(|g| (g.listeners().to_vec(), g.load_balancers().to_vec()))
            .unwrap_or_default();
        if let Some(own) = self.security_group {
            for load_balancer in &load_balancers {
                own.allow_from(scope, load_balancer, Port::tcp(u32::from(target.container_port)));
            }
        }
        if listeners.is_empty() {
            scope.error(
                "ecs.target-group-listener",
                "the service's target group has no listener, and ECS rejects a target group no \
                 load balancer forwards to",
                "add a listener that forwards to it with ApplicationLoadBalancer::add_listener",
            );
        }
        let Some(service) = scope.slot_resource::<l1::ServiceRef>("Resource") else { return };
        if let Some(node) = scope.node(service) {
            for listener in listeners {
                node.add_dependency(listener);
            }
        }
    }
}

/// How to build a [`FargateService`].
#[derive(Clone, Debug, PartialEq)]
pub struct FargateServiceProps {
    cluster: Val<String>,
    task_definition: FargateTaskDefinition,
    desired_count: u32,
    subnets: Vec<Val<kind::SubnetId>>,
    security_groups: Vec<Val<kind::SecurityGroupId>>,
    vpc: Option<Vpc>,
    assign_public_ip: bool,
    load_balancer: Option<LoadBalancerTarget>,
    deployment: Deployment,
    health_check_grace_period: Option<Duration>,
    platform_version: Option<String>,
    service_name: Option<Val<String>>,
    wait_for: Vec<ResourceId>,
    /// The target's container is the one exposing the target group's port.
    container_by_port: bool,
}

impl FargateServiceProps {
    /// A service running `task_definition` in `cluster`: one task, no public IP, rolling
    /// deployments with rollback. Subnets are required.
    pub fn new(cluster: &Cluster, task_definition: &FargateTaskDefinition) -> FargateServiceProps {
        FargateServiceProps::in_cluster(cluster.cluster_name(), task_definition)
    }

    /// The same, in a cluster known by name or ARN.
    pub fn in_cluster(
        cluster: impl Into<Val<String>>,
        task_definition: &FargateTaskDefinition,
    ) -> FargateServiceProps {
        FargateServiceProps {
            cluster: cluster.into(),
            task_definition: *task_definition,
            desired_count: 1,
            subnets: Vec::new(),
            security_groups: Vec::new(),
            vpc: None,
            assign_public_ip: false,
            load_balancer: None,
            deployment: Deployment::default(),
            health_check_grace_period: None,
            platform_version: None,
            service_name: None,
            wait_for: Vec::new(),
            container_by_port: false,
        }
    }

    /// How many tasks to keep running (default 1).
    pub fn desired_count(mut self, count: u32) -> Self {
        self.desired_count = count;
        self
    }

    /// Runs the tasks in `vpc`: in its private subnets unless [`subnets`](Self::subnets)
    /// names others, with a security group of their own (the child `SecurityGroup`) unless
    /// [`security_groups`](Self::security_groups) names groups. The own group admits the load
    /// balancers that forward to the service's target group, on the container port, and
    /// more with [`FargateService::allow_from`].
    pub fn vpc(mut self, vpc: &Vpc) -> Self {
        self.vpc = Some(vpc.clone());
        self
    }

    /// The subnets tasks run in (private subnets with NAT, or public ones with
    /// [`assign_public_ip`](Self::assign_public_ip)).
    pub fn subnets<V: Into<Val<kind::SubnetId>>>(
        mut self,
        ids: impl IntoIterator<Item = V>,
    ) -> Self {
        self.subnets = ids.into_iter().map(Into::into).collect();
        self
    }

    /// The security groups of the tasks (up to 5), by ID, instead of a group of their own.
    pub fn security_groups<V: Into<Val<kind::SecurityGroupId>>>(
        mut self,
        ids: impl IntoIterator<Item = V>,
    ) -> Self {
        self.security_groups = ids.into_iter().map(Into::into).collect();
        self
    }

    /// Gives each task a public IP (needed in public subnets to pull images without NAT).
    pub fn assign_public_ip(mut self, on: bool) -> Self {
        self.assign_public_ip = on;
        self
    }

    /// Registers the tasks' `container_name` on `container_port` with `target_group`. The
    /// service waits for the listeners that forward to the group, and the container and port
    /// are checked against the task definition.
    pub fn load_balancer(
        mut self,
        target_group: &TargetGroup,
        container_name: impl Into<String>,
        container_port: u16,
    ) -> Self {
        self.load_balancer = Some(LoadBalancerTarget {
            target_group_arn: target_group.arn(),
            target_group: Some(*target_group),
            container_name: container_name.into(),
            container_port,
        });
        self.container_by_port = false;
        self
    }

    /// Registers the tasks with `target_group` on its port: the container of the task that
    /// exposes that port (one, added before the service is created) receives the traffic.
    /// As [`load_balancer`](Self::load_balancer) otherwise.
    pub fn target_group(mut self, target_group: &TargetGroup) -> Self {
        self.load_balancer = Some(LoadBalancerTarget {
            target_group_arn: target_group.arn(),
            target_group: Some(*target_group),
            // Both are found with the container, from the group's port (`resolve_container`).
            container_name: String::new(),
            container_port: 0,
        });
        self.container_by_port = true;
        self
    }

    /// Registers the tasks with a target group outside this app, by ARN (the container and
    /// port are still checked; order the service after its listener with
    /// [`wait_for`](Self::wait_for)).
    pub fn load_balancer_arn(
        mut self,
        target_group_arn: impl Into<Val<String>>,
        container_name: impl Into<String>,
        container_port: u16,
    ) -> Self {
        self.load_balancer = Some(LoadBalancerTarget {
            target_group_arn: target_group_arn.into(),
            target_group: None,
            container_name: container_name.into(),
            container_port,
        });
        self.container_by_port = false;
        self
    }

    /// Sets how new task definitions roll out (default rolling with rollback).
    pub fn deployment(mut self, deployment: Deployment) -> Self {
        self.deployment = deployment;
        self
    }

    /// How long load balancer health checks are ignored after a task starts (default 60
    /// seconds when there is a load balancer; only valid with one).
    pub fn health_check_grace_period(mut self, d: Duration) -> Self {
        self.health_check_grace_period = Some(d);
        self
    }

    /// Pins the Fargate platform version (default `LATEST`).
    pub fn platform_version(mut self, version: impl Into<String>) -> Self {
        self.platform_version = Some(version.into());
        self
    }

    /// Fixes the service name (changing it replaces the service).
    pub fn service_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.service_name = Some(name.into());
        self
    }

    /// Creates the service only after `resource` (typically the listener that forwards to
    /// the target group: ECS rejects a target group not yet attached to a load balancer).
    pub fn wait_for(mut self, resource: impl Handle) -> Self {
        self.wait_for.push(resource.id());
        self
    }
}

/// Names the container of `props`' target: the one container of the task that exposes the
/// target group's port. The problem and its fix when there is not exactly one.
fn resolve_container(
    scope: &mut Scope<'_>,
    props: &mut FargateServiceProps,
) -> Option<(String, String)> {
    let target = props.load_balancer.as_mut()?;
    // A port out of range is the target group's error, reported there: no container exposes it.
    let port = u16::try_from(target.target_group?.port()).ok()?;
    target.container_port = port;
    let containers = scope
        .app()
        .state(props.task_definition.node())
        .map(|t| t.containers().to_vec())
        .unwrap_or_default();
    let exposing: Vec<&str> =
        containers.iter().filter(|c| c.ports.contains(&port)).map(|c| c.name.as_str()).collect();
    match exposing.as_slice() {
        [one] => {
            target.container_name = (*one).to_owned();
            None
        }
        [] => Some((
            format!("no container of the task exposes the target group's port {port}"),
            format!(
                "add a container with .port({port}) before creating the service, or name the container and port with .load_balancer(&group, container, port)"
            ),
        )),
        many => Some((
            format!("containers {} all expose the target group's port {port}", many.join(", ")),
            "name the one that receives traffic with .load_balancer(&group, container, port)"
                .to_owned(),
        )),
    }
}

/// A service running a [`FargateTaskDefinition`] on Fargate.
#[derive(Clone, Debug, PartialEq)]
pub struct FargateService {
    node: ConstructRef<ServiceState>,
    resource: l1::ServiceRef,
    load_balancer: Option<(String, u16)>,
    platform_version: Option<String>,
    cluster_name: Val<String>,
    code_deploy: bool,
    security_group: Option<SecurityGroup>,
    task_definition: FargateTaskDefinition,
}

impl FargateService {
    /// Creates the service as the construct `id` in `scope`.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str, mut props: FargateServiceProps) -> FargateService {
        let unresolved = props.container_by_port.then(|| resolve_container(scope, &mut props));
        let state = ServiceState {
            target: props.load_balancer.clone(),
            task_definition: props.task_definition,
            security_group: None,
        };
        let (node, mut inner) = scope.construct(id, state);
        if let Some(Some((message, fix))) = unresolved {
            inner.error("ecs.load-balancer-container", message, fix);
        }
        let group = props.load_balancer.as_ref().and_then(|lb| lb.target_group);
        if group.is_some_and(|g| g.target_type() != crate::elbv2::TargetType::Ip) {
            inner.error(
                "ecs.target-type",
                "the service registers Fargate tasks into a target group of instances, and \
                 Fargate tasks register by IP address",
                "create the target group with TargetType::Ip (the default)",
            );
        }
        let mut subnets = props.subnets.clone();
        if let (true, Some(vpc)) = (subnets.is_empty(), &props.vpc) {
            subnets = vpc.private_subnet_ids();
        }
        if subnets.is_empty() {
            inner.error(
                "ecs.subnets",
                "a Fargate service needs at least one subnet",
                "set .vpc(&vpc) or .subnets(...)",
            );
        }
        let own_group = match (&props.vpc, props.security_groups.is_empty()) {
            (Some(vpc), true) => {
                let description = format!("Tasks of {}/{}", inner.name(), inner.path());
                let group = SecurityGroup::new(&mut inner, "SecurityGroup", vpc, description);
                if let Some(state) = inner.app().state_mut(node) {
                    state.security_group = Some(group);
                }
                Some(group)
            }
            _ => None,
        };
        let security_groups = match own_group {
            Some(group) => vec![group.group_id()],
            None => props.security_groups.clone(),
        };
        if security_groups.len() > 5 {
            inner.error(
                "ecs.security-groups",
                "a Fargate service takes up to 5 security groups",
                format!("got {}", security_groups.len()),
            );
        }
        let mut s = l1::Service::new();
        s.cluster = Some(props.cluster.clone());
        s.task_definition = Some(props.task_definition.arn());
        s.launch_type = Some("FARGATE".into());
        s.desired_count = Some(props.desired_count.into());
        s.platform_version = props.platform_version.as_deref().map(Val::from);
        s.service_name = props.service_name.clone();
        let mut vpc = l1::AwsVpcConfiguration::new()
            .assign_public_ip(if props.assign_public_ip { "ENABLED" } else { "DISABLED" })
            .subnets(subnets);
        if !security_groups.is_empty() {
            vpc = vpc.security_groups(security_groups);
        }
        s.network_configuration =
            Some(Box::new(l1::NetworkConfiguration::new().awsvpc_configuration(vpc)));
        if let Some(lb) = &props.load_balancer {
            s.load_balancers = vec![
                l1::LoadBalancer::new()
                    .target_group_arn(lb.target_group_arn.clone())
                    .container_name(lb.container_name.as_str())
                    .container_port(lb.container_port),
            ];
            let grace = props.health_check_grace_period.unwrap_or(Duration::seconds(60));
            match i64::try_from(grace.as_seconds()) {
                Ok(secs) if secs <= i64::from(i32::MAX) => {
                    s.health_check_grace_period_seconds = Some(secs.into());
                }
                _ => inner.error(
                    "ecs.health-check-grace-period",
                    format!("health_check_grace_period is {grace}"),
                    "ECS allows up to 2147483647 seconds",
                ),
            }
        } else if props.health_check_grace_period.is_some() {
            inner.error(
                "ecs.health-check-grace-period",
                "health_check_grace_period only applies to a service with a load balancer",
                "set .load_balancer(...) or remove it",
            );
        }
        match &props.deployment {
            Deployment::Rolling { circuit_breaker_rollback, min_healthy_percent, max_percent } => {
                if *min_healthy_percent > 100 {
                    inner.error(
                        "ecs.min-healthy-percent",
                        format!("min_healthy_percent is {min_healthy_percent}"),
                        "use 0 to 100",
                    );
                }
                if !(100..=200).contains(max_percent) {
                    inner.error(
                        "ecs.max-percent",
                        format!("max_percent is {max_percent}"),
                        "use 100 to 200",
                    );
                }
                if *min_healthy_percent == 100 && *max_percent == 100 {
                    inner.error("ecs.min-healthy-percent", "min_healthy_percent and max_percent are both 100, so ECS can neither stop nor start a task to deploy", "raise max_percent or lower min_healthy_percent");
                }
                s.deployment_controller =
                    Some(Box::new(l1::DeploymentController::new().r#type("ECS")));
                s.deployment_configuration = Some(Box::new(
                    l1::DeploymentConfiguration::new()
                        .deployment_circuit_breaker(l1::DeploymentCircuitBreaker::new(
                            l1::DeploymentCircuitBreakerRequired {
                                enable: true,
                                rollback: *circuit_breaker_rollback,
                            },
                        ))
                        .minimum_healthy_percent(*min_healthy_percent)
                        .maximum_percent(*max_percent),
                ));
            }
            Deployment::CodeDeploy => {
                if props.load_balancer.is_none() {
                    inner.error("ecs.codedeploy-needs-load-balancer", "Deployment::CodeDeploy shifts traffic between target groups, so the service needs a load balancer", "set .load_balancer(...)");
                }
                s.deployment_controller =
                    Some(Box::new(l1::DeploymentController::new().r#type("CODE_DEPLOY")));
            }
        }
        let resource = inner.add("Resource", s);
        if let Some(node) = inner.node(resource) {
            for on in &props.wait_for {
                node.add_dependency(*on);
            }
        }
        FargateService {
            node,
            resource,
            load_balancer: props
                .load_balancer
                .as_ref()
                .map(|lb| (lb.container_name.clone(), lb.container_port)),
            platform_version: props.platform_version,
            cluster_name: props.cluster.clone(),
            code_deploy: props.deployment == Deployment::CodeDeploy,
            security_group: own_group,
            task_definition: props.task_definition,
        }
    }

    /// The tasks' own security group (see [`FargateServiceProps::vpc`]); `None` when the
    /// service was given security groups by ID.
    pub fn security_group(&self) -> Option<SecurityGroup> {
        self.security_group
    }

    /// Lets `peer` (a group, a load balancer, another service) reach the tasks on `port`,
    /// through the tasks' own security group. A service given security groups by ID has
    /// none to open, which is reported.
    #[track_caller]
    pub fn allow_from(&self, scope: &mut Scope<'_>, peer: &impl Connectable, port: Port) {
        match (self.security_group, scope.app().scope_of(self.node.id())) {
            (Some(own), _) => own.allow_from(scope, peer, port),
            (None, None) => scope.foreign_handle("allow_from"),
            (None, Some(mut scope)) => scope.error(
                "ecs.connection",
                "the service has no security group of its own to open: it was given security groups by ID",
                "create it with .vpc(&vpc) and without .security_groups(...), or open the groups it was given",
            ),
        }
    }

    /// The cluster the service runs in, as its props named it (a name, or an ARN given to
    /// `FargateServiceProps::in_cluster`).
    pub fn cluster_name(&self) -> Val<String> {
        self.cluster_name.clone()
    }

    /// The roles its tasks run with, by ARN: the execution role and the task role, which a
    /// deployment may pass to ECS and nothing more.
    pub fn task_role_arns(&self) -> Vec<Val<kind::RoleArn>> {
        vec![self.task_definition.execution_role().arn(), self.task_definition.task_role().arn()]
    }

    /// Whether CodeDeploy deploys the service (`Deployment::CodeDeploy`, the `CODE_DEPLOY`
    /// controller) rather than ECS's rolling update.
    pub fn is_code_deploy(&self) -> bool {
        self.code_deploy
    }

    /// The construct node, for its path and children.
    pub fn node(&self) -> ConstructRef<ServiceState> {
        self.node
    }

    /// The L1 handle, for escape hatches.
    pub fn resource(&self) -> l1::ServiceRef {
        self.resource
    }

    /// The service ARN.
    pub fn arn(&self) -> Val<String> {
        self.resource.service_arn()
    }

    /// The service name, as pipeline ECS actions and CodeDeploy deployment groups name it.
    pub fn service_name(&self) -> Val<String> {
        self.resource.name()
    }

    /// The `appspec.yml` of a blue/green deployment of this service: its load balancer's
    /// container and port. `None` without a load balancer.
    pub fn app_spec(&self) -> Option<AppSpec> {
        let (name, port) = self.load_balancer.as_ref()?;
        let spec = AppSpec::ecs(name.as_str(), *port);
        Some(match &self.platform_version {
            Some(v) => spec.platform_version(v.as_str()),
            None => spec,
        })
    }
}

impl Connectable for FargateService {
    fn security_group(&self) -> Option<SecurityGroup> {
        self.security_group
    }
}

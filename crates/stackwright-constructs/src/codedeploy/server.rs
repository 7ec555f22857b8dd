//! The deployment group for EC2 and on-premises instances: in place, one batch of instances
//! at a time, or blue/green onto a copy of the Auto Scaling group.

use stackwright_aws::codedeploy as l1;
use stackwright_aws::codedeploy::deployment_config::DeploymentConfigComputePlatform;
use stackwright_aws::codedeploy::deployment_group as dg;
use stackwright_core::{Arn, ConstructRef, ConstructState, Handle, Scope, Val};

use super::config::{MinimumHealthyHosts, config_name};
use super::ecs::{MAX_TERMINATION_WAIT_MINUTES, minutes};
use super::group::{GroupSettings, begin_with, finish_with, group_settings_methods};
use super::{ReadyOption, ServerAppSpec, ServerApplication, ServerDeploymentConfig};
use crate::Duration;
use crate::autoscaling::AutoScalingGroup;
use crate::elbv2::{TargetGroup, TargetType};
use crate::iam::{PolicyStatement, Role};

/// A blue/green deployment to instances: CodeDeploy copies the Auto Scaling group, deploys
/// to the copy's new instances, moves the load balancer's traffic to them and then
/// terminates (or keeps) the original instances.
///
/// The copy replaces the group the stack created, and CloudFormation does not know it: once
/// a blue/green deployment ran, change the instances through deployments rather than
/// through the group's settings in the stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ServerBlueGreen {
    terminate_blue_after: Duration,
    keep_blue: bool,
    ready: ReadyOption,
}

impl Default for ServerBlueGreen {
    fn default() -> Self {
        ServerBlueGreen::new()
    }
}

impl ServerBlueGreen {
    /// Traffic moves as soon as the replacement instances are ready, and the original
    /// instances are terminated 60 minutes after success.
    pub fn new() -> ServerBlueGreen {
        ServerBlueGreen {
            terminate_blue_after: Duration::minutes(60),
            keep_blue: false,
            ready: ReadyOption::ContinueDeployment,
        }
    }

    /// How long the original instances stay after a successful deployment, for a quick
    /// rollback: whole minutes, at most 2 days (default 60 minutes).
    pub fn terminate_blue_after(mut self, wait: Duration) -> Self {
        self.terminate_blue_after = wait;
        self
    }

    /// Keeps the original instances after success, deregistered from the load balancer
    /// (`KEEP_ALIVE`), instead of terminating them (default off).
    pub fn keep_blue(mut self, on: bool) -> Self {
        self.keep_blue = on;
        self
    }

    /// When traffic starts moving to the replacement instances (default right away).
    pub fn ready_option(mut self, ready: ReadyOption) -> Self {
        self.ready = ready;
        self
    }
}

/// The Auto Scaling groups a server deployment group targets, kept in its node so the
/// pipeline's deploy action can let their instances read the revision.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServerDeploymentGroupState {
    auto_scaling_groups: Vec<AutoScalingGroup>,
}

impl ServerDeploymentGroupState {
    /// The Auto Scaling groups of this app the group deploys to.
    pub fn auto_scaling_groups(&self) -> &[AutoScalingGroup] {
        &self.auto_scaling_groups
    }
}

impl ConstructState for ServerDeploymentGroupState {
    fn kind(&self) -> &'static str {
        "ServerDeploymentGroup"
    }
}

/// A tag filter: key and value, either of which may be left empty (but not both).
#[derive(Clone, Debug, PartialEq)]
struct Tag {
    key: String,
    value: String,
}

/// How to build a [`ServerDeploymentGroup`].
#[derive(Clone, Debug, PartialEq)]
pub struct ServerDeploymentGroupProps {
    auto_scaling_groups: Vec<AutoScalingGroup>,
    auto_scaling_group_names: Vec<Val<String>>,
    ec2_tags: Vec<Tag>,
    on_premises_tags: Vec<Tag>,
    target_groups: Vec<TargetGroup>,
    target_group_names: Vec<Val<String>>,
    blue_green: Option<ServerBlueGreen>,
    config: ServerDeploymentConfig,
    group: GroupSettings<ServerApplication>,
}

impl Default for ServerDeploymentGroupProps {
    fn default() -> Self {
        ServerDeploymentGroupProps::new()
    }
}

impl ServerDeploymentGroupProps {
    /// An in-place deployment, one instance at a time, rolling back a failed deployment. It
    /// needs instances to deploy to: an Auto Scaling group or tag filters.
    pub fn new() -> ServerDeploymentGroupProps {
        ServerDeploymentGroupProps {
            auto_scaling_groups: Vec::new(),
            auto_scaling_group_names: Vec::new(),
            ec2_tags: Vec::new(),
            on_premises_tags: Vec::new(),
            target_groups: Vec::new(),
            target_group_names: Vec::new(),
            blue_green: None,
            config: ServerDeploymentConfig::OneAtATime,
            group: GroupSettings::default(),
        }
    }

    group_settings_methods!(ServerApplication);

    /// Deploys to the instances of `group`, an Auto Scaling group of this app (and to the
    /// instances it launches later).
    pub fn auto_scaling_group(mut self, group: &AutoScalingGroup) -> Self {
        if !self.auto_scaling_groups.contains(group) {
            self.auto_scaling_groups.push(*group);
        }
        self
    }

    /// Deploys to the instances of the Auto Scaling group `name`, outside this app.
    pub fn auto_scaling_group_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.auto_scaling_group_names.push(name.into());
        self
    }

    /// Deploys to the EC2 instances tagged `key` = `value` (an empty value matches any value
    /// of the key, an empty key any key with the value).
    pub fn ec2_tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.ec2_tags.push(Tag { key: key.into(), value: value.into() });
        self
    }

    /// Deploys to the registered on-premises instances tagged `key` = `value`.
    pub fn on_premises_tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.on_premises_tags.push(Tag { key: key.into(), value: value.into() });
        self
    }

    /// Takes the instances out of `target_group` (of this app, of instances) while they are
    /// deployed to, and, for blue/green, moves its traffic to the replacement instances.
    pub fn load_balancer(mut self, target_group: &TargetGroup) -> Self {
        if !self.target_groups.contains(target_group) {
            self.target_groups.push(*target_group);
        }
        self
    }

    /// A target group outside this app, by name.
    pub fn target_group_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.target_group_names.push(name.into());
        self
    }

    /// Deploys blue/green onto a copy of the Auto Scaling group instead of in place; needs
    /// an Auto Scaling group and a load balancer.
    pub fn blue_green(mut self, blue_green: ServerBlueGreen) -> Self {
        self.blue_green = Some(blue_green);
        self
    }

    /// Sets how many instances are deployed to at a time (default one at a time).
    pub fn deployment_config(mut self, config: ServerDeploymentConfig) -> Self {
        self.config = config;
        self
    }
}

/// The deployment configuration of a group, as the deploy action grants access to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum GroupConfig {
    /// `CodeDeployDefault.<name>`.
    Predefined(&'static str),
    /// The group's own configuration.
    Own(l1::DeploymentConfigRef),
    /// One outside this app, or none (an error was reported).
    Other,
}

/// A CodeDeploy deployment group for EC2 and on-premises instances (`ComputePlatform:
/// Server`), with its own service role.
///
/// The service role has the AWS managed policy `AWSCodeDeployRole`: CodeDeploy's calls on
/// Auto Scaling groups, instances, tags and load balancers during a deployment name
/// resources it discovers at run time (instances, copies of groups), so they cannot be
/// scoped in the template. A blue/green group also gets what copying a group with a launch
/// template takes: `ec2:RunInstances`, `ec2:CreateTags`, and `iam:PassRole` on the instance
/// roles of its Auto Scaling groups only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ServerDeploymentGroup {
    node: ConstructRef<ServerDeploymentGroupState>,
    resource: l1::DeploymentGroupRef,
    application: ServerApplication,
    role: Role,
    config: GroupConfig,
    load_balanced: bool,
}

impl ServerDeploymentGroup {
    /// Creates the deployment group as the construct `id` in `scope`, with the children
    /// `ServiceRole`, unless one is given `Application`, and for a minimum of healthy hosts
    /// of one's own `DeploymentConfig`.
    #[track_caller]
    pub fn new(
        scope: &mut Scope<'_>,
        id: &str,
        props: ServerDeploymentGroupProps,
    ) -> ServerDeploymentGroup {
        let state =
            ServerDeploymentGroupState { auto_scaling_groups: props.auto_scaling_groups.clone() };
        let mut begun =
            begin_with(scope, id, state, &props.group, "service-role/AWSCodeDeployRole");
        let inner = &mut begun.scope;

        let has_groups =
            !props.auto_scaling_groups.is_empty() || !props.auto_scaling_group_names.is_empty();
        if !has_groups && props.ec2_tags.is_empty() && props.on_premises_tags.is_empty() {
            inner.error(
                "codedeploy.server-targets",
                "the deployment group has neither an Auto Scaling group nor tag filters, so it \
                 deploys to no instance",
                "add .auto_scaling_group(&group), .ec2_tag(key, value) or \
                 .on_premises_tag(key, value)",
            );
        }
        for group in &props.auto_scaling_groups {
            if !group.has_code_deploy_agent() {
                let name = logical_id(inner, group);
                inner.warn(format!(
                    "the instances of the Auto Scaling group `{name}` do not install the \
                     CodeDeploy agent, which every deployment needs on them; set \
                     .code_deploy_agent(true) unless the AMI has it"
                ));
            }
        }
        for tag in props.ec2_tags.iter().chain(&props.on_premises_tags) {
            if tag.key.is_empty() && tag.value.is_empty() {
                inner.error(
                    "codedeploy.tag-filter",
                    "a tag filter has neither a key nor a value",
                    "give the tag's key, its value, or both",
                );
            }
        }
        let has_load_balancer =
            !props.target_groups.is_empty() || !props.target_group_names.is_empty();
        for group in &props.target_groups {
            if group.target_type() != TargetType::Instance {
                inner.error(
                    "codedeploy.target-type",
                    "the load balancer's target group takes IP targets, and CodeDeploy \
                     registers instances",
                    "create the target group with .target_type(TargetType::Instance)",
                );
            }
        }
        check_minimum_healthy(inner, &props);

        let config = props.config.resolve();
        let config_name = config_name(inner, config, DeploymentConfigComputePlatform::Server);
        let group_config = match &props.config {
            ServerDeploymentConfig::OneAtATime => GroupConfig::Predefined("OneAtATime"),
            ServerDeploymentConfig::HalfAtATime => GroupConfig::Predefined("HalfAtATime"),
            ServerDeploymentConfig::AllAtOnce => GroupConfig::Predefined("AllAtOnce"),
            ServerDeploymentConfig::MinimumHealthy(_) => inner
                .slot_resource::<l1::DeploymentConfigRef>("DeploymentConfig")
                .map_or(GroupConfig::Other, GroupConfig::Own),
            ServerDeploymentConfig::Named(_) => GroupConfig::Other,
        };

        let blue_green = props
            .blue_green
            .map(|bg| blue_green_settings(inner, bg, has_load_balancer, &props, begun.role));
        let deployment_type = match blue_green {
            Some(_) => dg::DeploymentStyleDeploymentType::BlueGreen,
            None => dg::DeploymentStyleDeploymentType::InPlace,
        };
        let option = if has_load_balancer {
            dg::DeploymentStyleDeploymentOption::WithTrafficControl
        } else {
            dg::DeploymentStyleDeploymentOption::WithoutTrafficControl
        };
        let style =
            dg::DeploymentStyle::new().deployment_type(deployment_type).deployment_option(option);

        let mut names: Vec<Val<String>> = props
            .auto_scaling_groups
            .iter()
            .map(AutoScalingGroup::auto_scaling_group_name)
            .collect();
        names.extend(props.auto_scaling_group_names.iter().cloned());
        let mut target_groups: Vec<dg::TargetGroupInfo> = props
            .target_groups
            .iter()
            .map(|g| dg::TargetGroupInfo::new().name(g.target_group_name()))
            .collect();
        target_groups.extend(
            props.target_group_names.iter().map(|n| dg::TargetGroupInfo::new().name(n.clone())),
        );
        let ec2_tags = props.ec2_tags.clone();
        let on_premises_tags = props.on_premises_tags.clone();
        let resource = finish_with(&mut begun, props.group, config_name, style, |mut g| {
            if !names.is_empty() {
                g.auto_scaling_groups = Some(Val::from(names));
            }
            g.ec2_tag_filters = ec2_tags.iter().map(ec2_filter).collect();
            g.on_premises_instance_tag_filters =
                on_premises_tags.iter().map(on_premises_filter).collect();
            if !target_groups.is_empty() {
                g = g.load_balancer_info(
                    dg::LoadBalancerInfo::new().target_group_info_list(target_groups),
                );
            }
            if let Some(bg) = blue_green {
                g = g.blue_green_deployment_configuration(bg);
            }
            g
        });
        let (node, application, role) = (begun.node, begun.application, begun.role);
        ServerDeploymentGroup {
            node,
            resource,
            application,
            role,
            config: group_config,
            load_balanced: has_load_balancer,
        }
    }

    /// The construct node, for its path, its children and the Auto Scaling groups it
    /// targets.
    pub fn node(&self) -> ConstructRef<ServerDeploymentGroupState> {
        self.node
    }

    /// The L1 handle.
    pub fn resource(&self) -> l1::DeploymentGroupRef {
        self.resource
    }

    /// The application.
    pub fn application(&self) -> ServerApplication {
        self.application
    }

    /// The role CodeDeploy uses.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The application name, as the pipeline's deploy action takes it.
    pub fn application_name(&self) -> Val<String> {
        self.application.application_name()
    }

    /// The deployment group name (`Ref`), as the pipeline's deploy action takes it.
    pub fn deployment_group_name(&self) -> Val<String> {
        self.resource.reference()
    }

    /// Reports at the group what CodeDeploy would refuse in `appspec` (and warns of traffic
    /// hooks a group without a load balancer never runs), then writes it at `path`
    /// (`appspec.yml`) in the output folder.
    pub fn add_appspec_file(
        &self,
        scope: &mut Scope<'_>,
        path: impl Into<String>,
        appspec: &ServerAppSpec,
    ) {
        let path = path.into();
        let Some(mut own) = scope.app().scope_of(self.node.id()) else {
            scope.foreign_handle("add_appspec_file");
            return;
        };
        if !self.load_balanced && appspec.has_traffic_hooks() {
            own.warn(format!(
                "`{path}` has scripts for the traffic events (BeforeBlockTraffic, \
                 AfterBlockTraffic, BeforeAllowTraffic, AfterAllowTraffic), which CodeDeploy \
                 runs only for a deployment group with a load balancer"
            ));
        }
        appspec.add_file(&mut own, path);
    }

    /// The ARN of the deployment configuration the group deploys with; `None` for one
    /// outside this app.
    pub fn deployment_config_arn(&self) -> Option<Val<String>> {
        let name = match self.config {
            GroupConfig::Predefined(n) => Val::from(format!("CodeDeployDefault.{n}")),
            GroupConfig::Own(c) => c.reference(),
            GroupConfig::Other => return None,
        };
        Some(Arn::new("codedeploy", "deploymentconfig", name).colon().to_val())
    }
}

/// Reports a minimum of healthy hosts the targeted groups can never leave room for.
fn check_minimum_healthy(scope: &mut Scope<'_>, props: &ServerDeploymentGroupProps) {
    let ServerDeploymentConfig::MinimumHealthy(MinimumHealthyHosts::HostCount(n)) = props.config
    else {
        return;
    };
    // Only when every instance is in a group of this app is the fleet's size known.
    let known = props.auto_scaling_group_names.is_empty()
        && props.ec2_tags.is_empty()
        && props.on_premises_tags.is_empty()
        && !props.auto_scaling_groups.is_empty();
    if !known {
        return;
    }
    let max: u32 = props.auto_scaling_groups.iter().map(AutoScalingGroup::max_capacity).sum();
    if n >= max {
        scope.error(
            "codedeploy.minimum-healthy-hosts",
            format!(
                "MinimumHealthyHosts::HostCount({n}) keeps {n} instances healthy, but the Auto \
                 Scaling groups the deployment targets run at most {max}, so no instance could be \
                 deployed to"
            ),
            format!(
                "keep fewer than {max} instances healthy, or use MinimumHealthyHosts::FleetPercent"
            ),
        );
        return;
    }
    let min: u32 = props.auto_scaling_groups.iter().map(AutoScalingGroup::min_capacity).sum();
    if n >= min {
        scope.warn(format!(
            "MinimumHealthyHosts::HostCount({n}) keeps {n} instances healthy, and the Auto \
             Scaling groups the deployment targets may run as few as {min}; a deployment then \
             fails before it starts. Keep fewer than {min} healthy or raise min_capacity"
        ));
    }
}

/// The `BlueGreenDeploymentConfiguration` of `bg`, reporting what blue/green lacks, and the
/// service role's permissions to copy the groups' launch templates.
fn blue_green_settings(
    scope: &mut Scope<'_>,
    bg: ServerBlueGreen,
    has_load_balancer: bool,
    props: &ServerDeploymentGroupProps,
    role: Role,
) -> dg::BlueGreenDeploymentConfiguration {
    if !has_load_balancer {
        scope.error(
            "codedeploy.blue-green-load-balancer",
            "the blue/green deployment has no load balancer, so traffic cannot move from the \
             original instances to the replacement ones",
            "add .load_balancer(&target_group) with the target group the instances serve from",
        );
    }
    if props.auto_scaling_groups.is_empty() && props.auto_scaling_group_names.is_empty() {
        scope.error(
            "codedeploy.blue-green-auto-scaling-group",
            "the blue/green deployment provisions the replacement instances by copying an Auto \
             Scaling group, and the deployment group has none",
            "add .auto_scaling_group(&group), or deploy in place",
        );
    }
    if !props.on_premises_tags.is_empty() {
        scope.error(
            "codedeploy.blue-green-on-premises",
            "on-premises instances cannot be deployed to blue/green",
            "deploy them in place, with a deployment group of their own",
        );
    }
    let wait = bg.terminate_blue_after;
    let wait_ok = wait.as_seconds().is_multiple_of(60)
        && wait.as_seconds() / 60 <= MAX_TERMINATION_WAIT_MINUTES;
    if !wait_ok {
        scope.error(
            "codedeploy.terminate-blue-after",
            format!("terminate_blue_after is {wait}"),
            "CodeDeploy waits 0 to 2880 minutes (2 days), in whole minutes",
        );
    }
    let ready = match bg.ready {
        ReadyOption::ContinueDeployment => dg::DeploymentReadyOption::new()
            .action_on_timeout(dg::DeploymentReadyOptionActionOnTimeout::ContinueDeployment),
        ReadyOption::StopDeploymentAfter(d) => {
            if d.as_seconds() == 0 || d.as_seconds() % 60 != 0 {
                scope.error(
                    "codedeploy.ready-wait",
                    format!("the deployment would stop after {d} without a go-ahead"),
                    "CodeDeploy waits whole minutes, at least 1",
                );
            }
            dg::DeploymentReadyOption::new()
                .action_on_timeout(dg::DeploymentReadyOptionActionOnTimeout::StopDeployment)
                .wait_time_in_minutes(minutes(d))
        }
    };
    let termination = if bg.keep_blue {
        dg::BlueInstanceTerminationOption::new()
            .action(dg::BlueInstanceTerminationOptionAction::KeepAlive)
    } else {
        dg::BlueInstanceTerminationOption::new()
            .action(dg::BlueInstanceTerminationOptionAction::Terminate)
            .termination_wait_time_in_minutes(minutes(wait))
    };

    // Copying a group whose instances start from a launch template launches instances, tags
    // them and hands them the instance role, as the service role.
    if !props.auto_scaling_groups.is_empty() {
        role.add_to_policy(
            scope,
            PolicyStatement::allow().actions(["ec2:CreateTags", "ec2:RunInstances"]).resource("*"),
        );
        let mut pass = PolicyStatement::allow().action("iam:PassRole");
        for group in &props.auto_scaling_groups {
            pass = pass.resource(group.role().arn());
        }
        role.add_to_policy(
            scope,
            pass.condition("StringEquals", "iam:PassedToService", "ec2.amazonaws.com"),
        );
    }

    dg::BlueGreenDeploymentConfiguration::new()
        .green_fleet_provisioning_option(
            dg::GreenFleetProvisioningOption::new()
                .action(dg::GreenFleetProvisioningOptionAction::CopyAutoScalingGroup),
        )
        .terminate_blue_instances_on_deployment_success(termination)
        .deployment_ready_option(ready)
}

fn ec2_filter(tag: &Tag) -> dg::Ec2TagFilter {
    let (kind, key, value) = filter_parts(tag);
    let mut f = dg::Ec2TagFilter::new().r#type(match kind {
        FilterKind::KeyAndValue => dg::Ec2TagFilterType::KeyAndValue,
        FilterKind::KeyOnly => dg::Ec2TagFilterType::KeyOnly,
        FilterKind::ValueOnly => dg::Ec2TagFilterType::ValueOnly,
    });
    f.key = key;
    f.value = value;
    f
}

fn on_premises_filter(tag: &Tag) -> dg::TagFilter {
    let (kind, key, value) = filter_parts(tag);
    let mut f = dg::TagFilter::new().r#type(match kind {
        FilterKind::KeyAndValue => dg::TagFilterType::KeyAndValue,
        FilterKind::KeyOnly => dg::TagFilterType::KeyOnly,
        FilterKind::ValueOnly => dg::TagFilterType::ValueOnly,
    });
    f.key = key;
    f.value = value;
    f
}

enum FilterKind {
    KeyAndValue,
    KeyOnly,
    ValueOnly,
}

fn filter_parts(tag: &Tag) -> (FilterKind, Option<Val<String>>, Option<Val<String>>) {
    let some = |s: &str| (!s.is_empty()).then(|| Val::from(s));
    let kind = match (tag.key.is_empty(), tag.value.is_empty()) {
        (false, true) => FilterKind::KeyOnly,
        (true, false) => FilterKind::ValueOnly,
        _ => FilterKind::KeyAndValue,
    };
    (kind, some(&tag.key), some(&tag.value))
}

fn logical_id(scope: &mut Scope<'_>, group: &AutoScalingGroup) -> String {
    scope.app().construct(group.node().id()).map(|n| n.path().logical_id()).unwrap_or_default()
}

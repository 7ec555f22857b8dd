//! The `AutoScalingGroup` construct: a launch template, the group, its security group and its
//! instance role.

use stackwright_aws::autoscaling as l1;
use stackwright_aws::autoscaling::auto_scaling_group as asg;
use stackwright_aws::ec2 as ec2_l1;
use stackwright_aws::ec2::launch_template as lt;
use stackwright_aws::iam as iam_l1;
use stackwright_core::kind;
use stackwright_core::{Arn, ConstructRef, ConstructState, Handle, Scope, Val, fns, pseudo, sub};

use super::MachineImage;
use super::user_data;
use crate::Duration;
use crate::arns::objects_arn;
use crate::ec2::{Connectable, Port, SecurityGroup, Vpc};
use crate::elbv2::{TargetGroup, TargetType};
use crate::iam::{Grantee, PolicyStatement, Principal, Role, RoleProps};

/// Which subnets of the VPC the instances run in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Subnets {
    /// The private subnets (the default): reachable only through a load balancer.
    #[default]
    Private,
    /// The public subnets.
    Public,
}

/// How to build an [`AutoScalingGroup`]: the VPC and the instance type are required; the
/// builder methods set the rest.
#[derive(Clone, Debug, PartialEq)]
pub struct AutoScalingGroupProps {
    vpc_id: Val<kind::VpcId>,
    private_subnets: Vec<Val<kind::SubnetId>>,
    public_subnets: Vec<Val<kind::SubnetId>>,
    subnets: Subnets,
    instance_type: String,
    machine_image: MachineImage,
    min_capacity: u32,
    max_capacity: u32,
    desired_capacity: Option<u32>,
    code_deploy_agent: bool,
    ssm_managed: bool,
    user_data: Vec<String>,
    target_groups: Vec<TargetGroup>,
    health_check_grace_period: Duration,
    name: Option<Val<String>>,
}

impl AutoScalingGroupProps {
    /// Instances of `instance_type` (`t3.micro`) in the private subnets of `vpc`, from the
    /// latest Amazon Linux 2023 AMI, one instance (minimum and maximum 1).
    pub fn new(vpc: &Vpc, instance_type: impl Into<String>) -> AutoScalingGroupProps {
        AutoScalingGroupProps {
            vpc_id: vpc.vpc_id(),
            private_subnets: vpc.private_subnet_ids(),
            public_subnets: vpc.public_subnet_ids(),
            subnets: Subnets::Private,
            instance_type: instance_type.into(),
            machine_image: MachineImage::default(),
            min_capacity: 1,
            max_capacity: 1,
            desired_capacity: None,
            code_deploy_agent: false,
            ssm_managed: false,
            user_data: Vec::new(),
            target_groups: Vec::new(),
            health_check_grace_period: Duration::minutes(5),
            name: None,
        }
    }

    /// Runs the instances in these subnets of the VPC (default private).
    pub fn subnets(mut self, subnets: Subnets) -> Self {
        self.subnets = subnets;
        self
    }

    /// Starts the instances from this AMI (default the latest Amazon Linux 2023).
    pub fn machine_image(mut self, image: MachineImage) -> Self {
        self.machine_image = image;
        self
    }

    /// The fewest instances the group keeps (default 1).
    pub fn min_capacity(mut self, n: u32) -> Self {
        self.min_capacity = n;
        self
    }

    /// The most instances the group runs (default 1; at least 1).
    pub fn max_capacity(mut self, n: u32) -> Self {
        self.max_capacity = n;
        self
    }

    /// The instances the group starts with (between the minimum and the maximum; left out,
    /// the minimum).
    pub fn desired_capacity(mut self, n: u32) -> Self {
        self.desired_capacity = Some(n);
        self
    }

    /// Installs and starts the CodeDeploy agent at boot (user data), and lets the instance
    /// role read the agent's install bucket of the region (default off). A CodeDeploy
    /// deployment group needs the agent on every instance it deploys to.
    pub fn code_deploy_agent(mut self, on: bool) -> Self {
        self.code_deploy_agent = on;
        self
    }

    /// Attaches the AWS managed policy `AmazonSSMManagedInstanceCore` to the instance role,
    /// so Systems Manager (Session Manager, Run Command) reaches the instances without SSH
    /// (default off).
    pub fn ssm_managed(mut self, on: bool) -> Self {
        self.ssm_managed = on;
        self
    }

    /// Adds a shell command to the user data, run as root at first boot after the agent's
    /// install, in a bash script with `set -euo pipefail` (a failing command stops the rest).
    pub fn user_data(mut self, command: impl Into<String>) -> Self {
        self.user_data.push(command.into());
        self
    }

    /// Registers the instances into `target_group`, a target group of instances
    /// ([`TargetType::Instance`]); the group's security group admits the load balancers that
    /// forward to it, and the group replaces instances the load balancer finds unhealthy.
    pub fn target_group(mut self, target_group: &TargetGroup) -> Self {
        if !self.target_groups.contains(target_group) {
            self.target_groups.push(*target_group);
        }
        self
    }

    /// How long a new instance may take before the load balancer's health checks count
    /// (default 5 minutes, whole seconds).
    pub fn health_check_grace_period(mut self, d: Duration) -> Self {
        self.health_check_grace_period = d;
        self
    }

    /// Fixes the group's name (otherwise CloudFormation makes one up).
    pub fn auto_scaling_group_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.name = Some(name.into());
        self
    }
}

/// What an [`AutoScalingGroup`] wires at synth: its security group admits the load
/// balancers forwarding to its target groups (listeners may be added after the group), and
/// the group waits for its instance role's policy, so the instances boot with their
/// permissions.
#[derive(Clone, Debug, PartialEq)]
pub struct AutoScalingGroupState {
    target_groups: Vec<TargetGroup>,
    security_group: Option<SecurityGroup>,
    role: Option<Role>,
}

impl ConstructState for AutoScalingGroupState {
    fn kind(&self) -> &'static str {
        "AutoScalingGroup"
    }

    fn render(&self, scope: &mut Scope<'_>) {
        let (Some(security_group), Some(role)) = (self.security_group, self.role) else {
            return;
        };
        for group in &self.target_groups {
            let load_balancers =
                scope.app().state(group.node()).map(|g| g.load_balancers().to_vec());
            for load_balancer in load_balancers.unwrap_or_default() {
                security_group.allow_from(scope, &load_balancer, Port::tcp(group.port()));
            }
        }
        let policy = role.default_policy(scope.app());
        let resource = scope.slot_resource::<l1::AutoScalingGroupRef>("Resource");
        if let (Some(policy), Some(resource)) = (policy, resource)
            && let Some(node) = scope.node(resource)
        {
            node.add_dependency(policy);
        }
    }
}

/// An EC2 Auto Scaling group: instances from a launch template (the child `LaunchTemplate`)
/// with an instance role (`InstanceRole`, through `InstanceProfile`) and a security group of
/// their own (`SecurityGroup`), metadata service v2 only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AutoScalingGroup {
    node: ConstructRef<AutoScalingGroupState>,
    resource: l1::AutoScalingGroupRef,
    launch_template: ec2_l1::LaunchTemplateRef,
    role: Role,
    security_group: SecurityGroup,
    min_capacity: u32,
    max_capacity: u32,
    code_deploy_agent: bool,
}

impl AutoScalingGroup {
    /// Creates the group as the construct `id` in `scope`.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str, props: AutoScalingGroupProps) -> AutoScalingGroup {
        let state = AutoScalingGroupState {
            target_groups: props.target_groups.clone(),
            security_group: None,
            role: None,
        };
        let (node, mut inner) = scope.construct(id, state);
        let security_group = SecurityGroup::in_vpc_id(
            &mut inner,
            "SecurityGroup",
            props.vpc_id.clone(),
            format!("Instances of the Auto Scaling group {id}"),
        );
        let role = Role::new(&mut inner, "InstanceRole", instance_role_props(props.ssm_managed));
        if props.ssm_managed {
            // The Systems Manager agent's own policy, kept in step with the agent by AWS.
            let reason = "AmazonSSMManagedInstanceCore is the policy AWS maintains for the \
                          Systems Manager agent";
            inner.suppress(
                role.node(),
                stackwright_core::Suppression::new(&crate::rules::IAM_AWS_MANAGED_POLICY, reason),
            );
        }
        if let Some(state) = inner.app().state_mut(node) {
            state.security_group = Some(security_group);
            state.role = Some(role);
        }
        check_capacity(&mut inner, &props);
        check_instance_type(&mut inner, &props.instance_type);
        for group in &props.target_groups {
            if group.target_type() != TargetType::Instance {
                inner.error(
                    "autoscaling.target-type",
                    "the group registers its instances into a target group of IP targets",
                    "create the target group with .target_type(TargetType::Instance)",
                );
            }
        }
        if props.code_deploy_agent {
            role.add_to_policy(
                &mut inner,
                PolicyStatement::allow()
                    .action("s3:GetObject")
                    .resource(objects_arn(sub!("aws-codedeploy-{}", pseudo::region()), "*")),
            );
        }

        let profile = inner.add(
            "InstanceProfile",
            iam_l1::InstanceProfile::new(iam_l1::InstanceProfileRequired {
                roles: Val::from(vec![role.role_name()]),
            }),
        );
        let parameter = format!("{}ImageId", logical_id(&mut inner, node.id()));
        let image_id = props.machine_image.image_id(&mut inner, &parameter);
        let mut data = lt::LaunchTemplateData::new()
            .image_id(image_id)
            .instance_type(props.instance_type.as_str())
            .iam_instance_profile(lt::IamInstanceProfile::new().arn(profile.arn()))
            .security_group_ids(Val::from(vec![security_group.group_id()]))
            .metadata_options(lt::MetadataOptions::new().http_tokens("required"));
        if let Some(script) = user_data::script(props.code_deploy_agent, &props.user_data) {
            data = data.user_data(fns::base64(script));
        }
        let launch_template = inner.add(
            "LaunchTemplate",
            ec2_l1::LaunchTemplate::new(ec2_l1::LaunchTemplateRequired {
                launch_template_data: data,
            }),
        );

        let subnets = match props.subnets {
            Subnets::Private => props.private_subnets.clone(),
            Subnets::Public => props.public_subnets.clone(),
        };
        if subnets.is_empty() {
            inner.error(
                "autoscaling.subnets",
                "the VPC has no subnets of the kind the group runs in",
                "choose the other kind with .subnets(...)",
            );
        }
        let mut group = l1::AutoScalingGroup::new(l1::AutoScalingGroupRequired {
            max_size: props.max_capacity.to_string(),
            min_size: props.min_capacity.to_string(),
        })
        .launch_template(
            asg::LaunchTemplateSpecification::new(asg::LaunchTemplateSpecificationRequired {
                version: launch_template.latest_version_number(),
            })
            .launch_template_id(launch_template.reference()),
        )
        .vpc_zone_identifier(Val::from(subnets));
        group.desired_capacity = props.desired_capacity.map(|n| Val::from(n.to_string()));
        group.auto_scaling_group_name = props.name.clone();
        if !props.target_groups.is_empty() {
            let arns: Vec<Val<String>> = props.target_groups.iter().map(TargetGroup::arn).collect();
            group.target_group_ar_ns = Some(Val::from(arns));
            group.health_check_type = Some(Val::from("ELB"));
            let grace = props.health_check_grace_period.as_seconds();
            group.health_check_grace_period = Some(Val::from(i64::try_from(grace).unwrap_or(0)));
        }
        let resource = inner.add("Resource", group);
        AutoScalingGroup {
            node,
            resource,
            launch_template,
            role,
            security_group,
            min_capacity: props.min_capacity,
            max_capacity: props.max_capacity,
            code_deploy_agent: props.code_deploy_agent,
        }
    }

    /// The construct node, for its path and children.
    pub fn node(&self) -> ConstructRef<AutoScalingGroupState> {
        self.node
    }

    /// The L1 handle.
    pub fn resource(&self) -> l1::AutoScalingGroupRef {
        self.resource
    }

    /// The launch template the instances start from.
    pub fn launch_template(&self) -> ec2_l1::LaunchTemplateRef {
        self.launch_template
    }

    /// The group's name (`Ref`), as CodeDeploy asks for it.
    pub fn auto_scaling_group_name(&self) -> Val<String> {
        self.resource.reference()
    }

    /// The group's ARN.
    pub fn arn(&self) -> Val<String> {
        self.resource.auto_scaling_group_arn()
    }

    /// The role the instances run with.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The instances' security group.
    pub fn security_group(&self) -> SecurityGroup {
        self.security_group
    }

    /// The fewest instances the group keeps.
    pub fn min_capacity(&self) -> u32 {
        self.min_capacity
    }

    /// The most instances the group runs.
    pub fn max_capacity(&self) -> u32 {
        self.max_capacity
    }

    /// Whether the instances install and start the CodeDeploy agent.
    pub fn has_code_deploy_agent(&self) -> bool {
        self.code_deploy_agent
    }

    /// Opens `port` of the instances to members of `peer`'s security group.
    pub fn allow_from(&self, scope: &mut Scope<'_>, peer: &impl Connectable, port: Port) {
        self.security_group.allow_from(scope, peer, port);
    }
}

impl Connectable for AutoScalingGroup {
    fn security_group(&self) -> Option<SecurityGroup> {
        Some(self.security_group)
    }
}

impl Grantee for AutoScalingGroup {
    fn add_to_principal_policy(&self, scope: &mut Scope<'_>, statement: PolicyStatement) {
        self.role.add_to_policy(scope, statement);
    }
}

fn instance_role_props(ssm_managed: bool) -> RoleProps {
    let mut props = RoleProps::new(Principal::service("ec2.amazonaws.com"));
    if ssm_managed {
        let core =
            Arn::new("iam", "policy", "AmazonSSMManagedInstanceCore").global().account("aws");
        props = props.managed_policy(core.to_val());
    }
    props
}

/// The logical ID the construct `node`'s path gives, to name what belongs to it at stack
/// level (the AMI parameter).
fn logical_id(scope: &mut Scope<'_>, node: stackwright_core::ConstructId) -> String {
    scope.app().construct(node).map(|n| n.path().logical_id()).unwrap_or_default()
}

fn check_capacity(scope: &mut Scope<'_>, props: &AutoScalingGroupProps) {
    let (min, max) = (props.min_capacity, props.max_capacity);
    if max == 0 {
        scope.error(
            "autoscaling.capacity",
            "max_capacity is 0, so the group never runs an instance",
            "set max_capacity to at least 1",
        );
    }
    if min > max {
        scope.error(
            "autoscaling.capacity",
            format!("min_capacity ({min}) is above max_capacity ({max})"),
            "keep min_capacity at or below max_capacity",
        );
    }
    if let Some(desired) = props.desired_capacity
        && !(min..=max).contains(&desired)
    {
        scope.error(
            "autoscaling.capacity",
            format!("desired_capacity ({desired}) is outside min_capacity ({min}) to max_capacity ({max})"),
            "choose a desired capacity between the minimum and the maximum",
        );
    }
}

fn check_instance_type(scope: &mut Scope<'_>, instance_type: &str) {
    let ok = instance_type.split_once('.').is_some_and(|(family, size)| {
        !family.is_empty()
            && !size.is_empty()
            && instance_type.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    });
    if !ok {
        scope.error(
            "autoscaling.instance-type",
            format!("`{instance_type}` is not an EC2 instance type"),
            "name one as family.size, such as t3.micro",
        );
    }
}

//! The ECS blue/green deployment group.

use stackwright_aws::codedeploy as l1;
use stackwright_aws::codedeploy::deployment_config::DeploymentConfigComputePlatform;
use stackwright_aws::codedeploy::deployment_group as dg;
use stackwright_core::{ConstructRef, Scope, Val};

use super::group::{GroupSettings, begin, finish, group_accessors, group_settings_methods};
use super::{EcsApplication, EcsDeploymentConfig};
use crate::ecs::FargateService;
use crate::elbv2::{Listener, TargetGroup};
use crate::iam::Role;
use crate::{Duration, Stateless};

/// The load balancer side of a blue/green deployment: the two target groups the service
/// moves between and the listeners that route to them.
#[derive(Clone, Debug, PartialEq)]
pub struct EcsBlueGreen {
    blue_target_group: Val<String>,
    green_target_group: Val<String>,
    production_listener: Val<String>,
    test_listener: Option<Val<String>>,
}

impl EcsBlueGreen {
    /// The target groups of this app (the service's current one first) and the production
    /// listener; CodeDeploy gets the groups' names and the listener's ARN. A test listener
    /// is required too: see [`test_listener`](Self::test_listener).
    pub fn new(blue: &TargetGroup, green: &TargetGroup, production: &Listener) -> EcsBlueGreen {
        EcsBlueGreen::from_names(
            blue.target_group_name(),
            green.target_group_name(),
            production.arn(),
        )
    }

    /// Target groups and a listener outside this app: the groups by name, the listener by
    /// ARN.
    pub fn from_names(
        blue_target_group_name: impl Into<Val<String>>,
        green_target_group_name: impl Into<Val<String>>,
        production_listener_arn: impl Into<Val<String>>,
    ) -> EcsBlueGreen {
        EcsBlueGreen {
            blue_target_group: blue_target_group_name.into(),
            green_target_group: green_target_group_name.into(),
            production_listener: production_listener_arn.into(),
            test_listener: None,
        }
    }

    /// The listener of this app (usually a second port of the same load balancer) that
    /// reaches the green task set before production traffic moves, so it can be tested.
    pub fn test_listener(self, listener: &Listener) -> Self {
        self.test_listener_arn(listener.arn())
    }

    /// A test listener outside this app, by ARN.
    pub fn test_listener_arn(mut self, listener_arn: impl Into<Val<String>>) -> Self {
        self.test_listener = Some(listener_arn.into());
        self
    }
}

/// When the deployment goes on once the green task set is ready.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReadyOption {
    /// Shift traffic right away (`CONTINUE_DEPLOYMENT`, wait 0).
    ContinueDeployment,
    /// Wait for someone to continue the deployment; stop it if nobody does within this
    /// time (`STOP_DEPLOYMENT`, whole minutes).
    StopDeploymentAfter(Duration),
}

/// How to build an [`EcsDeploymentGroup`].
#[derive(Clone, Debug, PartialEq)]
pub struct EcsDeploymentGroupProps {
    cluster_name: Val<String>,
    service_name: Val<String>,
    blue_green: EcsBlueGreen,
    config: EcsDeploymentConfig,
    terminate_blue_after: Duration,
    ready: ReadyOption,
    group: GroupSettings<EcsApplication>,
    /// The service of this app it deploys is one ECS deploys by rolling update.
    rolling_service: bool,
}

impl EcsDeploymentGroupProps {
    /// Deploys `service`, a service of this app, blue/green through `blue_green`. A service
    /// ECS deploys by rolling update is an error: CodeDeploy deploys only a service created
    /// with `Deployment::CodeDeploy`.
    pub fn new(service: &FargateService, blue_green: EcsBlueGreen) -> EcsDeploymentGroupProps {
        let mut props = EcsDeploymentGroupProps::from_names(
            service.cluster_name(),
            service.service_name(),
            blue_green,
        );
        props.rolling_service = !service.is_code_deploy();
        props
    }

    /// Deploys the ECS service `service_name` of `cluster_name`, outside this app (a
    /// service whose deployment controller is `CODE_DEPLOY`), blue/green through
    /// `blue_green`.
    ///
    /// Defaults are the article's: traffic moves as soon as the green task set is ready,
    /// all at once, the blue task set is terminated 60 minutes after success, and a failed
    /// deployment rolls back.
    pub fn from_names(
        cluster_name: impl Into<Val<String>>,
        service_name: impl Into<Val<String>>,
        blue_green: EcsBlueGreen,
    ) -> EcsDeploymentGroupProps {
        EcsDeploymentGroupProps {
            cluster_name: cluster_name.into(),
            service_name: service_name.into(),
            blue_green,
            config: EcsDeploymentConfig::AllAtOnce,
            terminate_blue_after: Duration::minutes(60),
            ready: ReadyOption::ContinueDeployment,
            group: GroupSettings::default(),
            rolling_service: false,
        }
    }

    group_settings_methods!(EcsApplication);

    /// Sets how traffic moves (default all at once).
    pub fn deployment_config(mut self, config: EcsDeploymentConfig) -> Self {
        self.config = config;
        self
    }

    /// Sets how long the blue task set stays after a successful deployment, for a quick
    /// rollback: whole minutes, at most 2 days (default 60 minutes).
    pub fn terminate_blue_after(mut self, wait: Duration) -> Self {
        self.terminate_blue_after = wait;
        self
    }

    /// Sets when traffic starts moving (default right away).
    pub fn ready_option(mut self, ready: ReadyOption) -> Self {
        self.ready = ready;
        self
    }
}

/// The longest CodeDeploy keeps the blue task set after success.
pub(crate) const MAX_TERMINATION_WAIT_MINUTES: u64 = 2_880;

/// A CodeDeploy deployment group that deploys an ECS service blue/green behind a load
/// balancer, with its own service role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EcsDeploymentGroup {
    node: ConstructRef<Stateless>,
    resource: l1::DeploymentGroupRef,
    application: EcsApplication,
    role: Role,
}

impl EcsDeploymentGroup {
    /// Creates the deployment group as the construct `id` in `scope`, with the children
    /// `ServiceRole` and, unless one is given, `Application`.
    #[track_caller]
    pub fn new(
        scope: &mut Scope<'_>,
        id: &str,
        props: EcsDeploymentGroupProps,
    ) -> EcsDeploymentGroup {
        let mut begun =
            begin(scope, id, "EcsDeploymentGroup", &props.group, "AWSCodeDeployRoleForECS");
        let inner = &mut begun.scope;

        if props.rolling_service {
            inner.error(
                "codedeploy.service-controller",
                "the service is deployed by ECS's rolling update (its deployment controller is \
                 ECS), so CodeDeploy cannot deploy it",
                "create the service with .deployment(Deployment::CodeDeploy), or deploy it with \
                 the pipeline's EcsDeploy",
            );
        }
        let bg = props.blue_green;
        if bg.blue_target_group == bg.green_target_group {
            inner.error(
                "codedeploy.target-groups",
                "the blue and the green target group are the same",
                "give EcsBlueGreen two target groups: the service's current one and the one the \
                 new task set starts in",
            );
        }
        if bg.test_listener.as_ref() == Some(&bg.production_listener) {
            inner.error(
                "codedeploy.test-listener",
                "the test listener is the production listener",
                "test through a second listener (another port) that forwards to the green target \
                 group",
            );
        }
        let mut pair = dg::TargetGroupPairInfo::new()
            .target_groups([
                dg::TargetGroupInfo::new().name(bg.blue_target_group),
                dg::TargetGroupInfo::new().name(bg.green_target_group),
            ])
            .prod_traffic_route(
                dg::TrafficRoute::new().listener_arns(Val::from(vec![bg.production_listener])),
            );
        match bg.test_listener {
            Some(test) => {
                pair = pair.test_traffic_route(
                    dg::TrafficRoute::new().listener_arns(Val::from(vec![test])),
                );
            }
            None => inner.error("codedeploy.test-listener", "the blue/green deployment has no test listener, so the green task set cannot be tested before production traffic moves to it", "set EcsBlueGreen::test_listener to a listener (a second port of the load balancer) that forwards to the green target group"),
        }

        let wait = props.terminate_blue_after;
        let wait_ok = wait.as_seconds().is_multiple_of(60)
            && wait.as_seconds() / 60 <= MAX_TERMINATION_WAIT_MINUTES;
        if !wait_ok {
            inner.error(
                "codedeploy.terminate-blue-after",
                format!("terminate_blue_after is {wait}"),
                "CodeDeploy waits 0 to 2880 minutes (2 days), in whole minutes",
            );
        }
        let ready = match props.ready {
            ReadyOption::ContinueDeployment => dg::DeploymentReadyOption::new()
                .action_on_timeout(dg::DeploymentReadyOptionActionOnTimeout::ContinueDeployment)
                .wait_time_in_minutes(0),
            ReadyOption::StopDeploymentAfter(d) => {
                if d.as_seconds() == 0 || d.as_seconds() % 60 != 0 {
                    inner.error(
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

        let blue_green = dg::BlueGreenDeploymentConfiguration::new()
            .terminate_blue_instances_on_deployment_success(
                dg::BlueInstanceTerminationOption::new()
                    .action(dg::BlueInstanceTerminationOptionAction::Terminate)
                    .termination_wait_time_in_minutes(minutes(wait)),
            )
            .deployment_ready_option(ready);
        let service = dg::EcsService::new(dg::EcsServiceRequired {
            cluster_name: props.cluster_name,
            service_name: props.service_name,
        });
        let config = props.config.resolve();
        let resource =
            finish(&mut begun, props.group, config, DeploymentConfigComputePlatform::Ecs, |g| {
                g.blue_green_deployment_configuration(blue_green)
                    .ecs_services([service])
                    .load_balancer_info(
                        dg::LoadBalancerInfo::new().target_group_pair_info_list([pair]),
                    )
            });
        let (node, application, role) = (begun.node, begun.application, begun.role);
        EcsDeploymentGroup { node, resource, application, role }
    }

    group_accessors!(EcsApplication);
}

/// Whole minutes of `d`, as a template integer.
pub(crate) fn minutes(d: Duration) -> i64 {
    i64::try_from(d.as_seconds() / 60).unwrap_or(i64::MAX)
}

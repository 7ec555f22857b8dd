//! Deployment configurations: how fast traffic moves to the new version.

use stackwright_aws::codedeploy as l1;
use stackwright_aws::codedeploy::deployment_config as dc;
use stackwright_core::{Handle, Scope, Val};

use crate::Duration;

/// How traffic moves in steps of a deployment configuration of one's own, for ECS and
/// Lambda alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrafficShift {
    canary: bool,
    percent: u32,
    interval: Duration,
}

impl TrafficShift {
    /// `percent` of the traffic first (1 to 99), the rest after `interval` (whole minutes).
    pub fn canary(percent: u32, interval: Duration) -> TrafficShift {
        TrafficShift { canary: true, percent, interval }
    }

    /// `percent` more of the traffic (1 to 99) every `interval` (whole minutes).
    pub fn linear(percent: u32, interval: Duration) -> TrafficShift {
        TrafficShift { canary: false, percent, interval }
    }
}

/// How an ECS blue/green deployment moves production traffic to the green task set.
#[derive(Clone, Debug, PartialEq)]
pub enum EcsDeploymentConfig {
    /// `CodeDeployDefault.ECSAllAtOnce`: all traffic at once (CodeDeploy's default).
    AllAtOnce,
    /// `CodeDeployDefault.ECSLinear10PercentEvery1Minutes`.
    Linear10PercentEvery1Minutes,
    /// `CodeDeployDefault.ECSLinear10PercentEvery3Minutes`.
    Linear10PercentEvery3Minutes,
    /// `CodeDeployDefault.ECSCanary10Percent5Minutes`.
    Canary10Percent5Minutes,
    /// `CodeDeployDefault.ECSCanary10Percent15Minutes`.
    Canary10Percent15Minutes,
    /// Steps of its own, canary or linear (a new `AWS::CodeDeploy::DeploymentConfig`).
    Custom(TrafficShift),
    /// A deployment configuration that exists already, by name.
    Named(Val<String>),
}

/// How a Lambda deployment moves an alias's traffic to the new version (SAM's
/// `DeploymentPreference.Type`).
#[derive(Clone, Debug, PartialEq)]
pub enum LambdaDeploymentConfig {
    /// `CodeDeployDefault.LambdaAllAtOnce`.
    AllAtOnce,
    /// `CodeDeployDefault.LambdaCanary10Percent5Minutes`.
    Canary10Percent5Minutes,
    /// `CodeDeployDefault.LambdaCanary10Percent10Minutes`.
    Canary10Percent10Minutes,
    /// `CodeDeployDefault.LambdaCanary10Percent15Minutes`.
    Canary10Percent15Minutes,
    /// `CodeDeployDefault.LambdaCanary10Percent30Minutes`.
    Canary10Percent30Minutes,
    /// `CodeDeployDefault.LambdaLinear10PercentEvery1Minute`.
    Linear10PercentEvery1Minute,
    /// `CodeDeployDefault.LambdaLinear10PercentEvery2Minutes`.
    Linear10PercentEvery2Minutes,
    /// `CodeDeployDefault.LambdaLinear10PercentEvery3Minutes`.
    Linear10PercentEvery3Minutes,
    /// `CodeDeployDefault.LambdaLinear10PercentEvery10Minutes`.
    Linear10PercentEvery10Minutes,
    /// Steps of its own, canary or linear (a new `AWS::CodeDeploy::DeploymentConfig`).
    Custom(TrafficShift),
    /// A deployment configuration that exists already, by name.
    Named(Val<String>),
    /// A name [`from_name`](LambdaDeploymentConfig::from_name) did not know; an error at
    /// synth.
    Unknown(String),
}

const LAMBDA_PREDEFINED: &[(&str, LambdaDeploymentConfig)] = &[
    ("Canary10Percent5Minutes", LambdaDeploymentConfig::Canary10Percent5Minutes),
    ("Canary10Percent10Minutes", LambdaDeploymentConfig::Canary10Percent10Minutes),
    ("Canary10Percent15Minutes", LambdaDeploymentConfig::Canary10Percent15Minutes),
    ("Canary10Percent30Minutes", LambdaDeploymentConfig::Canary10Percent30Minutes),
    ("Linear10PercentEvery1Minute", LambdaDeploymentConfig::Linear10PercentEvery1Minute),
    ("Linear10PercentEvery2Minutes", LambdaDeploymentConfig::Linear10PercentEvery2Minutes),
    ("Linear10PercentEvery3Minutes", LambdaDeploymentConfig::Linear10PercentEvery3Minutes),
    ("Linear10PercentEvery10Minutes", LambdaDeploymentConfig::Linear10PercentEvery10Minutes),
    ("AllAtOnce", LambdaDeploymentConfig::AllAtOnce),
];

impl LambdaDeploymentConfig {
    /// The predefined configuration SAM's `DeploymentPreference.Type` names
    /// (`Canary10Percent5Minutes`), also accepted in CodeDeploy's spelling
    /// (`CodeDeployDefault.LambdaCanary10Percent5Minutes`). Any other name is kept and
    /// reported at synth.
    pub fn from_name(name: &str) -> LambdaDeploymentConfig {
        let short = name.strip_prefix("CodeDeployDefault.Lambda").unwrap_or(name);
        LAMBDA_PREDEFINED
            .iter()
            .find(|(n, _)| *n == short)
            .map_or_else(|| LambdaDeploymentConfig::Unknown(name.to_owned()), |(_, c)| c.clone())
    }
}

/// The fewest instances that must stay healthy while a server deployment goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MinimumHealthyHosts {
    /// At least this many instances (`HOST_COUNT`); it must be below the group's size, or no
    /// instance could ever be taken out.
    HostCount(u32),
    /// At least this percentage of the instances (`FLEET_PERCENT`, 0 to 99), rounded up.
    FleetPercent(u32),
}

/// How an in-place (or blue/green) deployment to EC2 or on-premises instances proceeds.
#[derive(Clone, Debug, PartialEq)]
pub enum ServerDeploymentConfig {
    /// `CodeDeployDefault.OneAtATime`: one instance at a time (CodeDeploy's default).
    OneAtATime,
    /// `CodeDeployDefault.HalfAtATime`: up to half of the instances at a time.
    HalfAtATime,
    /// `CodeDeployDefault.AllAtOnce`: every instance at once.
    AllAtOnce,
    /// A minimum of healthy instances of one's own (a new `AWS::CodeDeploy::DeploymentConfig`
    /// with `ComputePlatform: Server`).
    MinimumHealthy(MinimumHealthyHosts),
    /// A deployment configuration that exists already, by name.
    Named(Val<String>),
}

impl ServerDeploymentConfig {
    pub(crate) fn resolve(&self) -> Resolved {
        let predefined = |n: &str| Resolved::Predefined(n.to_owned());
        match self {
            ServerDeploymentConfig::OneAtATime => predefined("OneAtATime"),
            ServerDeploymentConfig::HalfAtATime => predefined("HalfAtATime"),
            ServerDeploymentConfig::AllAtOnce => predefined("AllAtOnce"),
            ServerDeploymentConfig::MinimumHealthy(m) => Resolved::MinimumHealthy(*m),
            ServerDeploymentConfig::Named(n) => Resolved::Named(n.clone()),
        }
    }
}

/// A configuration as the group needs it.
pub(crate) enum Resolved {
    /// A predefined one, by its short name (`ECSAllAtOnce`).
    Predefined(String),
    /// Steps of the user's.
    Custom(TrafficShift),
    /// Named by the user.
    Named(Val<String>),
    /// Not one that exists.
    Unknown(String),
    /// A minimum of healthy instances of the user's.
    MinimumHealthy(MinimumHealthyHosts),
}

impl EcsDeploymentConfig {
    pub(crate) fn resolve(&self) -> Resolved {
        let predefined = |n: &str| Resolved::Predefined(format!("ECS{n}"));
        match self {
            EcsDeploymentConfig::AllAtOnce => predefined("AllAtOnce"),
            EcsDeploymentConfig::Linear10PercentEvery1Minutes => {
                predefined("Linear10PercentEvery1Minutes")
            }
            EcsDeploymentConfig::Linear10PercentEvery3Minutes => {
                predefined("Linear10PercentEvery3Minutes")
            }
            EcsDeploymentConfig::Canary10Percent5Minutes => predefined("Canary10Percent5Minutes"),
            EcsDeploymentConfig::Canary10Percent15Minutes => predefined("Canary10Percent15Minutes"),
            EcsDeploymentConfig::Custom(shift) => Resolved::Custom(*shift),
            EcsDeploymentConfig::Named(n) => Resolved::Named(n.clone()),
        }
    }
}

impl LambdaDeploymentConfig {
    pub(crate) fn resolve(&self) -> Resolved {
        let predefined = |n: &str| Resolved::Predefined(format!("Lambda{n}"));
        match self {
            LambdaDeploymentConfig::AllAtOnce => predefined("AllAtOnce"),
            LambdaDeploymentConfig::Canary10Percent5Minutes => {
                predefined("Canary10Percent5Minutes")
            }
            LambdaDeploymentConfig::Canary10Percent10Minutes => {
                predefined("Canary10Percent10Minutes")
            }
            LambdaDeploymentConfig::Canary10Percent15Minutes => {
                predefined("Canary10Percent15Minutes")
            }
            LambdaDeploymentConfig::Canary10Percent30Minutes => {
                predefined("Canary10Percent30Minutes")
            }
            LambdaDeploymentConfig::Linear10PercentEvery1Minute => {
                predefined("Linear10PercentEvery1Minute")
            }
            LambdaDeploymentConfig::Linear10PercentEvery2Minutes => {
                predefined("Linear10PercentEvery2Minutes")
            }
            LambdaDeploymentConfig::Linear10PercentEvery3Minutes => {
                predefined("Linear10PercentEvery3Minutes")
            }
            LambdaDeploymentConfig::Linear10PercentEvery10Minutes => {
                predefined("Linear10PercentEvery10Minutes")
            }
            LambdaDeploymentConfig::Custom(shift) => Resolved::Custom(*shift),
            LambdaDeploymentConfig::Named(n) => Resolved::Named(n.clone()),
            LambdaDeploymentConfig::Unknown(n) => Resolved::Unknown(n.clone()),
        }
    }
}

/// The `DeploymentConfigName` for `config`, creating the child `DeploymentConfig` of
/// `scope` for a custom one; `None` (and an error) for one that cannot exist.
pub(crate) fn config_name(
    scope: &mut Scope<'_>,
    config: Resolved,
    platform: dc::DeploymentConfigComputePlatform,
) -> Option<Val<String>> {
    match config {
        Resolved::Predefined(n) => Some(Val::from(format!("CodeDeployDefault.{n}"))),
        Resolved::Named(n) => Some(n),
        Resolved::Unknown(n) => {
            let known: Vec<&str> = LAMBDA_PREDEFINED.iter().map(|(n, _)| *n).collect();
            scope.error(
                "codedeploy.deployment-type",
                format!("unknown deployment preference type `{n}`"),
                format!(
                    "use one of {}, or LambdaDeploymentConfig::Custom for other steps",
                    known.join(", ")
                ),
            );
            None
        }
        Resolved::MinimumHealthy(m) => {
            let (kind, value) = match m {
                MinimumHealthyHosts::HostCount(n) => (dc::MinimumHealthyHostsType::HostCount, n),
                MinimumHealthyHosts::FleetPercent(n) => {
                    if n > 99 {
                        scope.error(
                            "codedeploy.minimum-healthy-hosts",
                            format!(
                                "MinimumHealthyHosts::FleetPercent({n}) keeps more than the whole \
                                 fleet healthy, so no instance could be deployed to"
                            ),
                            "CodeDeploy takes 0 to 99 percent",
                        );
                        return None;
                    }
                    (dc::MinimumHealthyHostsType::FleetPercent, n)
                }
            };
            let mut c = l1::DeploymentConfig::new();
            c.compute_platform = Some(platform.into());
            c.minimum_healthy_hosts =
                Some(Box::new(dc::MinimumHealthyHosts::new(dc::MinimumHealthyHostsRequired {
                    r#type: kind,
                    value: i64::from(value),
                })));
            let handle = scope.add("DeploymentConfig", c);
            Some(handle.reference())
        }
        Resolved::Custom(TrafficShift { canary, percent, interval }) => {
            let kind = if canary { "canary" } else { "linear" };
            let mut ok = true;
            if !(1..=99).contains(&percent) {
                scope.error(
                    "codedeploy.traffic-percent",
                    format!("the {kind} deployment shifts {percent} percent per step"),
                    "CodeDeploy takes 1 to 99",
                );
                ok = false;
            }
            let s = interval.as_seconds();
            if s == 0 || s % 60 != 0 {
                scope.error(
                    "codedeploy.traffic-interval",
                    format!("the {kind} interval is {interval}"),
                    "CodeDeploy takes whole minutes, at least 1",
                );
                ok = false;
            }
            if !ok {
                return None;
            }
            let minutes = i64::try_from(s / 60).unwrap_or(i64::MAX);
            let percent = i64::from(percent);
            let routing = if canary {
                dc::TrafficRoutingConfig::new(dc::TrafficRoutingConfigRequired {
                    r#type: dc::TrafficRoutingConfigType::TimeBasedCanary,
                })
                .time_based_canary(dc::TimeBasedCanary::new(
                    dc::TimeBasedCanaryRequired {
                        canary_interval: minutes,
                        canary_percentage: percent,
                    },
                ))
            } else {
                dc::TrafficRoutingConfig::new(dc::TrafficRoutingConfigRequired {
                    r#type: dc::TrafficRoutingConfigType::TimeBasedLinear,
                })
                .time_based_linear(dc::TimeBasedLinear::new(
                    dc::TimeBasedLinearRequired {
                        linear_interval: minutes,
                        linear_percentage: percent,
                    },
                ))
            };
            let mut c = l1::DeploymentConfig::new();
            c.compute_platform = Some(platform.into());
            c.traffic_routing_config = Some(Box::new(routing));
            let handle = scope.add("DeploymentConfig", c);
            Some(handle.reference())
        }
    }
}

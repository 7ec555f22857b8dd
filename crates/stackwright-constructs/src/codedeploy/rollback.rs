//! Automatic rollback and the alarms that trigger it, shared by both deployment groups.

use stackwright_aws::codedeploy::deployment_group as dg;
use stackwright_core::{Scope, Val};

/// When CodeDeploy rolls a deployment back by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AutoRollback {
    /// On a failed deployment (`DEPLOYMENT_FAILURE`). Default on.
    pub failed_deployment: bool,
    /// On a deployment stopped by hand (`DEPLOYMENT_STOP_ON_REQUEST`). Default off.
    pub stopped_deployment: bool,
    /// When an alarm of the group fires (`DEPLOYMENT_STOP_ON_ALARM`). Default: on when the
    /// group has alarms.
    pub deployment_in_alarm: Option<bool>,
}

impl Default for AutoRollback {
    fn default() -> Self {
        AutoRollback {
            failed_deployment: true,
            stopped_deployment: false,
            deployment_in_alarm: None,
        }
    }
}

/// At most this many alarms per deployment group (a CodeDeploy quota).
const MAX_ALARMS: usize = 10;

/// Sets the group's `AutoRollbackConfiguration` and `AlarmConfiguration`, reporting
/// combinations CodeDeploy rejects.
pub(crate) fn apply(
    scope: &mut Scope<'_>,
    group: &mut dg::DeploymentGroup,
    rollback: AutoRollback,
    alarms: Vec<Val<String>>,
) {
    if alarms.len() > MAX_ALARMS {
        scope.error(
            "codedeploy.alarm-count",
            format!("the deployment group has {} alarms", alarms.len()),
            format!("CodeDeploy takes at most {MAX_ALARMS}"),
        );
    }
    let on_alarm = rollback.deployment_in_alarm.unwrap_or(!alarms.is_empty());
    if on_alarm && alarms.is_empty() {
        scope.error(
            "codedeploy.rollback-alarms",
            "auto-rollback on alarm is on but the deployment group has no alarms",
            "add one with .alarm(...) or set deployment_in_alarm to Some(false)",
        );
    }
    let mut events: Vec<&str> = Vec::new();
    if rollback.failed_deployment {
        events.push("DEPLOYMENT_FAILURE");
    }
    if rollback.stopped_deployment {
        events.push("DEPLOYMENT_STOP_ON_REQUEST");
    }
    if on_alarm {
        events.push("DEPLOYMENT_STOP_ON_ALARM");
    }
    group.auto_rollback_configuration = Some(Box::new(if events.is_empty() {
        dg::AutoRollbackConfiguration::new().enabled(false)
    } else {
        dg::AutoRollbackConfiguration::new().enabled(true).events(Val::from(events))
    }));
    if !alarms.is_empty() {
        group.alarm_configuration = Some(Box::new(
            dg::AlarmConfiguration::new()
                .enabled(true)
                .alarms(alarms.into_iter().map(|name| dg::Alarm::new().name(name))),
        ));
    }
}

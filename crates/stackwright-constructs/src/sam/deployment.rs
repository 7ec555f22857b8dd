//! How SAM deploys a new version: a predefined canary or linear shift, a step of your own,
//! or an existing deployment configuration, with alarms and traffic hooks. The shifts are
//! the Lambda deployment configurations of [`crate::codedeploy`], so SAM and the
//! CloudFormation-native deployment group speak one vocabulary.

use stackwright_core::Val;

use crate::cloudwatch::Alarm;
use crate::codedeploy::LambdaDeploymentConfig;

/// A function's `DeploymentPreference`: how new versions roll out, which alarms roll them
/// back, and which functions check them before and after traffic moves.
#[derive(Clone, Debug, PartialEq)]
pub struct DeploymentPreference {
    pub(crate) config: LambdaDeploymentConfig,
    pub(crate) alarms: Vec<Val<String>>,
    pub(crate) pre_traffic: Option<Val<String>>,
    pub(crate) post_traffic: Option<Val<String>>,
}

impl DeploymentPreference {
    /// Rolls out with this configuration; `LambdaDeploymentConfig::from_name` reads SAM's
    /// names (`Canary10Percent5Minutes`), and an unknown one is a synth error.
    pub fn new(config: LambdaDeploymentConfig) -> DeploymentPreference {
        DeploymentPreference { config, alarms: Vec::new(), pre_traffic: None, post_traffic: None }
    }

    /// Rolls back when `alarm` fires. An alarm that watches this very function is created
    /// after it: add it with [`Function::add_deployment_alarm`](super::Function::add_deployment_alarm).
    pub fn alarm(self, alarm: &Alarm) -> Self {
        self.alarm_name(alarm.alarm_name())
    }

    /// Rolls back when the CloudWatch alarm of this name (outside the app) fires.
    pub fn alarm_name(mut self, alarm: impl Into<Val<String>>) -> Self {
        self.alarms.push(alarm.into());
        self
    }

    /// Runs `hook` before traffic shifts.
    pub fn pre_traffic_hook(self, hook: &super::Function) -> Self {
        self.pre_traffic_hook_name(hook.function_name())
    }

    /// Runs the function of this name (outside the app) before traffic shifts.
    pub fn pre_traffic_hook_name(mut self, function: impl Into<Val<String>>) -> Self {
        self.pre_traffic = Some(function.into());
        self
    }

    /// Runs `hook` after traffic has shifted.
    pub fn post_traffic_hook(self, hook: &super::Function) -> Self {
        self.post_traffic_hook_name(hook.function_name())
    }

    /// Runs the function of this name (outside the app) after traffic has shifted.
    pub fn post_traffic_hook_name(mut self, function: impl Into<Val<String>>) -> Self {
        self.post_traffic = Some(function.into());
        self
    }
}

//! How SAM deploys a new version: the predefined canary and linear shifts, or a
//! deployment configuration of your own, with alarms and traffic hooks.

use stackwright_core::Val;

/// How traffic moves to a new version.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DeploymentType {
    /// 10 percent for 5 minutes, then the rest.
    Canary10Percent5Minutes,
    /// 10 percent for 10 minutes, then the rest.
    Canary10Percent10Minutes,
    /// 10 percent for 15 minutes, then the rest.
    Canary10Percent15Minutes,
    /// 10 percent for 30 minutes, then the rest.
    Canary10Percent30Minutes,
    /// 10 percent more every minute.
    Linear10PercentEvery1Minute,
    /// 10 percent more every 2 minutes.
    Linear10PercentEvery2Minutes,
    /// 10 percent more every 3 minutes.
    Linear10PercentEvery3Minutes,
    /// 10 percent more every 10 minutes.
    Linear10PercentEvery10Minutes,
    /// Everything at once (for functions where a bad version costs little).
    AllAtOnce,
    /// A CodeDeploy deployment configuration of your own, by name.
    Custom(String),
    /// A name given as text, checked at synth against the predefined types.
    Named(String),
}

/// The predefined types, as SAM spells them.
const PREDEFINED: [&str; 9] = [
    "Canary10Percent5Minutes",
    "Canary10Percent10Minutes",
    "Canary10Percent15Minutes",
    "Canary10Percent30Minutes",
    "Linear10PercentEvery1Minute",
    "Linear10PercentEvery2Minutes",
    "Linear10PercentEvery3Minutes",
    "Linear10PercentEvery10Minutes",
    "AllAtOnce",
];

impl DeploymentType {
    /// A type given by name, such as one read from configuration; an unknown name is a synth
    /// error.
    pub fn named(name: impl Into<String>) -> DeploymentType {
        DeploymentType::Named(name.into())
    }

    /// The value SAM takes.
    pub fn as_str(&self) -> &str {
        match self {
            DeploymentType::Canary10Percent5Minutes => PREDEFINED[0],
            DeploymentType::Canary10Percent10Minutes => PREDEFINED[1],
            DeploymentType::Canary10Percent15Minutes => PREDEFINED[2],
            DeploymentType::Canary10Percent30Minutes => PREDEFINED[3],
            DeploymentType::Linear10PercentEvery1Minute => PREDEFINED[4],
            DeploymentType::Linear10PercentEvery2Minutes => PREDEFINED[5],
            DeploymentType::Linear10PercentEvery3Minutes => PREDEFINED[6],
            DeploymentType::Linear10PercentEvery10Minutes => PREDEFINED[7],
            DeploymentType::AllAtOnce => PREDEFINED[8],
            DeploymentType::Custom(n) | DeploymentType::Named(n) => n,
        }
    }

    /// Why the type cannot be used, if it cannot.
    pub(crate) fn problem(&self) -> Option<String> {
        match self {
            DeploymentType::Named(n) if !PREDEFINED.contains(&n.as_str()) => Some(format!(
                "deployment preference type `{n}` is not one of SAM's: {}; for a CodeDeploy \
                 deployment configuration of your own, use DeploymentType::Custom",
                PREDEFINED.join(", ")
            )),
            DeploymentType::Custom(n) if n.is_empty() => {
                Some("a custom deployment configuration needs a name".into())
            }
            _ => None,
        }
    }
}

/// A function's `DeploymentPreference`: how new versions roll out, which alarms roll them
/// back, and which functions check them before and after traffic moves.
#[derive(Clone, Debug, PartialEq)]
pub struct DeploymentPreference {
    pub(crate) ty: DeploymentType,
    pub(crate) alarms: Vec<Val<String>>,
    pub(crate) pre_traffic: Option<Val<String>>,
    pub(crate) post_traffic: Option<Val<String>>,
}

impl DeploymentPreference {
    /// Rolls out with this type.
    pub fn new(ty: DeploymentType) -> DeploymentPreference {
        DeploymentPreference { ty, alarms: Vec::new(), pre_traffic: None, post_traffic: None }
    }

    /// Rolls back when this CloudWatch alarm (its name, `Ref` of an alarm) fires.
    pub fn alarm(mut self, alarm: impl Into<Val<String>>) -> Self {
        self.alarms.push(alarm.into());
        self
    }

    /// Runs this function (`Ref` of a function) before traffic shifts.
    pub fn pre_traffic_hook(mut self, function: impl Into<Val<String>>) -> Self {
        self.pre_traffic = Some(function.into());
        self
    }

    /// Runs this function after traffic has shifted.
    pub fn post_traffic_hook(mut self, function: impl Into<Val<String>>) -> Self {
        self.post_traffic = Some(function.into());
        self
    }
}

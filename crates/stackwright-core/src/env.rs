//! Where a stack deploys: its account and region.

/// The account and region a stack deploys to. Either may be left open ("environment
/// agnostic"), in which case the stack deploys wherever the caller's credentials point.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Environment {
    /// The 12-digit AWS account ID.
    pub account: Option<String>,
    /// The region, such as `us-east-1`.
    pub region: Option<String>,
}

impl Environment {
    /// An environment with both account and region fixed.
    pub fn new(account: impl Into<String>, region: impl Into<String>) -> Environment {
        Environment { account: Some(account.into()), region: Some(region.into()) }
    }

    /// Human-readable form for messages: `111111111111/us-east-1`, `?` for an open part.
    pub fn describe(&self) -> String {
        format!(
            "{}/{}",
            self.account.as_deref().unwrap_or("?"),
            self.region.as_deref().unwrap_or("?")
        )
    }

    /// Whether a reference between stacks in these two environments can use an export, which
    /// works only within one account and region. Open parts are assumed to match.
    pub(crate) fn can_export_to(&self, other: &Environment) -> bool {
        let same = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        same(&self.account, &other.account) && same(&self.region, &other.region)
    }
}

//! Who a statement applies to.

use stackwright_core::kind::AnyArn;
use stackwright_core::{Arn, Expr, Val, pseudo, sub};

/// A principal in a resource or trust policy.
#[derive(Clone, Debug, PartialEq)]
pub enum Principal {
    /// An AWS service, such as `codebuild.amazonaws.com`.
    Service(String),
    /// A service whose principal names the region, such as CloudWatch Logs
    /// (`logs.<region>.amazonaws.com`): the prefix (`logs`), completed with the region and
    /// domain of the stack it is deployed in.
    RegionalService(String),
    /// Every identity of an account (`arn:<partition>:iam::<account>:root`), which the
    /// account's own IAM policies then narrow down.
    Account(String),
    /// A specific role or user ARN, as in a cross-account trust policy.
    Arn(Val<String>),
    /// A web identity or SAML provider, by name (`cognito-identity.amazonaws.com`) or by the
    /// ARN of the provider in the account.
    Federated(Val<String>),
    /// An S3 canonical user ID.
    CanonicalUser(String),
    /// Anyone (`*`). Only sensible with conditions or in a `Deny`.
    Any,
}

impl Principal {
    /// A service principal.
    pub fn service(name: impl Into<String>) -> Principal {
        Principal::Service(name.into())
    }

    /// An account principal.
    pub fn account(id: impl Into<String>) -> Principal {
        Principal::Account(id.into())
    }

    /// A role or user by ARN (a name does not compile: IAM wants the ARN).
    pub fn arn(arn: impl Into<Val<AnyArn>>) -> Principal {
        Principal::Arn(arn.into().into_string())
    }

    /// A web identity or SAML provider.
    pub fn federated(provider: impl Into<Val<String>>) -> Principal {
        Principal::Federated(provider.into())
    }

    fn key(&self) -> &'static str {
        match self {
            Principal::Service(_) | Principal::RegionalService(_) => "Service",
            Principal::Account(_) | Principal::Arn(_) | Principal::Any => "AWS",
            Principal::Federated(_) => "Federated",
            Principal::CanonicalUser(_) => "CanonicalUser",
        }
    }

    fn value(&self) -> Expr {
        match self {
            Principal::Service(s) | Principal::CanonicalUser(s) => Expr::Str(s.clone()),
            Principal::RegionalService(prefix) => {
                sub!("{}.{}.{}", prefix.as_str(), pseudo::region(), pseudo::url_suffix())
                    .into_expr()
            }
            Principal::Federated(v) => v.expr().clone(),
            Principal::Account(id) => {
                Arn::new("iam", "", "root").global().account(id.as_str()).to_val().into_expr()
            }
            Principal::Arn(v) => v.expr().clone(),
            Principal::Any => Expr::Str("*".into()),
        }
    }

    /// Renders a set of principals as IAM writes them: `"*"` alone, or an object grouping
    /// them by kind, a single value unwrapped from its list.
    pub(crate) fn render(principals: &[Principal]) -> Expr {
        if principals.iter().any(|p| matches!(p, Principal::Any)) && principals.len() == 1 {
            return Expr::Str("*".into());
        }
        let mut groups: Vec<(&'static str, Vec<Expr>)> = Vec::new();
        for key in ["AWS", "Service", "Federated", "CanonicalUser"] {
            let values: Vec<Expr> =
                principals.iter().filter(|p| p.key() == key).map(Principal::value).collect();
            if !values.is_empty() {
                groups.push((key, values));
            }
        }
        Expr::Map(
            groups
                .into_iter()
                .map(|(k, mut v)| {
                    (k.to_owned(), if v.len() == 1 { v.remove(0) } else { Expr::List(v) })
                })
                .collect(),
        )
    }
}

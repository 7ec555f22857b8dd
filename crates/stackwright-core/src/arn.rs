//! The one ARN formatter: every ARN a construct builds for a resource it does not hold a
//! handle to (a parameter by name, a log group, a report group, a bucket's objects).

use crate::env::Environment;
use crate::expr::{Expr, Val, interpolate, pseudo};

/// Where an ARN's region or account comes from.
#[derive(Clone, Debug, PartialEq)]
enum Part {
    /// The stack's environment when it names one, else the pseudo parameter.
    Stack,
    /// Empty, for global services (IAM has no region; S3 buckets neither, nor an account).
    Empty,
    /// A given value.
    Given(Val<String>),
}

/// An ARN to format: `arn:<partition>:<service>:<region>:<account>:<type><sep><name>`.
///
/// Partition, region and account are taken from the stack's environment where it fixes
/// them and from the pseudo parameters otherwise, so a stack pinned to an account gets
/// literal ARNs a reviewer can read and an open stack gets ARNs valid wherever it deploys.
///
/// ```
/// use stackwright_core::{Arn, Environment};
/// let arn = Arn::new("logs", "log-group", "/app").colon();
/// // In a template, `arn.to_val()` is formatted for the stack that uses it. Formatted here:
/// // open stack: `arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/app`
/// let open = arn.format(&Environment::default());
/// // pinned stack: `arn:${AWS::Partition}:logs:eu-west-1:111111111111:log-group:/app`
/// let pinned = arn.format(&Environment::new("111111111111", "eu-west-1"));
/// assert_ne!(open, pinned);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Arn {
    service: String,
    resource_type: String,
    separator: &'static str,
    name: Val<String>,
    region: Part,
    account: Part,
}

impl From<Arn> for Val<String> {
    fn from(arn: Arn) -> Val<String> {
        arn.to_val()
    }
}

impl Arn {
    /// The ARN of `name`, a resource of `resource_type` of `service`, written
    /// `<type>/<name>`. An empty `resource_type` writes the name alone.
    pub fn new(service: &str, resource_type: &str, name: impl Into<Val<String>>) -> Arn {
        Arn {
            service: service.to_owned(),
            resource_type: resource_type.to_owned(),
            separator: "/",
            name: name.into(),
            region: Part::Stack,
            account: Part::Stack,
        }
    }

    /// Writes `<type>:<name>` instead of `<type>/<name>` (log groups, functions, secrets).
    pub fn colon(mut self) -> Arn {
        self.separator = ":";
        self
    }

    /// Leaves the region empty (IAM, S3).
    pub fn global(mut self) -> Arn {
        self.region = Part::Empty;
        self
    }

    /// Leaves the account empty (S3 buckets, AWS managed policies).
    pub fn no_account(mut self) -> Arn {
        self.account = Part::Empty;
        self
    }

    /// Names the account, instead of the stack's.
    pub fn account(mut self, account: impl Into<Val<String>>) -> Arn {
        self.account = Part::Given(account.into());
        self
    }

    /// Names the region, instead of the stack's.
    pub fn region(mut self, region: impl Into<Val<String>>) -> Arn {
        self.region = Part::Given(region.into());
        self
    }

    /// The ARN as a value formatted at synth, for whichever stack uses it. For ARNs built
    /// where no stack is at hand (an action's permissions, a principal).
    pub fn to_val(self) -> Val<String> {
        Val::from_expr(Expr::Arn(Box::new(self)))
    }

    /// The service (`iam`, `logs`).
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The resource's name when it is a literal (`root` in `arn:aws:iam::123456789012:root`).
    pub fn literal_name(&self) -> Option<&str> {
        match self.name.expr() {
            Expr::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The account when it is given as a literal (`Arn::account("123456789012")`), so a
    /// check can read it before the ARN is formatted.
    pub fn literal_account(&self) -> Option<&str> {
        match &self.account {
            Part::Given(v) => match v.expr() {
                Expr::Str(s) => Some(s),
                _ => None,
            },
            Part::Stack | Part::Empty => None,
        }
    }

    /// The expressions inside (name, and a region or account given as a value).
    pub(crate) fn parts(&self) -> impl Iterator<Item = &Expr> {
        fn given(p: &Part) -> Option<&Expr> {
            match p {
                Part::Given(v) => Some(v.expr()),
                Part::Stack | Part::Empty => None,
            }
        }
        std::iter::once(self.name.expr()).chain(given(&self.region)).chain(given(&self.account))
    }

    /// The ARN, for a stack deploying to `env`.
    pub fn format(&self, env: &Environment) -> Val<String> {
        let part = |p: &Part, fixed: &Option<String>, pseudo: fn() -> Val<String>| match p {
            Part::Empty => Expr::Str(String::new()),
            Part::Given(v) => v.expr().clone(),
            Part::Stack => match fixed {
                Some(v) => Expr::Str(v.clone()),
                None => pseudo().into_expr(),
            },
        };
        let region = part(&self.region, &env.region, pseudo::region);
        let account = part(&self.account, &env.account, pseudo::account_id);
        let resource = if self.resource_type.is_empty() {
            String::new()
        } else {
            format!("{}{}", self.resource_type, self.separator)
        };
        interpolate(
            &format!("arn:{{}}:{}:{{}}:{{}}:{}{{}}", self.service, escape(&resource)),
            [pseudo::partition().into_expr(), region, account, self.name.expr().clone()],
        )
    }
}

/// `{` and `}` written so the format string keeps them literal.
fn escape(text: &str) -> String {
    text.replace('{', "{{").replace('}', "}}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::SubPart;

    fn text(v: &Val<String>) -> String {
        match v.expr() {
            Expr::Str(s) => s.clone(),
            Expr::Interpolate(parts) => parts
                .iter()
                .map(|p| match p {
                    SubPart::Lit(t) => t.clone(),
                    SubPart::Expr(Expr::Ref(crate::RefTarget::Pseudo(p))) => {
                        format!("${{{}}}", p.name())
                    }
                    SubPart::Expr(e) => format!("<{e:?}>"),
                })
                .collect(),
            other => format!("<{other:?}>"),
        }
    }

    #[test]
    fn open_stacks_use_pseudo_parameters() {
        let arn = Arn::new("ssm", "parameter", "app/db").format(&Environment::default());
        assert_eq!(
            text(&arn),
            "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/app/db"
        );
    }

    #[test]
    fn pinned_stacks_use_their_account_and_region() {
        let env = Environment::new("111111111111", "eu-west-1");
        let arn = Arn::new("logs", "log-group", "/ecs/app").colon().format(&env);
        assert_eq!(
            text(&arn),
            "arn:${AWS::Partition}:logs:eu-west-1:111111111111:log-group:/ecs/app"
        );
    }

    #[test]
    fn global_services_leave_parts_empty() {
        let env = Environment::new("111111111111", "eu-west-1");
        let bucket = Arn::new("s3", "", "my-bucket").global().no_account().format(&env);
        assert_eq!(text(&bucket), "arn:${AWS::Partition}:s3:::my-bucket");
        let role = Arn::new("iam", "role", "*").global().format(&Environment::default());
        assert_eq!(text(&role), "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*");
        let managed = Arn::new("iam", "policy", "AWSCodeDeployRoleForECS")
            .global()
            .account("aws")
            .format(&env);
        assert_eq!(text(&managed), "arn:${AWS::Partition}:iam::aws:policy/AWSCodeDeployRoleForECS");
    }
}

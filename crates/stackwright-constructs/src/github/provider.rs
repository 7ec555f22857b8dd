//! The account's OIDC provider for GitHub's tokens.

use stackwright_aws::iam as l1;
use stackwright_core::{ConstructRef, Scope, Val};

use crate::Stateless;

/// The host GitHub's workflow tokens come from.
pub const GITHUB_TOKEN_HOST: &str = "token.actions.githubusercontent.com";
/// The audience `configure-aws-credentials` asks GitHub's token for.
pub const GITHUB_AUDIENCE: &str = "sts.amazonaws.com";

/// The IAM OIDC provider that lets GitHub's workflow tokens be exchanged for AWS credentials.
/// An account holds one provider per URL: create it in one stack ([`new`](Self::new)) and
/// name it by ARN everywhere else ([`from_arn`](Self::from_arn)).
#[derive(Clone, Debug, PartialEq)]
pub struct GithubOidcProvider {
    node: Option<ConstructRef<Stateless>>,
    arn: Val<String>,
}

impl GithubOidcProvider {
    /// Creates the provider (`AWS::IAM::OIDCProvider` for `token.actions.githubusercontent.com`,
    /// audience `sts.amazonaws.com`) as the construct `id`. IAM trusts GitHub's certificate
    /// authority itself, so no thumbprint is pinned.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str) -> GithubOidcProvider {
        let (node, mut inner) = scope.construct(id, Stateless::new("GithubOidcProvider"));
        let provider = l1::OidcProvider::new()
            .url(format!("https://{GITHUB_TOKEN_HOST}"))
            .client_id_list(vec![GITHUB_AUDIENCE.to_owned()]);
        let resource: l1::OidcProviderRef = inner.add("Resource", provider);
        GithubOidcProvider { node: Some(node), arn: resource.arn() }
    }

    /// The provider the account already holds, by ARN
    /// (`arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com`).
    pub fn from_arn(arn: impl Into<Val<String>>) -> GithubOidcProvider {
        GithubOidcProvider { node: None, arn: arn.into() }
    }

    /// The provider's ARN.
    pub fn arn(&self) -> Val<String> {
        self.arn.clone()
    }

    /// The construct node, when this app creates the provider.
    pub fn node(&self) -> Option<ConstructRef<Stateless>> {
        self.node
    }

    /// What is wrong with an ARN given to [`from_arn`](Self::from_arn), if it is text.
    pub(crate) fn problem(&self) -> Option<String> {
        let arn = self.arn.expr().as_str()?;
        let ok = arn.starts_with("arn:")
            && arn.split(':').nth(2) == Some("iam")
            && arn.ends_with(&format!(":oidc-provider/{GITHUB_TOKEN_HOST}"));
        (!ok).then(|| {
            format!(
                "`{arn}` is not the ARN of GitHub's OIDC provider \
                 (`arn:aws:iam::<account>:oidc-provider/{GITHUB_TOKEN_HOST}`)"
            )
        })
    }
}

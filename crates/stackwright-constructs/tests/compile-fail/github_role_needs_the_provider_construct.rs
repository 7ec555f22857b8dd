//! A GitHub role trusts the OIDC provider construct, created or named by ARN through
//! `GithubOidcProvider::from_arn`, whose ARN is then checked: a bare string is not one.

use stackwright_constructs::github::{GithubRole, GithubRoleProps, GithubSubject};
use stackwright_core::App;

fn main() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let props = GithubRoleProps::new("deploy", [GithubSubject::branch("acme/shop", "main")]);
    let _ = GithubRole::new(
        &mut s,
        "Deploy",
        &"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
        props,
    );
}

//! The AWS side of GitHub Actions: the OIDC provider and the role a workflow assumes.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use serde_json::json;
use stackwright_constructs::github::{
    GithubOidcProvider, GithubRole, GithubRoleProps, GithubSubject,
};
use stackwright_constructs::iam::PolicyStatement;
use stackwright_core::{App, Environment};

#[test]
fn the_provider_and_a_role_trusted_for_one_branch() {
    let mut app = App::new();
    let mut s = app.stack("Ci");
    s.set_environment(Environment::new("123456789012", "eu-west-1"));
    let provider = GithubOidcProvider::new(&mut s, "GithubOidc");
    let role = GithubRole::new(
        &mut s,
        "DeployRole",
        &provider,
        GithubRoleProps::new("github-deploy", [GithubSubject::branch("acme/shop", "main")]),
    );
    let t = template(&app, "Ci");
    assert_eq!(
        t["Resources"]["GithubOidc"],
        json!({
            "Type": "AWS::IAM::OIDCProvider",
            "Properties": {
                "ClientIdList": ["sts.amazonaws.com"],
                "Url": "https://token.actions.githubusercontent.com"
            }
        })
    );
    assert_eq!(
        t["Resources"]["DeployRole"]["Properties"]["AssumeRolePolicyDocument"],
        json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": { "Federated": { "Fn::GetAtt": ["GithubOidc", "Arn"] } },
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                        "token.actions.githubusercontent.com:sub":
                            "repo:acme/shop:ref:refs/heads/main"
                    }
                }
            }]
        })
    );
    assert_eq!(
        role.literal_arn(&app).as_deref(),
        Some("arn:aws:iam::123456789012:role/github-deploy")
    );
}

#[test]
fn an_existing_provider_by_arn_and_wildcard_subjects_match_with_string_like() {
    let mut app = App::new();
    let mut s = app.stack("Ci");
    let provider = GithubOidcProvider::from_arn(
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
    );
    let role = GithubRole::new(
        &mut s,
        "Release",
        &provider,
        GithubRoleProps::new(
            "release",
            [
                GithubSubject::tag("acme/shop", "v*"),
                GithubSubject::environment("acme/shop", "production"),
                GithubSubject::pull_request("acme/shop"),
            ],
        ),
    );
    // Granted like any role.
    role.role().add_to_policy(
        &mut s,
        PolicyStatement::allow().action("s3:GetObject").resource("arn:aws:s3:::bucket/*"),
    );
    let t = template(&app, "Ci");
    assert!(t["Resources"].get("GithubOidc").is_none());
    let statement =
        &t["Resources"]["Release"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
    assert_eq!(
        statement["Principal"]["Federated"],
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    );
    assert_eq!(
        statement["Condition"],
        json!({
            "StringEquals": {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": [
                    "repo:acme/shop:environment:production",
                    "repo:acme/shop:pull_request"
                ]
            },
            "StringLike": {
                "token.actions.githubusercontent.com:sub": "repo:acme/shop:ref:refs/tags/v*"
            }
        })
    );
    assert!(t["Resources"]["ReleaseDefaultPolicy"].is_object());
    // No account on the stack: the ARN is not known before deployment.
    assert_eq!(role.literal_arn(&app), None);
}

#[test]
fn every_bad_subject_and_provider_is_an_error_at_the_role() {
    let mut app = App::new();
    let mut s = app.stack("Ci");
    let provider =
        GithubOidcProvider::from_arn("arn:aws:iam::123456789012:oidc-provider/example.com");
    GithubRole::new(
        &mut s,
        "Bad",
        &provider,
        GithubRoleProps::new(
            "bad",
            [
                GithubSubject::branch("acme", "main"),
                GithubSubject::branch("-acme/shop", "main"),
                GithubSubject::branch("acme/sh op", "main"),
                GithubSubject::branch("acme/shop", ""),
                GithubSubject::tag("acme/shop", "refs/tags/v1"),
                GithubSubject::environment("acme/shop", "prod:eu"),
            ],
        ),
    );
    GithubRole::new(&mut s, "Nobody", &provider, GithubRoleProps::new("nobody", []));
    assert_eq!(
        errors(&app),
        [
            "Ci/Bad: repository `acme` is not of the form `owner/name`; name it as `owner/name`, \
             as in the repository's URL",
            "Ci/Bad: repository `-acme/shop` has an owner GitHub does not allow (1 to 39 \
             letters, digits or single hyphens, not at either end); name it as `owner/name`, \
             as in the repository's URL",
            "Ci/Bad: repository `acme/sh op` has a name GitHub does not allow (1 to 100 \
             letters, digits, `.`, `-` or `_`); name it as `owner/name`, as in the \
             repository's URL",
            "Ci/Bad: the branch name is empty; name the branch, tag or environment",
            "Ci/Bad: the tag name `refs/tags/v1` is not a plain tag name; give the name \
             without `refs/heads/` or `refs/tags/`, and without `..`",
            "Ci/Bad: the environment name `prod:eu` holds a space, a control character or \
             `:`; GitHub's token cannot carry such a name: use the name as GitHub shows it",
            "Ci/Bad: `arn:aws:iam::123456789012:oidc-provider/example.com` is not the ARN of \
             GitHub's OIDC provider (`arn:aws:iam::<account>:oidc-provider/\
             token.actions.githubusercontent.com`); pass the provider's ARN from the IAM \
             console, or create it here",
            "Ci/Nobody: the role names no repository, so no workflow could assume it; pass at \
             least one GithubSubject (GithubSubject::branch(\"owner/name\", \"main\"))",
            "Ci/Nobody: `arn:aws:iam::123456789012:oidc-provider/example.com` is not the ARN \
             of GitHub's OIDC provider (`arn:aws:iam::<account>:oidc-provider/\
             token.actions.githubusercontent.com`); pass the provider's ARN from the IAM \
             console, or create it here",
        ]
    );
}

#[test]
fn an_ecs_deploy_grant_passes_exactly_the_roles_given_and_none_without_them() {
    let mut app = App::new();
    let mut s = app.stack("Ci");
    let provider = GithubOidcProvider::new(&mut s, "GithubOidc");
    let subjects = || [GithubSubject::branch("acme/shop", "main")];
    let with = GithubRole::new(&mut s, "With", &provider, GithubRoleProps::new("with", subjects()));
    let without =
        GithubRole::new(&mut s, "Without", &provider, GithubRoleProps::new("without", subjects()));
    let task_role = "arn:aws:iam::123456789012:role/app-task";
    with.grant_ecs_deploy(&mut s, "prod", "web", [stackwright_core::Val::from(task_role)]);
    without.grant_ecs_deploy(&mut s, "prod", "web", []);
    let t = template(&app, "Ci");
    let pass_roles = |policy: &str| -> Vec<serde_json::Value> {
        t["Resources"][policy]["Properties"]["PolicyDocument"]["Statement"]
            .as_array()
            .map(|s| s.iter().filter(|s| s["Action"] == "iam:PassRole").cloned().collect())
            .unwrap_or_default()
    };
    assert_eq!(
        pass_roles("WithDefaultPolicy"),
        [json!({
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": task_role,
            "Condition": { "StringEquals": { "iam:PassedToService": "ecs-tasks.amazonaws.com" } }
        })]
    );
    assert_eq!(pass_roles("WithoutDefaultPolicy"), Vec::<serde_json::Value>::new());
    assert!(t["Resources"]["WithoutDefaultPolicy"].is_object(), "the other statements stay");
}

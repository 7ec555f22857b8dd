//! Schema patterns checked at synth: patterns with look-around, patterns of list items, and
//! the constructs that check the same values in their own words.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use stackwright_aws::{ecr, iam, lambda};
use stackwright_constructs::ecr::{Repository, RepositoryProps};
use stackwright_constructs::iam::{Principal, Role, RoleProps};
use stackwright_constructs::lambda::{
    Alias, AliasProps, Function, FunctionProps, Version, VersionProps,
};
use stackwright_constructs::lambda::{Code, Runtime};
use stackwright_core::App;

const ECR_NAME: &str =
    r"^(?=.{2,256}$)([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*)$";
const ALIAS_NAME: &str = "^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$";
const POLICY_ARN: &str = r"arn:(aws[a-zA-Z-]*)?:iam::(\d{12}|aws):policy/[a-zA-Z_0-9+=,.@\-_/]+";

#[test]
fn an_ecr_repository_name_must_match_the_schema() {
    let mut app = App::new();
    let mut s = app.stack("S");
    s.add("Bad", ecr::Repository::new().repository_name("My_Repo"));
    s.add("Good", ecr::Repository::new().repository_name("team/my_repo"));
    assert_eq!(
        errors(&app),
        [format!(
            "S/Bad: property `RepositoryName`: `My_Repo` does not match the pattern `{ECR_NAME}`"
        )]
    );
}

#[test]
fn the_repository_construct_reports_a_bad_name_once_in_its_own_words() {
    let mut app = App::new();
    let mut s = app.stack("S");
    Repository::new(&mut s, "Repo", RepositoryProps::new().repository_name("My_Repo"));
    Repository::new(&mut s, "Ok", RepositoryProps::new().repository_name("my_repo"));
    assert_eq!(
        errors(&app),
        [
            "S/Repo: repository name `My_Repo` is not one ECR accepts: use lowercase letters and digits, joined by `.`, `_`, `__` or `-` and optionally grouped under `/` namespaces (`team/my-app`), with no separator at either end"
        ]
    );
}

#[test]
fn a_lambda_alias_name_must_not_be_only_digits() {
    let mut app = App::new();
    let mut s = app.stack("S");
    s.add(
        "Digits",
        lambda::Alias::new(lambda::AliasRequired {
            function_name: "fn",
            function_version: "1",
            name: "123",
        }),
    );
    s.add(
        "Live",
        lambda::Alias::new(lambda::AliasRequired {
            function_name: "fn",
            function_version: "1",
            name: "live",
        }),
    );
    s.add(
        "V2",
        lambda::Alias::new(lambda::AliasRequired {
            function_name: "fn",
            function_version: "1",
            name: "v2",
        }),
    );
    assert_eq!(
        errors(&app),
        [format!("S/Digits: property `Name`: `123` does not match the pattern `{ALIAS_NAME}`")]
    );
}

#[test]
fn the_alias_construct_reports_a_bad_name_once_in_its_own_words() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let f = Function::new(
        &mut s,
        "Fn",
        FunctionProps::new(
            Runtime::Python313,
            "index.handler",
            Code::inline("def handler(e, c): pass"),
        ),
    );
    let v = Version::new(&mut s, "V", &f, VersionProps::new());
    Alias::new(&mut s, "A", AliasProps::new("123", &v));
    Alias::new(&mut s, "B", AliasProps::new("live", &v));
    assert_eq!(
        errors(&app),
        ["S/A: alias name `123` is only digits, which Lambda reads as a version number; use 1 \
             to 128 letters, digits, `-` and `_`, and not only digits"]
    );
}

#[test]
fn each_managed_policy_arn_of_a_role_must_match_the_schema() {
    let mut app = App::new();
    let mut s = app.stack("S");
    Role::new(
        &mut s,
        "Role",
        RoleProps::new(Principal::service("lambda.amazonaws.com"))
            .managed_policy("arn:aws:iam::aws:policy/ReadOnlyAccess")
            .managed_policy("arn:aws:iam::aws:policy/")
            .managed_policy("arn:aws:iam::123456789012:policy/team/Deploy"),
    );
    assert_eq!(
        errors(&app),
        [format!(
            "S/Role/Resource: property `ManagedPolicyArns.1`: `arn:aws:iam::aws:policy/` does not match the pattern `{POLICY_ARN}`"
        )]
    );
}

#[test]
fn the_l1_role_checks_its_managed_policy_arns_too() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let trust = serde_json::json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"Service": "codebuild.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }]});
    s.add(
        "Bad",
        iam::Role::new(iam::RoleRequired { assume_role_policy_document: trust.clone() })
            .managed_policy_arns(vec!["ReadOnlyAccess".to_owned()]),
    );
    s.add(
        "Good",
        iam::Role::new(iam::RoleRequired { assume_role_policy_document: trust })
            .managed_policy_arns(vec!["arn:aws-cn:iam::aws:policy/ReadOnlyAccess".to_owned()]),
    );
    assert_eq!(
        errors(&app),
        [format!(
            "S/Bad: property `ManagedPolicyArns.0`: `ReadOnlyAccess` does not match the pattern `{POLICY_ARN}`"
        )]
    );
}

#[test]
fn values_that_match_synthesize() {
    let mut app = App::new();
    let mut s = app.stack("S");
    s.add("Repo", ecr::Repository::new().repository_name("team/my_repo"));
    s.add(
        "Live",
        lambda::Alias::new(lambda::AliasRequired {
            function_name: "fn",
            function_version: "1",
            name: "live-2",
        }),
    );
    Role::new(
        &mut s,
        "Role",
        RoleProps::new(Principal::service("lambda.amazonaws.com"))
            .managed_policy("arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess"),
    );
    let t = template(&app, "S");
    assert_eq!(t["Resources"]["Repo"]["Properties"]["RepositoryName"], "team/my_repo");
    assert_eq!(t["Resources"]["Live"]["Properties"]["Name"], "live-2");
    assert_eq!(
        t["Resources"]["Role"]["Properties"]["ManagedPolicyArns"],
        serde_json::json!(["arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess"])
    );
}

/// A map the schema closes to keys of given patterns (`patternProperties` with no other
/// keys) has each key checked: here Lambda's environment variable names, on the L1. Schema
/// patterns are searched, not anchored, so `_ok` passes here (it contains `ok`); the
/// function construct checks Lambda's stricter rule in its own words.
#[test]
fn the_keys_of_a_closed_map_must_match_the_schema() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let code = lambda::function::Code::new().zip_file("def handler(e, c): pass");
    let variables = serde_json::json!({"TABLE": "orders", "_ok": "x", "X": "y", "é-ü": "z"});
    s.add(
        "Fn",
        lambda::Function::new(lambda::FunctionRequired {
            code,
            role: "arn:aws:iam::123456789012:role/fn",
        })
        .handler("index.handler")
        .runtime("python3.13")
        .environment(lambda::function::Environment::new().variables(variables)),
    );
    assert_eq!(
        errors(&app),
        [
            "S/Fn: property `Environment.Variables.X`: `X` is not a key this map takes; keys \
             match `[a-zA-Z][a-zA-Z0-9_]+`",
            "S/Fn: property `Environment.Variables.é-ü`: `é-ü` is not a key this map takes; \
             keys match `[a-zA-Z][a-zA-Z0-9_]+`",
        ]
    );
}

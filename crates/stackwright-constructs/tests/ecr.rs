//! The repository construct: the article's repository and lifecycle policy, its defaults,
//! every lifecycle rule ECR would reject, and its grants.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use serde_json::{Value, json};
use stackwright_constructs::Duration;
use stackwright_constructs::ecr::{
    Count, LifecyclePolicy, LifecycleRule, Repository, RepositoryEncryption, RepositoryProps,
    TagMutability, TagStatus,
};
use stackwright_constructs::iam::{Principal, Role, RoleProps};
use stackwright_core::{App, Format, Output, Parameter, RemovalPolicy};

/// The article's two rules, written the way a user would.
fn article_rules() -> Vec<LifecycleRule> {
    vec![
        LifecycleRule::expire_untagged_after_days(1).description("Expire untagged images"),
        LifecycleRule::keep_last(10).tag_prefixes(["v"]).description("Keep last 10 images"),
    ]
}

fn article_app() -> App {
    let mut app = App::new();
    let mut s = app.stack("Registry");
    Repository::new(
        &mut s,
        "Repo",
        RepositoryProps::new().repository_name("myapp").lifecycle_rules(article_rules()),
    );
    app
}

/// The `LifecyclePolicyText` string of the resource `id`.
fn policy_text(t: &Value, id: &str) -> String {
    match &t["Resources"][id]["Properties"]["LifecyclePolicy"]["LifecyclePolicyText"] {
        Value::String(s) => s.clone(),
        other => panic!("LifecyclePolicyText is not a string: {other}"),
    }
}

/// The errors of an app with one repository `Repo` in stack `S` carrying `rules`.
fn rule_errors(rules: Vec<LifecycleRule>) -> Vec<String> {
    let mut app = App::new();
    Repository::new(&mut app.stack("S"), "Repo", RepositoryProps::new().lifecycle_rules(rules));
    errors(&app)
}

const AT: &str = "S/Repo: property `LifecyclePolicy.LifecyclePolicyText`: ";

fn at(message: &str) -> String {
    format!("{AT}{message}")
}

#[test]
fn the_lifecycle_policy_matches_the_article() {
    let t = template(&article_app(), "Registry");
    let text = policy_text(&t, "Repo");
    // The article's listing, by hand.
    let article = json!({
        "rules": [
            {
                "rulePriority": 1,
                "description": "Expire untagged images",
                "selection": {
                    "tagStatus": "untagged",
                    "countType": "sinceImagePushed",
                    "countUnit": "days",
                    "countNumber": 1
                },
                "action": { "type": "expire" }
            },
            {
                "rulePriority": 2,
                "description": "Keep last 10 images",
                "selection": {
                    "tagStatus": "tagged",
                    "tagPrefixList": ["v"],
                    "countType": "imageCountMoreThan",
                    "countNumber": 10
                },
                "action": { "type": "expire" }
            }
        ]
    });
    let parsed: Value = serde_json::from_str(&text).unwrap_or_default();
    assert_eq!(parsed, article);
    // Compact, one line, keys in the article's order (parsed equality ignores order).
    assert_eq!(
        text,
        concat!(
            r#"{"rules":[{"rulePriority":1,"description":"Expire untagged images","selection":"#,
            r#"{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1},"#,
            r#""action":{"type":"expire"}},{"rulePriority":2,"description":"Keep last 10 images","#,
            r#""selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","#,
            r#""countNumber":10},"action":{"type":"expire"}}]}"#
        )
    );
    // The typed value is the article's document, and renders to the same text.
    assert_eq!(LifecyclePolicy::with(article_rules()).to_json(), article.into());
    assert_eq!(LifecyclePolicy::with(article_rules()).to_json_string(), text);
}

/// A repository resource with the safe defaults (retained, AES256, scan on push) and
/// `properties` besides.
fn retained_repository(properties: Value) -> Value {
    let mut all = json!({
        "EncryptionConfiguration": {"EncryptionType": "AES256"},
        "ImageScanningConfiguration": {"ScanOnPush": true},
                "ImageTagMutability": "IMMUTABLE"
    });
    if let (Some(all), Value::Object(more)) = (all.as_object_mut(), properties) {
        all.extend(more);
    }
    json!({
        "Type": "AWS::ECR::Repository",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": all
    })
}

#[test]
fn the_repository_matches_the_article_with_safe_defaults() {
    let t = template(&article_app(), "Registry");
    let text = policy_text(&t, "Repo");
    assert_eq!(
        t["Resources"]["Repo"],
        retained_repository(json!({
            "LifecyclePolicy": {"LifecyclePolicyText": text},
            "RepositoryName": "myapp"
        }))
    );
}

#[test]
fn a_bare_repository_states_its_defaults_and_has_no_lifecycle_policy() {
    let mut app = App::new();
    Repository::new(&mut app.stack("S"), "Repo", RepositoryProps::new());
    let t = template(&app, "S");
    assert_eq!(t["Resources"]["Repo"], retained_repository(json!({})));
}

#[test]
fn every_setting_reaches_the_template() {
    let mut app = App::new();
    let mut s = app.stack("S");
    Repository::new(
        &mut s,
        "Kms",
        RepositoryProps::new()
            .image_scan_on_push(false)
            .image_tag_mutability(TagMutability::ImmutableWithExclusion(vec!["latest".into()]))
            .encryption(RepositoryEncryption::Kms("alias/ecr".into()))
            .empty_on_delete(true)
            .removal_policy(RemovalPolicy::Delete),
    );
    Repository::new(
        &mut s,
        "Managed",
        RepositoryProps::new()
            .image_tag_mutability(TagMutability::Immutable)
            .encryption(RepositoryEncryption::AwsManagedKms),
    );
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["Kms"],
        json!({
            "Type": "AWS::ECR::Repository",
            "DeletionPolicy": "Delete",
            "UpdateReplacePolicy": "Delete",
            "Properties": {
                "EmptyOnDelete": true,
                "EncryptionConfiguration": {"EncryptionType": "KMS", "KmsKey": "alias/ecr"},
                "ImageScanningConfiguration": {"ScanOnPush": false},
                "ImageTagMutability": "IMMUTABLE_WITH_EXCLUSION",
                "ImageTagMutabilityExclusionFilters": [{
                    "ImageTagMutabilityExclusionFilterType": "WILDCARD",
                    "ImageTagMutabilityExclusionFilterValue": "latest"
                }]
            }
        })
    );
    assert_eq!(
        t["Resources"]["Managed"]["Properties"],
        json!({
            "EncryptionConfiguration": {"EncryptionType": "KMS"},
            "ImageScanningConfiguration": {"ScanOnPush": true},
                "ImageTagMutability": "IMMUTABLE",
            "ImageTagMutability": "IMMUTABLE"
        })
    );
}

#[test]
fn a_replaced_repository_is_kept_when_deletion_keeps_it_only_sometimes() {
    let mut app = App::new();
    Repository::new(
        &mut app.stack("S"),
        "Repo",
        RepositoryProps::new().removal_policy(RemovalPolicy::RetainExceptOnCreate),
    );
    let t = template(&app, "S");
    // UpdateReplacePolicy only takes Delete, Retain or Snapshot.
    assert_eq!(
        t["Resources"]["Repo"]["DeletionPolicy"],
        json!(RemovalPolicy::RetainExceptOnCreate.name())
    );
    assert_eq!(t["Resources"]["Repo"]["UpdateReplacePolicy"], json!("Retain"));
}

#[test]
fn accessors_reference_the_repository_and_build_image_uris() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let repo = Repository::new(&mut s, "Repo", RepositoryProps::new());
    let tag = s.add_parameter("ImageTag", Parameter::string());
    s.add_output("Arn", Output::new(repo.arn()));
    s.add_output("Name", Output::new(repo.repository_name()));
    s.add_output("Uri", Output::new(repo.repository_uri()));
    s.add_output("Release", Output::new(repo.uri_for_tag("v1")));
    s.add_output("Tagged", Output::new(repo.uri_for_tag(tag)));
    let t = template(&app, "S");
    let o = &t["Outputs"];
    assert_eq!(o["Arn"]["Value"], json!({"Fn::GetAtt": ["Repo", "Arn"]}));
    assert_eq!(o["Name"]["Value"], json!({"Ref": "Repo"}));
    assert_eq!(o["Uri"]["Value"], json!({"Fn::GetAtt": ["Repo", "RepositoryUri"]}));
    assert_eq!(o["Release"]["Value"], json!({"Fn::Sub": "${Repo.RepositoryUri}:v1"}));
    assert_eq!(o["Tagged"]["Value"], json!({"Fn::Sub": "${Repo.RepositoryUri}:${ImageTag}"}));
}

#[test]
fn unnumbered_rules_follow_fixed_ones_and_the_any_rule_runs_last() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let repo = Repository::new(
        &mut s,
        "Repo",
        RepositoryProps::new()
            .lifecycle_rule(LifecycleRule::keep_last(100).description("Cap"))
            .lifecycle_rule(LifecycleRule::expire_untagged_after_days(3))
            .lifecycle_rule(LifecycleRule::keep_last(5).tag_patterns(["prod*"]).priority(5)),
    );
    // Added after creation: numbered and checked with the others at synth.
    repo.add_lifecycle_rule(
        &mut s,
        LifecycleRule::new(TagStatus::Untagged, Count::MoreThan(1)).priority(2),
    );
    let t = template(&app, "S");
    let parsed: Value = serde_json::from_str(&policy_text(&t, "Repo")).unwrap_or_default();
    let summary: Vec<(u64, String)> = parsed["rules"]
        .as_array()
        .map(|rules| {
            rules
                .iter()
                .map(|r| {
                    (
                        r["rulePriority"].as_u64().unwrap_or(0),
                        r["selection"]["tagStatus"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        summary,
        vec![
            (2, "untagged".to_owned()),
            (5, "tagged".to_owned()),
            (6, "untagged".to_owned()),
            (7, "any".to_owned()),
        ]
    );
    assert_eq!(
        parsed["rules"][1]["selection"],
        json!({
            "tagStatus": "tagged",
            "tagPatternList": ["prod*"],
            "countType": "imageCountMoreThan",
            "countNumber": 5
        })
    );
}

#[test]
fn rules_added_later_are_checked_with_the_rest() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let repo = Repository::new(
        &mut s,
        "Repo",
        RepositoryProps::new().lifecycle_rule(LifecycleRule::keep_last(3).priority(1)),
    );
    repo.add_lifecycle_rule(&mut s, LifecycleRule::expire_untagged_after_days(1));
    assert_eq!(
        errors(&app),
        vec![at(
            "lifecycle rule 1 selects any tag status, so ECR needs it to have the highest rulePriority, but it has 1 and lifecycle rule 2 has 2; raise its priority or leave it unset"
        )]
    );
}

#[test]
fn priority_zero_is_rejected() {
    assert_eq!(
        rule_errors(vec![
            LifecycleRule::expire_untagged_after_days(1).priority(0).description("Untagged")
        ]),
        vec![at("lifecycle rule 1 (\"Untagged\") has rulePriority 0; ECR priorities start at 1")]
    );
}

#[test]
fn priorities_must_be_unique() {
    assert_eq!(
        rule_errors(vec![
            LifecycleRule::expire_untagged_after_days(1).priority(3),
            LifecycleRule::keep_last(10).tag_prefixes(["v"]).priority(3),
            LifecycleRule::keep_last(10).tag_prefixes(["rc"]).priority(3),
        ]),
        vec![at(
            "lifecycle rule 1, lifecycle rule 2 and lifecycle rule 3 all have rulePriority 3; ECR needs a unique priority per rule"
        )]
    );
    assert_eq!(
        rule_errors(vec![
            LifecycleRule::expire_untagged_after_days(1).priority(4),
            LifecycleRule::keep_last(10).tag_prefixes(["v"]).priority(4),
        ]),
        vec![at(
            "lifecycle rule 1 and lifecycle rule 2 both have rulePriority 4; ECR needs a unique priority per rule"
        )]
    );
}

#[test]
fn tagged_rules_need_prefixes_or_patterns() {
    let none: [&str; 0] = [];
    assert_eq!(
        rule_errors(vec![
            LifecycleRule::keep_last(10).tag_prefixes(none),
            LifecycleRule::keep_last(10).tag_patterns(none),
        ]),
        vec![
            at(
                "lifecycle rule 1 selects tagged images but lists no tag prefixes; give at least one"
            ),
            at(
                "lifecycle rule 2 selects tagged images but lists no tag patterns; give at least one"
            ),
        ]
    );
}

#[test]
fn only_one_any_rule_is_allowed() {
    assert_eq!(
        rule_errors(vec![LifecycleRule::keep_last(10), LifecycleRule::expire_after_days(30),]),
        vec![at(
            "lifecycle rule 1 and lifecycle rule 2 both select any tag status; ECR allows one such rule"
        )]
    );
}

#[test]
fn the_any_rule_must_have_the_highest_priority() {
    assert_eq!(
        rule_errors(vec![
            LifecycleRule::keep_last(10).priority(1).description("Cap"),
            LifecycleRule::expire_untagged_after_days(1).priority(2).description("Untagged"),
        ]),
        vec![at(
            "lifecycle rule 1 (\"Cap\") selects any tag status, so ECR needs it to have the highest rulePriority, but it has 1 and lifecycle rule 2 (\"Untagged\") has 2; raise its priority or leave it unset"
        )]
    );
}

#[test]
fn counts_must_be_at_least_one_and_ages_whole_days() {
    assert_eq!(
        rule_errors(vec![
            LifecycleRule::keep_last(0).untagged(),
            LifecycleRule::expire_untagged_after_days(0),
            LifecycleRule::new(TagStatus::Untagged, Count::SincePushed(Duration::hours(36))),
        ]),
        vec![
            at("lifecycle rule 1 keeps more than 0 images; ECR needs a countNumber of at least 1"),
            at(
                "lifecycle rule 2 expires images after 0 days; ECR needs a countNumber of at least 1"
            ),
            at(
                "lifecycle rule 3 expires images after 36 hours; ECR counts image age in whole days"
            ),
        ]
    );
}

#[test]
fn tag_patterns_have_at_most_four_wildcards() {
    assert_eq!(
        rule_errors(vec![LifecycleRule::keep_last(5).tag_patterns(["*a*b*c*", "x*1*2*3*4*"])]),
        vec![at(
            "lifecycle rule 1: tag pattern `x*1*2*3*4*` has 5 wildcards; ECR allows at most 4 per pattern"
        )]
    );
}

#[test]
fn the_policy_text_fits_ecr_quota() {
    let long = "x".repeat(1_000);
    let rules: Vec<LifecycleRule> = (0..31)
        .map(|i| {
            LifecycleRule::keep_last(10).tag_prefixes([format!("p{i}")]).description(long.clone())
        })
        .collect();
    let n = LifecyclePolicy::with(rules.clone()).to_json_string().chars().count();
    assert!(n > 30_720);
    assert_eq!(
        rule_errors(rules),
        vec![at(&format!(
            "the lifecycle policy is {n} characters long; ECR allows at most 30,720"
        ))]
    );
}

#[test]
fn impossible_repository_settings_are_reported() {
    let mut app = App::new();
    let mut s = app.stack("S");
    Repository::new(&mut s, "Named", RepositoryProps::new().repository_name("MyApp"));
    Repository::new(&mut s, "Kept", RepositoryProps::new().empty_on_delete(true));
    Repository::new(&mut s, "Snap", RepositoryProps::new().removal_policy(RemovalPolicy::Snapshot));
    Repository::new(
        &mut s,
        "NoFilters",
        RepositoryProps::new().image_tag_mutability(TagMutability::MutableWithExclusion(vec![])),
    );
    assert_eq!(
        errors(&app),
        vec![
            "S/Named: repository name `MyApp` is not one ECR accepts: use lowercase letters and digits, joined by `.`, `_`, `__` or `-` and optionally grouped under `/` namespaces (`team/my-app`), with no separator at either end",
            "S/Kept: empty_on_delete only matters when CloudFormation deletes the repository, but the removal policy is Retain; also set .removal_policy(RemovalPolicy::Delete)",
            "S/Snap: ECR repositories cannot be snapshotted; use RemovalPolicy::Retain or RemovalPolicy::Delete",
            "S/NoFilters: MUTABLE_WITH_EXCLUSION needs 1 to 5 exclusion patterns; got 0",
        ]
    );
}

fn granted(grant: impl FnOnce(&Repository, &mut stackwright_core::Scope<'_>, &Role)) -> Value {
    let mut app = App::new();
    let mut s = app.stack("S");
    let repo = Repository::new(&mut s, "Repo", RepositoryProps::new());
    let role =
        Role::new(&mut s, "Build", RoleProps::new(Principal::service("codebuild.amazonaws.com")));
    grant(&repo, &mut s, &role);
    let t = template(&app, "S");
    t["Resources"]["BuildDefaultPolicy"]["Properties"]["PolicyDocument"]["Statement"].clone()
}

fn auth_token() -> Value {
    json!({"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"})
}

/// The statements a grant of `actions` gives: one statement of those actions on this
/// repository, then the registry token.
fn repository_grant(actions: &[&str]) -> Value {
    json!([
        {"Effect": "Allow", "Action": actions, "Resource": {"Fn::GetAtt": ["Repo", "Arn"]}},
        auth_token()
    ])
}

#[test]
fn grant_pull_allows_pulling_this_repository_only() {
    let statements = granted(|repo, s, role| repo.grant_pull(s, role));
    assert_eq!(
        statements,
        repository_grant(&[
            "ecr:BatchCheckLayerAvailability",
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchGetImage"
        ])
    );
}

#[test]
fn grant_push_allows_pushing_this_repository_only() {
    let statements = granted(|repo, s, role| repo.grant_push(s, role));
    assert_eq!(
        statements,
        repository_grant(&[
            "ecr:BatchCheckLayerAvailability",
            "ecr:InitiateLayerUpload",
            "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload",
            "ecr:PutImage"
        ])
    );
}

#[test]
fn grant_pull_push_merges_into_one_repository_statement() {
    let statements = granted(|repo, s, role| repo.grant_pull_push(s, role));
    assert_eq!(
        statements,
        repository_grant(&[
            "ecr:BatchCheckLayerAvailability",
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchGetImage",
            "ecr:InitiateLayerUpload",
            "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload",
            "ecr:PutImage"
        ])
    );
}

#[test]
fn no_grant_uses_a_wildcard_action() {
    let statements = granted(|repo, s, role| {
        repo.grant_pull(s, role);
        repo.grant_push(s, role);
        repo.grant_pull_push(s, role);
    });
    let list = statements.as_array().cloned().unwrap_or_default();
    assert!(!list.is_empty());
    for statement in &list {
        let actions: Vec<Value> = match &statement["Action"] {
            Value::Array(a) => a.clone(),
            one => vec![one.clone()],
        };
        assert!(!actions.is_empty(), "no Action in {statement}");
        for a in actions {
            let a = a.as_str().unwrap_or_default();
            assert!(a.starts_with("ecr:"), "{a}");
            assert!(!a.contains('*'), "wildcard action {a} in {statement}");
        }
        // Only the token statement may name every resource.
        if statement["Resource"] == json!("*") {
            assert_eq!(statement, &auth_token());
        }
    }
}

#[test]
fn synthesis_is_deterministic() {
    let a = article_app().synth(Format::Json);
    let b = article_app().synth(Format::Json);
    let body = |r: &Result<stackwright_core::Assembly, _>| {
        r.as_ref().ok().and_then(|a| a.stack("Registry")).map(|s| s.body.clone())
    };
    assert!(body(&a).is_some());
    assert_eq!(body(&a), body(&b));
}

//! The rule pack at synth: findings with their construct path and source line, suppressions
//! with reasons written for outside scanners, strict mode, SARIF, and the secure defaults.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use serde_json::json;
use stackwright_constructs::ec2::{Vpc, VpcProps};
use stackwright_constructs::ecr::{Repository, RepositoryProps};
use stackwright_constructs::elbv2::{
    ApplicationLoadBalancer, HttpsListenerProps, LoadBalancerProps, TargetGroup, TargetGroupProps,
};
use stackwright_constructs::iam::{Principal, Role, RoleProps};
use stackwright_constructs::rules;
use stackwright_constructs::sns::{Topic, TopicProps};
use stackwright_constructs::sqs::{Queue, QueueProps};
use stackwright_core::{App, Format, Handle, Suppression, security};

/// An app with the pack and a stack `S` holding a load balancer with one HTTP listener on
/// port 80; returns the load balancer.
fn web(app: &mut App) -> ApplicationLoadBalancer {
    app.add_rule_pack(rules::PACK);
    let mut s = app.stack("S");
    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new().max_azs(2));
    let alb = ApplicationLoadBalancer::new(&mut s, "Alb", LoadBalancerProps::public_in(&vpc));
    let tg = TargetGroup::new(&mut s, "Tg", TargetGroupProps::new(&vpc, 8080));
    alb.add_listener(&mut s, "Http", 80, &tg);
    alb
}

fn warnings(app: &App) -> Vec<String> {
    match app.synth(Format::Json) {
        Ok(a) => a.warnings().iter().map(ToString::to_string).collect(),
        Err(d) => panic!("synthesis failed:\n{d}"),
    }
}

#[test]
fn findings_name_the_rule_the_path_and_the_line_that_created_the_construct() {
    let mut app = App::new();
    app.add_rule_pack(rules::PACK);
    let mut s = app.stack("S");
    let line = line!() + 1;
    Topic::new(&mut s, "Events", TopicProps::new().encrypted(false));
    let assembly = app.synth(Format::Json).unwrap_or_else(|d| panic!("{d}"));
    let findings = assembly.findings();
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(
        (f.rule.id, f.path.as_str(), f.logical_id.as_str()),
        ("sns.encrypted", "S/Events/Resource", "Events")
    );
    assert_eq!((f.location.file(), f.location.line()), (file!(), line));
    assert_eq!(
        assembly.warnings().iter().map(ToString::to_string).collect::<Vec<_>>(),
        [format!(
            "S/Events/Resource: [sns.encrypted] the topic does not encrypt messages at rest; \
             leave TopicProps::encrypted on (the default) or give a key with .master_key(key) \
             (created at {}:{line})",
            file!()
        )]
    );
}

#[test]
fn strict_rules_turn_findings_into_errors() {
    let mut app = App::new();
    web(&mut app);
    app.strict_rules(true);
    let errors = errors(&app);
    let rules: Vec<&str> =
        errors.iter().filter_map(|e| e.split('[').nth(1)?.split(']').next()).collect();
    assert_eq!(
        rules,
        [
            "ec2.vpc-flow-logs",
            "ec2.open-http",
            "elbv2.access-logs",
            "elbv2.https-listener",
            "elbv2.tls-policy"
        ],
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("[elbv2.https-listener] the listener serves plain HTTP (port 80)")),
        "{errors:#?}"
    );
    // Without the setting they are warnings, and synthesis succeeds.
    app.strict_rules(false);
    assert_eq!(warnings(&app).len(), 5);
}

#[test]
fn a_suppression_needs_a_reason() {
    let mut app = App::new();
    let alb = web(&mut app);
    let mut s = app.stack("S");
    s.suppress(alb.node(), Suppression::new(&rules::ELB_ACCESS_LOGS, "  "));
    assert_eq!(
        errors(&app),
        ["S/Alb: the suppression of rule `elbv2.access-logs` gives no reason; say why the rule \
          does not apply here: the reason goes into the template for reviewers and scanners"]
    );
}

#[test]
fn a_suppression_is_written_in_the_forms_each_scanner_reads_and_silences_the_finding() {
    let mut app = App::new();
    let alb = web(&mut app);
    let mut s = app.stack("S");
    s.suppress(alb.node(), Suppression::new(&rules::ELB_ACCESS_LOGS, "no log bucket yet"));
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["Alb"]["Metadata"],
        json!({
            "checkov": {"skip": [{"id": "CKV_AWS_91", "comment": "no log bucket yet"}]},
            "cdk_nag": {"rules_to_suppress": [{"id": "AwsSolutions-ELB2", "reason": "no log bucket yet"}]},
            "guard": {"SuppressedRules": ["ELB_LOGGING_ENABLED"]}
        })
    );
    // Only resources of the rule's types under the construct carry it.
    assert_eq!(t["Resources"]["AlbSecurityGroup"].get("Metadata"), None);
    assert!(!warnings(&app).iter().any(|w| w.contains("elbv2.access-logs")));
}

#[test]
fn a_suppression_scoped_to_one_finding_leaves_the_others() {
    let mut app = App::new();
    let alb = web(&mut app);
    let mut s = app.stack("S");
    let vpc = Vpc::new(&mut s, "Vpc2", VpcProps::new().max_azs(2));
    let green = TargetGroup::new(&mut s, "Tg2", TargetGroupProps::new(&vpc, 8080));
    alb.add_listener(&mut s, "Test", 8080, &green);
    s.suppress(
        alb.node(),
        Suppression::new(&rules::ELB_HTTPS_LISTENER, "the article serves HTTP on 80")
            .finding("port 80"),
    );
    let w = warnings(&app);
    assert!(
        !w.iter().any(|w| w.contains("https-listener] the listener serves plain HTTP (port 80)")),
        "{w:#?}"
    );
    assert!(
        w.iter().any(|w| w.contains("https-listener] the listener serves plain HTTP (port 8080)")),
        "{w:#?}"
    );
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["AlbHttp"]["Metadata"]["checkov"],
        json!({"skip": [{"id": "CKV_AWS_2", "comment": "the article serves HTTP on 80"}]})
    );
}

#[test]
fn a_suppression_that_matches_nothing_is_a_warning() {
    let mut app = App::new();
    app.add_rule_pack(rules::PACK);
    let mut s = app.stack("S");
    let topic = Topic::new(&mut s, "Events", TopicProps::new());
    let dlq = Queue::new(&mut s, "Failed", QueueProps::new());
    let queue = Queue::new(&mut s, "Jobs", QueueProps::new().dead_letter_queue(&dlq, 3));
    let line = line!() + 1;
    s.suppress(topic.node(), Suppression::new(&rules::SNS_ENCRYPTED, "encrypted anyway"));
    let unrelated = Suppression::new(&rules::ELB_ACCESS_LOGS, "no load balancer");
    let line2 = line!() - 1;
    s.suppress(queue.resource().id(), unrelated);
    assert_eq!(
        warnings(&app),
        [
            format!(
                "S/Events: the suppression of rule `sns.encrypted` (at {}:{line}) matches \
                 nothing: the rule finds nothing there; remove the suppression",
                file!()
            ),
            format!(
                "S/Jobs/Resource: the suppression of rule `elbv2.access-logs` (at {}:{line2}) \
                 matches nothing: the rule looks at none of the resources there \
                 (AWS::ElasticLoadBalancingV2::LoadBalancer); remove the suppression",
                file!()
            ),
        ]
    );
}

#[test]
fn sarif_results_carry_the_file_and_line_and_the_suppressions() {
    let mut app = App::new();
    let alb = web(&mut app);
    let mut s = app.stack("S");
    s.suppress(alb.node(), Suppression::new(&rules::ELB_ACCESS_LOGS, "no log bucket yet"));
    let assembly = app.synth(Format::Json).unwrap_or_else(|d| panic!("{d}"));
    let sarif: serde_json::Value =
        serde_json::from_str(&security::rules_sarif(&app.rules(), assembly.findings()))
            .unwrap_or_default();
    let results = sarif["runs"][0]["results"].as_array().cloned().unwrap_or_default();
    let logs =
        results.iter().find(|r| r["ruleId"] == "elbv2.access-logs").cloned().unwrap_or_default();
    assert_eq!(
        logs["suppressions"],
        json!([{"kind": "inSource", "justification": "no log bucket yet"}])
    );
    let location = &logs["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], file!());
    assert!(location["region"]["startLine"].as_u64().is_some_and(|l| l > 0));
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"].as_array().map(Vec::len),
        Some(rules::PACK.len())
    );
}

#[test]
fn topics_are_encrypted_with_the_aws_managed_key_by_default() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let topic = Topic::new(&mut s, "Events", TopicProps::new());
    Topic::new(&mut s, "Plain", TopicProps::new().encrypted(false));
    Topic::new(&mut s, "Keyed", TopicProps::new().master_key("alias/mine"));
    let role =
        Role::new(&mut s, "Worker", RoleProps::new(Principal::service("ecs-tasks.amazonaws.com")));
    topic.grant_publish(&mut s, &role);
    let t = template(&app, "S");
    assert_eq!(t["Resources"]["Events"]["Properties"]["KmsMasterKeyId"], "alias/aws/sns");
    assert_eq!(t["Resources"]["Plain"].get("Properties"), None);
    assert_eq!(t["Resources"]["Keyed"]["Properties"]["KmsMasterKeyId"], "alias/mine");
    // The AWS managed key's policy lets the account's principals use it through SNS: no
    // KMS statement, and no alias where IAM wants an ARN.
    assert_eq!(
        t["Resources"]["WorkerDefaultPolicy"]["Properties"]["PolicyDocument"]["Statement"],
        json!([{"Effect": "Allow", "Action": "sns:Publish", "Resource": {"Ref": "Events"}}])
    );
}

#[test]
fn repositories_have_immutable_tags_by_default() {
    let mut app = App::new();
    let mut s = app.stack("S");
    Repository::new(&mut s, "Repo", RepositoryProps::new());
    let t = template(&app, "S");
    assert_eq!(t["Resources"]["Repo"]["Properties"]["ImageTagMutability"], "IMMUTABLE");
    assert_eq!(
        t["Resources"]["Repo"]["Properties"]["ImageScanningConfiguration"],
        json!({"ScanOnPush": true})
    );
}

#[test]
fn load_balancers_drop_invalid_headers_and_log_on_request() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new().max_azs(2));
    ApplicationLoadBalancer::new(&mut s, "Plain", LoadBalancerProps::public_in(&vpc));
    ApplicationLoadBalancer::new(
        &mut s,
        "Logged",
        LoadBalancerProps::public_in(&vpc)
            .drop_invalid_header_fields(false)
            .access_logs("my-logs", Some("alb")),
    );
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["Plain"]["Properties"]["LoadBalancerAttributes"],
        json!([{"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}])
    );
    assert_eq!(
        t["Resources"]["Logged"]["Properties"]["LoadBalancerAttributes"],
        json!([
            {"Key": "access_logs.s3.enabled", "Value": "true"},
            {"Key": "access_logs.s3.bucket", "Value": "my-logs"},
            {"Key": "access_logs.s3.prefix", "Value": "alb"}
        ])
    );
}

#[test]
fn queues_under_sqs_managed_keys_tell_scanners_why_they_have_no_kms_key() {
    let mut app = App::new();
    app.add_rule_pack(rules::PACK);
    let mut s = app.stack("S");
    let dlq = Queue::new(&mut s, "Failed", QueueProps::new());
    Queue::new(&mut s, "Jobs", QueueProps::new().dead_letter_queue(&dlq, 3));
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["Jobs"]["Metadata"],
        json!({"checkov": {"skip": [{
            "id": "CKV_AWS_27",
            "comment": "encrypted at rest with SQS-managed keys (SqsManagedSseEnabled)"
        }]}})
    );
    assert_eq!(warnings(&app), Vec::<String>::new());
}

/// The coverage table: every checkov check for the estate's types, with its rule or why
/// none covers it.
const COVERAGE: &str = include_str!("../src/rules/checkov-coverage.tsv");

#[test]
fn every_checkov_check_of_the_estate_is_covered_by_a_rule_or_says_why_not() {
    let mut seen = Vec::new();
    for line in COVERAGE.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 4, "{line}");
        let (check, rule, why) = (cols[0], cols[2], cols[3]);
        assert!(!seen.contains(&check), "{check} is listed twice");
        seen.push(check);
        if rule == "-" {
            assert!(!why.is_empty(), "{check} has neither a rule nor a reason");
            assert!(
                !rules::PACK.iter().any(|r| r.checkov.contains(&check)),
                "{check} is covered by a rule but listed as not covered"
            );
        } else {
            let covering = rules::PACK.iter().find(|r| r.id == rule);
            assert!(
                covering.is_some_and(|r| r.checkov.contains(&check)),
                "{check}: rule `{rule}` is not in the pack or does not name the check"
            );
        }
    }
    // And every check a rule names is in the table.
    for rule in rules::PACK {
        for check in rule.checkov {
            assert!(seen.contains(check), "{check} of `{}` is missing from the table", rule.id);
        }
    }
    assert_eq!(seen.len(), 57);
}

#[test]
fn rule_ids_are_unique_and_every_rule_says_what_and_how_to_fix() {
    let mut ids: Vec<&str> = rules::PACK.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), rules::PACK.len());
    for r in rules::PACK {
        assert!(
            !r.message.is_empty() && !r.fix.is_empty() && !r.resource_types.is_empty(),
            "{}",
            r.id
        );
    }
}

#[test]
fn https_listeners_require_tls_1_2_and_port_80_redirects_to_them() {
    let mut app = App::new();
    app.add_rule_pack(rules::PACK);
    let mut s = app.stack("S");
    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new().max_azs(2));
    let alb = ApplicationLoadBalancer::new(&mut s, "Alb", LoadBalancerProps::public_in(&vpc));
    let tg = TargetGroup::new(&mut s, "Tg", TargetGroupProps::new(&vpc, 8080));
    let https = alb.add_https_listener(
        &mut s,
        "Https",
        HttpsListenerProps::new("arn:aws:acm:eu-west-1:123456789012:certificate/abc", &tg),
    );
    assert_eq!(https.port(), 443);
    let t = template(&app, "S");
    assert_eq!(
        t["Resources"]["AlbHttps"]["Properties"],
        json!({
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "Tg"}}],
            "LoadBalancerArn": {"Ref": "Alb"},
            "Certificates": [{"CertificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc"}],
            "Port": 443,
            "Protocol": "HTTPS",
            "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"
        })
    );
    assert_eq!(
        t["Resources"]["AlbHttpsRedirect"]["Properties"],
        json!({
            "DefaultActions": [{
                "Type": "redirect",
                "RedirectConfig": {"Port": "443", "Protocol": "HTTPS", "StatusCode": "HTTP_301"}
            }],
            "LoadBalancerArn": {"Ref": "Alb"},
            "Port": 80,
            "Protocol": "HTTP"
        })
    );
    let w = warnings(&app);
    assert!(
        !w.iter().any(|w| w.contains("elbv2.https-listener") || w.contains("elbv2.tls-policy")),
        "{w:#?}"
    );
    // Without the redirect, port 80 stays closed.
    let mut app = App::new();
    let mut s = app.stack("S");
    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new().max_azs(2));
    let alb = ApplicationLoadBalancer::new(&mut s, "Alb", LoadBalancerProps::public_in(&vpc));
    let tg = TargetGroup::new(&mut s, "Tg", TargetGroupProps::new(&vpc, 8080));
    alb.add_https_listener(
        &mut s,
        "Https",
        HttpsListenerProps::new("cert", &tg).redirect_http(false),
    );
    let t = template(&app, "S");
    assert_eq!(t["Resources"].get("AlbHttpsRedirect"), None);
}

/// The cdk-nag table: every AwsSolutions rule for the estate's services, with the rules
/// that cover it or why none does.
const CDK_NAG: &str = include_str!("../src/rules/cdk-nag-coverage.tsv");

#[test]
fn every_aws_solutions_rule_of_the_estate_is_covered_by_a_rule_or_says_why_not() {
    let mut seen = Vec::new();
    for line in CDK_NAG.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 4, "{line}");
        let (nag, covering, why) = (cols[0], cols[2], cols[3]);
        assert!(nag.starts_with("AwsSolutions-"), "{nag}");
        assert!(!seen.contains(&nag), "{nag} is listed twice");
        seen.push(nag);
        let declaring: Vec<&str> =
            rules::PACK.iter().filter(|r| r.cdk_nag.contains(&nag)).map(|r| r.id).collect();
        if covering == "-" {
            assert!(!why.is_empty(), "{nag} has neither a rule nor a reason");
            assert!(
                declaring.is_empty(),
                "{nag} is declared by {declaring:?} but listed as not covered"
            );
        } else {
            let mut listed: Vec<&str> = covering.split(',').collect();
            listed.sort_unstable();
            let mut declaring = declaring;
            declaring.sort_unstable();
            assert_eq!(listed, declaring, "{nag}: the table and the rules' cdk_nag disagree");
        }
    }
    // Every equivalent a rule declares is in the table.
    for rule in rules::PACK {
        for nag in rule.cdk_nag {
            assert!(seen.contains(nag), "{nag} of `{}` is missing from the table", rule.id);
        }
    }
    assert_eq!(seen.len(), 42);
    assert_eq!(
        CDK_NAG.lines().filter(|l| !l.starts_with('#')).filter(|l| l.contains("\t-\t")).count(),
        3
    );
}

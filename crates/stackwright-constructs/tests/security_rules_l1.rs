//! Each rule of the pack over resources written as L1: one resource it finds something on,
//! with the details of each finding, and one it passes.
#![allow(clippy::panic)] // assertions panic

use serde_json::{Value, json};
use stackwright_constructs::rules;
use stackwright_core::{App, Format, RawResource, SecurityRule};

/// The details of the findings of `rule` on one resource of type `ty` with `properties`.
fn details(rule: &SecurityRule, ty: &str, properties: Value) -> Vec<String> {
    let mut app = App::new();
    app.add_rule_pack(rules::PACK);
    let mut s = app.stack("S");
    let mut resource = RawResource::new(ty);
    if let Value::Object(props) = properties {
        for (k, v) in props {
            resource = resource.property(k, v);
        }
    }
    s.add("R", resource);
    let assembly = app.synth(Format::Json).unwrap_or_else(|d| panic!("{d}"));
    assembly
        .findings()
        .iter()
        .filter(|f| f.rule.id == rule.id && f.logical_id == "R")
        .map(|f| f.detail.clone())
        .collect()
}

/// Asserts the findings on `bad` and that `good` passes.
#[track_caller]
fn case(rule: &SecurityRule, ty: &str, bad: Value, found: &[&str], good: Value) {
    assert_eq!(details(rule, ty, bad), found, "{} on the bad {ty}", rule.id);
    assert_eq!(details(rule, ty, good), Vec::<String>::new(), "{} on the good {ty}", rule.id);
}

const BUCKET: &str = "AWS::S3::Bucket";

#[test]
fn buckets_are_versioned() {
    case(
        &rules::S3_VERSIONED,
        BUCKET,
        json!({"VersioningConfiguration": {"Status": "Suspended"}}),
        &[""],
        json!({"VersioningConfiguration": {"Status": "Enabled"}}),
    );
    assert_eq!(details(&rules::S3_VERSIONED, BUCKET, json!({})), [""]);
}

#[test]
fn buckets_block_public_access_with_all_four_settings() {
    case(
        &rules::S3_PUBLIC_ACCESS_BLOCK,
        BUCKET,
        json!({"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": false}}),
        &["BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"],
        json!({"PublicAccessBlockConfiguration": {
            "BlockPublicAcls": true, "BlockPublicPolicy": true,
            "IgnorePublicAcls": true, "RestrictPublicBuckets": true
        }}),
    );
}

#[test]
fn buckets_have_no_public_canned_acl() {
    case(
        &rules::S3_PUBLIC_READ_ACL,
        BUCKET,
        json!({"AccessControl": "PublicRead"}),
        &["PublicRead"],
        json!({"AccessControl": "Private"}),
    );
    assert_eq!(
        details(&rules::S3_PUBLIC_READ_ACL, BUCKET, json!({"AccessControl": "PublicReadWrite"})),
        ["PublicReadWrite"]
    );
    case(
        &rules::S3_PUBLIC_WRITE_ACL,
        BUCKET,
        json!({"AccessControl": "PublicReadWrite"}),
        &["PublicReadWrite"],
        json!({"AccessControl": "PublicRead"}),
    );
}

const GROUP: &str = "AWS::EC2::SecurityGroup";

fn ingress(port: u16, cidr: &str) -> Value {
    json!({
        "GroupDescription": "g",
        "SecurityGroupIngress": [{
            "IpProtocol": "tcp", "FromPort": port, "ToPort": port, "CidrIp": cidr,
            "Description": "why"
        }]
    })
}

#[test]
fn security_groups_keep_ssh_and_rdp_from_the_internet() {
    case(
        &rules::EC2_OPEN_SSH,
        GROUP,
        ingress(22, "0.0.0.0/0"),
        &["port 22"],
        ingress(22, "10.0.0.0/8"),
    );
    case(
        &rules::EC2_OPEN_RDP,
        GROUP,
        ingress(3389, "0.0.0.0/0"),
        &["port 3389"],
        ingress(443, "0.0.0.0/0"),
    );
    // A range that holds the port, on a rule of its own.
    case(
        &rules::EC2_OPEN_SSH,
        "AWS::EC2::SecurityGroupIngress",
        json!({"GroupId": "sg-1", "IpProtocol": "tcp", "FromPort": 0, "ToPort": 1024, "CidrIpv6": "::/0"}),
        &["port 22"],
        json!({"GroupId": "sg-1", "IpProtocol": "tcp", "FromPort": 23, "ToPort": 1024, "CidrIpv6": "::/0"}),
    );
}

#[test]
fn the_open_ssh_finding_says_what_and_how_to_fix() {
    let mut app = App::new();
    app.add_rule_pack(rules::PACK);
    let mut s = app.stack("S");
    let line = line!() + 1;
    s.add("Bastion", RawResource::new(GROUP).property("GroupDescription", json!("bastion")).property(
        "SecurityGroupIngress",
        json!([{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0", "Description": "ssh"}]),
    ));
    let assembly = app.synth(Format::Json).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(
        assembly.warnings().iter().map(ToString::to_string).collect::<Vec<_>>(),
        [format!(
            "S/Bastion: [ec2.open-ssh] the security group admits anyone on the internet to SSH \
             (port 22); reach instances through Systems Manager Session Manager, or admit only \
             known networks (created at {}:{line})",
            file!()
        )]
    );
}

#[test]
fn security_group_rules_are_described() {
    case(
        &rules::EC2_RULE_DESCRIPTION,
        GROUP,
        json!({
            "GroupDescription": "g",
            "SecurityGroupIngress": [
                {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/8", "Description": "https"},
                {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "10.0.0.0/8"}
            ],
            "SecurityGroupEgress": [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0", "Description": ""}]
        }),
        &["ingress rule 2", "egress rule 1"],
        ingress(443, "10.0.0.0/8"),
    );
    case(
        &rules::EC2_RULE_DESCRIPTION,
        "AWS::EC2::SecurityGroupEgress",
        json!({"GroupId": "sg-1", "IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}),
        &[""],
        json!({"GroupId": "sg-1", "IpProtocol": "-1", "CidrIp": "0.0.0.0/0", "Description": "all out"}),
    );
}

#[test]
fn endpoint_services_accept_connections_by_hand() {
    case(
        &rules::EC2_ENDPOINT_ACCEPTANCE,
        "AWS::EC2::VPCEndpointService",
        json!({"NetworkLoadBalancerArns": ["arn"]}),
        &[""],
        json!({"NetworkLoadBalancerArns": ["arn"], "AcceptanceRequired": true}),
    );
}

fn document(statement: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": [statement]})
}

#[test]
fn repository_and_key_policies_name_their_principals() {
    case(
        &rules::ECR_PUBLIC_POLICY,
        "AWS::ECR::Repository",
        json!({"RepositoryPolicyText": document(json!({"Sid": "Pull", "Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage"}))}),
        &["statement Pull"],
        json!({"RepositoryPolicyText": document(json!({
            "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "ecr:BatchGetImage",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}
        }))}),
    );
    case(
        &rules::KMS_WILDCARD_PRINCIPAL,
        "AWS::KMS::Key",
        json!({"KeyPolicy": document(json!({"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "kms:*", "Resource": "*"}))}),
        &["statement 1"],
        json!({"KeyPolicy": document(json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*", "Resource": "*"}))}),
    );
}

#[test]
fn identity_policies_are_not_attached_to_users() {
    case(
        &rules::IAM_USER_POLICY,
        "AWS::IAM::Policy",
        json!({"PolicyName": "p", "Users": ["alice"], "PolicyDocument": document(json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}))}),
        &[""],
        json!({"PolicyName": "p", "Roles": ["r"], "PolicyDocument": document(json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}))}),
    );
}

#[test]
fn identity_policies_allow_no_star_action() {
    let policy = |action: &str, resource: &str| {
        json!({"PolicyName": "p", "Roles": ["r"], "PolicyDocument": {"Statement": [
            {"Effect": "Deny", "Action": "*", "Resource": "*"},
            {"Sid": "Broad", "Effect": "Allow", "Action": ["s3:GetObject", action], "Resource": resource}
        ]}})
    };
    case(
        &rules::IAM_ADMIN_STATEMENT,
        "AWS::IAM::Policy",
        policy("*", "*"),
        &["statement Broad"],
        policy("*", "arn:aws:s3:::b/*"),
    );
    case(
        &rules::IAM_STAR_ACTION,
        "AWS::IAM::Policy",
        policy("*", "arn:aws:s3:::b/*"),
        &["statement Broad"],
        policy("s3:*", "*"),
    );
    // Inline policies of a role are named by their policy name.
    let role = |action: &str| {
        json!({
            "AssumeRolePolicyDocument": document(json!({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"})),
            "Policies": [{"PolicyName": "Admin", "PolicyDocument": document(json!({"Effect": "Allow", "Action": action, "Resource": "*"}))}]
        })
    };
    case(
        &rules::IAM_ADMIN_STATEMENT,
        "AWS::IAM::Role",
        role("*"),
        &["Admin: statement 1"],
        role("sqs:SendMessage"),
    );
}

fn role(principal: Value, condition: Option<Value>) -> Value {
    let mut statement =
        json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"});
    if let (Some(c), Value::Object(s)) = (condition, &mut statement) {
        s.insert("Condition".to_owned(), c);
    }
    json!({"AssumeRolePolicyDocument": document(statement)})
}

#[test]
fn trust_policies_do_not_let_anyone_assume_the_role() {
    case(
        &rules::IAM_PUBLIC_TRUST,
        "AWS::IAM::Role",
        role(json!({"AWS": "*"}), None),
        &["statement 1"],
        role(json!({"AWS": "arn:aws:iam::123456789012:role/Deployer"}), None),
    );
    assert_eq!(
        details(&rules::IAM_PUBLIC_TRUST, "AWS::IAM::Role", role(json!("*"), None)),
        ["statement 1"]
    );
}

#[test]
fn trust_policies_naming_a_whole_account_need_a_condition() {
    case(
        &rules::IAM_ACCOUNT_TRUST,
        "AWS::IAM::Role",
        role(
            json!({"AWS": ["123456789012", {"Fn::Sub": "arn:${AWS::Partition}:iam::210987654321:root"}]}),
            None,
        ),
        &["123456789012", "210987654321"],
        role(
            json!({"AWS": "arn:aws:iam::123456789012:root"}),
            Some(
                json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/Deployer"}}),
            ),
        ),
    );
    assert_eq!(
        details(
            &rules::IAM_ACCOUNT_TRUST,
            "AWS::IAM::Role",
            role(json!({"AWS": "arn:aws:iam::123456789012:role/Deployer"}), None)
        ),
        Vec::<String>::new()
    );
}

const FUNCTION: &str = "AWS::Lambda::Function";

fn function(extra: Value) -> Value {
    let mut f = json!({"Runtime": "nodejs24.x", "Handler": "index.handler", "Role": "arn:aws:iam::123456789012:role/f", "Code": {"ZipFile": "x"}});
    if let (Value::Object(f), Value::Object(extra)) = (&mut f, extra) {
        f.extend(extra);
    }
    f
}

#[test]
fn function_environments_hold_no_secrets() {
    case(
        &rules::LAMBDA_ENV_SECRETS,
        FUNCTION,
        function(json!({"Environment": {"Variables": {
            "DB_PASSWORD": "hunter2",
            "KEY_ID": "AKIAIOSFODNN7EXAMPLE",
            "SIGNING": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "TABLE": "orders"
        }}})),
        &["DB_PASSWORD", "KEY_ID", "SIGNING"],
        function(json!({"Environment": {"Variables": {
            "TABLE": "orders",
            "DB_PASSWORD_PARAMETER": {"Ref": "AWS::StackName"},
            "COMMIT": "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        }}})),
    );
}

#[test]
fn function_environments_are_encrypted_with_a_customer_key() {
    case(
        &rules::LAMBDA_ENV_KMS,
        FUNCTION,
        function(json!({"Environment": {"Variables": {"TABLE": "orders"}}})),
        &[""],
        function(
            json!({"Environment": {"Variables": {"TABLE": "orders"}}, "KmsKeyArn": "arn:aws:kms:eu-west-1:123456789012:key/k"}),
        ),
    );
    assert_eq!(
        details(&rules::LAMBDA_ENV_KMS, FUNCTION, function(json!({}))),
        Vec::<String>::new()
    );
}

#[test]
fn functions_given_a_runtime_as_a_string_are_checked_for_deprecation() {
    case(
        &rules::LAMBDA_DEPRECATED_RUNTIME,
        FUNCTION,
        function(json!({"Runtime": "python2.7"})),
        &["python2.7"],
        function(json!({})),
    );
}

#[test]
fn service_permissions_name_their_source() {
    let permission = |extra: Value| {
        let mut p = json!({"Action": "lambda:InvokeFunction", "FunctionName": "f", "Principal": "s3.amazonaws.com"});
        if let (Value::Object(p), Value::Object(extra)) = (&mut p, extra) {
            p.extend(extra);
        }
        p
    };
    case(
        &rules::LAMBDA_PERMISSION_SOURCE,
        "AWS::Lambda::Permission",
        permission(json!({})),
        &["s3.amazonaws.com"],
        permission(json!({"SourceArn": "arn:aws:s3:::uploads"})),
    );
    assert_eq!(
        details(
            &rules::LAMBDA_PERMISSION_SOURCE,
            "AWS::Lambda::Permission",
            permission(json!({"Principal": "123456789012"}))
        ),
        Vec::<String>::new()
    );
}

#[test]
fn function_urls_authenticate_callers() {
    case(
        &rules::LAMBDA_URL_AUTH,
        "AWS::Lambda::Url",
        json!({"TargetFunctionArn": "arn", "AuthType": "NONE"}),
        &[""],
        json!({"TargetFunctionArn": "arn", "AuthType": "AWS_IAM"}),
    );
    case(
        &rules::LAMBDA_URL_AUTH,
        "AWS::Serverless::Function",
        json!({"Runtime": "nodejs24.x", "Handler": "index.handler", "InlineCode": "x", "FunctionUrlConfig": {"AuthType": "NONE"}}),
        &[""],
        json!({"Runtime": "nodejs24.x", "Handler": "index.handler", "InlineCode": "x", "FunctionUrlConfig": {"AuthType": "AWS_IAM"}}),
    );
}

#[test]
fn clusters_record_container_insights() {
    case(
        &rules::ECS_CONTAINER_INSIGHTS,
        "AWS::ECS::Cluster",
        json!({"ClusterSettings": [{"Name": "containerInsights", "Value": "disabled"}]}),
        &[""],
        json!({"ClusterSettings": [{"Name": "containerInsights", "Value": "enhanced"}]}),
    );
}

#[test]
fn efs_volumes_of_task_definitions_encrypt_in_transit() {
    let volumes = |transit: &str| {
        json!({"ContainerDefinitions": [], "Volumes": [
            {"Name": "scratch"},
            {"Name": "shared", "EFSVolumeConfiguration": {"FilesystemId": "fs-1", "TransitEncryption": transit}}
        ]})
    };
    case(
        &rules::ECS_EFS_TRANSIT_ENCRYPTION,
        "AWS::ECS::TaskDefinition",
        volumes("DISABLED"),
        &["volume shared"],
        volumes("ENABLED"),
    );
}

#[test]
fn build_artifacts_are_encrypted() {
    let project = |disabled: bool| {
        json!({
            "ServiceRole": "arn", "Source": {"Type": "NO_SOURCE", "BuildSpec": "x"},
            "Environment": {"Type": "LINUX_CONTAINER", "ComputeType": "BUILD_GENERAL1_SMALL", "Image": "i"},
            "Artifacts": {"Type": "S3", "Location": "b", "EncryptionDisabled": disabled},
            "SecondaryArtifacts": [{"Type": "S3", "Location": "b", "ArtifactIdentifier": "reports", "EncryptionDisabled": disabled}]
        })
    };
    case(
        &rules::CODEBUILD_ARTIFACT_ENCRYPTION,
        "AWS::CodeBuild::Project",
        project(true),
        &["", "reports"],
        project(false),
    );
}

#[test]
fn api_methods_authorize_callers() {
    let method = |http: &str, auth: &str| json!({"RestApiId": "a", "ResourceId": "r", "HttpMethod": http, "AuthorizationType": auth});
    case(
        &rules::APIGATEWAY_METHOD_AUTH,
        "AWS::ApiGateway::Method",
        method("GET", "NONE"),
        &["GET"],
        method("GET", "AWS_IAM"),
    );
    assert_eq!(
        details(
            &rules::APIGATEWAY_METHOD_AUTH,
            "AWS::ApiGateway::Method",
            method("OPTIONS", "NONE")
        ),
        Vec::<String>::new()
    );
}

#[test]
fn api_stages_trace_log_and_cache() {
    let stage = |on: bool| {
        let mut s = json!({"RestApiId": "a", "StageName": "prod", "TracingEnabled": on, "CacheClusterEnabled": on});
        if let (true, Value::Object(s)) = (on, &mut s) {
            s.insert(
                "AccessLogSetting".to_owned(),
                json!({"DestinationArn": "arn:aws:logs:eu-west-1:123456789012:log-group:api"}),
            );
        }
        s
    };
    for rule in
        [&rules::APIGATEWAY_TRACING, &rules::APIGATEWAY_ACCESS_LOGS, &rules::APIGATEWAY_CACHE]
    {
        case(rule, "AWS::ApiGateway::Stage", stage(false), &[""], stage(true));
    }
    // SAM's API carries the same settings for the stage it creates.
    let api = json!({"StageName": "prod", "TracingEnabled": true});
    assert_eq!(
        details(&rules::APIGATEWAY_TRACING, "AWS::Serverless::Api", api.clone()),
        Vec::<String>::new()
    );
    assert_eq!(details(&rules::APIGATEWAY_ACCESS_LOGS, "AWS::Serverless::Api", api), [""]);
}

#[test]
fn launch_templates_require_imdsv2_and_give_no_public_ip() {
    let template =
        |tokens: &str| json!({"LaunchTemplateData": {"MetadataOptions": {"HttpTokens": tokens}}});
    case(
        &rules::EC2_IMDSV2,
        "AWS::EC2::LaunchTemplate",
        template("optional"),
        &[""],
        template("required"),
    );
    assert_eq!(
        details(
            &rules::EC2_IMDSV2,
            "AWS::EC2::LaunchTemplate",
            json!({"LaunchTemplateData": {"MetadataOptions": {"HttpEndpoint": "disabled"}}})
        ),
        Vec::<String>::new()
    );
    let public = |on: bool| json!({"LaunchTemplateData": {"NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": on}]}});
    case(
        &rules::EC2_PUBLIC_IP,
        "AWS::EC2::LaunchTemplate",
        public(true),
        &["network interface 1"],
        public(false),
    );
}

#[test]
fn http_api_stages_log_requests() {
    case(
        &rules::APIGATEWAY_V2_ACCESS_LOGS,
        "AWS::ApiGatewayV2::Stage",
        json!({"ApiId": "a", "StageName": "$default"}),
        &[""],
        json!({"ApiId": "a", "StageName": "$default", "AccessLogSettings": {"DestinationArn": "arn:aws:logs:eu-west-1:123456789012:log-group:api"}}),
    );
}

//! Each rule of the pack over resources written as L1: one resource it finds something on,
//! with the details of each finding, and one it passes.
#![allow(clippy::panic)] // assertions panic

use serde_json::{Value, json};
use stackwright_constructs::rules;
use stackwright_core::{App, Format, RawResource, SecurityRule};

/// The details of the findings of `rule` on one resource of type `ty` with `properties`.
fn details(rule: &SecurityRule, ty: &str, properties: Value) -> Vec<String> {
    details_among(rule, &[("R", ty, properties)])
}

/// The details of the findings of `rule` on the resource `R` of a stack holding `resources`
/// (logical ID, type, properties).
fn details_among(rule: &SecurityRule, resources: &[(&str, &str, Value)]) -> Vec<String> {
    let mut app = App::new();
    app.add_rule_pack(rules::PACK);
    let mut s = app.stack("S");
    for (id, ty, properties) in resources {
        let mut resource = RawResource::new(*ty);
        if let Value::Object(props) = properties {
            for (k, v) in props {
                resource = resource.property(k.as_str(), v.clone());
            }
        }
        s.add(id, resource);
    }
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

fn tls_policy(key: &str, target: Value, secure: bool) -> Value {
    let statement = if secure {
        json!({"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
               "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
    } else {
        json!({"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "*", "Resource": "*"})
    };
    json!({key: target, "PolicyDocument": document(statement)})
}

#[test]
fn topics_queues_and_buckets_refuse_plain_http_through_their_policies() {
    let cases = [
        (&rules::SNS_TLS_ONLY, "AWS::SNS::Topic", "AWS::SNS::TopicPolicy", "Topics", true),
        (&rules::SQS_TLS_ONLY, "AWS::SQS::Queue", "AWS::SQS::QueuePolicy", "Queues", true),
        (&rules::S3_TLS_ONLY, BUCKET, "AWS::S3::BucketPolicy", "Bucket", false),
    ];
    for (rule, ty, policy, key, list) in cases {
        let target = if list { json!([{"Ref": "R"}]) } else { json!({"Ref": "R"}) };
        let other = if list { json!([{"Ref": "Other"}]) } else { json!({"Ref": "Other"}) };
        let with = |target: Value, secure: bool| {
            details_among(
                rule,
                &[
                    ("R", ty, json!({})),
                    ("Other", ty, json!({})),
                    ("P", policy, tls_policy(key, target, secure)),
                ],
            )
        };
        assert_eq!(with(target.clone(), true), Vec::<String>::new(), "{}", rule.id);
        assert_eq!(with(target, false), [""], "{}: a policy without the deny", rule.id);
        assert_eq!(with(other, true), [""], "{}: a policy of another resource", rule.id);
        assert_eq!(details(rule, ty, json!({})), [""], "{}: no policy", rule.id);
    }
}

#[test]
fn queues_have_a_dead_letter_queue_or_are_one() {
    let rule = &rules::SQS_DEAD_LETTER_QUEUE;
    assert_eq!(details(rule, "AWS::SQS::Queue", json!({})), [""]);
    assert_eq!(
        details(
            rule,
            "AWS::SQS::Queue",
            json!({"RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:eu-west-1:123456789012:dlq", "maxReceiveCount": 3}})
        ),
        Vec::<String>::new()
    );
    let source = json!({"RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["R", "Arn"]}, "maxReceiveCount": 3}});
    assert_eq!(
        details_among(
            rule,
            &[("R", "AWS::SQS::Queue", json!({})), ("Source", "AWS::SQS::Queue", source)]
        ),
        Vec::<String>::new()
    );
}

#[test]
fn identities_use_no_aws_managed_policies() {
    let role = |arn: Value| {
        json!({
            "AssumeRolePolicyDocument": document(json!({"Effect": "Allow", "Principal": {"Service": "codedeploy.amazonaws.com"}, "Action": "sts:AssumeRole"})),
            "ManagedPolicyArns": [arn]
        })
    };
    case(
        &rules::IAM_AWS_MANAGED_POLICY,
        "AWS::IAM::Role",
        role(
            json!({"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRole"}),
        ),
        &["service-role/AWSCodeDeployRole"],
        role(json!("arn:aws:iam::123456789012:policy/Deploy")),
    );
}

#[test]
fn projects_build_on_curated_images() {
    let project = |image: &str| {
        json!({
            "ServiceRole": "arn", "Source": {"Type": "NO_SOURCE", "BuildSpec": "x"}, "Artifacts": {"Type": "NO_ARTIFACTS"},
            "Environment": {"Type": "LINUX_CONTAINER", "ComputeType": "BUILD_GENERAL1_SMALL", "Image": image}
        })
    };
    case(
        &rules::CODEBUILD_MANAGED_IMAGE,
        "AWS::CodeBuild::Project",
        project("123456789012.dkr.ecr.eu-west-1.amazonaws.com/builder:1"),
        &["123456789012.dkr.ecr.eu-west-1.amazonaws.com/builder:1"],
        project("aws/codebuild/standard:7.0"),
    );
}

#[test]
fn containers_log() {
    let task = |log: bool| {
        let mut c = json!({"Name": "web", "Image": "nginx"});
        if let (true, Value::Object(c)) = (log, &mut c) {
            c.insert("LogConfiguration".to_owned(), json!({"LogDriver": "awslogs"}));
        }
        json!({"ContainerDefinitions": [c]})
    };
    case(
        &rules::ECS_CONTAINER_LOGGING,
        "AWS::ECS::TaskDefinition",
        task(false),
        &["container web"],
        task(true),
    );
}

#[test]
fn instances_volumes_acls_and_classic_load_balancers() {
    case(
        &rules::EC2_GROUP_DESCRIPTION,
        GROUP,
        json!({"GroupDescription": "x"}),
        &[""],
        json!({"GroupDescription": "Tasks of the web service"}),
    );
    let mapping = |encrypted: bool| json!({"LaunchTemplateData": {"BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 20, "Encrypted": encrypted}}]}});
    case(
        &rules::EC2_EBS_ENCRYPTION,
        "AWS::EC2::LaunchTemplate",
        mapping(false),
        &["/dev/xvda"],
        mapping(true),
    );
    case(
        &rules::EC2_EBS_ENCRYPTION,
        "AWS::EC2::Volume",
        json!({"AvailabilityZone": "eu-west-1a", "Size": 20}),
        &[""],
        json!({"AvailabilityZone": "eu-west-1a", "Size": 20, "Encrypted": true}),
    );
    case(
        &rules::EC2_TERMINATION_PROTECTION,
        "AWS::EC2::Instance",
        json!({"ImageId": "ami-1"}),
        &[""],
        json!({"ImageId": "ami-1", "DisableApiTermination": true}),
    );
    assert_eq!(
        details(&rules::EC2_NETWORK_ACL, "AWS::EC2::NetworkAcl", json!({"VpcId": "vpc-1"})),
        [""]
    );
    assert_eq!(
        details(
            &rules::ELB_CLASSIC,
            "AWS::ElasticLoadBalancing::LoadBalancer",
            json!({"Listeners": [
                {"LoadBalancerPort": "80", "InstancePort": "80", "Protocol": "HTTP"}
            ]})
        ),
        ["port 80"]
    );
}

#[test]
fn projects_encrypt_output_with_a_customer_key() {
    let project = |key: Option<&str>| {
        let mut p = json!({
            "ServiceRole": "arn", "Source": {"Type": "NO_SOURCE", "BuildSpec": "x"}, "Artifacts": {"Type": "NO_ARTIFACTS"},
            "Environment": {"Type": "LINUX_CONTAINER", "ComputeType": "BUILD_GENERAL1_SMALL", "Image": "aws/codebuild/standard:7.0"}
        });
        if let (Some(k), Value::Object(p)) = (key, &mut p) {
            p.insert("EncryptionKey".to_owned(), json!(k));
        }
        p
    };
    case(
        &rules::CODEBUILD_KMS,
        "AWS::CodeBuild::Project",
        project(None),
        &[""],
        project(Some("arn:aws:kms:eu-west-1:123456789012:key/k")),
    );
    assert_eq!(
        details(&rules::CODEBUILD_KMS, "AWS::CodeBuild::Project", project(Some("alias/aws/s3"))),
        [""]
    );
}

#[test]
fn containers_take_no_plain_environment_variables() {
    let task = |env: bool| {
        let mut c = json!({"Name": "web", "Image": "nginx"});
        if let (true, Value::Object(c)) = (env, &mut c) {
            c.insert("Environment".to_owned(), json!([{"Name": "MODE", "Value": "prod"}]));
        }
        json!({"ContainerDefinitions": [c]})
    };
    case(
        &rules::ECS_ENVIRONMENT_VARIABLES,
        "AWS::ECS::TaskDefinition",
        task(true),
        &["container web"],
        task(false),
    );
}

#[test]
fn file_systems_are_encrypted() {
    case(
        &rules::EFS_ENCRYPTED,
        "AWS::EFS::FileSystem",
        json!({}),
        &[""],
        json!({"Encrypted": true}),
    );
}

#[test]
fn instances_use_detailed_monitoring() {
    case(
        &rules::EC2_DETAILED_MONITORING,
        "AWS::EC2::Instance",
        json!({"ImageId": "ami-1"}),
        &[""],
        json!({"ImageId": "ami-1", "Monitoring": true}),
    );
}

#[test]
fn vpcs_have_flow_logs() {
    let rule = &rules::EC2_VPC_FLOW_LOGS;
    let vpc = json!({"CidrBlock": "10.0.0.0/16"});
    assert_eq!(details(rule, "AWS::EC2::VPC", vpc.clone()), [""]);
    let flow_log = |of: &str| json!({"ResourceId": {"Ref": of}, "ResourceType": "VPC", "TrafficType": "ALL", "LogDestinationType": "s3", "LogDestination": "arn:aws:s3:::logs"});
    assert_eq!(
        details_among(
            rule,
            &[("R", "AWS::EC2::VPC", vpc.clone()), ("Log", "AWS::EC2::FlowLog", flow_log("R"))]
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        details_among(
            rule,
            &[
                ("R", "AWS::EC2::VPC", vpc.clone()),
                ("Other", "AWS::EC2::VPC", vpc),
                ("Log", "AWS::EC2::FlowLog", flow_log("Other"))
            ]
        ),
        [""]
    );
}

#[test]
fn auto_scaling_groups_cool_down_wait_for_instances_and_notify() {
    const ASG: &str = "AWS::AutoScaling::AutoScalingGroup";
    let group = |extra: Value| {
        let mut g = json!({"MinSize": "1", "MaxSize": "2"});
        if let (Value::Object(g), Value::Object(extra)) = (&mut g, extra) {
            g.extend(extra);
        }
        g
    };
    case(
        &rules::AUTOSCALING_COOLDOWN,
        ASG,
        group(json!({"Cooldown": "0"})),
        &[""],
        group(json!({"Cooldown": "300"})),
    );
    case(
        &rules::AUTOSCALING_HEALTH_CHECK,
        ASG,
        group(json!({"HealthCheckType": "ELB"})),
        &[""],
        group(json!({"HealthCheckType": "ELB", "HealthCheckGracePeriod": 300})),
    );
    let events = |types: &[&str]| {
        group(
            json!({"NotificationConfigurations": [{"TopicARN": "arn:aws:sns:eu-west-1:123456789012:t", "NotificationTypes": types}]}),
        )
    };
    case(
        &rules::AUTOSCALING_NOTIFICATIONS,
        ASG,
        events(&["autoscaling:EC2_INSTANCE_LAUNCH", "autoscaling:EC2_INSTANCE_TERMINATE"]),
        &["autoscaling:EC2_INSTANCE_LAUNCH_ERROR", "autoscaling:EC2_INSTANCE_TERMINATE_ERROR"],
        events(&[
            "autoscaling:EC2_INSTANCE_LAUNCH",
            "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
            "autoscaling:EC2_INSTANCE_TERMINATE",
            "autoscaling:EC2_INSTANCE_TERMINATE_ERROR",
        ]),
    );
}

#[test]
fn rest_apis_validate_requests_and_stages_log_execution() {
    let rule = &rules::APIGATEWAY_REQUEST_VALIDATION;
    assert_eq!(details(rule, "AWS::ApiGateway::RestApi", json!({"Name": "api"})), [""]);
    assert_eq!(
        details_among(
            rule,
            &[
                ("R", "AWS::ApiGateway::RestApi", json!({"Name": "api"})),
                (
                    "Validator",
                    "AWS::ApiGateway::RequestValidator",
                    json!({"RestApiId": {"Ref": "R"}, "ValidateRequestBody": true})
                ),
            ]
        ),
        Vec::<String>::new()
    );
    let stage = |level: &str| json!({"RestApiId": "a", "StageName": "prod", "MethodSettings": [{"HttpMethod": "*", "ResourcePath": "/*", "LoggingLevel": level}]});
    case(
        &rules::APIGATEWAY_EXECUTION_LOGS,
        "AWS::ApiGateway::Stage",
        stage("OFF"),
        &[""],
        stage("ERROR"),
    );
}

#[test]
fn buckets_serve_no_website_themselves() {
    case(
        &rules::S3_WEBSITE,
        BUCKET,
        json!({"WebsiteConfiguration": {"IndexDocument": "index.html"}}),
        &[""],
        json!({}),
    );
}

fn identity_policy(statements: Value) -> Value {
    json!({"PolicyName": "p", "Roles": ["r"], "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}})
}

#[test]
fn identity_policies_fetch_no_credentials_and_read_no_data_on_every_resource() {
    let open = identity_policy(json!([
        {"Effect": "Allow", "Action": ["sts:AssumeRole", "s3:Get*", "ecr:GetAuthorizationToken"], "Resource": "*"}
    ]));
    let scoped = identity_policy(json!([
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::123456789012:role/Deployer"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"s3:ExistingObjectTag/public": "yes"}}},
        {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}
    ]));
    case(
        &rules::IAM_CREDENTIALS_EXPOSURE,
        "AWS::IAM::Policy",
        open.clone(),
        &["sts:AssumeRole"],
        scoped.clone(),
    );
    case(&rules::IAM_DATA_EXFILTRATION, "AWS::IAM::Policy", open, &["s3:GetObject"], scoped);
}

#[test]
fn identity_policies_allow_no_privilege_escalation() {
    case(
        &rules::IAM_PRIVILEGE_ESCALATION,
        "AWS::IAM::Policy",
        identity_policy(json!([
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
            {"Effect": "Allow", "Action": "cloudformation:Create*", "Resource": "*"}
        ])),
        &["PassExistingRoleToCloudFormation"],
        identity_policy(json!([
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/CfnExecution"},
            {"Effect": "Allow", "Action": "cloudformation:CreateStack", "Resource": "*"}
        ])),
    );
}

#[test]
fn sam_functions_serve_through_an_api_declared_with_its_settings() {
    let function = |rest_api: Option<Value>| {
        let mut properties = json!({"Path": "/orders", "Method": "get"});
        if let (Some(api), Value::Object(p)) = (rest_api, &mut properties) {
            p.insert("RestApiId".to_owned(), api);
        }
        json!({
            "Runtime": "nodejs24.x", "Handler": "index.handler", "InlineCode": "x",
            "Events": {
                "GetOrders": {"Type": "Api", "Properties": properties},
                "Nightly": {"Type": "Schedule", "Properties": {"Schedule": "rate(1 day)"}}
            }
        })
    };
    case(
        &rules::SAM_IMPLICIT_API,
        "AWS::Serverless::Function",
        function(None),
        &["event GetOrders"],
        function(Some(json!({"Ref": "AWS::StackName"}))),
    );
}

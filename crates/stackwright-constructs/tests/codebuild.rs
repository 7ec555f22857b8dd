//! The CodeBuild project: the article's environment, the generated role, sources,
//! buildspec placement, caches, VPC, and every check's message.
#![allow(clippy::panic)] // assertions panic

#[path = "common/article.rs"]
mod article;
mod common;

use article::article_buildspec;
use common::{errors, template};
use serde_json::{Value, json};
use stackwright_constructs::Duration;
use stackwright_constructs::codebuild::{
    BuildSpec, BuildSpecLocation, Cache, ComputeType, EnvironmentVariable, LinuxBuildImage,
    LocalCacheMode, Phase, Project, ProjectProps, Source, VpcSettings,
};
use stackwright_constructs::iam::{Principal, Role, RoleProps};
use stackwright_constructs::sqs::{Queue, QueueProps};
use stackwright_core::{App, Format, Handle};

const ECR_REPO_URI: &str = "123456789.dkr.ecr.us-east-1.amazonaws.com/myapp";

/// The article's project: its environment, its buildspec inline, a local cache.
fn article_props() -> ProjectProps {
    ProjectProps::new(Source::CodePipeline)
        .buildspec(BuildSpecLocation::Inline(article_buildspec()))
        .build_image(LinuxBuildImage::AMAZON_LINUX_2_5)
        .compute_type(ComputeType::Medium)
        .privileged(true)
        .environment_variable("ECR_REPO_URI", EnvironmentVariable::plaintext(ECR_REPO_URI))
        .cache(Cache::Local(vec![LocalCacheMode::DockerLayer, LocalCacheMode::Custom]))
}

fn article_app() -> App {
    let mut app = App::new();
    Project::new(&mut app.stack("Ci"), "Build", article_props());
    app
}

/// The warnings synthesis reports.
fn warnings(app: &App) -> Vec<String> {
    match app.synth(Format::Json) {
        Ok(a) => a.warnings().iter().map(ToString::to_string).collect(),
        Err(d) => d.warnings.iter().map(ToString::to_string).collect(),
    }
}

/// One app with one project built from `props` in stack `S` as `P`.
fn app_with(props: ProjectProps) -> App {
    let mut app = App::new();
    Project::new(&mut app.stack("S"), "P", props);
    app
}

fn inline(spec: BuildSpec) -> BuildSpecLocation {
    BuildSpecLocation::Inline(spec)
}

fn make() -> BuildSpec {
    BuildSpec::new().build(Phase::with_commands(["make"]))
}

fn props_of(t: &Value, id: &str) -> Value {
    t["Resources"][id]["Properties"].clone()
}

/// The `Environment` of the project `P` built from `props`.
fn environment_of(props: ProjectProps) -> Value {
    props_of(&template(&app_with(props), "S"), "P")["Environment"].clone()
}

fn statements(t: &Value, policy: &str) -> Vec<Value> {
    t["Resources"][policy]["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn sub(text: &str) -> Value {
    json!({"Fn::Sub": text})
}

/// The statement that lets the role find the bucket `bucket` of a source or cache.
fn bucket_statement(bucket: &str) -> Value {
    json!({
        "Effect": "Allow",
        "Action": ["s3:GetBucketAcl", "s3:GetBucketLocation"],
        "Resource": sub(&format!("arn:${{AWS::Partition}}:s3:::{bucket}"))
    })
}

#[test]
fn the_article_environment_is_reproduced() {
    let t = template(&article_app(), "Ci");
    // The article's environment JSON, keys capitalized as CloudFormation spells them.
    let article = json!({
        "Type": "LINUX_CONTAINER",
        "Image": "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
        "ComputeType": "BUILD_GENERAL1_MEDIUM",
        "PrivilegedMode": true,
        "EnvironmentVariables": [
            {
                "Name": "ECR_REPO_URI",
                "Value": "123456789.dkr.ecr.us-east-1.amazonaws.com/myapp",
                "Type": "PLAINTEXT"
            }
        ]
    });
    assert_eq!(props_of(&t, "Build")["Environment"], article);
    assert_eq!(warnings(&article_app()), Vec::<String>::new());
}

#[test]
fn the_project_embeds_its_buildspec_and_returns_artifacts_to_the_pipeline() {
    let t = template(&article_app(), "Ci");
    let p = props_of(&t, "Build");
    assert_eq!(
        p["Source"],
        json!({"BuildSpec": article_buildspec().to_yaml(), "Type": "CODEPIPELINE"})
    );
    assert_eq!(p["Artifacts"], json!({"Type": "CODEPIPELINE"}));
    assert_eq!(p["ServiceRole"], json!({"Fn::GetAtt": ["BuildRole", "Arn"]}));
    assert_eq!(
        p["Cache"],
        json!({"Modes": ["LOCAL_DOCKER_LAYER_CACHE", "LOCAL_CUSTOM_CACHE"], "Type": "LOCAL"})
    );
}

#[test]
fn a_log_group_is_created_with_a_retention() {
    let t = template(&article_app(), "Ci");
    assert_eq!(
        t["Resources"]["BuildLogGroup"],
        json!({"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 30}})
    );
    assert_eq!(
        props_of(&t, "Build")["LogsConfig"],
        json!({"CloudWatchLogs": {"GroupName": {"Ref": "BuildLogGroup"}, "Status": "ENABLED"}})
    );
    let t = template(&app_with(article_props().log_retention_days(365)), "S");
    assert_eq!(props_of(&t, "PLogGroup")["RetentionInDays"], 365);
    let t = template(&app_with(article_props().cloudwatch_logs(false)), "S");
    assert!(t["Resources"].get("PLogGroup").is_none());
    assert_eq!(props_of(&t, "P")["LogsConfig"], json!({"CloudWatchLogs": {"Status": "DISABLED"}}));
    assert!(
        statements(&t, "PRoleDefaultPolicy")
            .iter()
            .all(|s| !s["Action"].to_string().contains("logs:"))
    );
    assert_eq!(
        errors(&app_with(article_props().log_retention_days(45))),
        [
            "S/P: log_retention_days is 45; CloudWatch Logs allows 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"
        ]
    );
}

#[test]
fn the_role_is_least_privilege() {
    let t = template(&article_app(), "Ci");
    assert_eq!(
        t["Resources"]["BuildRole"]["Properties"]["AssumeRolePolicyDocument"],
        json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"Service": "codebuild.amazonaws.com"},
                "Action": "sts:AssumeRole"
            }]
        })
    );
    let log_group =
        "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${BuildLogGroup}";
    assert_eq!(
        statements(&t, "BuildRoleDefaultPolicy"),
        [
            json!({
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": [sub(log_group), sub(&format!("{log_group}:*"))]
            }),
            json!({
                "Effect": "Allow",
                "Action": [
                    "codebuild:CreateReportGroup",
                    "codebuild:CreateReport",
                    "codebuild:UpdateReport",
                    "codebuild:BatchPutTestCases",
                    "codebuild:BatchPutCodeCoverages"
                ],
                "Resource": sub("arn:${AWS::Partition}:codebuild:${AWS::Region}:${AWS::AccountId}:report-group/${Build}-*")
            }),
            json!({
                "Effect": "Allow",
                "Action": "ssm:GetParameters",
                "Resource": sub("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/myapp/prod/db-password")
            }),
            json!({
                "Effect": "Allow",
                "Action": "secretsmanager:GetSecretValue",
                // The json key after `:` is not part of the secret's name.
                "Resource": sub("arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:prod/myapp-*")
            }),
        ]
    );
    assert_eq!(
        t["Resources"]["BuildRoleDefaultPolicy"]["Properties"]["Roles"],
        json!([{"Ref": "BuildRole"}])
    );
    assert_no_wildcards(&t, "BuildRoleDefaultPolicy");
}

/// The EC2 network-interface calls CodeBuild makes in a VPC, which have no resource-level
/// permissions.
const NETWORK_ACTIONS: [&str; 7] = [
    "ec2:CreateNetworkInterface",
    "ec2:DescribeDhcpOptions",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeVpcs",
];

/// No `*` action anywhere, and `*` resources only for the actions that have no
/// resource-level permissions: the network actions and `ecr:GetAuthorizationToken`.
fn assert_no_wildcards(t: &Value, policy: &str) {
    let need_star = |a: &str| NETWORK_ACTIONS.contains(&a) || a == "ecr:GetAuthorizationToken";
    let as_list = |v: &Value| match v {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    for s in statements(t, policy) {
        let actions = as_list(&s["Action"]);
        assert!(
            actions.iter().all(|a| a.as_str().is_some_and(|a| !a.ends_with(":*") && a != "*")),
            "{s}"
        );
        if as_list(&s["Resource"]).iter().any(|r| r == "*") {
            assert!(actions.iter().all(|a| a.as_str().is_some_and(need_star)), "{s}");
        }
    }
}

#[test]
fn project_environment_variables_that_read_secrets_are_granted() {
    let props = ProjectProps::new(Source::CodePipeline)
        .environment_variable("DB", EnvironmentVariable::parameter_store("/app/db"))
        .environment_variable("KEY", EnvironmentVariable::secrets_manager("app/key:token"))
        .environment_variable(
            "ARN",
            EnvironmentVariable::secrets_manager(
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/other:k::",
            ),
        );
    let t = template(&app_with(props), "S");
    let s = statements(&t, "PRoleDefaultPolicy");
    assert_eq!(
        s[2],
        json!({
            "Effect": "Allow",
            "Action": "ssm:GetParameters",
            "Resource": sub("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/app/db")
        })
    );
    assert_eq!(
        s[3],
        json!({
            "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": [
                sub("arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:app/key-*"),
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/other*"
            ]
        })
    );
    assert_eq!(
        props_of(&t, "P")["Environment"]["EnvironmentVariables"],
        json!([
            {"Name": "DB", "Type": "PARAMETER_STORE", "Value": "/app/db"},
            {"Name": "KEY", "Type": "SECRETS_MANAGER", "Value": "app/key:token"},
            {"Name": "ARN", "Type": "SECRETS_MANAGER", "Value": "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/other:k::"}
        ])
    );
}

#[test]
fn plaintext_secrets_in_the_project_are_warned_about() {
    let props = ProjectProps::new(Source::CodePipeline)
        .environment_variable("NPM_TOKEN", EnvironmentVariable::plaintext("abc"))
        .environment_variable("AWS_KEY", EnvironmentVariable::plaintext("AKIAIOSFODNN7EXAMPLE"))
        .environment_variable("GITHUB_TOKEN", EnvironmentVariable::secrets_manager("ci/gh"));
    assert_eq!(
        warnings(&app_with(props)),
        [
            "S/P: environment variable `NPM_TOKEN` looks like a secret but is plain text; use EnvironmentVariable::parameter_store or ::secrets_manager",
            "S/P: environment variable `AWS_KEY` holds what looks like an AWS access key ID; never put credentials in plain text, the build runs with the project's role",
        ]
    );
    let props = ProjectProps::new(Source::CodePipeline)
        .environment_variable("2X", EnvironmentVariable::plaintext("a"))
        .environment_variable("CODEBUILD_X", EnvironmentVariable::plaintext("a"));
    assert_eq!(
        errors(&app_with(props)),
        [
            "S/P: environment variable `2X` is not a valid variable name; use letters, digits and `_`, not starting with a digit",
            "S/P: environment variable `CODEBUILD_X` starts with CODEBUILD_, a prefix CodeBuild reserves for its own variables",
        ]
    );
}

#[test]
fn buildspec_problems_are_reported_at_the_project() {
    let spec = BuildSpec::new()
        .variable("API_TOKEN", "x")
        .build(Phase::with_commands(["docker build -t app .", "docker push app"]))
        .post_build(Phase::new());
    let app = app_with(ProjectProps::new(Source::CodePipeline).buildspec(inline(spec)));
    assert_eq!(
        errors(&app),
        ["S/P: buildspec: phases.post_build is empty; give it commands or leave it out"]
    );
    assert_eq!(
        warnings(&app),
        [
            "S/P: buildspec: env.variables: `API_TOKEN` looks like a secret but is plain text; read it through env.parameter-store or env.secrets-manager",
            "S/P: buildspec: the buildspec pushes images only with the `latest` tag (`docker push app`); also tag and push them with the source revision ($CODEBUILD_RESOLVED_SOURCE_VERSION) so every deployment traces to a commit",
            "S/P: the buildspec runs `docker build` but privileged mode is off; Docker needs privileged mode: set .privileged(true)",
        ]
    );
}

#[test]
fn docker_needs_privileged_mode() {
    let spec = BuildSpec::new().pre_build(Phase::with_commands([
        "aws ecr get-login-password | docker login --username AWS --password-stdin $REPO",
    ]));
    let app = app_with(ProjectProps::new(Source::CodePipeline).buildspec(inline(spec.clone())));
    assert_eq!(
        warnings(&app),
        [
            "S/P: the buildspec runs `docker login` but privileged mode is off; Docker needs privileged mode: set .privileged(true)"
        ]
    );
    let app =
        app_with(ProjectProps::new(Source::CodePipeline).buildspec(inline(spec)).privileged(true));
    assert_eq!(warnings(&app), Vec::<String>::new());
}

#[test]
fn cache_paths_need_a_cache_that_keeps_them() {
    let message = "S/P: the buildspec lists cache paths, but the project has no S3 cache or local custom cache, so nothing is kept; set .cache(Cache::s3(..)) or Cache::Local(vec![LocalCacheMode::Custom])";
    let spec = make().cache_paths(["node_modules/**/*"]);
    let base = || ProjectProps::new(Source::CodePipeline).buildspec(inline(spec.clone()));
    assert_eq!(warnings(&app_with(base())), [message]);
    let local_source = base().cache(Cache::Local(vec![LocalCacheMode::Source]));
    assert_eq!(warnings(&app_with(local_source)), [message]);
    let s3 = base().cache(Cache::s3("my-cache-bucket", "myapp"));
    assert_eq!(warnings(&app_with(s3)), Vec::<String>::new());
}

#[test]
fn an_s3_cache_is_granted_its_prefix() {
    let props =
        ProjectProps::new(Source::CodePipeline).cache(Cache::s3("my-cache-bucket", "myapp"));
    let t = template(&app_with(props), "S");
    assert_eq!(
        props_of(&t, "P")["Cache"],
        json!({"Location": "my-cache-bucket/myapp", "Type": "S3"})
    );
    let s = statements(&t, "PRoleDefaultPolicy");
    assert_eq!(
        s[2..],
        [
            json!({
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject"],
                "Resource": sub("arn:${AWS::Partition}:s3:::my-cache-bucket/myapp/*")
            }),
            bucket_statement("my-cache-bucket"),
        ]
    );
    assert_no_wildcards(&t, "PRoleDefaultPolicy");
}

#[test]
fn local_cache_checks() {
    let base = || ProjectProps::new(Source::CodePipeline);
    assert_eq!(
        errors(&app_with(base().cache(Cache::Local(vec![LocalCacheMode::DockerLayer])))),
        [
            "S/P: the Docker layer cache needs privileged mode; set .privileged(true) or drop LocalCacheMode::DockerLayer"
        ]
    );
    assert_eq!(
        errors(&app_with(base().cache(Cache::Local(Vec::new())))),
        ["S/P: Cache::Local needs at least one LocalCacheMode"]
    );
    assert_eq!(
        errors(&app_with(
            base()
                .compute_type(ComputeType::Lambda2Gb)
                .build_image(LinuxBuildImage::LAMBDA_NODEJS_20)
                .cache(Cache::Local(vec![LocalCacheMode::Custom]))
        )),
        ["S/P: Lambda compute has no local cache; use Cache::S3"]
    );
}

#[test]
fn lambda_compute_checks() {
    let base = || ProjectProps::new(Source::CodePipeline);
    assert_eq!(
        errors(&app_with(base().compute_type(ComputeType::Lambda1Gb))),
        [
            "S/P: compute type BUILD_LAMBDA_1GB runs only Lambda images (such as LinuxBuildImage::LAMBDA_NODEJS_20); pick one, or a BUILD_GENERAL1 compute type"
        ]
    );
    assert_eq!(
        errors(&app_with(base().build_image(LinuxBuildImage::LAMBDA_PYTHON_3_12))),
        ["S/P: a Lambda image needs a BUILD_LAMBDA compute type, not BUILD_GENERAL1_SMALL"]
    );
    assert_eq!(
        errors(&app_with(
            base()
                .compute_type(ComputeType::Lambda4Gb)
                .build_image(LinuxBuildImage::LAMBDA_NODEJS_18)
                .privileged(true)
        )),
        [
            "S/P: privileged mode is not available on Lambda compute (BUILD_LAMBDA_4GB); use a BUILD_GENERAL1 compute type to build Docker images"
        ]
    );
    assert_eq!(
        environment_of(
            base()
                .compute_type(ComputeType::Lambda1Gb)
                .build_image(LinuxBuildImage::LAMBDA_ARM_NODEJS_20)
        ),
        json!({
            "ComputeType": "BUILD_LAMBDA_1GB",
            "Image": "aws/codebuild/amazonlinux-aarch64-lambda-standard:nodejs20",
            "Type": "ARM_LAMBDA_CONTAINER"
        })
    );
}

#[test]
fn arm_images_get_the_arm_environment_type() {
    let props = ProjectProps::new(Source::CodePipeline)
        .build_image(LinuxBuildImage::AMAZON_LINUX_2_ARM_3)
        .compute_type(ComputeType::Large);
    assert_eq!(
        environment_of(props),
        json!({
            "ComputeType": "BUILD_GENERAL1_LARGE",
            "Image": "aws/codebuild/amazonlinux2-aarch64-standard:3.0",
            "Type": "ARM_CONTAINER"
        })
    );
}

#[test]
fn ecr_images_are_pulled_with_the_service_role() {
    let image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/build-images/node:20";
    let props =
        ProjectProps::new(Source::CodePipeline).build_image(LinuxBuildImage::from_ecr(image));
    let t = template(&app_with(props), "S");
    assert_eq!(
        props_of(&t, "P")["Environment"],
        json!({
            "ComputeType": "BUILD_GENERAL1_SMALL",
            "Image": image,
            "ImagePullCredentialsType": "SERVICE_ROLE",
            "Type": "LINUX_CONTAINER"
        })
    );
    let s = statements(&t, "PRoleDefaultPolicy");
    assert_eq!(
        s[2..],
        [
            json!({
                "Effect": "Allow",
                "Action": [
                    "ecr:BatchCheckLayerAvailability",
                    "ecr:GetDownloadUrlForLayer",
                    "ecr:BatchGetImage"
                ],
                "Resource": sub("arn:${AWS::Partition}:ecr:eu-west-1:123456789012:repository/build-images/node")
            }),
            json!({"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}),
        ]
    );
    assert_no_wildcards(&t, "PRoleDefaultPolicy");
    let bad =
        ProjectProps::new(Source::CodePipeline).build_image(LinuxBuildImage::from_ecr("node:20"));
    assert_eq!(
        errors(&app_with(bad)),
        [
            "S/P: image `node:20` is not an ECR image URI (<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag]); use LinuxBuildImage::from_ecr_repository with the repository ARN"
        ]
    );
    // A public image needs no pull permissions.
    let t = template(
        &app_with(
            ProjectProps::new(Source::CodePipeline)
                .build_image(LinuxBuildImage::from_docker_registry("node:20")),
        ),
        "S",
    );
    assert_eq!(statements(&t, "PRoleDefaultPolicy").len(), 2);
    assert!(props_of(&t, "P")["Environment"].get("ImagePullCredentialsType").is_none());
}

#[test]
fn timeouts_are_whole_minutes_in_range() {
    let base = || ProjectProps::new(Source::CodePipeline);
    let t = template(
        &app_with(base().timeout(Duration::minutes(30)).queued_timeout(Duration::hours(1))),
        "S",
    );
    assert_eq!(props_of(&t, "P")["TimeoutInMinutes"], 30);
    assert_eq!(props_of(&t, "P")["QueuedTimeoutInMinutes"], 60);
    // Each timeout CodeBuild refuses, and its one error.
    for (props, message) in [
        (
            base().timeout(Duration::minutes(3)),
            "S/P: timeout is 3 minutes; CodeBuild allows 5 minutes to 36 hours",
        ),
        (
            base().timeout(Duration::hours(37)),
            "S/P: timeout is 37 hours; CodeBuild allows 5 minutes to 36 hours",
        ),
        (
            base().timeout(Duration::seconds(450)),
            "S/P: timeout is 450 seconds; CodeBuild counts whole minutes",
        ),
        (
            base().queued_timeout(Duration::hours(9)),
            "S/P: queued_timeout is 9 hours; CodeBuild allows 5 minutes to 8 hours",
        ),
    ] {
        assert_eq!(errors(&app_with(props)), [message]);
    }
    assert_eq!(errors(&app_with(base().timeout(Duration::hours(36)))), Vec::<String>::new());
}

#[test]
fn a_project_without_source_needs_an_inline_buildspec() {
    let message = "S/P: a project with Source::NoSource needs BuildSpecLocation::Inline; there is no source to read a buildspec file from";
    assert_eq!(errors(&app_with(ProjectProps::new(Source::NoSource))), [message]);
    assert_eq!(
        errors(&app_with(
            ProjectProps::new(Source::NoSource)
                .buildspec(BuildSpecLocation::File("ci/buildspec.yml".into()))
        )),
        [message]
    );
    let t = template(&app_with(ProjectProps::new(Source::NoSource).buildspec(inline(make()))), "S");
    assert_eq!(props_of(&t, "P")["Artifacts"], json!({"Type": "NO_ARTIFACTS"}));
    assert_eq!(
        props_of(&t, "P")["Source"],
        json!({"BuildSpec": make().to_yaml(), "Type": "NO_SOURCE"})
    );
}

#[test]
fn a_companion_buildspec_is_written_beside_the_templates() {
    let app =
        app_with(ProjectProps::new(Source::CodePipeline).buildspec(BuildSpecLocation::Companion(
            article_buildspec(),
            "ci/buildspec.yml".into(),
        )));
    let assembly = app.synth(Format::Yaml).unwrap_or_else(|d| panic!("{d}"));
    let files = assembly.files();
    let file = files.iter().find(|(p, _)| *p == "ci/buildspec.yml").map(|(_, c)| *c);
    assert_eq!(file, Some(article_buildspec().to_yaml().as_str()));
    // The project finds the file where it is written: in the output folder, `stacks` at the
    // repository root unless synth is told otherwise.
    let t = template(&app, "S");
    assert_eq!(
        props_of(&t, "P")["Source"],
        json!({"BuildSpec": "stacks/ci/buildspec.yml", "Type": "CODEPIPELINE"})
    );
    let elsewhere =
        app.synth_for_source(Format::Json, "infra/cfn").unwrap_or_else(|d| panic!("{d}"));
    let text = elsewhere
        .files()
        .into_iter()
        .find(|(p, _)| *p == "S.template.json")
        .map(|(_, c)| c.to_owned());
    let t: Value = serde_json::from_str(&text.unwrap_or_default()).unwrap_or_default();
    assert_eq!(props_of(&t, "P")["Source"]["BuildSpec"], "infra/cfn/ci/buildspec.yml");
    // The role still reads what the companion buildspec names.
    assert_eq!(statements(&t, "PRoleDefaultPolicy").len(), 4);
    let t = template(
        &app_with(
            ProjectProps::new(Source::CodePipeline)
                .buildspec(BuildSpecLocation::File("ci/build.yml".into())),
        ),
        "S",
    );
    assert_eq!(props_of(&t, "P")["Source"]["BuildSpec"], "ci/build.yml");
}

#[test]
fn codecommit_github_and_s3_sources() {
    let url = "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/myapp";
    let t = template(&app_with(ProjectProps::new(Source::codecommit(url, "main"))), "S");
    let p = props_of(&t, "P");
    assert_eq!(p["Source"], json!({"Location": url, "Type": "CODECOMMIT"}));
    assert_eq!(p["SourceVersion"], "main");
    assert_eq!(p["Artifacts"], json!({"Type": "NO_ARTIFACTS"}));
    assert_eq!(
        statements(&t, "PRoleDefaultPolicy")[2],
        json!({
            "Effect": "Allow",
            "Action": "codecommit:GitPull",
            "Resource": sub("arn:${AWS::Partition}:codecommit:us-east-1:${AWS::AccountId}:myapp")
        })
    );
    assert_eq!(
        errors(&app_with(ProjectProps::new(Source::codecommit(
            "https://example.com/repo",
            "main"
        )))),
        [
            "S/P: the CodeCommit clone URL is not a literal https://git-codecommit.<region>.amazonaws.com/v1/repos/<name>; set repository_arn so the role can pull"
        ]
    );

    let github = Source::GitHub {
        owner: "acme".into(),
        repo: "myapp".into(),
        branch: Some("release/1.x".into()),
        webhook: true,
    };
    let t = template(&app_with(ProjectProps::new(github)), "S");
    let p = props_of(&t, "P");
    assert_eq!(
        p["Source"],
        json!({"Location": "https://github.com/acme/myapp.git", "ReportBuildStatus": true, "Type": "GITHUB"})
    );
    assert_eq!(p["SourceVersion"], "release/1.x");
    assert_eq!(
        p["Triggers"],
        json!({
            "FilterGroups": [[
                {"Type": "EVENT", "Pattern": "PUSH"},
                {"Type": "HEAD_REF", "Pattern": "^refs/heads/release/1\\.x$"}
            ]],
            "Webhook": true
        })
    );
    let t = template(&app_with(ProjectProps::new(Source::github("acme", "myapp", "main"))), "S");
    assert!(props_of(&t, "P").get("Triggers").is_none());

    let t = template(&app_with(ProjectProps::new(Source::s3("src-bucket", "app/source.zip"))), "S");
    assert_eq!(
        props_of(&t, "P")["Source"],
        json!({"Location": "src-bucket/app/source.zip", "Type": "S3"})
    );
    assert_eq!(
        statements(&t, "PRoleDefaultPolicy")[2..],
        [
            json!({
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                "Resource": sub("arn:${AWS::Partition}:s3:::src-bucket/app/source.zip")
            }),
            bucket_statement("src-bucket"),
        ]
    );
}

fn vpc() -> VpcSettings {
    VpcSettings {
        vpc_id: "vpc-0123456789abcdef0".into(),
        subnets: vec!["subnet-0aaa1111".into(), "subnet-0bbb2222".into()],
        security_groups: vec!["sg-0ccc3333".into()],
    }
}

#[test]
fn a_vpc_project_gets_the_network_permissions_first() {
    let t = template(&app_with(ProjectProps::new(Source::CodePipeline).vpc(vpc())), "S");
    assert_eq!(
        props_of(&t, "P")["VpcConfig"],
        json!({
            "SecurityGroupIds": ["sg-0ccc3333"],
            "Subnets": ["subnet-0aaa1111", "subnet-0bbb2222"],
            "VpcId": "vpc-0123456789abcdef0"
        })
    );
    assert_eq!(t["Resources"]["P"]["DependsOn"], json!("PVpcPolicy"));
    assert_eq!(
        props_of(&t, "PVpcPolicy"),
        json!({
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": NETWORK_ACTIONS, "Resource": "*"},
                    {
                        "Effect": "Allow",
                        "Action": "ec2:CreateNetworkInterfacePermission",
                        "Resource": sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:network-interface/*"),
                        "Condition": {
                            "StringEquals": {
                                "ec2:Subnet": [
                                    sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:subnet/subnet-0aaa1111"),
                                    sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:subnet/subnet-0bbb2222")
                                ],
                                "ec2:AuthorizedService": "codebuild.amazonaws.com"
                            }
                        }
                    }
                ]
            },
            "PolicyName": "PVpcPolicy",
            "Roles": [{"Ref": "PRole"}]
        })
    );
    assert_no_wildcards(&t, "PVpcPolicy");
    let none = VpcSettings { subnets: Vec::new(), security_groups: vec!["a".into(); 6], ..vpc() };
    assert_eq!(
        errors(&app_with(ProjectProps::new(Source::CodePipeline).vpc(none))),
        [
            "S/P: vpc has 0 subnets; CodeBuild needs 1 to 16",
            "S/P: vpc has 6 security groups; CodeBuild needs 1 to 5",
        ]
    );
}

#[test]
fn a_given_role_is_used_and_granted() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let role =
        Role::new(&mut s, "CiRole", RoleProps::new(Principal::service("codebuild.amazonaws.com")));
    let project = Project::new(&mut s, "P", ProjectProps::new(Source::CodePipeline).role(&role));
    assert_eq!(project.role(), role);
    let t = template(&app, "S");
    assert!(t["Resources"].get("PRole").is_none());
    assert_eq!(props_of(&t, "P")["ServiceRole"], json!({"Fn::GetAtt": ["CiRole", "Arn"]}));
    assert_eq!(statements(&t, "CiRoleDefaultPolicy").len(), 2);
}

#[test]
fn grants_reach_the_project_role() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let project = Project::new(&mut s, "P", ProjectProps::new(Source::CodePipeline));
    let queue = Queue::new(&mut s, "Q", QueueProps::new());
    queue.grant_send(&mut s, &project);
    let t = template(&app, "S");
    assert_eq!(
        statements(&t, "PRoleDefaultPolicy")[2],
        json!({
            "Effect": "Allow",
            "Action": ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
            "Resource": {"Fn::GetAtt": ["Q", "Arn"]}
        })
    );
}

#[test]
fn handles_and_names() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let project = Project::new(
        &mut s,
        "P",
        ProjectProps::new(Source::CodePipeline)
            .project_name("myapp-build")
            .description("Builds the image"),
    );
    let handle: stackwright_aws::codebuild::ProjectRef = project.into();
    assert_eq!(handle, project.resource());
    assert_eq!(handle.id(), project.resource().id());
    assert_eq!(project.project_name(), project.resource().reference());
    assert_eq!(project.arn(), project.resource().arn());
    assert!(project.log_group().is_some());
    let t = template(&app, "S");
    assert_eq!(props_of(&t, "P")["Name"], "myapp-build");
    assert_eq!(props_of(&t, "P")["Description"], "Builds the image");
    assert_eq!(
        errors(&app_with(ProjectProps::new(Source::CodePipeline).project_name("my app"))),
        [
            "S/P: project name `my app` must be 2 to 255 letters, digits, `-` and `_`, starting with a letter or digit"
        ]
    );
}

#[test]
fn synthesis_is_deterministic() {
    for format in [Format::Json, Format::Yaml] {
        let a = article_app().synth(format).unwrap_or_else(|d| panic!("{d}"));
        let b = article_app().synth(format).unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(a.files(), b.files());
    }
}

#[test]
fn secrets_named_by_expressions_must_be_granted_by_hand() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let queue = Queue::new(&mut s, "Q", QueueProps::new());
    Project::new(
        &mut s,
        "P",
        ProjectProps::new(Source::CodePipeline)
            .environment_variable("DB", EnvironmentVariable::parameter_store(queue.queue_url())),
    );
    assert_eq!(
        warnings(&app),
        [
            "S/P: environment variable `DB` names its parameter or secret with an expression, so the role gets no read access to it; grant it with add_to_role_policy"
        ]
    );
}

#[test]
fn the_output_folder_must_be_a_path_inside_the_repository() {
    let app = app_with(
        ProjectProps::new(Source::CodePipeline)
            .buildspec(BuildSpecLocation::Companion(article_buildspec(), "buildspec.yml".into())),
    );
    for given in ["../stacks", "/abs/stacks", r"infra\stacks", "infra/../../x"] {
        let errors: Vec<String> = match app.synth_for_source(Format::Json, given) {
            Ok(_) => panic!("`{given}` was accepted"),
            Err(d) => d.errors.iter().map(ToString::to_string).collect(),
        };
        assert_eq!(
            errors,
            [format!(
                "the output folder's place in the source, `{given}`, is not a relative \
                 `/`-separated path inside the repository; give one such as `stacks` or \
                 `infra/stacks`"
            )]
        );
    }
}

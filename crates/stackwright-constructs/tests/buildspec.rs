//! The typed buildspec: the article's buildspec, rendering, and every check's message.
#![allow(clippy::panic)] // assertions panic

#[path = "common/article.rs"]
mod article;

use article::article_buildspec;
use serde_json::json;
use stackwright_constructs::codebuild::{
    Artifacts, BuildSpec, OnFailure, Phase, Report, ReportFormat, Shell,
};

fn parse(yaml: &str) -> serde_json::Value {
    serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"))
}

#[test]
fn the_article_buildspec_is_reproduced() {
    let spec = article_buildspec();
    let yaml = spec.to_yaml();
    // The article's buildspec.yml, nesting restored, as the document YAML parses to.
    let article = json!({
        "version": 0.2,
        "env": {
            "variables": {"NODE_ENV": "production", "AWS_DEFAULT_REGION": "us-east-1"},
            "parameter-store": {"DB_PASSWORD": "/myapp/prod/db-password"},
            "secrets-manager": {"API_KEY": "prod/myapp:api_key"}
        },
        "phases": {
            "install": {
                "runtime-versions": {"nodejs": 18},
                "commands": ["echo \"Installing dependencies...\"", "npm ci"]
            },
            "pre_build": {
                "commands": [
                    "echo \"Running tests...\"",
                    "npm test",
                    "echo \"Logging in to ECR...\"",
                    "aws ecr get-login-password --region $AWS_DEFAULT_REGION | docker login --username AWS --password-stdin $ECR_REPO_URI"
                ]
            },
            "build": {
                "commands": [
                    "echo \"Building Docker image...\"",
                    "docker build -t $ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION .",
                    "docker tag $ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION $ECR_REPO_URI:latest"
                ]
            },
            "post_build": {
                "commands": [
                    "echo \"Pushing to ECR...\"",
                    "docker push $ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION",
                    "docker push $ECR_REPO_URI:latest",
                    "echo \"Writing image definitions file...\"",
                    "printf '[{\"name\":\"myapp\",\"imageUri\":\"%s\"}]' $ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION > imagedefinitions.json"
                ]
            }
        },
        "artifacts": {"files": ["imagedefinitions.json", "appspec.yml", "taskdef.json"]},
        "cache": {"paths": ["/root/.npm/**/*", "node_modules/**/*"]}
    });
    assert_eq!(parse(&yaml), article, "YAML was:\n{yaml}");
    assert_eq!(spec.to_json_value(), article);
    // Sections in the order AWS documents them.
    let top: Vec<&str> =
        yaml.lines().filter(|l| !l.starts_with(' ') && !l.starts_with('-')).collect();
    assert_eq!(top, ["version: 0.2", "env:", "phases:", "artifacts:", "cache:"]);
    assert!(yaml.contains("  install:\n    runtime-versions:\n      nodejs: 18\n"));
    // The article's practices hold: nothing to report.
    assert_eq!(spec.errors(), Vec::<String>::new());
    assert_eq!(spec.warnings(), Vec::<String>::new());
}

#[test]
fn rendering_is_deterministic_and_reads_back() {
    let a = article_buildspec().to_yaml();
    let b = article_buildspec().to_yaml();
    assert_eq!(a, b);
    assert_eq!(parse(&a), article_buildspec().to_json_value());
}

#[test]
fn every_section_renders_in_documented_order() {
    let spec = BuildSpec::new()
        .run_as("builder")
        .shell(Shell::Bash)
        .variable("STAGE", "prod")
        .parameter_store("DB_URL", "/app/db-url")
        .exported_variable("IMAGE_TAG")
        .secrets_manager("TOKEN_FROM_SM", "ci/token")
        .git_credential_helper(true)
        .install(
            Phase::new()
                .on_failure(OnFailure::Abort)
                .run_as("root")
                .runtime_version("python", "3.10")
                .runtime_version("java", "corretto17")
                .command("pip install -r requirements.txt")
                .finally(["echo done"]),
        )
        .build(
            Phase::with_commands(["pytest --junitxml=reports/unit.xml"])
                .on_failure(OnFailure::Other("RETRY-2".into())),
        )
        .report(
            "unit",
            Report::new(["unit.xml"])
                .base_directory("reports")
                .discard_paths(true)
                .file_format(ReportFormat::JunitXml),
        )
        .report("coverage", Report::new(["coverage.xml"]).file_format(ReportFormat::CoberturaXml))
        .artifacts(
            Artifacts::new(["**/*"])
                .name("bundle")
                .discard_paths(false)
                .base_directory("dist")
                .exclude_paths(["**/*.map"])
                .enable_symlinks(true)
                .s3_prefix("builds")
                .secondary("docs", Artifacts::new(["docs/**/*"])),
        );
    assert_eq!(spec.errors(), Vec::<String>::new());
    assert_eq!(
        spec.to_yaml(),
        "\
version: 0.2
run-as: builder
env:
  shell: bash
  variables:
    STAGE: prod
  parameter-store:
    DB_URL: /app/db-url
  exported-variables:
    - IMAGE_TAG
  secrets-manager:
    TOKEN_FROM_SM: ci/token
  git-credential-helper: 'yes'
phases:
  install:
    run-as: root
    on-failure: ABORT
    runtime-versions:
      python: '3.10'
      java: corretto17
    commands:
      - pip install -r requirements.txt
    finally:
      - echo done
  build:
    on-failure: RETRY-2
    commands:
      - pytest --junitxml=reports/unit.xml
reports:
  unit:
    files:
      - unit.xml
    base-directory: reports
    discard-paths: 'yes'
    file-format: JUNITXML
  coverage:
    files:
      - coverage.xml
    file-format: COBERTURAXML
artifacts:
  files:
    - '**/*'
  name: bundle
  discard-paths: 'no'
  base-directory: dist
  exclude-paths:
    - '**/*.map'
  enable-symlinks: 'yes'
  s3-prefix: builds
  secondary-artifacts:
    docs:
      files:
        - docs/**/*
"
    );
    // `3.10` must stay a string: as a number YAML would read it as 3.1.
    assert_eq!(spec.to_json_value()["phases"]["install"]["runtime-versions"]["python"], "3.10");
}

#[test]
fn setting_a_value_again_replaces_it() {
    let spec = BuildSpec::new()
        .variable("A", "1")
        .variable("B", "2")
        .variable("A", "3")
        .build(Phase::with_commands(["make"]));
    assert_eq!(spec.to_json_value()["env"]["variables"], json!({"A": "3", "B": "2"}));
}

fn build() -> Phase {
    Phase::with_commands(["make"])
}

#[test]
fn a_buildspec_needs_commands() {
    assert_eq!(
        BuildSpec::new().errors(),
        ["the buildspec has no commands; give at least one phase commands"]
    );
    let spec = BuildSpec::new()
        .install(Phase::new().runtime_version("nodejs", "20"))
        .pre_build(Phase::new())
        .post_build(Phase::new().finally(["echo bye"]));
    assert_eq!(
        spec.errors(),
        [
            "the buildspec has no commands; give at least one phase commands",
            "phases.pre_build is empty; give it commands or leave it out",
            "phases.post_build: a finally block runs after commands; add commands or drop finally",
        ]
    );
}

#[test]
fn phase_checks() {
    let spec = BuildSpec::new()
        .build(
            Phase::with_commands(["make", "  "])
                .runtime_version("nodejs", "20")
                .on_failure(OnFailure::Other("SKIP".into())),
        )
        .post_build(Phase::with_commands(["make"]).on_failure(OnFailure::Other("RETRY".into())))
        .install(Phase::new().runtime_version("nodejs", "").command("npm ci"));
    assert_eq!(
        spec.errors(),
        [
            "phases.install: runtime-versions `nodejs: ` needs both a runtime and a version",
            "phases.build: runtime-versions belong in the install phase",
            "phases.build: on-failure `SKIP` is not ABORT, CONTINUE, RETRY, RETRY-<count>, RETRY-<regex> or RETRY-<count>-<regex>",
            "phases.build: command 2 is empty",
        ]
    );
}

#[test]
fn variable_names_are_checked() {
    let spec = BuildSpec::new()
        .variable("1BAD", "x")
        .parameter_store("MY-PARAM", "/a")
        .secrets_manager("CODEBUILD_TOKEN", "ci/token")
        .exported_variable("")
        .build(build());
    assert_eq!(
        spec.errors(),
        [
            "env.variables: `1BAD` is not a valid variable name; use letters, digits and `_`, not starting with a digit",
            "env.parameter-store: `MY-PARAM` is not a valid variable name; use letters, digits and `_`, not starting with a digit",
            "env.secrets-manager: `CODEBUILD_TOKEN` starts with CODEBUILD_, a prefix CodeBuild reserves for its own variables",
            "env.exported-variables: `` is not a valid variable name; use letters, digits and `_`, not starting with a digit",
        ]
    );
}

#[test]
fn secrets_come_only_from_parameter_store_or_secrets_manager() {
    let spec = BuildSpec::new()
        .variable("DB_PASSWORD", "hunter2")
        .parameter_store("DB_PASSWORD", "/myapp/prod/db-password")
        .secrets_manager("DB_PASSWORD", "prod/db")
        .variable("GITHUB", "{{resolve:secretsmanager:gh:SecretString:token}}")
        .exported_variable("DB_PASSWORD")
        .parameter_store("EMPTY", " ")
        .secrets_manager("NONE", ":key")
        .build(build());
    assert_eq!(
        spec.errors(),
        [
            "env: `DB_PASSWORD` is defined in both env.variables and env.parameter-store; define it once",
            "env: `DB_PASSWORD` is defined in both env.variables and env.secrets-manager; define it once",
            "env: `DB_PASSWORD` is defined in both env.parameter-store and env.secrets-manager; define it once",
            "env.variables: `GITHUB` holds a `{{resolve:...}}` dynamic reference, which CodeBuild does not resolve; read secrets through env.parameter-store or env.secrets-manager",
            "env.exported-variables: `DB_PASSWORD` comes from env.parameter-store; exported variables are visible in the pipeline, so never export a secret",
            "env.exported-variables: `DB_PASSWORD` comes from env.secrets-manager; exported variables are visible in the pipeline, so never export a secret",
            "env.parameter-store: `EMPTY` must name an SSM parameter, such as /myapp/prod/db-password",
            "env.secrets-manager: `NONE` must name a secret: secret-id[:json-key[:version-stage[:version-id]]]",
        ]
    );
}

#[test]
fn artifacts_reports_and_cache_need_files() {
    let spec = BuildSpec::new()
        .build(build())
        .artifacts(Artifacts::new(Vec::<String>::new()).secondary("bad id", Artifacts::default()))
        .report("x", Report::new(Vec::<String>::new()))
        .report(
            "arn:aws:codebuild:us-east-1:123456789012:report-group/unit",
            Report::new(["a.xml"]),
        )
        .cache_paths(Vec::<String>::new());
    assert_eq!(
        spec.errors(),
        [
            "reports: `x` is not a report group name (2 to 128 letters, digits, `-` and `_`, starting with a letter or digit) or ARN",
            "reports.x: `files` is empty; list the report files",
            "artifacts: `files` is empty; list the files to upload (`**/*` for all)",
            "artifacts.secondary-artifacts: `bad id` is not an artifact identifier; use letters, digits and `_`",
            "artifacts.secondary-artifacts.bad id: `files` is empty; list the files to upload (`**/*` for all)",
            "cache: `paths` is empty; list the paths to keep between builds, or leave cache out",
        ]
    );
}

#[test]
fn plaintext_variables_that_look_secret_are_warned_about() {
    let spec = BuildSpec::new()
        .variable("db_Password", "x")
        .variable("GITHUB_TOKEN", "x")
        .variable("STRIPE_API_KEY", "x")
        .variable("SSH_PRIVATE_KEY", "x")
        .variable("CLIENT_SECRET", "x")
        .variable("AWS_CREDENTIALS", "x")
        .variable("SOMETHING", "AKIAIOSFODNN7EXAMPLE")
        .variable("SESSION", "ASIAIOSFODNN7EXAMPLE")
        .variable("NODE_ENV", "production")
        .build(build());
    let secret = |n: &str| {
        format!(
            "env.variables: `{n}` looks like a secret but is plain text; read it through env.parameter-store or env.secrets-manager"
        )
    };
    let key = |n: &str| {
        format!(
            "env.variables: `{n}` holds what looks like an AWS access key ID; never put credentials in plain text, the build runs with the project's role"
        )
    };
    assert_eq!(
        spec.warnings(),
        [
            secret("db_Password"),
            secret("GITHUB_TOKEN"),
            secret("STRIPE_API_KEY"),
            secret("SSH_PRIVATE_KEY"),
            secret("CLIENT_SECRET"),
            secret("AWS_CREDENTIALS"),
            key("SOMETHING"),
            key("SESSION"),
        ]
    );
    assert_eq!(spec.errors(), Vec::<String>::new());
}

#[test]
fn images_pushed_only_as_latest_are_warned_about() {
    let latest = |push: &str| {
        BuildSpec::new().build(Phase::with_commands(["docker build -t $REPO .", push])).warnings()
    };
    let message = |shown: &str| {
        format!(
            "the buildspec pushes images only with the `latest` tag (`{shown}`); also tag and push them with the source revision ($CODEBUILD_RESOLVED_SOURCE_VERSION) so every deployment traces to a commit"
        )
    };
    assert_eq!(latest("docker push $REPO:latest"), [message("docker push $REPO:latest")]);
    assert_eq!(latest("docker push $REPO"), [message("docker push $REPO")]);
    assert_eq!(
        latest("docker push 123456789012.dkr.ecr.us-east-1.amazonaws.com/app"),
        [message("docker push 123456789012.dkr.ecr.us-east-1.amazonaws.com/app")]
    );
    assert_eq!(
        latest("docker push $REPO:$CODEBUILD_RESOLVED_SOURCE_VERSION"),
        Vec::<String>::new()
    );
    assert_eq!(latest("docker push --all-tags $REPO"), Vec::<String>::new());
    // Any push of another tag, anywhere in the buildspec, clears it.
    let both = BuildSpec::new()
        .build(Phase::with_commands(["docker push $REPO:latest"]))
        .post_build(Phase::with_commands(["docker push $REPO:v1.2 && echo ok"]));
    assert_eq!(both.warnings(), Vec::<String>::new());
}

#[test]
fn tests_after_the_image_build_are_warned_about() {
    let message = |t: &str| {
        format!(
            "the buildspec runs tests (`{t}`) only after `docker build`; run them first (in pre_build) so a failing test stops the build before the image is built"
        )
    };
    for test in ["npm test", "pytest -q", "cargo test", "go test ./...", "mvn test", "gradle test"]
    {
        let spec = BuildSpec::new()
            .build(Phase::with_commands(["docker build -t app:$TAG ."]))
            .post_build(Phase::with_commands([test, "docker push app:$TAG"]));
        let shown = test.split(" -").next().unwrap_or(test).trim_end_matches(" ./...");
        assert_eq!(spec.warnings(), [message(shown)], "{test}");
    }
    // Tests in pre_build, as the article does: fine.
    let spec = BuildSpec::new()
        .pre_build(Phase::with_commands(["npm test"]))
        .build(Phase::with_commands(["docker build -t app:$TAG ."]))
        .post_build(Phase::with_commands(["npm test"]));
    assert_eq!(spec.warnings(), Vec::<String>::new());
    // No image build: nothing to say about test order.
    let spec = BuildSpec::new().post_build(Phase::with_commands(["npm test"]));
    assert_eq!(spec.warnings(), Vec::<String>::new());
    // `echo` mentioning docker is not a docker command.
    let spec = BuildSpec::new()
        .pre_build(Phase::with_commands(["echo docker build next"]))
        .build(Phase::with_commands(["npm test"]));
    assert_eq!(spec.warnings(), Vec::<String>::new());
}

//! The article's artifacts built with the API, shared by the tests that check them.

use stackwright_constructs::codebuild::{Artifacts, BuildSpec, Phase};

/// The article's buildspec, built with the API.
pub fn article_buildspec() -> BuildSpec {
    BuildSpec::new()
        .variable("NODE_ENV", "production")
        .variable("AWS_DEFAULT_REGION", "us-east-1")
        .parameter_store("DB_PASSWORD", "/myapp/prod/db-password")
        .secrets_manager("API_KEY", "prod/myapp:api_key")
        .install(
            Phase::new()
                .runtime_version("nodejs", "18")
                .commands(["echo \"Installing dependencies...\"", "npm ci"]),
        )
        .pre_build(Phase::with_commands([
            "echo \"Running tests...\"",
            "npm test",
            "echo \"Logging in to ECR...\"",
            "aws ecr get-login-password --region $AWS_DEFAULT_REGION | docker login --username AWS --password-stdin $ECR_REPO_URI",
        ]))
        .build(Phase::with_commands([
            "echo \"Building Docker image...\"",
            "docker build -t $ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION .",
            "docker tag $ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION $ECR_REPO_URI:latest",
        ]))
        .post_build(Phase::with_commands([
            "echo \"Pushing to ECR...\"",
            "docker push $ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION",
            "docker push $ECR_REPO_URI:latest",
            "echo \"Writing image definitions file...\"",
            r#"printf '[{"name":"myapp","imageUri":"%s"}]' $ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION > imagedefinitions.json"#,
        ]))
        .artifacts(Artifacts::new([
            "imagedefinitions.json",
            "appspec.yml",
            "taskdef.json",
        ]))
        .cache_paths(["/root/.npm/**/*", "node_modules/**/*"])
}

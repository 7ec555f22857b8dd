//! How long rendering a pipeline as a GitHub Actions workflow takes.
//!
//! `cargo bench -p stackwright-constructs --bench pipeline_workflow` builds the flagship's
//! delivery shape (GitHub source, a Docker build with parameters and secrets, a manual
//! approval, an ECS deploy) with its workflow and role, then times, over many runs, turning
//! the pipeline's stages into the workflow, checking it and rendering the YAML, and prints the
//! median and the 99th percentile. It fails when the median reaches 1 ms.
//!
//! Without `--bench` (as when `cargo test --all-targets` runs it) it renders once and checks
//! the output is the same twice, so the test suite stays fast.

use std::hint::black_box;
use std::time::{Duration, Instant};

use stackwright_constructs::codebuild::{
    Artifacts, BuildSpec, BuildSpecLocation, Phase, Project, ProjectProps, Source,
};
use stackwright_constructs::codepipeline::{
    Artifact, CodeBuildAction, CodeStarConnectionSource, EcsDeploy, ManualApproval, Pipeline,
    PipelineProps,
};
use stackwright_constructs::github::{
    GithubOidcProvider, GithubRole, GithubRoleProps, GithubSubject, PipelineWorkflow,
    PipelineWorkflowProps,
};
use stackwright_core::{App, Environment};

const RUNS: usize = 20_000;
const CONNECTION: &str = "arn:aws:codestar-connections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";

fn delivery() -> (App, PipelineWorkflow) {
    let mut app = App::new();
    let mut s = app.stack("Delivery");
    s.set_environment(Environment::new("123456789012", "us-east-1"));
    let spec = BuildSpec::new()
        .variable("NODE_ENV", "production")
        .parameter_store("DB_PASSWORD", "/myapp/prod/db-password")
        .secrets_manager("API_KEY", "prod/myapp:api_key")
        .install(Phase::with_commands(["npm ci"]))
        .pre_build(Phase::with_commands(["npm test"]))
        .build(Phase::with_commands(["docker build -t \"$ECR_REPO_URI:$IMAGE_TAG\" ."]))
        .post_build(Phase::with_commands([
            "docker push \"$ECR_REPO_URI:$IMAGE_TAG\"",
            "printf '[{\"name\":\"myapp\",\"imageUri\":\"%s\"}]' \"$ECR_REPO_URI:$IMAGE_TAG\" > imagedefinitions.json",
        ]))
        .artifacts(Artifacts::new(["imagedefinitions.json"]));
    let project = Project::new(
        &mut s,
        "Build",
        ProjectProps::new(Source::CodePipeline).buildspec(BuildSpecLocation::Inline(spec)),
    );
    let (source, built) = (Artifact::new("Source"), Artifact::new("Built"));
    let pipeline = Pipeline::new(&mut s, "Pipeline", PipelineProps::new());
    pipeline.add_stage(
        &mut s,
        "Source",
        [CodeStarConnectionSource::new(
            "GitHubSource",
            CONNECTION,
            "my-org/my-app",
            "main",
            &source,
        )],
    );
    pipeline.add_stage(
        &mut s,
        "Build",
        [CodeBuildAction::new("DockerBuild", &project, &source).output(&built)],
    );
    pipeline.add_stage(&mut s, "ApproveProduction", [ManualApproval::new("ManualApproval")]);
    pipeline.add_stage(
        &mut s,
        "DeployProduction",
        [EcsDeploy::from_names("DeployECS", "production", "myapp-service", &built)],
    );
    let provider = GithubOidcProvider::new(&mut s, "GithubOidc");
    let role = GithubRole::new(
        &mut s,
        "DeliveryRole",
        &provider,
        GithubRoleProps::new("my-app-delivery", [GithubSubject::branch("my-org/my-app", "main")]),
    );
    let workflow = PipelineWorkflow::new(
        &mut s,
        "Workflow",
        &pipeline,
        &role,
        PipelineWorkflowProps::new("delivery", "Delivery", "us-east-1"),
    );
    (app, workflow)
}

fn main() {
    let (app, workflow) = delivery();
    let Some(yaml) = workflow.render_yaml(&app) else {
        eprintln!(
            "the workflow does not render: {:?}",
            app.synth(stackwright_core::Format::Json).err()
        );
        std::process::exit(1);
    };
    if !std::env::args().any(|a| a == "--bench") {
        assert_eq!(workflow.render_yaml(&app).as_deref(), Some(yaml.as_str()));
        return;
    }
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            black_box(workflow.render_yaml(black_box(&app)));
            start.elapsed()
        })
        .collect();
    times.sort();
    let (median, p99) = (times[RUNS / 2], times[RUNS * 99 / 100]);
    println!("pipeline as a workflow, {} bytes of YAML, {RUNS} runs:", yaml.len());
    println!("  stages to workflow, check and render   median {median:>10.2?}   p99 {p99:>10.2?}");
    if median >= Duration::from_millis(1) {
        eprintln!("rendering takes {median:?}, over the 1 ms budget");
        std::process::exit(1);
    }
}

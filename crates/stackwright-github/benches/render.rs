//! How long building, checking and rendering the "Deploy to ECS" workflow takes.
//!
//! `cargo bench -p stackwright-github` builds the workflow (with the image rendered into
//! the task definition), then times, over many runs, building the model, checking it, and
//! rendering it to YAML (checks included), and prints the median and the 99th percentile
//! of each. Plain `std` timing, no criterion, like the core benchmark.
//!
//! Without `--bench` (as when `cargo test --all-targets` runs it) it renders once and checks
//! the output is the same twice, so the test suite stays fast.

use std::hint::black_box;
use std::time::{Duration, Instant};

use stackwright_github::actions::{
    checkout, configure_aws_credentials, ecr_login, ecs_deploy_task_definition,
    ecs_render_task_definition,
};
use stackwright_github::{
    Access, Expr, IdToken, Job, Permissions, Push, RunsOn, Step, Text, Workflow,
};

const RUNS: usize = 20_000;

fn deploy_to_ecs() -> Workflow {
    let mut wf = Workflow::new("deploy-ecs", "Deploy to ECS");
    wf.on_push(Push::new().branches(["main"]));
    let deploy = wf.job(
        "deploy",
        Job::new(
            RunsOn::ubuntu_latest(),
            Permissions::none().id_token(IdToken::Write).contents(Access::Read),
        ),
    );
    wf.step(deploy, checkout());
    wf.step(
        deploy,
        configure_aws_credentials("arn:aws:iam::123456789012:role/GitHubActionsRole", "us-east-1")
            .name("Configure AWS credentials"),
    );
    let login = wf.step(deploy, ecr_login().name("Login to ECR").id("ecr-login"));
    wf.step(
        deploy,
        Step::run(
            "docker build -t $ECR_REGISTRY/myapp:$IMAGE_TAG .\ndocker push $ECR_REGISTRY/myapp:$IMAGE_TAG\n",
        )
        .name("Build and push image")
        .env("ECR_REGISTRY", login.registry())
        .env("IMAGE_TAG", Expr::github_sha()),
    );
    let image = Text::from(login.registry()).push("/myapp:").push(Expr::github_sha());
    let task_def =
        wf.step(deploy, ecs_render_task_definition("taskdef.json", "myapp", image).id("task-def"));
    wf.step(
        deploy,
        ecs_deploy_task_definition(task_def.task_definition())
            .name("Deploy to ECS")
            .service("myapp-service")
            .cluster("production")
            .wait_for_service_stability(true),
    );
    wf
}

/// Median and 99th percentile of `f` over `RUNS` runs.
fn time<T>(mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[RUNS / 2], times[RUNS * 99 / 100])
}

fn main() {
    let wf = deploy_to_ecs();
    let yaml = match wf.render("cargo run -- synth") {
        Ok(r) => r.yaml,
        Err(report) => {
            eprintln!("{report}");
            std::process::exit(1);
        }
    };
    if !std::env::args().any(|a| a == "--bench") {
        let again = deploy_to_ecs().render("cargo run -- synth").map(|r| r.yaml);
        assert_eq!(again.as_deref(), Ok(yaml.as_str()));
        return;
    }
    println!("Deploy to ECS workflow, {} bytes of YAML, {RUNS} runs each:", yaml.len());
    for (what, (median, p99)) in [
        ("build the model", time(deploy_to_ecs)),
        ("check", time(|| wf.check())),
        ("check and render", time(|| wf.render("cargo run -- synth"))),
    ] {
        println!("  {what:<18} median {median:>10.2?}   p99 {p99:>10.2?}");
    }
}

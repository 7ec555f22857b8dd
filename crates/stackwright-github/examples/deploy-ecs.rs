//! Writes the "Deploy to ECS" workflow (with the image rendered into the task definition)
//! and a release workflow using every part of the model into the folder given as the first
//! argument, and prints their warnings:
//! `cargo run -p stackwright-github --example deploy-ecs -- DIR`. CI lints the result with
//! `cargo xtask lint-workflows DIR`.

use std::process::ExitCode;

use stackwright_github::actions::{
    Capability, checkout, cloudformation_deploy, configure_aws_credentials, ecr_login,
    ecs_deploy_task_definition, ecs_render_task_definition, sam_build, sam_deploy, setup_sam,
};
use stackwright_github::{
    Access, Concurrency, Container, Defaults, Dispatch, Environment, Expr, IdToken, Input, Job,
    Matrix, Permissions, PullRequest, Push, ReadAccess, RunsOn, Shell, Step, Strategy, Text,
    Workflow,
};

const ROLE: &str = "arn:aws:iam::123456789012:role/Deploy";

fn workflow() -> Workflow {
    let mut wf = Workflow::new("deploy-ecs", "Deploy to ECS");
    wf.on_push(Push::new().branches(["main"]));
    wf.concurrency(Concurrency::new(Text::from("deploy-").push(Expr::github_ref())));
    let deploy = wf.job(
        "deploy",
        Job::new(
            RunsOn::ubuntu_latest(),
            Permissions::none().id_token(IdToken::Write).contents(Access::Read),
        )
        .timeout_minutes(30),
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
            "docker build -t \"$ECR_REGISTRY/myapp:$IMAGE_TAG\" .\ndocker push \"$ECR_REGISTRY/myapp:$IMAGE_TAG\"\n",
        )
        .name("Build and push image")
        .env("ECR_REGISTRY", login.registry())
        .env("IMAGE_TAG", Expr::github_sha()),
    );
    let image = Text::from(login.registry()).push("/myapp:").push(Expr::github_sha());
    let task_def = wf.step(
        deploy,
        ecs_render_task_definition("taskdef.json", "myapp", image)
            .name("Render the image into the task definition")
            .id("task-def"),
    );
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

/// A release workflow that uses every part of the model, so CI checks all of it against
/// GitHub's schema and zizmor.
fn release() -> Workflow {
    let mut wf = Workflow::new("release", "Release");
    wf.on_push(Push::new().tags(["v*"]).paths_ignore(["docs/**"]))
        .on_pull_request(PullRequest::new().types(["opened", "synchronize"]).branches(["main"]))
        .on_dispatch(
            Dispatch::new()
                .input(
                    "stage",
                    Input::choice("Stage", ["beta", "prod"]).default_str("beta").required(),
                )
                .input("dry", Input::boolean("Dry run").default_bool(true))
                .input("count", Input::number("How many").default_number(2))
                .input("note", Input::string("A note"))
                .input("target", Input::environment("Target")),
        )
        .on_schedule("0 5 * * MON")
        .permissions(Permissions::none())
        .env("APP", "orders")
        .defaults(Defaults::new().shell(Shell::Bash).working_directory("app"))
        .concurrency(
            Concurrency::new(Text::from("release-").push(Expr::github_ref()))
                .cancel_in_progress(true),
        );
    let test = wf.job(
        "test",
        Job::new(
            RunsOn::from(Expr::matrix("os")),
            Permissions::none().contents(Access::Read).models(ReadAccess::Read),
        )
        .name("Test")
        .strategy(
            Strategy::new(
                Matrix::new()
                    .axis("os", ["ubuntu-latest", "macos-latest"])
                    .axis("shard", [1i64, 2])
                    .include([("os", "ubuntu-latest"), ("extra", "true")])
                    .exclude([("os", "macos-latest")]),
            )
            .fail_fast(false)
            .max_parallel(2),
        )
        .service(
            "db",
            Container::new("postgres:16")
                .env("POSTGRES_DB", "test")
                .port("5432:5432")
                .options("--health-cmd pg_isready"),
        )
        .timeout_minutes(20),
    );
    wf.step(test, checkout().fetch_depth(0));
    let version = wf.step(
        test,
        Step::run("echo \"version=$(cat VERSION)\" >> \"$GITHUB_OUTPUT\"")
            .id("version")
            .shell(Shell::Sh),
    );
    wf.job_output(test, "version", version.output("version"));
    let deploy = wf.job(
        "deploy",
        Job::new(
            "ubuntu-24.04",
            Permissions::none().id_token(IdToken::Write).contents(Access::Read),
        )
        .needs(test)
        .if_(Expr::github_ref().eq("refs/heads/main").and(Expr::input("dry").not()))
        .environment(Environment::new(Expr::input("stage")).url("https://example.com"))
        .env("VERSION", test.output("version"))
        .container(
            Container::new("public.ecr.aws/sam/build-python3.12:1.142.1")
                .credentials("AWS", Expr::secret("ECR_PASSWORD")),
        )
        .continue_on_error(true),
    );
    wf.step(deploy, checkout());
    wf.step(
        deploy,
        configure_aws_credentials(ROLE, "eu-west-1")
            .role_session_name("release")
            .role_duration_seconds(3600),
    );
    wf.step(
        deploy,
        cloudformation_deploy("orders", "stacks/Orders.template.json")
            .capabilities(&[Capability::Iam, Capability::AutoExpand])
            .parameter_overrides(&[("Stage", "prod"), ("Size", "2")])
            .no_fail_on_empty_changeset(true),
    );
    wf.step(deploy, setup_sam());
    wf.step(deploy, sam_build("template.yaml"));
    wf.step(
        deploy,
        sam_deploy("orders-api", &[Capability::Iam], &[("Stage", "prod")]).name("SAM deploy"),
    );
    wf.step(
        deploy,
        ecs_deploy_task_definition("taskdef.json")
            .service("web")
            .cluster("prod")
            .codedeploy("appspec.yaml", "orders", "orders-web")
            .wait_for_service_stability(true)
            .if_(Expr::success())
            .continue_on_error(true)
            .timeout_minutes(30),
    );
    wf
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: deploy-ecs DIR");
        return ExitCode::FAILURE;
    };
    for wf in [workflow(), release()] {
        let rendered =
            match wf.render("cargo run -p stackwright-github --example deploy-ecs -- DIR") {
                Ok(r) => r,
                Err(report) => {
                    eprintln!("{report}");
                    return ExitCode::FAILURE;
                }
            };
        for w in &rendered.warnings {
            eprintln!("warning[{}] {w}", w.code);
        }
        let path = std::path::Path::new(&dir).join(&rendered.file_name);
        if let Err(e) =
            std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, rendered.yaml))
        {
            eprintln!("{}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

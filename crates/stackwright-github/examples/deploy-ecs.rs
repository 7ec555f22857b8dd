//! Writes the "Deploy to ECS" workflow (with the image rendered into the task definition)
//! into the folder given as the first argument, as `deploy-ecs.yml`, and prints its
//! warnings: `cargo run -p stackwright-github --example deploy-ecs -- DIR`. CI lints the
//! result with `cargo xtask lint-workflows DIR`.

use std::process::ExitCode;

use stackwright_github::actions::{
    checkout, configure_aws_credentials, ecr_login, ecs_deploy_task_definition,
    ecs_render_task_definition,
};
use stackwright_github::{
    Access, Concurrency, Expr, IdToken, Job, Permissions, Push, RunsOn, Step, Text, Workflow,
};

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

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: deploy-ecs DIR");
        return ExitCode::FAILURE;
    };
    let rendered =
        match workflow().render("cargo run -p stackwright-github --example deploy-ecs -- DIR") {
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
    ExitCode::SUCCESS
}

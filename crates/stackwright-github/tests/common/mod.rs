//! What the tests share: the article's workflow built with the model, and a YAML reader.

#![allow(dead_code)]

use stackwright_github::actions::{
    checkout, configure_aws_credentials, ecr_login, ecs_deploy_task_definition,
    ecs_render_task_definition,
};
use stackwright_github::{
    Access, Expr, IdToken, Job, Permissions, Push, RunsOn, Step, Text, Workflow,
};

pub const ROLE: &str = "arn:aws:iam::123456789:role/GitHubActionsRole";
pub const REGENERATE: &str = "cargo run -- synth";

/// The article's "Deploy to ECS" workflow. `render_image` puts the render-task-definition
/// step between the build and the deploy, which deploying the new image needs; `tag` is the
/// deploy action's tag (the article's `v1`, or the default).
pub fn deploy_to_ecs(render_image: bool, deploy_tag: Option<&str>) -> Workflow {
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
    wf.step(deploy, configure_aws_credentials(ROLE, "us-east-1").name("Configure AWS credentials"));
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
    let task_definition: Text = if render_image {
        let image = Text::from(login.registry()).push("/myapp:").push(Expr::github_sha());
        let rendered = wf.step(
            deploy,
            ecs_render_task_definition("taskdef.json", "myapp", image)
                .name("Render the image into the task definition")
                .id("task-def"),
        );
        rendered.task_definition().into()
    } else {
        "taskdef.json".into()
    };
    let mut step = ecs_deploy_task_definition(task_definition)
        .name("Deploy to ECS")
        .service("myapp-service")
        .cluster("production")
        .wait_for_service_stability(true);
    if let Some(tag) = deploy_tag {
        step = step.tag(tag);
    }
    wf.step(deploy, step);
    wf
}

/// Reads YAML text into JSON values.
pub fn parse(yaml: &str) -> serde_json::Value {
    serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"))
}

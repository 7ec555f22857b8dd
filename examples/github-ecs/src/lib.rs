//! The "Deploy to ECS" GitHub Actions workflow and the AWS side it needs, in one app: GitHub's
//! OIDC provider and the role the workflow assumes, trusted only for `main` of the
//! repository and allowed only what the job does (push to the `myapp` repository, deploy a
//! new task definition revision to `myapp-service` in `production`, pass the task's two
//! roles). The workflow is written into the workflow folder in the same synth, and names the
//! role by the ARN the stack gives it.
//!
//! Beyond the steps of the hand-written original, the image is rendered into the task
//! definition before the deploy, so the service runs the image just built.

use stackwright::ecr::{Repository, RepositoryEncryption, RepositoryProps};
use stackwright::github::actions::{
    checkout, configure_aws_credentials, ecr_login, ecs_deploy_task_definition,
    ecs_render_task_definition,
};
use stackwright::github::{
    Access, Expr, GithubOidcProvider, GithubRole, GithubRoleProps, GithubSubject, IdToken, Job,
    Permissions, Push, RunsOn, Step, Text, Workflow,
};
use stackwright::prelude::*;

/// The account and region everything lives in.
pub const ACCOUNT: &str = "123456789012";
/// The region.
pub const REGION: &str = "us-east-1";
/// The roles ECS gives the service's tasks, which the deploy passes on.
pub const TASK_ROLES: [&str; 2] = [
    "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
    "arn:aws:iam::123456789012:role/myapp-task-role",
];

/// The workflow: on a push to `main`, build the image tagged with the commit, push it, render
/// it into `taskdef.json` and deploy that to the service, waiting until it is stable.
pub fn workflow(role_arn: &str) -> Workflow {
    let mut wf = Workflow::new("deploy-ecs", "Deploy to ECS");
    wf.on_push(Push::new().branches(["main"]));
    let deploy = wf.job(
        "deploy",
        Job::new(
            RunsOn::ubuntu_latest(),
            Permissions::none().id_token(IdToken::Write).contents(Access::Read),
        ),
    );
    wf.step(deploy, checkout().persist_credentials(false));
    wf.step(deploy, configure_aws_credentials(role_arn, REGION).name("Configure AWS credentials"));
    let login = wf.step(deploy, ecr_login().name("Login to ECR").id("ecr-login"));
    wf.step(
        deploy,
        Step::run(
            "docker build -t $ECR_REGISTRY/myapp:$IMAGE_TAG .\n\
             docker push $ECR_REGISTRY/myapp:$IMAGE_TAG\n",
        )
        .name("Build and push image")
        .env("ECR_REGISTRY", login.registry())
        .env("IMAGE_TAG", Expr::github_sha()),
    );
    let image = Text::from(login.registry()).push("/myapp:").push(Expr::github_sha());
    let task_def = wf.step(
        deploy,
        ecs_render_task_definition("taskdef.json", "myapp", image)
            .name("Render image into task definition")
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

/// The app: the role stack, with the workflow as a file of the workflow folder.
pub fn app() -> App {
    let mut app = App::new();
    app.add_rule_pack(stackwright::rules::PACK);
    let mut s = app.stack("GithubDeploy");
    s.set_environment(Environment::new(ACCOUNT, REGION));
    s.set_description("GitHub's OIDC provider and the role the Deploy to ECS workflow assumes");
    let repository = Repository::new(
        &mut s,
        "Repository",
        RepositoryProps::new()
            .repository_name("myapp")
            .encryption(RepositoryEncryption::AwsManagedKms),
    );
    let provider = GithubOidcProvider::new(&mut s, "GithubOidc");
    let role = GithubRole::new(
        &mut s,
        "GitHubActionsRole",
        &provider,
        GithubRoleProps::new("GitHubActionsRole", [GithubSubject::branch("my-org/myapp", "main")]),
    );
    repository.grant_push(&mut s, &role);
    role.grant_ecs_deploy(
        &mut s,
        "production",
        "myapp-service",
        TASK_ROLES.iter().map(|r| Val::from(*r)),
    );
    let role_arn = role.literal_arn(s.app()).unwrap_or_default();
    match workflow(&role_arn).render("cargo run -p github-ecs") {
        Ok(rendered) => {
            for w in rendered.warnings {
                s.warn(format!("{}: {}", w.path, w.message));
            }
            s.add_workflow_file(rendered.file_name, rendered.yaml);
        }
        Err(report) => {
            for e in report.errors {
                s.report(stackwright::Problem::new("github.workflow", e.message, e.fix));
            }
        }
    }
    app
}

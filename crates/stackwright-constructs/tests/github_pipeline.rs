//! A pipeline's delivery rendered as a GitHub Actions workflow, with the role's permissions
//! derived from its jobs.
#![allow(clippy::panic, clippy::unwrap_used)] // assertions panic

#[path = "common/article.rs"]
mod article;
mod common;

use article::article_buildspec;
use common::{errors, template};
use serde_json::json;
use stackwright_constructs::codebuild::{
    BuildSpecLocation, EnvironmentVariable, Project, ProjectProps, Source,
};
use stackwright_constructs::codedeploy::{
    EcsApplication, EcsBlueGreen, EcsDeploymentGroup, EcsDeploymentGroupProps,
};
use stackwright_constructs::codepipeline::*;
use stackwright_constructs::github::{
    GithubOidcProvider, GithubRole, GithubRoleProps, GithubSubject, PipelineWorkflow,
    PipelineWorkflowProps,
};
use stackwright_core::{App, Environment, Format};

const CONNECTION: &str = "arn:aws:codestar-connections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";

/// The workflow of `pipeline`, created after its last stage, with its provider and role.
fn add_workflow(s: &mut stackwright_core::Scope<'_>, pipeline: &Pipeline) {
    let provider = GithubOidcProvider::new(s, "GithubOidc");
    let role = GithubRole::new(
        s,
        "DeployRole",
        &provider,
        GithubRoleProps::new("shop-delivery", [GithubSubject::branch("acme/shop", "main")]),
    );
    PipelineWorkflow::new(
        s,
        "Workflow",
        pipeline,
        &role,
        PipelineWorkflowProps::new("delivery", "Delivery", "us-east-1"),
    );
}

/// Source, build, approval and ECS deploy, with the workflow and its role; `extra` adds a
/// stage before the workflow is created.
fn app(extra: impl FnOnce(&mut stackwright_core::Scope<'_>, &Pipeline, &Artifact)) -> App {
    let mut app = App::new();
    let mut s = app.stack("Delivery");
    s.set_environment(Environment::new("123456789012", "us-east-1"));
    let project = Project::new(
        &mut s,
        "Build",
        ProjectProps::new(Source::CodePipeline)
            .buildspec(BuildSpecLocation::Inline(article_buildspec())),
    );
    let (source, built) = (Artifact::new("Source"), Artifact::new("Built"));
    let pipeline = Pipeline::new(&mut s, "Pipeline", PipelineProps::new());
    pipeline.add_stage(
        &mut s,
        "Source",
        [CodeStarConnectionSource::new("Checkout", CONNECTION, "acme/shop", "main", &source)],
    );
    pipeline.add_stage(
        &mut s,
        "Build",
        [CodeBuildAction::new("BuildImage", &project, &source).output(&built)],
    );
    pipeline.add_stage(&mut s, "Approve", [ManualApproval::new("Approve")]);
    pipeline.add_stage(
        &mut s,
        "Deploy",
        [EcsDeploy::from_names("DeployEcs", "production", "myapp-service", &built)],
    );
    extra(&mut s, &pipeline, &built);
    add_workflow(&mut s, &pipeline);
    app
}

#[test]
fn the_pipeline_renders_as_a_workflow_with_the_role_it_needs() {
    let app = app(|_, _, _| {});
    let assembly = app.synth(Format::Json).unwrap();
    let files = assembly.workflow_files();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].0, "delivery.yml");
    let wf: serde_json::Value = serde_yaml::from_str(files[0].1).unwrap();
    assert_eq!(wf["on"], json!({ "push": { "branches": ["main"] } }));
    let jobs = wf["jobs"].as_object().unwrap();
    assert_eq!(jobs.keys().collect::<Vec<_>>(), ["build-image", "approve", "deploy-ecs"]);
    let build = &wf["jobs"]["build-image"];
    assert_eq!(build["permissions"], json!({ "contents": "read", "id-token": "write" }));
    let steps = build["steps"].as_array().unwrap();
    assert_eq!(
        steps[1]["with"],
        json!({
            "role-to-assume": "arn:aws:iam::123456789012:role/shop-delivery",
            "aws-region": "us-east-1"
        })
    );
    // The runtime CodeBuild would install, by its setup action.
    assert_eq!(steps[2]["uses"], "actions/setup-node@v4");
    assert_eq!(steps[2]["with"], json!({ "node-version": "18" }));
    // Parameters and secrets are read through the role into masked variables, never
    // written into the file.
    let reads = steps[3]["run"].as_str().unwrap();
    assert!(reads.contains("aws ssm get-parameter --name '/myapp/prod/db-password'"), "{reads}");
    assert!(
        reads.contains(
            "--secret-id 'prod/myapp' --query SecretString --output text | jq -r '.api_key'"
        ),
        "{reads}"
    );
    assert_eq!(reads.matches("::add-mask::").count(), 2);
    let names: Vec<&str> = steps.iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(
        names,
        ["Read parameters and secrets", "install", "pre_build", "build", "post_build"]
    );
    assert_eq!(
        steps[7]["env"],
        json!({
            "CODEBUILD_RESOLVED_SOURCE_VERSION": "${{ github.sha }}",
            "CODEBUILD_SRC_DIR": "${{ github.workspace }}",
            "NODE_ENV": "production",
            "AWS_DEFAULT_REGION": "us-east-1"
        })
    );
    assert_eq!(steps.last().unwrap()["with"]["name"], "Built");

    let approve = &wf["jobs"]["approve"];
    assert_eq!(approve["environment"], "approve");
    assert_eq!(approve["needs"], json!(["build-image"]));
    assert_eq!(approve["permissions"], json!({}));

    let deploy = wf["jobs"]["deploy-ecs"]["steps"].as_array().unwrap();
    assert_eq!(wf["jobs"]["deploy-ecs"]["needs"], json!(["approve"]));
    assert_eq!(
        deploy.last().unwrap()["with"],
        json!({
            "task-definition": "rendered.json",
            "service": "myapp-service",
            "cluster": "production",
            "wait-for-service-stability": true
        })
    );

    // The approval's reviewers are the user's to set.
    let warnings: Vec<String> = assembly.warnings().iter().map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w.contains(
            "the approval `Approve` is the GitHub environment `approve`: add its required \
             reviewers in the repository's Settings > Environments > approve"
        )),
        "{warnings:?}"
    );

    // The role may do what the jobs do, on those resources only.
    let t = template(&app, "Delivery");
    let statements =
        &t["Resources"]["DeployRoleDefaultPolicy"]["Properties"]["PolicyDocument"]["Statement"];
    let sub = |arn: &str| json!({ "Fn::Sub": arn });
    assert_eq!(
        *statements,
        json!([
            {
                "Effect": "Allow",
                "Action": ["ssm:GetParameters", "ssm:GetParameter"],
                "Resource": sub("arn:${AWS::Partition}:ssm:us-east-1:123456789012:parameter/myapp/prod/db-password")
            },
            {
                "Effect": "Allow",
                "Action": "secretsmanager:GetSecretValue",
                "Resource": sub("arn:${AWS::Partition}:secretsmanager:us-east-1:123456789012:secret:prod/myapp-*")
            },
            {
                "Effect": "Allow",
                "Action": ["ecs:DescribeServices", "ecs:UpdateService"],
                "Resource": sub("arn:${AWS::Partition}:ecs:us-east-1:123456789012:service/production/myapp-service")
            },
            {
                "Effect": "Allow",
                "Action": ["ecs:RegisterTaskDefinition", "ecs:TagResource"],
                "Resource": sub("arn:${AWS::Partition}:ecs:us-east-1:123456789012:task-definition/*")
            },
            {
                "Effect": "Allow",
                "Action": "ecs:DescribeTasks",
                "Resource": sub("arn:${AWS::Partition}:ecs:us-east-1:123456789012:task/production/*")
            },
            { "Effect": "Allow", "Action": "ecs:DescribeTaskDefinition", "Resource": "*" },
            {
                "Effect": "Allow",
                "Action": "ecs:ListTasks",
                "Resource": "*",
                "Condition": { "ArnEquals": { "ecs:cluster": sub("arn:${AWS::Partition}:ecs:us-east-1:123456789012:cluster/production") } }
            },
            {
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": sub("arn:${AWS::Partition}:iam::123456789012:role/*"),
                "Condition": { "StringEquals": { "iam:PassedToService": "ecs-tasks.amazonaws.com" } }
            }
        ])
    );
}

#[test]
fn an_action_without_a_github_equivalent_is_an_error_naming_it() {
    let app = app(|s, pipeline, built| {
        pipeline.add_stage(
            s,
            "Verify",
            [LambdaInvoke::from_name("Smoke", "smoke-test").input(built)],
        );
    });
    assert_eq!(
        errors(&app),
        ["Delivery/Workflow: action `Smoke` (Lambda) invokes a function that reports to a \
          CodePipeline job, which a workflow does not have; run the check as a CodeBuild \
          action (its commands become a job's steps), or keep this delivery on CodePipeline"]
    );
}

#[test]
fn stages_added_after_the_workflow_and_a_role_without_an_account_are_errors() {
    let mut app = App::new();
    let mut s = app.stack("Delivery");
    let source = Artifact::new("Source");
    let pipeline = Pipeline::new(&mut s, "Pipeline", PipelineProps::new());
    pipeline.add_stage(
        &mut s,
        "Source",
        [CodeStarConnectionSource::new("Checkout", CONNECTION, "acme/shop", "main", &source)],
    );
    pipeline.add_stage(&mut s, "Approve", [ManualApproval::new("Approve")]);
    let provider = GithubOidcProvider::from_arn(
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
    );
    let role = GithubRole::new(
        &mut s,
        "DeployRole",
        &provider,
        GithubRoleProps::new("shop-delivery", [GithubSubject::branch("acme/shop", "main")]),
    );
    PipelineWorkflow::new(
        &mut s,
        "Workflow",
        &pipeline,
        &role,
        PipelineWorkflowProps::new("delivery", "Delivery", "us-east-1"),
    );
    assert_eq!(
        errors(&app),
        ["Delivery/Workflow: the role's ARN is not known before deployment, and the workflow \
          must name it; give the role's stack an account and a region (Stack::set_environment)"]
    );
    let mut s = app.stack("Delivery");
    pipeline.add_stage(&mut s, "Release", [ManualApproval::new("Release")]);
    assert_eq!(
        errors(&app),
        ["Delivery/Workflow: the pipeline held 2 action(s) when the workflow was created and \
          holds 3 now, so the role's permissions miss what the later ones do; create the \
          PipelineWorkflow after the pipeline's last stage"]
    );
}

/// The workflow file of `app`, parsed.
fn workflow(app: &App) -> serde_json::Value {
    let assembly = app.synth(Format::Json).unwrap();
    serde_yaml::from_str(assembly.workflow_files()[0].1).unwrap()
}

const DEPLOYER: &str = "arn:aws:iam::123456789012:role/cfn-deployer";

#[test]
fn cloudformation_deploys_render_as_the_deploy_action_in_order_with_the_stacks_they_deploy() {
    let app = app(|s, pipeline, built| {
        pipeline.add_stage(
            s,
            "Infra",
            [
                CloudFormationAction::create_update(
                    "Queues",
                    "shop-queues",
                    built.at_path("queues.yml"),
                )
                .deployment_role(DEPLOYER)
                .capabilities([Capability::Iam, Capability::AutoExpand])
                .parameter("Env", "prod")
                .run_order(1),
                CloudFormationAction::replace_change_set(
                    "PlanApi",
                    "shop-api",
                    "shop-api-changes",
                    Artifact::new("Source").at_path("api.yml"),
                )
                .deployment_role(DEPLOYER)
                .run_order(1),
                CloudFormationAction::execute_change_set("RunApi", "shop-api", "shop-api-changes")
                    .run_order(2),
            ],
        );
    });
    let wf = workflow(&app);
    let jobs = wf["jobs"].as_object().unwrap();
    assert_eq!(
        jobs.keys().collect::<Vec<_>>(),
        ["build-image", "approve", "deploy-ecs", "queues", "plan-api", "run-api"]
    );
    // Run order 1 follows the last stage, run order 2 follows run order 1.
    assert_eq!(jobs["queues"]["needs"], json!(["deploy-ecs"]));
    assert_eq!(jobs["plan-api"]["needs"], json!(["deploy-ecs"]));
    assert_eq!(jobs["run-api"]["needs"], json!(["queues", "plan-api"]));
    assert_eq!(jobs["queues"]["permissions"], json!({ "contents": "read", "id-token": "write" }));

    let queues = jobs["queues"]["steps"].as_array().unwrap();
    // A build output is downloaded beside the checkout.
    assert_eq!(queues[2]["with"], json!({ "name": "Built", "path": "Built" }));
    assert_eq!(queues[3]["uses"], "aws-actions/aws-cloudformation-github-deploy@v1");
    assert_eq!(
        queues[3]["with"],
        json!({
            "name": "shop-queues",
            "template": "Built/queues.yml",
            "no-fail-on-empty-changeset": "1",
            "capabilities": "CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND",
            "parameter-overrides": "Env=prod",
            "role-arn": DEPLOYER
        })
    );
    // A source file is in the checkout; the change set waits for a later job.
    let plan = jobs["plan-api"]["steps"].as_array().unwrap();
    assert_eq!(
        plan[2]["with"],
        json!({
            "name": "shop-api",
            "template": "api.yml",
            "no-fail-on-empty-changeset": "1",
            "role-arn": DEPLOYER,
            "no-execute-changeset": "1",
            "change-set-name": "shop-api-changes"
        })
    );
    let run = jobs["run-api"]["steps"][2]["run"].as_str().unwrap();
    assert!(
        run.contains(
            "aws cloudformation execute-change-set --stack-name 'shop-api' --change-set-name \
             'shop-api-changes'"
        ),
        "{run}"
    );
    assert!(run.contains("aws cloudformation wait stack-update-complete --stack-name 'shop-api'"));

    // The role may act on those two stacks only, and pass the deployment role to
    // CloudFormation only.
    let t = template(&app, "Delivery");
    let statements =
        t["Resources"]["DeployRoleDefaultPolicy"]["Properties"]["PolicyDocument"]["Statement"]
            .as_array()
            .unwrap();
    let on = |stack: &str| {
        statements
            .iter()
            .filter(|s| {
                s["Resource"]
                    == json!({ "Fn::Sub": format!("arn:${{AWS::Partition}}:cloudformation:${{AWS::Region}}:123456789012:stack/{stack}/*") })
            })
            .map(|s| s["Action"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        on("shop-queues"),
        [json!([
            "cloudformation:CreateChangeSet",
            "cloudformation:DescribeChangeSet",
            "cloudformation:DeleteChangeSet",
            "cloudformation:ExecuteChangeSet",
            "cloudformation:DescribeStacks"
        ])]
    );
    assert_eq!(
        on("shop-api"),
        // The change set's and its execution's statements, merged on the one stack.
        [json!([
            "cloudformation:CreateChangeSet",
            "cloudformation:DescribeChangeSet",
            "cloudformation:DeleteChangeSet",
            "cloudformation:DescribeStacks",
            "cloudformation:ExecuteChangeSet"
        ])]
    );
    let pass: Vec<_> = statements.iter().filter(|s| s["Resource"] == json!(DEPLOYER)).collect();
    assert_eq!(
        pass,
        [&json!({
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": DEPLOYER,
            "Condition": { "StringEquals": { "iam:PassedToService": "cloudformation.amazonaws.com" } }
        })]
    );
}

#[test]
fn cloudformation_deploys_a_workflow_cannot_run_are_errors_naming_them() {
    let app = app(|s, pipeline, built| {
        pipeline.add_stage(
            s,
            "Infra",
            [
                CloudFormationAction::create_update("Far", "far", built.at_path("t.yml"))
                    .cross_account_role("arn:aws:iam::210987654321:role/deployer"),
                CloudFormationAction::create_update("West", "west", built.at_path("t.yml"))
                    .region("us-west-2"),
                CloudFormationAction::create_update("Vars", "vars", built.at_path("t.yml"))
                    .parameter("Image", "#{BuildImage.IMAGE}"),
                CloudFormationAction::create_update("Roled", "roled", built.at_path("t.yml"))
                    .deployment_role(
                        stackwright_core::Val::<stackwright_core::kind::RoleArn>::assume(
                            stackwright_core::pseudo::stack_name(),
                        ),
                    ),
                CloudFormationAction::create_update(
                    "Named",
                    stackwright_core::pseudo::stack_name(),
                    built.at_path("t.yml"),
                ),
            ],
        );
    });
    assert_eq!(
        // The pipeline reports its own problems with these; the workflow's are these.
        errors(&app).into_iter().filter(|e| e.starts_with("Delivery/Workflow")).collect::<Vec<_>>(),
        [
            "Delivery/Workflow: action `Far` (CloudFormation) runs as a role of another \
             account, which the workflow's role does not assume; deploy that stack from a \
             workflow whose role is in the stack's account, or keep this delivery on \
             CodePipeline",
            "Delivery/Workflow: action `West` (CloudFormation) deploys in another region than \
             the workflow's us-east-1; deploy that stack from a workflow of its region",
            "Delivery/Workflow: action `Vars` (CloudFormation): its parameter overrides read \
             pipeline variables or artifacts, which a workflow does not have; override \
             parameters with plain text values",
            "Delivery/Workflow: action `Roled` (CloudFormation): its deployment role's ARN is \
             known only once deployed, and the workflow must name it; give the deployment \
             role a fixed name (RoleProps::role_name) in a stack with an account and a region \
             (Stack::set_environment), or pass its ARN as text",
            "Delivery/Workflow: action `Named` (CloudFormation): the stack name is known only \
             once deployed, and the workflow must name it; give the stack name as text",
        ]
    );
}

const TEST_LISTENER: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65";
const PROD_LISTENER: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2";

/// A blue/green deployment group of `production`/`myapp-service`, named when `named`.
fn blue_green_group(s: &mut stackwright_core::Scope<'_>, named: bool) -> EcsDeploymentGroup {
    let blue_green = EcsBlueGreen::from_names("web-blue", "web-green", PROD_LISTENER)
        .test_listener_arn(TEST_LISTENER);
    let mut props = EcsDeploymentGroupProps::from_names("production", "myapp-service", blue_green);
    if named {
        let application = EcsApplication::named(s, "Deployments", "myapp");
        props = props.application(application).deployment_group_name("myapp-blue-green");
    }
    EcsDeploymentGroup::new(s, "BlueGreen", props)
}

#[test]
fn a_codedeploy_blue_green_deploy_renders_the_image_into_the_task_definition_and_deploys_it() {
    let app = app(|s, pipeline, built| {
        let group = blue_green_group(s, true);
        let deploy = CodeDeployEcsDeploy::new(
            "BlueGreenECS",
            &group,
            built.at_path("taskdef.json"),
            built.at_path("appspec.yml"),
        )
        .image(built, "IMAGE1_NAME");
        pipeline.add_stage(s, "Production", [deploy]);
    });
    let wf = workflow(&app);
    // An acronym stays one word of the job id.
    let job = &wf["jobs"]["blue-green-ecs"];
    assert_eq!(job["needs"], json!(["deploy-ecs"]));
    let steps = job["steps"].as_array().unwrap();
    assert_eq!(steps[2]["with"], json!({ "name": "Built", "path": "Built" }));
    assert_eq!(
        steps[3]["run"],
        "cp 'Built/taskdef.json' task-definition.json\n\
         uri=\"$(jq -r '.ImageURI' 'Built/imageDetail.json')\"\n\
         sed -i \"s|<IMAGE1_NAME>|$uri|g\" task-definition.json"
    );
    assert_eq!(steps[4]["uses"], "aws-actions/amazon-ecs-deploy-task-definition@v2");
    assert_eq!(
        steps[4]["with"],
        json!({
            "task-definition": "task-definition.json",
            "service": "myapp-service",
            "cluster": "production",
            "codedeploy-appspec": "Built/appspec.yml",
            "codedeploy-application": "myapp",
            "codedeploy-deployment-group": "myapp-blue-green",
            "wait-for-service-stability": true
        })
    );
    assert_eq!(steps.len(), 5);

    // The role may deploy through that group, read it and the service.
    let t = template(&app, "Delivery");
    let statements =
        t["Resources"]["DeployRoleDefaultPolicy"]["Properties"]["PolicyDocument"]["Statement"]
            .as_array()
            .unwrap();
    let actions_on = |resource: serde_json::Value| {
        statements
            .iter()
            .filter(|s| s["Resource"] == resource)
            .map(|s| s["Action"].clone())
            .collect::<Vec<_>>()
    };
    let group_arn = json!({ "Fn::Sub": "arn:${AWS::Partition}:codedeploy:us-east-1:123456789012:deploymentgroup:${Deployments}/${BlueGreen}" });
    assert_eq!(
        actions_on(group_arn),
        [json!([
            "codedeploy:CreateDeployment",
            "codedeploy:GetDeployment",
            "codedeploy:GetDeploymentGroup"
        ])]
    );
    assert_eq!(
        actions_on(
            json!({ "Fn::Sub": "arn:${AWS::Partition}:ecs:us-east-1:123456789012:service/production/myapp-service" })
        ),
        // Updating the service is the rolling deploy's, of the same service.
        [json!(["ecs:DescribeServices", "ecs:UpdateService"])]
    );
}

#[test]
fn a_blue_green_deploy_the_workflow_cannot_name_is_an_error() {
    let app = app(|s, pipeline, built| {
        let group = blue_green_group(s, false);
        let (taskdef, appspec) = (built.at_path("taskdef.json"), built.at_path("appspec.yml"));
        pipeline.add_stage(
            s,
            "Production",
            [
                CodeDeployEcsDeploy::new("Unnamed", &group, taskdef.clone(), appspec.clone()),
                CodeDeployEcsDeploy::from_names("ByName", "myapp", "myapp-bg", taskdef, appspec),
            ],
        );
    });
    assert_eq!(
        errors(&app),
        [
            "Delivery/Workflow: action `Unnamed` (CodeDeployToECS): the CodeDeploy \
             application, deployment group, cluster or service is named by a reference known \
             only once deployed, and the workflow must name all four; give the application, \
             the deployment group, the cluster and the service fixed names",
            "Delivery/Workflow: action `ByName` (CodeDeployToECS) deploys through a deployment \
             group by name, whose ECS service the workflow must name; deploy through an \
             EcsDeploymentGroup of this app (CodeDeployEcsDeploy::new)",
        ]
    );
}

#[test]
fn a_reviewed_deployment_of_an_app_stack_renders_as_change_set_approval_and_execution() {
    let mut app = App::new();
    let queues = {
        let mut q = app.stack("Queues");
        q.set_environment(Environment::new("123456789012", "us-east-1"));
        stackwright_constructs::sqs::Queue::new(
            &mut q,
            "Orders",
            stackwright_constructs::sqs::QueueProps::new(),
        );
        q.stack_id()
    };
    let mut s = app.stack("Delivery");
    s.set_environment(Environment::new("123456789012", "us-east-1"));
    let source = Artifact::new("Source");
    let pipeline = Pipeline::new(&mut s, "Pipeline", PipelineProps::new());
    pipeline.add_stage(
        &mut s,
        "Source",
        [CodeStarConnectionSource::new("Checkout", CONNECTION, "acme/shop", "main", &source)],
    );
    pipeline.add_stage(
        &mut s,
        "Deploy",
        [StackDeploy::new("Queues", queues, &source)
            .deployment_role_arn(DEPLOYER)
            .review_change_set(true)],
    );
    add_workflow(&mut s, &pipeline);
    let wf = workflow(&app);
    let jobs = wf["jobs"].as_object().unwrap();
    assert_eq!(jobs.keys().collect::<Vec<_>>(), ["queues-change-set", "queues-review", "queues"]);
    assert_eq!(jobs["queues-review"]["needs"], json!(["queues-change-set"]));
    assert_eq!(jobs["queues-review"]["environment"], "deploy");
    assert_eq!(jobs["queues"]["needs"], json!(["queues-review"]));
    assert_eq!(
        jobs["queues-change-set"]["steps"][2]["with"],
        json!({
            "name": "Queues",
            // The committed template, in the checkout.
            "template": "stacks/Queues.template.json",
            "no-fail-on-empty-changeset": "1",
            "role-arn": DEPLOYER,
            "no-execute-changeset": "1",
            "change-set-name": "Queues-changes"
        })
    );
    let run = jobs["queues"]["steps"][2]["run"].as_str().unwrap();
    assert!(
        run.contains(
            "aws cloudformation execute-change-set --stack-name 'Queues' --change-set-name \
             'Queues-changes'"
        ),
        "{run}"
    );
}

#[test]
fn a_blue_green_deploy_names_the_cluster_of_this_app_by_its_fixed_name() {
    let app = app(|s, pipeline, built| {
        let cluster = stackwright_constructs::ecs::Cluster::new(
            s,
            "Cluster",
            stackwright_constructs::ecs::ClusterProps::new().cluster_name("production"),
        );
        let blue_green = EcsBlueGreen::from_names("web-blue", "web-green", PROD_LISTENER)
            .test_listener_arn(TEST_LISTENER);
        let application = EcsApplication::named(s, "Deployments", "myapp");
        let props = EcsDeploymentGroupProps::from_names(
            cluster.cluster_name(),
            "myapp-service",
            blue_green,
        )
        .application(application)
        .deployment_group_name("myapp-blue-green");
        let group = EcsDeploymentGroup::new(s, "BlueGreen", props);
        let (taskdef, appspec) = (built.at_path("taskdef.json"), built.at_path("appspec.yml"));
        pipeline.add_stage(
            s,
            "Production",
            [CodeDeployEcsDeploy::new("Green", &group, taskdef, appspec)],
        );
    });
    let wf = workflow(&app);
    assert_eq!(wf["jobs"]["green"]["steps"][4]["with"]["cluster"], "production");
}

#[test]
fn an_action_of_another_kind_is_an_error_listing_what_renders() {
    let app = app(|s, pipeline, _| {
        pipeline.add_stage(
            s,
            "Fetch",
            [S3Source::new("Assets", "shop-assets", "assets.zip", &Artifact::new("Assets"))],
        );
    });
    let workflow_errors: Vec<String> =
        errors(&app).into_iter().filter(|e| e.starts_with("Delivery/Workflow")).collect();
    assert_eq!(
        workflow_errors,
        ["Delivery/Workflow: action `Assets` (S3) has no GitHub Actions equivalent \
          stackwright renders; renderable are a GitHub or CodeStar connection source, \
          CodeBuild, manual approval, ECS, CodeDeploy ECS blue/green and CloudFormation \
          actions; keep this delivery on CodePipeline, or remove the action from the pipeline \
          the workflow renders"]
    );
}

/// The statements of the workflow role's policy in the `Delivery` stack.
fn role_statements(app: &App) -> Vec<serde_json::Value> {
    let t = template(app, "Delivery");
    t["Resources"]["DeployRoleDefaultPolicy"]["Properties"]["PolicyDocument"]["Statement"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn a_blue_green_deploy_passes_exactly_the_roles_of_the_task_it_deploys() {
    use stackwright_constructs::ecs::{
        Cluster, ClusterProps, ContainerDefinition, Deployment, FargateService,
        FargateServiceProps, FargateTaskDefinition, FargateTaskDefinitionProps,
    };
    let app = app(|s, pipeline, built| {
        let cluster = Cluster::new(s, "Cluster", ClusterProps::new().cluster_name("production"));
        let task = FargateTaskDefinition::new(s, "Task", FargateTaskDefinitionProps::new("myapp"));
        task.add_container(s, ContainerDefinition::new("myapp", "nginx:1.27").port(8080));
        let service = FargateService::new(
            s,
            "Service",
            FargateServiceProps::new(&cluster, &task)
                .subnets(["subnet-0a1b2c3d"])
                .load_balancer_arn(
                    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/73e2d6bc24d8a067",
                    "myapp",
                    8080,
                )
                .service_name("myapp-service")
                .deployment(Deployment::CodeDeploy),
        );
        let blue_green = EcsBlueGreen::from_names("web-blue", "web-green", PROD_LISTENER)
            .test_listener_arn(TEST_LISTENER);
        let application = EcsApplication::named(s, "Deployments", "myapp");
        let group = EcsDeploymentGroup::new(
            s,
            "BlueGreen",
            EcsDeploymentGroupProps::new(&service, blue_green)
                .application(application)
                .deployment_group_name("myapp-blue-green"),
        );
        let (taskdef, appspec) = (built.at_path("taskdef.json"), built.at_path("appspec.yml"));
        pipeline.add_stage(
            s,
            "Production",
            [CodeDeployEcsDeploy::new("Green", &group, taskdef, appspec)
                .image(built, "IMAGE1_NAME")],
        );
    });
    let statements = role_statements(&app);
    let passes: Vec<&serde_json::Value> =
        statements.iter().filter(|s| s["Action"] == "iam:PassRole").collect();
    // The rolling deploy of the same pipeline passes any role to ECS tasks; the blue/green
    // deploy exactly the execution role and the task role of the service's task.
    assert_eq!(
        passes,
        [
            &json!({
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": { "Fn::Sub": "arn:${AWS::Partition}:iam::123456789012:role/*" },
                "Condition": { "StringEquals": { "iam:PassedToService": "ecs-tasks.amazonaws.com" } }
            }),
            &json!({
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": [
                    { "Fn::GetAtt": ["TaskExecutionRole", "Arn"] },
                    { "Fn::GetAtt": ["TaskTaskRole", "Arn"] }
                ],
                "Condition": { "StringEquals": { "iam:PassedToService": "ecs-tasks.amazonaws.com" } }
            })
        ]
    );
    let wf = workflow(&app);
    assert_eq!(wf["jobs"]["green"]["steps"][4]["with"]["service"], "myapp-service");
}

/// The app of [`app`] with its rolling deploy replaced by a blue/green one through a group of
/// `production`/`myapp-service` by name.
fn blue_green_by_names() -> App {
    let mut app = App::new();
    let mut s = app.stack("Delivery");
    s.set_environment(Environment::new("123456789012", "us-east-1"));
    let source = Artifact::new("Source");
    let pipeline = Pipeline::new(&mut s, "Pipeline", PipelineProps::new());
    pipeline.add_stage(
        &mut s,
        "Source",
        [CodeStarConnectionSource::new("Checkout", CONNECTION, "acme/shop", "main", &source)],
    );
    let group = blue_green_group(&mut s, true);
    let (taskdef, appspec) = (source.at_path("taskdef.json"), source.at_path("appspec.yml"));
    pipeline.add_stage(
        &mut s,
        "Production",
        [CodeDeployEcsDeploy::new("Green", &group, taskdef, appspec)],
    );
    add_workflow(&mut s, &pipeline);
    app
}

#[test]
fn a_blue_green_deploy_of_a_service_by_name_passes_no_role_and_says_so() {
    let app = blue_green_by_names();
    let statements = role_statements(&app);
    assert!(statements.iter().all(|s| s["Action"] != "iam:PassRole"), "{statements:#?}");
    let assembly = app.synth(Format::Json).unwrap();
    let warnings: Vec<String> = assembly.warnings().iter().map(ToString::to_string).collect();
    assert!(
        warnings.contains(
            &"Delivery/Workflow: the role may pass no role to ECS tasks for action `Green`: its \
              deployment group names a service outside this app, whose task's roles are \
              unknown; if the task definition has roles, grant the role iam:PassRole on \
              exactly those"
                .to_owned()
        ),
        "{warnings:#?}"
    );
}

type Variables = Vec<(&'static str, stackwright_constructs::codebuild::EnvironmentVariable)>;

/// Source and a build whose project sets the variables `variables` gives, with the workflow;
/// the project, for later changes.
fn build_app(
    variables: impl FnOnce(&mut stackwright_core::Scope<'_>) -> Variables,
) -> (App, Project) {
    let mut app = App::new();
    let mut s = app.stack("Delivery");
    s.set_environment(Environment::new("123456789012", "us-east-1"));
    let mut props = ProjectProps::new(Source::CodePipeline)
        .buildspec(BuildSpecLocation::Inline(article_buildspec()));
    for (name, value) in variables(&mut s) {
        props = props.environment_variable(name, value);
    }
    let project = Project::new(&mut s, "Build", props);
    let (source, built) = (Artifact::new("Source"), Artifact::new("Built"));
    let pipeline = Pipeline::new(&mut s, "Pipeline", PipelineProps::new());
    pipeline.add_stage(
        &mut s,
        "Source",
        [CodeStarConnectionSource::new("Checkout", CONNECTION, "acme/shop", "main", &source)],
    );
    pipeline.add_stage(
        &mut s,
        "Build",
        [CodeBuildAction::new("BuildImage", &project, &source).output(&built)],
    );
    add_workflow(&mut s, &pipeline);
    (app, project)
}

#[test]
fn a_build_reads_the_project_values_known_once_deployed_from_the_stack_outputs() {
    use stackwright_constructs::codebuild::EnvironmentVariable as Env;
    use stackwright_constructs::ecr::{Repository, RepositoryProps};
    let (app, _) = build_app(|s| {
        let repository =
            Repository::new(s, "Images", RepositoryProps::new().repository_name("shop"));
        vec![
            ("STAGE", Env::plaintext("production")),
            ("DB_HOST", Env::parameter_store("/shop/db-host")),
            ("ECR_REPO_URI", Env::plaintext(repository.repository_uri())),
        ]
    });
    let wf = workflow(&app);
    let steps = wf["jobs"]["build-image"]["steps"].as_array().unwrap();
    let reads = steps[3]["run"].as_str().unwrap();
    // The project's parameter is read with the buildspec's, masked.
    assert!(reads.contains("aws ssm get-parameter --name '/shop/db-host'"), "{reads}");
    assert!(reads.contains("echo \"DB_HOST=$value\""), "{reads}");
    // The repository's URI is known once deployed: an output of the stack, read by the job.
    assert_eq!(steps[4]["name"], "Read the values stack Delivery holds");
    assert_eq!(
        steps[4]["run"],
        "echo \"ECR_REPO_URI=$(aws cloudformation describe-stacks --stack-name 'Delivery' \
         --query \"Stacks[0].Outputs[?OutputKey=='WorkflowEcrRepoUri'].OutputValue\" \
         --output text)\" >> \"$GITHUB_ENV\""
    );
    // The project's text value is in every phase's environment.
    assert_eq!(steps[5]["name"], "install");
    assert_eq!(steps[5]["env"]["STAGE"], "production");
    let t = template(&app, "Delivery");
    assert_eq!(
        t["Outputs"]["WorkflowEcrRepoUri"],
        json!({
            "Description": "Read by the workflow delivery.yml",
            "Value": { "Fn::GetAtt": ["Images", "RepositoryUri"] }
        })
    );
    let statements = role_statements(&app);
    assert!(
        statements.contains(&json!({
            "Effect": "Allow",
            "Action": "cloudformation:DescribeStacks",
            "Resource": { "Fn::Sub": "arn:${AWS::Partition}:cloudformation:us-east-1:123456789012:stack/Delivery/*" }
        })),
        "{statements:#?}"
    );
    // The job reads the project's parameter through the role.
    assert!(
        statements.contains(&json!({
            "Effect": "Allow",
            "Action": ["ssm:GetParameters", "ssm:GetParameter"],
            "Resource": [
                { "Fn::Sub": "arn:${AWS::Partition}:ssm:us-east-1:123456789012:parameter/myapp/prod/db-password" },
                { "Fn::Sub": "arn:${AWS::Partition}:ssm:us-east-1:123456789012:parameter/shop/db-host" }
            ]
        })),
        "{statements:#?}"
    );
}

#[test]
fn values_a_build_cannot_read_and_files_added_after_the_workflow_are_errors() {
    use stackwright_constructs::codebuild::EnvironmentVariable as Env;
    use stackwright_constructs::ecs::{
        ContainerDefinition, FargateTaskDefinition, FargateTaskDefinitionProps, TaskDefinitionFile,
    };
    let (app, _) = build_app(|s| {
        let name = s.add_parameter("HostParameter", stackwright_core::Parameter::string());
        vec![("DB_HOST", Env::parameter_store(name))]
    });
    assert_eq!(
        errors(&app),
        ["Delivery/Workflow: action `BuildImage` (CodeBuild): the project's variable `DB_HOST` \
          names its parameter or secret by a value known only once deployed, which the job \
          cannot read; name the parameter or secret as text"]
    );

    let (mut app, project) = build_app(|_| Vec::new());
    let mut s = app.stack("Delivery");
    let task = FargateTaskDefinition::new(&mut s, "Task", FargateTaskDefinitionProps::new("shop"));
    task.add_container(&mut s, ContainerDefinition::new("shop", "nginx:1.27"));
    task.add_taskdef_file(&mut s, "taskdef.json", TaskDefinitionFile::new().built_by(&project));
    assert_eq!(
        errors(&app),
        ["Delivery/Workflow: the builds read 0 value(s) known only once deployed from the stack \
          when the workflow was created and 1 now, so the role may not read them; create the \
          PipelineWorkflow after the last change to its builds' projects and the files they \
          build"]
    );
}

#[test]
fn a_build_actions_own_variables_are_text_or_outputs_of_a_stack_deployed_before_it() {
    let mut app = App::new();
    let queues = {
        let mut q = app.stack("Queues");
        let queue = stackwright_constructs::sqs::Queue::new(
            &mut q,
            "Orders",
            stackwright_constructs::sqs::QueueProps::new(),
        );
        q.add_output("QueueUrl", stackwright_core::Output::new(queue.queue_url()));
        q.stack_id()
    };
    let mut s = app.stack("Delivery");
    s.set_environment(Environment::new("123456789012", "us-east-1"));
    // The deployment role is the app's own, known by its fixed name.
    let deployer = stackwright_constructs::iam::Role::new(
        &mut s,
        "Deployer",
        stackwright_constructs::iam::RoleProps::new(
            stackwright_constructs::iam::Principal::service("cloudformation.amazonaws.com"),
        )
        .role_name("cfn-deployer"),
    );
    let project = Project::new(
        &mut s,
        "Smoke",
        ProjectProps::new(Source::CodePipeline)
            .buildspec(BuildSpecLocation::Inline(article_buildspec()))
            .environment_variable("MODE", EnvironmentVariable::plaintext("project")),
    );
    let source = Artifact::new("Source");
    let pipeline = Pipeline::new(&mut s, "Pipeline", PipelineProps::new());
    pipeline.add_stage(
        &mut s,
        "Source",
        [CodeStarConnectionSource::new("Checkout", CONNECTION, "acme/shop", "main", &source)],
    );
    let deploy = StackDeploy::new("Queues", queues, &source).deployment_role(&deployer);
    let url = deploy.output("QueueUrl");
    pipeline.add_stage(&mut s, "Deploy", [deploy]);
    pipeline.add_stage(
        &mut s,
        "Verify",
        [CodeBuildAction::new("SmokeTest", &project, &source)
            .env("QUEUE_URL", url)
            .env("MODE", "smoke")],
    );
    add_workflow(&mut s, &pipeline);
    let wf = workflow(&app);
    let jobs = &wf["jobs"];
    assert_eq!(
        jobs["queues"]["steps"][2]["with"]["role-arn"],
        "arn:aws:iam::123456789012:role/cfn-deployer"
    );
    let steps = jobs["smoke-test"]["steps"].as_array().unwrap();
    let read = steps.iter().find(|s| s["name"] == "Read the outputs of stack Queues").unwrap();
    assert_eq!(
        read["run"],
        "echo \"QUEUE_URL=$(aws cloudformation describe-stacks --stack-name 'Queues' --query \
         \"Stacks[0].Outputs[?OutputKey=='QueueUrl'].OutputValue\" --output text)\" >> \
         \"$GITHUB_ENV\""
    );
    // The action's text wins over the project's, and the output read into `$GITHUB_ENV` is
    // not hidden by a step variable of the same name.
    let build = steps.iter().find(|s| s["name"] == "build").unwrap();
    assert_eq!(build["env"]["MODE"], "smoke");
    assert!(build["env"].get("QUEUE_URL").is_none(), "{build}");
}

#[test]
fn a_build_action_variable_the_workflow_cannot_give_is_an_error() {
    let smoke = |variable: fn(CodeBuildAction) -> CodeBuildAction| {
        app(move |s, pipeline, built| {
            let project = Project::new(
                s,
                "Smoke",
                ProjectProps::new(Source::CodePipeline)
                    .buildspec(BuildSpecLocation::Inline(article_buildspec())),
            );
            let action = CodeBuildAction::new("SmokeTest", &project, built).env("URL", "https://x");
            pipeline.add_stage(s, "Verify", [variable(action)]);
        })
    };
    let expected = ["Delivery/Workflow: action `SmokeTest` (CodeBuild) sets environment \
                     variables the workflow cannot give it: from Parameter Store or Secrets \
                     Manager, or reading pipeline variables other than the outputs of a stack \
                     deployed before it; set them on the project \
                     (ProjectProps::environment_variable) or in its buildspec, or keep this \
                     delivery on CodePipeline"];
    // From Parameter Store; another action's variable, which is no stack's output.
    assert_eq!(errors(&smoke(|a| a.env_parameter("TOKEN", "/shop/token"))), expected);
    assert_eq!(errors(&smoke(|a| a.env("RUN", "#{codepipeline.PipelineExecutionId}"))), expected);
    assert_eq!(errors(&smoke(|a| a.env("RUN", "r-#{codepipeline.PipelineExecutionId}"))), expected);
    // Text alone renders.
    assert_eq!(errors(&smoke(|a| a)), Vec::<String>::new());
}

#[test]
fn the_projects_variables_win_over_the_buildspecs_as_in_codebuild() {
    use stackwright_constructs::codebuild::EnvironmentVariable as Env;
    // The buildspec sets NODE_ENV as text and DB_PASSWORD from Parameter Store; the project
    // sets both again, which CodeBuild lets win.
    let (app, _) = build_app(|_| {
        vec![
            ("NODE_ENV", Env::plaintext("staging")),
            ("DB_PASSWORD", Env::parameter_store("/shop/staging/db-password")),
        ]
    });
    let wf = workflow(&app);
    let steps = wf["jobs"]["build-image"]["steps"].as_array().unwrap();
    let reads = steps.iter().find(|s| s["name"] == "Read parameters and secrets").unwrap();
    let reads = reads["run"].as_str().unwrap();
    assert!(reads.contains("--name '/shop/staging/db-password'"), "{reads}");
    assert!(!reads.contains("/myapp/prod/db-password"), "{reads}");
    let build = steps.iter().find(|s| s["name"] == "build").unwrap();
    assert_eq!(build["env"]["NODE_ENV"], "staging");
    assert!(build["env"].get("DB_PASSWORD").is_none(), "{build}");
    assert_eq!(build["env"]["AWS_DEFAULT_REGION"], "us-east-1");
    // The job's role reads the project's parameter, not the one the buildspec names.
    let statements = role_statements(&app);
    let job_reads: Vec<&serde_json::Value> =
        statements.iter().filter(|s| s["Action"] == "ssm:GetParameter").collect();
    assert_eq!(
        job_reads,
        [&json!({
            "Effect": "Allow",
            "Action": "ssm:GetParameter",
            "Resource": { "Fn::Sub": "arn:${AWS::Partition}:ssm:us-east-1:123456789012:parameter/shop/staging/db-password" }
        })],
        "{statements:#?}"
    );
}

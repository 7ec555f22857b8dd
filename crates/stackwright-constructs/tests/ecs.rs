//! ECS on Fargate: the cluster, the task definition and its sizes, roles and log group, the
//! service's deployment controllers, and the article's three blue/green files generated from
//! the same definitions.
#![allow(clippy::panic)] // assertions panic

mod common;

use common::{errors, template};
use serde_json::{Value, json};
use stackwright_constructs::Duration;
use stackwright_constructs::ecr::{Repository, RepositoryProps};
use stackwright_constructs::ecs::{
    AppSpec, Cluster, ClusterProps, ContainerDefinition, ContainerImage, ContainerInsights,
    Deployment, FargateService, FargateServiceProps, FargateTaskDefinition,
    FargateTaskDefinitionProps, ImageDefinitions, TaskDefinitionFile,
};
use stackwright_constructs::iam::{Grantee, PolicyStatement};
use stackwright_core::{App, Environment, Format, Scope};

const TG: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/myapp/0123456789abcdef";

/// The article's container, from a repository of the app.
fn article_container(repo: &Repository) -> ContainerDefinition {
    ContainerDefinition::new("myapp", ContainerImage::ecr(repo, "latest"))
        .port(8080)
        .environment("NODE_ENV", "production")
        .essential(true)
}

fn article_task(s: &mut Scope<'_>) -> FargateTaskDefinition {
    let repo = Repository::new(s, "Repo", RepositoryProps::new().repository_name("myapp"));
    let task = FargateTaskDefinition::new(
        s,
        "Task",
        FargateTaskDefinitionProps::new("myapp")
            .cpu(512)
            .memory(1024)
            .execution_role_name("ecsTaskExecutionRole"),
    );
    task.add_container(s, article_container(&repo));
    task
}

/// The app the lint run and most tests use: cluster, task definition, blue/green service
/// and the three files.
fn article_app(deployment: Deployment) -> App {
    let mut app = App::new();
    let mut s = app.stack("Service");
    // The article's account and region: with the execution role's fixed name, its ARN is
    // known at synth and written into taskdef.json as text.
    s.set_environment(Environment::new("123456789", "us-east-1"));
    let cluster = Cluster::new(&mut s, "Cluster", ClusterProps::new());
    let task = article_task(&mut s);
    let service = FargateService::new(
        &mut s,
        "Service",
        FargateServiceProps::new(&cluster, &task)
            .desired_count(2)
            .subnets(["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"])
            .security_groups(["sg-0123456789abcdef0"])
            .load_balancer_arn(TG, "myapp", 8080)
            .deployment(deployment),
    );
    task.add_taskdef_file(&mut s, "taskdef.json", TaskDefinitionFile::new());
    if let Some(spec) = service.app_spec() {
        spec.add_file(&mut s, "appspec.yml");
    }
    app
}

fn file(app: &App, path: &str) -> String {
    let assembly = match app.synth(Format::Json) {
        Ok(a) => a,
        Err(d) => panic!("synthesis failed:\n{d}"),
    };
    assembly
        .files()
        .into_iter()
        .find(|(p, _)| *p == path)
        .map(|(_, c)| c.to_owned())
        .unwrap_or_else(|| panic!("no file {path}"))
}

fn of_type<'a>(t: &'a Value, ty: &str) -> Vec<(&'a String, &'a Value)> {
    t["Resources"]
        .as_object()
        .map(|m| m.iter().filter(|(_, r)| r["Type"] == ty).collect())
        .unwrap_or_default()
}

#[test]
fn taskdef_json_is_the_articles() {
    let app = article_app(Deployment::CodeDeploy);
    let text = file(&app, "taskdef.json");
    let got: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => panic!("taskdef.json is not JSON: {e}\n{text}"),
    };
    let article = json!({
        "family": "myapp",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "512",
        "memory": "1024",
        "executionRoleArn": "arn:aws:iam::123456789:role/ecsTaskExecutionRole",
        "containerDefinitions": [
            {
                "name": "myapp",
                "image": "<IMAGE1_NAME>",
                "essential": true,
                "portMappings": [{ "containerPort": 8080, "protocol": "tcp" }],
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": "/ecs/myapp",
                        "awslogs-region": "us-east-1",
                        "awslogs-stream-prefix": "ecs"
                    }
                },
                "environment": [{ "name": "NODE_ENV", "value": "production" }]
            }
        ]
    });
    assert_eq!(got, article);
    // Key order follows the article too.
    let keys: Vec<&String> = got.as_object().map(|m| m.keys().collect()).unwrap_or_default();
    assert_eq!(
        keys,
        [
            "family",
            "networkMode",
            "requiresCompatibilities",
            "cpu",
            "memory",
            "executionRoleArn",
            "containerDefinitions"
        ]
    );
}

#[test]
fn appspec_yml_is_the_articles() {
    let app = article_app(Deployment::CodeDeploy);
    let text = file(&app, "appspec.yml");
    let article = "\
version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: \"myapp\"
          ContainerPort: 8080
        PlatformVersion: \"LATEST\"
";
    let parse = |t: &str| match serde_yaml::from_str::<serde_yaml::Value>(t) {
        Ok(v) => v,
        Err(e) => panic!("not YAML: {e}\n{t}"),
    };
    let (got, want) = (parse(&text), parse(article));
    assert!(want.get("Resources").is_some());
    assert_eq!(got, want, "{text}");
    assert!(text.starts_with("version: 0.0\n"), "{text}");
    assert_eq!(AppSpec::ecs("myapp", 8080).to_yaml(), text);
}

#[test]
fn imagedefinitions_match_the_articles_build_line() {
    assert_eq!(
        ImageDefinitions::build_command(
            "myapp",
            "$ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION"
        ),
        r#"printf '[{"name":"myapp","imageUri":"%s"}]' $ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION > imagedefinitions.json"#
    );
    let uri = "123456789.dkr.ecr.us-east-1.amazonaws.com/myapp:abc123";
    let text = ImageDefinitions::new().image("myapp", uri).to_json();
    assert_eq!(text, format!(r#"[{{"name":"myapp","imageUri":"{uri}"}}]"#));
    let parsed: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    assert_eq!(parsed, json!([{ "name": "myapp", "imageUri": uri }]));
}

/// The errors of an app whose only task definition `Task` has `cpu` and `memory`.
fn sized_task_errors(cpu: u32, memory: u32) -> Vec<String> {
    let mut app = App::new();
    let mut s = app.stack("S");
    let t = FargateTaskDefinition::new(
        &mut s,
        "Task",
        FargateTaskDefinitionProps::new("app").cpu(cpu).memory(memory),
    );
    t.add_container(&mut s, ContainerDefinition::new("app", "nginx:1.27"));
    errors(&app)
}

#[test]
fn invalid_fargate_sizes_are_synth_errors() {
    let cases: [(u32, u32, &str); 4] = [
        (
            256,
            4096,
            "Fargate does not offer memory 4096 MiB with cpu 256; with 256 CPU units memory must be 512, 1024 or 2048 MiB",
        ),
        (
            1024,
            2500,
            "Fargate does not offer memory 2500 MiB with cpu 1024; with 1024 CPU units memory must be 2048 to 8192 MiB in steps of 1024",
        ),
        (
            8192,
            18432,
            "Fargate does not offer memory 18432 MiB with cpu 8192; with 8192 CPU units memory must be 16384 to 61440 MiB in steps of 4096",
        ),
        (
            3000,
            8192,
            "Fargate has no task size with cpu 3000; use 256, 512, 1024, 2048, 4096, 8192 or 16384 CPU units",
        ),
    ];
    for (cpu, memory, message) in cases {
        let errs = sized_task_errors(cpu, memory);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].contains(message), "{cpu}/{memory}: {errs:?}");
        assert!(errs[0].contains("Task"), "{errs:?}");
    }
    // Every listed size is accepted.
    for (cpu, memory) in [(256, 512), (512, 4096), (2048, 16384), (4096, 30720), (16384, 122_880)] {
        assert_eq!(sized_task_errors(cpu, memory), Vec::<String>::new());
    }
}

#[test]
fn task_definition_renders_fargate_defaults_and_log_group() {
    let app = article_app(Deployment::CodeDeploy);
    let t = template(&app, "Service");
    let td = &t["Resources"]["Task"]["Properties"];
    assert_eq!(td["NetworkMode"], "awsvpc");
    assert_eq!(td["RequiresCompatibilities"], json!(["FARGATE"]));
    assert_eq!((td["Cpu"].clone(), td["Memory"].clone()), (json!("512"), json!("1024")));
    assert_eq!(td["ExecutionRoleArn"], json!({"Fn::GetAtt": ["TaskExecutionRole", "Arn"]}));
    assert_eq!(td["TaskRoleArn"], json!({"Fn::GetAtt": ["TaskTaskRole", "Arn"]}));
    let c = &td["ContainerDefinitions"][0];
    assert_eq!(c["Image"], json!({"Fn::Sub": "${Repo.RepositoryUri}:latest"}));
    assert_eq!(
        c["LogConfiguration"],
        json!({"LogDriver": "awslogs", "Options": {
            "awslogs-group": {"Ref": "TaskLogGroup"},
            "awslogs-region": {"Ref": "AWS::Region"},
            "awslogs-stream-prefix": "ecs"
        }})
    );
    let lg = &t["Resources"]["TaskLogGroup"]["Properties"];
    assert_eq!(lg["LogGroupName"], "/ecs/myapp");
    assert_eq!(lg["RetentionInDays"], 30);
    let trust = &t["Resources"]["TaskExecutionRole"]["Properties"]["AssumeRolePolicyDocument"];
    assert_eq!(trust["Statement"][0]["Principal"], json!({"Service": "ecs-tasks.amazonaws.com"}));
}

/// The statements of the default policy of the role `role`.
fn role_statements(t: &Value, role: &str) -> Vec<Value> {
    of_type(t, "AWS::IAM::Policy")
        .into_iter()
        .filter(|(_, p)| p["Properties"]["Roles"] == json!([{"Ref": role}]))
        .flat_map(|(_, p)| {
            p["Properties"]["PolicyDocument"]["Statement"].as_array().cloned().unwrap_or_default()
        })
        .collect()
}

fn as_list(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    }
}

#[test]
fn execution_role_is_least_privilege() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let repo = Repository::new(&mut s, "Repo", RepositoryProps::new());
    let task = FargateTaskDefinition::new(&mut s, "Task", FargateTaskDefinitionProps::new("myapp"));
    task.add_container(
        &mut s,
        article_container(&repo)
            .secret_from_ssm("DB_PASSWORD", "/myapp/prod/db-password")
            .secret_from_secrets_manager("API_KEY", "prod/myapp"),
    );
    // A second container from the same repository adds no second pull grant.
    task.add_container(
        &mut s,
        ContainerDefinition::new("sidecar", ContainerImage::ecr(&repo, "sidecar")).essential(false),
    );
    let t = template(&app, "S");
    let statements = role_statements(&t, "TaskExecutionRole");
    assert!(!statements.is_empty());
    for st in &statements {
        let actions = as_list(&st["Action"]);
        for a in &actions {
            assert!(!a.as_str().unwrap_or("*").contains('*'), "wildcard action {a}");
        }
        // Only the registry token, which takes no resource, is granted on `*`.
        if as_list(&st["Resource"]).contains(&json!("*")) {
            assert_eq!(actions, vec![json!("ecr:GetAuthorizationToken")], "{st}");
        }
    }
    let all_actions: Vec<Value> = statements.iter().flat_map(|s| as_list(&s["Action"])).collect();
    for a in [
        "ecr:BatchGetImage",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "ssm:GetParameters",
        "secretsmanager:GetSecretValue",
    ] {
        assert!(all_actions.contains(&json!(a)), "{a} missing: {statements:?}");
    }
    let pulls = all_actions.iter().filter(|a| **a == json!("ecr:BatchGetImage")).count();
    assert_eq!(pulls, 1);
    let container = &t["Resources"]["Task"]["Properties"]["ContainerDefinitions"][0];
    assert_eq!(
        container["Secrets"],
        json!([
            {"Name": "DB_PASSWORD", "ValueFrom": "/myapp/prod/db-password"},
            {"Name": "API_KEY", "ValueFrom": "prod/myapp"}
        ])
    );
    // The task role has no policy until something is granted to the task definition.
    assert!(role_statements(&t, "TaskTaskRole").is_empty());
}

#[test]
fn grants_to_the_task_definition_reach_the_task_role() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let task = FargateTaskDefinition::new(&mut s, "Task", FargateTaskDefinitionProps::new("myapp"));
    task.add_container(&mut s, ContainerDefinition::new("myapp", "nginx:1.27").port(80));
    task.add_to_principal_policy(
        &mut s,
        PolicyStatement::allow()
            .action("sqs:SendMessage")
            .resource("arn:aws:sqs:us-east-1:123456789012:q"),
    );
    let t = template(&app, "S");
    let st = role_statements(&t, "TaskTaskRole");
    assert_eq!(st.len(), 1);
    assert_eq!(st[0]["Action"], "sqs:SendMessage");
    // A public image gives the execution role no registry access.
    let exec = role_statements(&t, "TaskExecutionRole");
    assert!(exec.iter().all(|s| {
        !as_list(&s["Action"]).iter().any(|a| a.as_str().is_some_and(|a| a.starts_with("ecr:")))
    }));
}

#[test]
fn codedeploy_controller_renders_code_deploy() {
    let app = article_app(Deployment::CodeDeploy);
    let t = template(&app, "Service");
    let svc = &t["Resources"]["Service"]["Properties"];
    assert_eq!(svc["DeploymentController"], json!({"Type": "CODE_DEPLOY"}));
    assert_eq!(svc["DeploymentConfiguration"], Value::Null);
    assert_eq!(svc["LaunchType"], "FARGATE");
    assert_eq!(svc["Cluster"], json!({"Ref": "Cluster"}));
    assert_eq!(svc["TaskDefinition"], json!({"Ref": "Task"}));
    assert_eq!(svc["HealthCheckGracePeriodSeconds"], 60);
    assert_eq!(
        svc["LoadBalancers"],
        json!([{"ContainerName": "myapp", "ContainerPort": 8080, "TargetGroupArn": TG}])
    );
    assert_eq!(svc["NetworkConfiguration"]["AwsvpcConfiguration"]["AssignPublicIp"], "DISABLED");
}

#[test]
fn rolling_deployments_use_the_circuit_breaker() {
    let app = article_app(Deployment::Rolling {
        circuit_breaker_rollback: true,
        min_healthy_percent: 50,
        max_percent: 200,
    });
    let t = template(&app, "Service");
    let svc = &t["Resources"]["Service"]["Properties"];
    assert_eq!(svc["DeploymentController"], json!({"Type": "ECS"}));
    assert_eq!(
        svc["DeploymentConfiguration"],
        json!({
            "DeploymentCircuitBreaker": {"Enable": true, "Rollback": true},
            "MaximumPercent": 200,
            "MinimumHealthyPercent": 50
        })
    );
    let cluster = &t["Resources"]["Cluster"]["Properties"];
    assert_eq!(
        cluster["ClusterSettings"],
        json!([{"Name": "containerInsights", "Value": "enabled"}])
    );
}

#[test]
fn service_misconfigurations_are_errors() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let cluster = Cluster::new(
        &mut s,
        "Cluster",
        ClusterProps::new().container_insights(ContainerInsights::Disabled),
    );
    let task = FargateTaskDefinition::new(&mut s, "Task", FargateTaskDefinitionProps::new("myapp"));
    task.add_container(&mut s, ContainerDefinition::new("myapp", "nginx:1.27").port(80));
    FargateService::new(
        &mut s,
        "BlueGreen",
        FargateServiceProps::new(&cluster, &task).deployment(Deployment::CodeDeploy),
    );
    FargateService::new(
        &mut s,
        "Rolling",
        FargateServiceProps::new(&cluster, &task)
            .subnets(["subnet-0123456789abcdef0"])
            .health_check_grace_period(Duration::seconds(30))
            .deployment(Deployment::Rolling {
                circuit_breaker_rollback: false,
                min_healthy_percent: 120,
                max_percent: 250,
            }),
    );
    let errs = errors(&app);
    for m in [
        "a Fargate service needs at least one subnet; set .vpc(&vpc) or .subnets(...)",
        "Deployment::CodeDeploy shifts traffic between target groups, so the service needs a load balancer; set .load_balancer(...)",
        "health_check_grace_period only applies to a service with a load balancer",
        "min_healthy_percent is 120; use 0 to 100",
        "max_percent is 250; use 100 to 200",
    ] {
        assert!(errs.iter().any(|e| e.contains(m)), "{m} not in {errs:?}");
    }
    assert_eq!(errs.len(), 5, "{errs:?}");
}

#[test]
fn task_definition_without_containers_is_an_error() {
    let mut app = App::new();
    let mut s = app.stack("S");
    FargateTaskDefinition::new(&mut s, "Task", FargateTaskDefinitionProps::new("myapp"));
    let errs = errors(&app);
    assert!(
        errs.iter().any(
            |e| e.contains("the task definition has no containers; add one with add_container")
        ),
        "{errs:?}"
    );
}

#[test]
fn service_waits_for_the_listener() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let cluster = Cluster::new(&mut s, "Cluster", ClusterProps::new());
    let task = FargateTaskDefinition::new(&mut s, "Task", FargateTaskDefinitionProps::new("myapp"));
    task.add_container(&mut s, ContainerDefinition::new("myapp", "nginx:1.27").port(80));
    let other = Cluster::new(&mut s, "Other", ClusterProps::new());
    FargateService::new(
        &mut s,
        "Service",
        FargateServiceProps::new(&cluster, &task)
            .subnets(["subnet-0123456789abcdef0"])
            .wait_for(other.resource()),
    );
    let t = template(&app, "S");
    assert_eq!(t["Resources"]["Service"]["DependsOn"], json!("Other"));
}

#[test]
fn lint_dir() {
    // Writes the article app (JSON and YAML) for a manual cfn-lint run when asked.
    let Ok(dir) = std::env::var("ECS_LINT_DIR") else { return };
    for (format, deployment, sub) in [
        (Format::Json, Deployment::CodeDeploy, "json"),
        (Format::Yaml, Deployment::default(), "yaml"),
    ] {
        let mut app = article_app(deployment);
        extra_stack(&mut app);
        let assembly = match app.synth(format) {
            Ok(a) => a,
            Err(d) => panic!("{d}"),
        };
        if let Err(e) = assembly.write(&std::path::Path::new(&dir).join(sub)) {
            panic!("{e}");
        }
    }
}

/// A second stack for the lint run: secrets, a public IP, no load balancer.
fn extra_stack(app: &mut App) {
    let mut s = app.stack("Worker");
    let cluster = Cluster::new(
        &mut s,
        "Cluster",
        ClusterProps::new().cluster_name("workers").container_insights(ContainerInsights::Enhanced),
    );
    let task = FargateTaskDefinition::new(
        &mut s,
        "Task",
        FargateTaskDefinitionProps::new("worker").cpu(1024).memory(4096),
    );
    task.add_container(
        &mut s,
        ContainerDefinition::new("worker", "public.ecr.aws/docker/library/busybox:1.36")
            .command(["sh", "-c", "sleep 3600"])
            .secret_from_ssm("DB_PASSWORD", "/myapp/prod/db-password")
            .secret_from_secrets_manager("API_KEY", "prod/myapp"),
    );
    FargateService::new(
        &mut s,
        "Service",
        FargateServiceProps::new(&cluster, &task)
            .subnets(["subnet-0123456789abcdef0"])
            .assign_public_ip(true)
            .platform_version("1.4.0"),
    );
}

/// The errors of an app whose service deploys by `deployment`, wired to the pipeline's ECS
/// rolling deploy action and to a CodeDeploy blue/green group.
fn deployed_both_ways(deployment: Deployment) -> Vec<String> {
    use stackwright_constructs::codedeploy::{
        EcsBlueGreen, EcsDeploymentGroup, EcsDeploymentGroupProps,
    };
    use stackwright_constructs::codepipeline::{
        Artifact, EcsDeploy, Pipeline, PipelineProps, S3Source,
    };
    let mut app = App::new();
    let mut s = app.stack("S");
    let cluster = Cluster::new(&mut s, "Cluster", ClusterProps::new());
    let task = article_task(&mut s);
    let service = FargateService::new(
        &mut s,
        "Service",
        FargateServiceProps::new(&cluster, &task)
            .subnets(["subnet-0123456789abcdef0"])
            .load_balancer_arn(TG, "myapp", 8080)
            .deployment(deployment),
    );
    let test = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/1/2";
    let prod = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/1/3";
    let blue_green = EcsBlueGreen::from_names("blue", "green", prod).test_listener_arn(test);
    EcsDeploymentGroup::new(
        &mut s,
        "BlueGreen",
        EcsDeploymentGroupProps::new(&service, blue_green),
    );
    let source = Artifact::new("Src");
    let pipeline = Pipeline::new(&mut s, "Pipeline", PipelineProps::new());
    pipeline.add_stage(&mut s, "Source", [S3Source::new("Fetch", "bucket", "app.zip", &source)]);
    pipeline.add_stage(&mut s, "Deploy", [EcsDeploy::new("Roll", &service, &source)]);
    errors(&app)
}

#[test]
fn deploy_actions_and_groups_are_checked_against_the_services_controller() {
    assert_eq!(
        deployed_both_ways(Deployment::CodeDeploy),
        ["S/Pipeline: action `Deploy/Roll`: the service is deployed by CodeDeploy \
             (Deployment::CodeDeploy), which the ECS rolling deploy action cannot update; deploy \
             it with CodeDeployEcsDeploy"]
    );
    assert_eq!(
        deployed_both_ways(Deployment::default()),
        ["S/BlueGreen: the service is deployed by ECS's rolling update (its deployment \
             controller is ECS), so CodeDeploy cannot deploy it; create the service with \
             .deployment(Deployment::CodeDeploy), or deploy it with the pipeline's EcsDeploy"]
    );
}

#[test]
fn an_image_placeholder_names_a_container_of_the_task() {
    let mut app = App::new();
    let mut s = app.stack("S");
    s.set_environment(Environment::new("123456789012", "us-east-1"));
    let task = article_task(&mut s);
    let file = TaskDefinitionFile::new().image_placeholder("my-app", "IMAGE1_NAME");
    task.add_taskdef_file(&mut s, "taskdef.json", file);
    assert_eq!(
        errors(&app),
        [
            "S/Task: taskdef.json: the placeholder <IMAGE1_NAME> is for container `my-app`, which \
             the task definition does not have; name one of its containers (myapp)",
            "S/Task: taskdef.json: the image of container `myapp` is a CloudFormation expression, \
             which a file cannot hold; give it an image placeholder",
        ]
    );
}

/// A service registering `container`:`port` into a target group of this app, with a listener
/// forwarding to the group when `listener` is set.
fn service_behind_group(container: &str, port: u16, listener: bool) -> App {
    use stackwright_constructs::elbv2::{
        ApplicationLoadBalancer, LoadBalancerProps, TargetGroup, TargetGroupProps,
    };
    use stackwright_core::Val;
    let mut app = App::new();
    let mut s = app.stack("S");
    let cluster = Cluster::new(&mut s, "Cluster", ClusterProps::new());
    let task = article_task(&mut s);
    let group = TargetGroup::new(
        &mut s,
        "Targets",
        TargetGroupProps::in_vpc_id("vpc-0123456789abcdef0", 8080),
    );
    if listener {
        let subnets =
            [Val::from("subnet-0123456789abcdef0"), Val::from("subnet-0fedcba9876543210")];
        let alb = ApplicationLoadBalancer::new(
            &mut s,
            "Alb",
            LoadBalancerProps::new("vpc-0123456789abcdef0", subnets),
        );
        alb.add_listener(&mut s, "Http", 80, &group);
    }
    FargateService::new(
        &mut s,
        "Service",
        FargateServiceProps::new(&cluster, &task)
            .subnets(["subnet-0123456789abcdef0"])
            .load_balancer(&group, container, port),
    );
    app
}

#[test]
fn a_service_waits_for_the_listeners_of_its_target_group() {
    let t = template(&service_behind_group("myapp", 8080, true), "S");
    assert_eq!(t["Resources"]["Service"]["DependsOn"], "AlbHttp");
}

#[test]
fn a_service_behind_a_target_group_is_checked_against_its_task_and_listeners() {
    assert_eq!(
        errors(&service_behind_group("myapp", 8080, false)),
        ["S/Service: the service's target group has no listener, and ECS rejects a target \
             group no load balancer forwards to; add a listener that forwards to it with \
             ApplicationLoadBalancer::add_listener"]
    );
    assert_eq!(
        errors(&service_behind_group("web", 8080, true)),
        ["S/Service: the load balancer targets container `web`, which the task definition \
             does not have; name one of its containers"]
    );
    assert_eq!(
        errors(&service_behind_group("myapp", 3000, true)),
        ["S/Service: the load balancer targets port 3000 of container `myapp`, which it does \
             not expose; add .port(3000) to the container"]
    );
}

/// A task whose role ARNs and log region are known only once deployed (no fixed account,
/// region or role names), granted something, its `taskdef.json` and `appspec.yml` built by
/// a project when `built` is set, for an output folder at `infra/stacks` in the source.
fn deferred_files(built: bool) -> Result<stackwright_core::Assembly, Vec<String>> {
    use stackwright_constructs::codebuild::{
        Artifacts, BuildSpec, BuildSpecLocation, Phase, Project, ProjectProps, Source,
    };
    let mut app = App::new();
    let mut s = app.stack("S");
    let repo = Repository::new(&mut s, "Repo", RepositoryProps::new());
    let task =
        FargateTaskDefinition::new(&mut s, "Task", FargateTaskDefinitionProps::new("my-app"));
    task.add_container(&mut s, ContainerDefinition::new("web", ContainerImage::ecr(&repo, "v1")));
    task.add_to_principal_policy(
        &mut s,
        PolicyStatement::allow().action("sqs:ReceiveMessage").resource("*"),
    );
    let spec = BuildSpec::new()
        .build(Phase::with_commands(["make image"]))
        .artifacts(Artifacts::new(["imagedefinitions.json"]));
    let project = Project::new(
        &mut s,
        "Build",
        ProjectProps::new(Source::CodePipeline)
            .buildspec(BuildSpecLocation::Companion(spec, "buildspec.yml".into())),
    );
    let (mut file, mut appspec) = (TaskDefinitionFile::new(), AppSpec::ecs("web", 8080));
    if built {
        file = file.built_by(&project);
        appspec = appspec.built_by(&project);
    }
    task.add_taskdef_file(&mut s, "deploy/taskdef.json", file);
    appspec.add_file(&mut s, "appspec.yml");
    app.synth_for_source(Format::Json, "infra/stacks")
        .map_err(|d| d.errors.iter().map(|e| e.to_string()).collect())
}

#[test]
fn a_taskdef_with_values_known_only_once_deployed_needs_a_build_to_fill_them_in() {
    assert_eq!(
        deferred_files(false).err().unwrap_or_default(),
        ["S/Task: taskdef.json: <EXECUTION_ROLE_ARN>, <TASK_ROLE_ARN>, <AWS_REGION> are known \
          only once the stack is deployed, and no build fills them in; name the project that \
          builds the image: TaskDefinitionFile::new().built_by(&project); or fix the stack's \
          account and region (set_environment) and name the roles \
          (FargateTaskDefinitionProps::execution_role_name, task_role_name)"]
    );
}

#[test]
fn the_build_fills_in_taskdef_json_and_copies_both_files_from_the_source() {
    let assembly = match deferred_files(true) {
        Ok(a) => a,
        Err(e) => panic!("synthesis failed: {e:?}"),
    };
    let text = |path: &str| {
        let found = assembly.files().into_iter().find(|(p, _)| *p == path);
        found.map(|(_, c)| c.to_owned()).unwrap_or_else(|| panic!("no file {path}"))
    };
    let taskdef: Value = serde_json::from_str(&text("deploy/taskdef.json")).unwrap_or_default();
    assert_eq!(taskdef["executionRoleArn"], "<EXECUTION_ROLE_ARN>");
    assert_eq!(taskdef["taskRoleArn"], "<TASK_ROLE_ARN>");
    let options = &taskdef["containerDefinitions"][0]["logConfiguration"]["options"];
    assert_eq!(options["awslogs-region"], "<AWS_REGION>");

    let spec: serde_yaml::Value = serde_yaml::from_str(&text("buildspec.yml")).unwrap_or_default();
    let strings = |v: &serde_yaml::Value| -> Vec<String> {
        v.as_sequence()
            .map(|l| l.iter().filter_map(|c| c.as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        strings(&spec["phases"]["post_build"]["commands"]),
        [
            "mkdir -p \"$CODEBUILD_SRC_DIR/deploy\" && sed -e \"s|<EXECUTION_ROLE_ARN>|$MY_APP_EXECUTION_ROLE_ARN|g\" \
             -e \"s|<TASK_ROLE_ARN>|$MY_APP_TASK_ROLE_ARN|g\" -e \"s|<AWS_REGION>|$AWS_REGION|g\" \
             \"$CODEBUILD_SRC_DIR/infra/stacks/deploy/taskdef.json\" > \"$CODEBUILD_SRC_DIR/deploy/taskdef.json\"",
            "cp \"$CODEBUILD_SRC_DIR/infra/stacks/appspec.yml\" \"$CODEBUILD_SRC_DIR/appspec.yml\"",
        ]
    );
    assert_eq!(
        strings(&spec["artifacts"]["files"]),
        ["imagedefinitions.json", "deploy/taskdef.json", "appspec.yml"]
    );

    let template: Value = serde_json::from_str(&text("S.template.json")).unwrap_or_default();
    let project = &template["Resources"]["Build"]["Properties"];
    assert_eq!(project["Source"]["BuildSpec"], "infra/stacks/buildspec.yml");
    assert_eq!(
        project["Environment"]["EnvironmentVariables"],
        json!([
            {
                "Name": "MY_APP_EXECUTION_ROLE_ARN",
                "Type": "PLAINTEXT",
                "Value": {"Fn::GetAtt": ["TaskExecutionRole", "Arn"]}
            },
            {
                "Name": "MY_APP_TASK_ROLE_ARN",
                "Type": "PLAINTEXT",
                "Value": {"Fn::GetAtt": ["TaskTaskRole", "Arn"]}
            }
        ])
    );
}

#[test]
fn a_task_role_granted_nothing_is_left_out_of_taskdef_json() {
    let app = article_app(Deployment::CodeDeploy);
    let taskdef: Value = serde_json::from_str(&file(&app, "taskdef.json")).unwrap_or_default();
    assert_eq!(taskdef.get("taskRoleArn"), None);
    assert_eq!(taskdef["executionRoleArn"], "arn:aws:iam::123456789:role/ecsTaskExecutionRole");
}

#[test]
fn a_build_with_a_buildspec_of_its_own_cannot_copy_companion_files() {
    use stackwright_constructs::codebuild::{BuildSpecLocation, Project, ProjectProps, Source};
    let mut app = App::new();
    let mut s = app.stack("S");
    s.set_environment(Environment::new("123456789012", "us-east-1"));
    let task = article_task(&mut s);
    let project = Project::new(
        &mut s,
        "Build",
        ProjectProps::new(Source::CodePipeline)
            .buildspec(BuildSpecLocation::File("ci/buildspec.yml".into())),
    );
    task.add_taskdef_file(&mut s, "taskdef.json", TaskDefinitionFile::new().built_by(&project));
    assert_eq!(
        errors(&app),
        ["S/Build: the build is to put companion files into its artifact, but its buildspec is a \
          file stackwright does not write; give the project BuildSpecLocation::Companion or \
          BuildSpecLocation::Inline"]
    );
}

/// A service in a VPC of the app behind a load balancer, with its own security group, and
/// a database group it reaches.
fn connected_service(own_group: bool) -> App {
    use stackwright_constructs::ec2::{Port, SecurityGroup, Vpc, VpcProps};
    use stackwright_constructs::elbv2::{
        ApplicationLoadBalancer, LoadBalancerProps, TargetGroup, TargetGroupProps,
    };
    let mut app = App::new();
    let mut s = app.stack("S");
    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new());
    let cluster = Cluster::new(&mut s, "Cluster", ClusterProps::new());
    let task = article_task(&mut s);
    let group = TargetGroup::new(&mut s, "Targets", TargetGroupProps::new(&vpc, 8080));
    let mut props =
        FargateServiceProps::new(&cluster, &task).vpc(&vpc).load_balancer(&group, "myapp", 8080);
    if !own_group {
        props = props.security_groups(["sg-0123456789abcdef0"]);
    }
    let service = FargateService::new(&mut s, "Service", props);
    // The listener comes after the service: the service admits the load balancer at synth.
    let alb = ApplicationLoadBalancer::new(&mut s, "Alb", LoadBalancerProps::public_in(&vpc));
    alb.add_listener(&mut s, "Http", 80, &group);
    let database = SecurityGroup::new(&mut s, "Database", &vpc, "database");
    database.allow_from(&mut s, &service, Port::tcp(5432));
    service.allow_from(&mut s, &alb, Port::tcp(9090));
    app
}

#[test]
fn a_service_in_a_vpc_has_its_own_security_group_open_to_its_load_balancer() {
    let t = template(&connected_service(true), "S");
    let network =
        &t["Resources"]["Service"]["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"];
    assert_eq!(
        network["SecurityGroups"],
        json!([{"Fn::GetAtt": ["ServiceSecurityGroup", "GroupId"]}])
    );
    assert_eq!(network["Subnets"].as_array().map(Vec::len), Some(2));
    let rule = |id: &str| t["Resources"][id]["Properties"].clone();
    assert_eq!(
        rule("ServiceSecurityGroupFromAlbSecurityGroupTcp8080"),
        json!({
            "Description": "from AlbSecurityGroup:8080",
            "FromPort": 8080,
            "GroupId": {"Fn::GetAtt": ["ServiceSecurityGroup", "GroupId"]},
            "IpProtocol": "tcp",
            "SourceSecurityGroupId": {"Fn::GetAtt": ["AlbSecurityGroup", "GroupId"]},
            "ToPort": 8080
        })
    );
    assert_eq!(rule("ServiceSecurityGroupFromAlbSecurityGroupTcp9090")["FromPort"], 9090);
    assert_eq!(
        rule("DatabaseFromServiceSecurityGroupTcp5432")["SourceSecurityGroupId"],
        json!({"Fn::GetAtt": ["ServiceSecurityGroup", "GroupId"]})
    );
}

#[test]
fn a_service_given_security_groups_by_id_has_no_group_to_connect() {
    assert_eq!(
        errors(&connected_service(false)),
        [
            "S/Database: port 5432 is opened to something without a security group of this \
             app; give it one (a service gets its own unless given security groups by ID), or \
             allow from the group itself",
            "S/Service: the service has no security group of its own to open: it was given security \
             groups by ID; create it with .vpc(&vpc) and without .security_groups(...), or open \
             the groups it was given",
        ]
    );
}

/// A service registered into a target group on port `port` by the group alone, its task
/// having containers `web` (8080) and, when `sidecar` is set, `proxy` (8080 as well).
fn service_by_group_port(port: u32, sidecar: bool) -> App {
    use stackwright_constructs::elbv2::{
        ApplicationLoadBalancer, LoadBalancerProps, TargetGroup, TargetGroupProps,
    };
    use stackwright_core::Val;
    let mut app = App::new();
    let mut s = app.stack("S");
    let cluster = Cluster::new(&mut s, "Cluster", ClusterProps::new());
    let task = FargateTaskDefinition::new(&mut s, "Task", FargateTaskDefinitionProps::new("web"));
    task.add_container(&mut s, ContainerDefinition::new("web", "nginx:1.27").port(8080));
    if sidecar {
        task.add_container(&mut s, ContainerDefinition::new("proxy", "envoy:1.30").port(8080));
    }
    let group = TargetGroup::new(
        &mut s,
        "Targets",
        TargetGroupProps::in_vpc_id("vpc-0123456789abcdef0", port),
    );
    let subnets = [Val::from("subnet-0123456789abcdef0"), Val::from("subnet-0fedcba9876543210")];
    let alb = ApplicationLoadBalancer::new(
        &mut s,
        "Alb",
        LoadBalancerProps::new("vpc-0123456789abcdef0", subnets),
    );
    alb.add_listener(&mut s, "Http", 80, &group);
    FargateService::new(
        &mut s,
        "Service",
        FargateServiceProps::new(&cluster, &task)
            .subnets(["subnet-0123456789abcdef0"])
            .target_group(&group),
    );
    app
}

#[test]
fn a_target_group_alone_names_the_container_exposing_its_port() {
    let t = template(&service_by_group_port(8080, false), "S");
    assert_eq!(
        t["Resources"]["Service"]["Properties"]["LoadBalancers"],
        json!([{"ContainerName": "web", "ContainerPort": 8080, "TargetGroupArn": {"Ref": "Targets"}}])
    );
    assert_eq!(
        errors(&service_by_group_port(9000, false)),
        ["S/Service: no container of the task exposes the target group's port 9000; add a \
          container with .port(9000) before creating the service, or name the container and \
          port with .load_balancer(&group, container, port)"]
    );
    assert_eq!(
        errors(&service_by_group_port(8080, true)),
        ["S/Service: containers web, proxy all expose the target group's port 8080; name the \
          one that receives traffic with .load_balancer(&group, container, port)"]
    );
    // A port out of range is the group's one error: the service does not go on to look for
    // a container exposing it cut down to 16 bits.
    assert_eq!(
        errors(&service_by_group_port(73_616, false)),
        ["S/Targets: port 73616 is out of range; ports are 1 to 65535"]
    );
}

#[test]
fn the_build_writes_the_image_files_naming_the_tasks_container() {
    use stackwright_constructs::codebuild::{
        BuildSpec, BuildSpecLocation, Phase, Project, ProjectProps, Source,
    };
    let mut app = App::new();
    let mut s = app.stack("S");
    let task = FargateTaskDefinition::new(&mut s, "Task", FargateTaskDefinitionProps::new("web"));
    let spec = BuildSpec::new().build(Phase::with_commands(["docker build -t $IMAGE ."]));
    let project = Project::new(
        &mut s,
        "Build",
        ProjectProps::new(Source::CodePipeline).buildspec(BuildSpecLocation::Inline(spec)),
    );
    task.image_definitions_built_by(&mut s, &project, "$IMAGE");
    task.image_detail_built_by(&mut s, &project, "$IMAGE");
    // The container is added after the request: the command names it all the same.
    task.add_container(&mut s, ContainerDefinition::new("frontend", "nginx:1.27").port(80));
    let t = template(&app, "S");
    let text =
        t["Resources"]["Build"]["Properties"]["Source"]["BuildSpec"].as_str().unwrap_or_default();
    let spec: serde_yaml::Value = serde_yaml::from_str(text).unwrap_or_default();
    assert_eq!(
        spec["phases"]["post_build"]["commands"],
        serde_yaml::to_value([
            r#"printf '[{"name":"frontend","imageUri":"%s"}]' $IMAGE > imagedefinitions.json"#,
            r#"printf '{"ImageURI":"%s"}' $IMAGE > imageDetail.json"#,
        ])
        .unwrap_or_default()
    );
    assert_eq!(
        spec["artifacts"]["files"],
        serde_yaml::to_value(["imagedefinitions.json", "imageDetail.json"]).unwrap_or_default()
    );
}

/// Problems of the files a build writes: `case` picks one.
fn build_file_problems(case: &str) -> Vec<String> {
    use stackwright_constructs::codebuild::{
        Artifacts, BuildSpec, BuildSpecLocation, Phase, Project, ProjectProps, Source,
    };
    let mut app = App::new();
    let mut s = app.stack("S");
    let repo = Repository::new(&mut s, "Repo", RepositoryProps::new());
    let mut spec = BuildSpec::new().build(Phase::with_commands(["make"]));
    if case == "base directory" {
        spec = spec.artifacts(Artifacts::new(["**/*"]).base_directory("dist"));
    }
    let project = Project::new(
        &mut s,
        "Build",
        ProjectProps::new(Source::CodePipeline).buildspec(BuildSpecLocation::Inline(spec)),
    );
    let task = |s: &mut Scope<'_>, id: &str, family: &str| {
        FargateTaskDefinition::new(s, id, FargateTaskDefinitionProps::new(family))
    };
    let web = task(&mut s, "Web", "my-app");
    match case {
        "two built containers" => {
            for name in ["web", "worker"] {
                let image = ContainerImage::ecr(&repo, "v1");
                web.add_container(&mut s, ContainerDefinition::new(name, image).port(80));
            }
            web.image_definitions_built_by(&mut s, &project, "$IMAGE");
        }
        "variable clash" => {
            let other = task(&mut s, "Other", "my_app");
            for t in [web, other] {
                t.add_container(
                    &mut s,
                    ContainerDefinition::new("web", ContainerImage::ecr(&repo, "v1")),
                );
                let path = format!("{}.json", if t == web { "web" } else { "other" });
                t.add_taskdef_file(&mut s, path, TaskDefinitionFile::new().built_by(&project));
            }
        }
        _ => {
            web.add_container(&mut s, ContainerDefinition::new("web", "nginx:1.27").port(80));
            web.image_definitions_built_by(&mut s, &project, "$IMAGE");
        }
    }
    errors(&app)
}

#[test]
fn what_a_build_cannot_write_is_reported() {
    assert_eq!(
        build_file_problems("two built containers"),
        ["S/Build: imagedefinitions.json names one container, and containers web, worker could \
          each be the one the build's image is for; give only the built container an image of \
          an ECR repository of this app (ContainerImage::ecr)"]
    );
    assert_eq!(
        build_file_problems("base directory"),
        ["S/Build: the build is to put `imagedefinitions.json` into its artifact, but the \
          artifact's base directory is `dist`, where the files are not; leave \
          Artifacts::base_directory unset"]
    );
    assert_eq!(
        build_file_problems("variable clash"),
        ["S/Build: two files the build fills in need the environment variable \
          `MY_APP_EXECUTION_ROLE_ARN` with different values; give the task definitions families \
          that differ in more than `-` and `_`, or build them with different projects"]
    );
}

#[test]
fn a_target_group_of_instances_is_refused_for_fargate_tasks() {
    use stackwright_constructs::ec2::{Vpc, VpcProps};
    use stackwright_constructs::elbv2::{
        ApplicationLoadBalancer, LoadBalancerProps, TargetGroup, TargetGroupProps, TargetType,
    };
    let mut app = App::new();
    let mut s = app.stack("S");
    let vpc = Vpc::new(&mut s, "Vpc", VpcProps::new());
    let cluster = Cluster::new(&mut s, "Cluster", ClusterProps::new());
    let task = article_task(&mut s);
    let group = TargetGroup::new(
        &mut s,
        "Targets",
        TargetGroupProps::new(&vpc, 8080).target_type(TargetType::Instance),
    );
    let props =
        FargateServiceProps::new(&cluster, &task).vpc(&vpc).load_balancer(&group, "myapp", 8080);
    FargateService::new(&mut s, "Service", props);
    let alb = ApplicationLoadBalancer::new(&mut s, "Alb", LoadBalancerProps::public_in(&vpc));
    alb.add_listener(&mut s, "Http", 80, &group);
    assert_eq!(
        errors(&app),
        [
            "S/Service: the service registers Fargate tasks into a target group of instances, and Fargate tasks register by IP address; create the target group with TargetType::Ip (the default)"
        ]
    );
}

/// The pass-role statement of the pipeline role's policy.
fn pass_role_statement(app: &App) -> Value {
    let t = template(app, "S");
    let statements =
        t["Resources"]["PipelineRoleDefaultPolicy"]["Properties"]["PolicyDocument"]["Statement"]
            .as_array()
            .cloned()
            .unwrap_or_default();
    statements.into_iter().find(|s| s["Action"] == json!("iam:PassRole")).unwrap_or_default()
}

#[test]
fn a_rolling_deploy_passes_exactly_the_roles_of_the_services_tasks() {
    use stackwright_constructs::codepipeline::{
        Artifact, EcsDeploy, Pipeline, PipelineProps, S3Source,
    };
    let deploy = |own_service: bool| {
        let mut app = App::new();
        let mut s = app.stack("S");
        let cluster = Cluster::new(&mut s, "Cluster", ClusterProps::new());
        let task = article_task(&mut s);
        let service = FargateService::new(
            &mut s,
            "Service",
            FargateServiceProps::new(&cluster, &task).subnets(["subnet-0123456789abcdef0"]),
        );
        let source = Artifact::new("Src");
        let pipeline = Pipeline::new(&mut s, "Pipeline", PipelineProps::new());
        pipeline.add_stage(
            &mut s,
            "Source",
            [S3Source::new("Fetch", "bucket", "app.zip", &source)],
        );
        let action = if own_service {
            EcsDeploy::new("Roll", &service, &source)
        } else {
            EcsDeploy::from_names("Roll", "prod", "web", &source)
        };
        pipeline.add_stage(&mut s, "Deploy", [action]);
        pass_role_statement(&app)
    };
    let condition = json!({"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}});
    let own = deploy(true);
    assert_eq!(
        own["Resource"],
        json!([
            {"Fn::GetAtt": ["TaskExecutionRole", "Arn"]},
            {"Fn::GetAtt": ["TaskTaskRole", "Arn"]}
        ])
    );
    assert_eq!(own["Condition"], condition);
    // A service outside the app: its task's roles are unknown, so any role, to ECS tasks only.
    let outside = deploy(false);
    assert_eq!(
        outside["Resource"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*"})
    );
    assert_eq!(outside["Condition"], condition);
}

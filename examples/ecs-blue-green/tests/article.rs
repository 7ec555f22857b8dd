//! The example's `taskdef.json` and `appspec.yml` against the article's listings.

#![allow(clippy::panic)] // assertions panic

use serde_json::json;
use stackwright::Format;

fn file(path: &str) -> String {
    let assembly = match ecs_blue_green::app().synth(Format::Json) {
        Ok(a) => a,
        Err(d) => panic!("the example does not synthesize:\n{d}"),
    };
    let found = assembly.files().into_iter().find(|(p, _)| *p == path);
    found.map(|(_, c)| c.to_owned()).unwrap_or_else(|| panic!("no file {path}"))
}

#[test]
fn taskdef_json_is_the_articles_with_the_roles_real_arn() {
    let got: serde_json::Value = match serde_json::from_str(&file("taskdef.json")) {
        Ok(v) => v,
        Err(e) => panic!("taskdef.json is not JSON: {e}"),
    };
    // The article's listing, with its placeholder account replaced by the stack's.
    let article = json!({
        "family": "myapp",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "512",
        "memory": "1024",
        "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
        "containerDefinitions": [{
            "name": "myapp",
            "image": "<IMAGE1_NAME>",
            "essential": true,
            "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {
                    "awslogs-group": "/ecs/myapp",
                    "awslogs-region": "us-east-1",
                    "awslogs-stream-prefix": "ecs"
                }
            },
            "environment": [{"name": "NODE_ENV", "value": "production"}]
        }]
    });
    assert_eq!(got, article);
}

#[test]
fn appspec_yml_is_the_articles() {
    let text = file("appspec.yml");
    let got: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or_default();
    let article: serde_yaml::Value = serde_yaml::from_str(
        "version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: \"myapp\"
          ContainerPort: 8080
        PlatformVersion: \"LATEST\"
",
    )
    .unwrap_or_default();
    assert!(article.get("Resources").is_some());
    assert_eq!(got, article, "{text}");
}

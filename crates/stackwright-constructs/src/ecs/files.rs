//! The companion files of an ECS blue/green deployment, generated from the same typed
//! definitions as the template: `taskdef.json`, `appspec.yml` and `imagedefinitions.json`.

use stackwright_core::emit::{self, Node};
use stackwright_core::{Expr, Scope};

use super::FargateTaskDefinition;
use super::task_definition::TaskDefinitionState;

fn s(text: impl Into<String>) -> Node {
    Node::Str(text.into())
}

fn map(entries: Vec<(&str, Node)>) -> Node {
    Node::Map(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// Settings of the `taskdef.json` a CodeDeploy-to-ECS action registers. A file cannot hold
/// CloudFormation references, so the values the template resolves at deploy time (the
/// execution role ARN, the region of the `awslogs` options) are given here as literal text.
/// Everything else (family, size, containers, ports, environment, secrets, log group) comes
/// from the task definition itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskDefinitionFile {
    execution_role_arn: String,
    region: String,
    task_role_arn: Option<String>,
    placeholders: Vec<(String, String)>,
}

impl TaskDefinitionFile {
    /// A file with this execution role ARN and region. The first container's image becomes
    /// the `<IMAGE1_NAME>` placeholder the pipeline fills in with the built image.
    pub fn new(execution_role_arn: impl Into<String>, region: impl Into<String>) -> Self {
        TaskDefinitionFile {
            execution_role_arn: execution_role_arn.into(),
            region: region.into(),
            task_role_arn: None,
            placeholders: Vec::new(),
        }
    }

    /// Writes `taskRoleArn` too.
    pub fn task_role_arn(mut self, arn: impl Into<String>) -> Self {
        self.task_role_arn = Some(arn.into());
        self
    }

    /// Writes the image of `container` as `<placeholder>` (such as `IMAGE1_NAME`). Once any
    /// is set, only the named containers get placeholders; the others need literal images.
    pub fn image_placeholder(
        mut self,
        container: impl Into<String>,
        placeholder: impl Into<String>,
    ) -> Self {
        self.placeholders.push((container.into(), placeholder.into()));
        self
    }

    pub(crate) fn render(&self, def: &TaskDefinitionState, problems: &mut Vec<String>) -> Node {
        for (container, placeholder) in &self.placeholders {
            if !def.containers().iter().any(|c| c.name == *container) {
                let names: Vec<&str> = def.containers().iter().map(|c| c.name.as_str()).collect();
                problems.push(format!(
                    "taskdef.json: the placeholder <{placeholder}> is for container `{container}`, \
                     which the task definition does not have; name one of its containers ({})",
                    names.join(", ")
                ));
            }
        }
        let (cpu, memory) = def.size();
        let mut top = vec![
            ("family", s(def.family())),
            ("networkMode", s("awsvpc")),
            ("requiresCompatibilities", Node::List(vec![s("FARGATE")])),
            ("cpu", s(cpu.to_string())),
            ("memory", s(memory.to_string())),
            ("executionRoleArn", s(self.execution_role_arn.as_str())),
        ];
        if let Some(arn) = &self.task_role_arn {
            top.push(("taskRoleArn", s(arn.as_str())));
        }
        let mut containers = Vec::new();
        for (i, c) in def.containers().iter().enumerate() {
            let placeholder = if self.placeholders.is_empty() {
                (i == 0).then(|| "IMAGE1_NAME".to_owned())
            } else {
                self.placeholders.iter().find(|(n, _)| *n == c.name).map(|(_, p)| p.clone())
            };
            let image = match placeholder {
                Some(p) => s(format!("<{p}>")),
                None => match literal_image(c) {
                    Some(uri) => s(uri),
                    None => {
                        problems.push(format!(
                            "taskdef.json: the image of container `{}` is a CloudFormation expression, which a file cannot hold; give it an image placeholder",
                            c.name
                        ));
                        s("")
                    }
                },
            };
            let mut entries = vec![
                ("name", s(c.name.as_str())),
                ("image", image),
                ("essential", Node::Bool(c.essential)),
            ];
            if !c.command.is_empty() {
                entries.push(("command", Node::List(c.command.iter().map(s).collect())));
            }
            if !c.ports.is_empty() {
                let ports = c
                    .ports
                    .iter()
                    .map(|p| {
                        map(vec![
                            ("containerPort", Node::Int(i64::from(*p))),
                            ("protocol", s("tcp")),
                        ])
                    })
                    .collect();
                entries.push(("portMappings", Node::List(ports)));
            }
            entries.push((
                "logConfiguration",
                map(vec![
                    ("logDriver", s("awslogs")),
                    (
                        "options",
                        map(vec![
                            ("awslogs-group", s(def.log_group_name())),
                            ("awslogs-region", s(self.region.as_str())),
                            ("awslogs-stream-prefix", s("ecs")),
                        ]),
                    ),
                ]),
            ));
            if !c.environment.is_empty() {
                let mut env = Vec::new();
                for (name, value) in &c.environment {
                    match value.expr() {
                        Expr::Str(v) => {
                            env.push(map(vec![("name", s(name.as_str())), ("value", s(v.as_str()))]));
                        }
                        _ => problems.push(format!(
                            "taskdef.json: environment variable `{name}` of container `{}` is a CloudFormation expression, which a file cannot hold; give it a literal value",
                            c.name
                        )),
                    }
                }
                entries.push(("environment", Node::List(env)));
            }
            if !c.secrets.is_empty() {
                let secrets = c
                    .secrets
                    .iter()
                    .map(|(name, source)| {
                        map(vec![("name", s(name.as_str())), ("valueFrom", s(source.value_from()))])
                    })
                    .collect();
                entries.push(("secrets", Node::List(secrets)));
            }
            containers.push(map(entries));
        }
        top.push(("containerDefinitions", Node::List(containers)));
        map(top)
    }
}

fn literal_image(c: &super::ContainerDefinition) -> Option<String> {
    match &c.image {
        super::ContainerImage::Uri(v) => v.expr().as_str().map(str::to_owned),
        super::ContainerImage::Ecr { .. } => None,
    }
}

impl FargateTaskDefinition {
    /// The `taskdef.json` of this task definition as a tree. Problems (a value the file
    /// cannot hold) are reported through `scope`.
    pub fn taskdef_node(&self, scope: &mut Scope<'_>, file: &TaskDefinitionFile) -> Node {
        let Some(def) = self.definition(scope) else {
            scope.foreign_handle("the task definition");
            return Node::Null;
        };
        let mut problems = Vec::new();
        let node = file.render(&def, &mut problems);
        for p in problems {
            scope.error("ecs.companion-file", p, "");
        }
        node
    }

    /// The `taskdef.json` text of this task definition, from the containers added so far.
    /// [`add_taskdef_file`](Self::add_taskdef_file) writes the file from all of them.
    pub fn taskdef_json(&self, scope: &mut Scope<'_>, file: &TaskDefinitionFile) -> String {
        emit::to_json(&self.taskdef_node(scope, file))
    }

    /// Writes `taskdef.json` at `path` beside the templates. The file is rendered at synth,
    /// so it holds every container of the task definition, added before or after this call;
    /// the manifest lists it with the task definition's stack.
    pub fn add_taskdef_file(
        &self,
        scope: &mut Scope<'_>,
        path: impl Into<String>,
        file: &TaskDefinitionFile,
    ) {
        match scope.app().state_mut(self.node()) {
            Some(state) => state.add_file(path.into(), file.clone()),
            None => scope.foreign_handle("add_taskdef_file"),
        }
    }
}

/// The `appspec.yml` of an ECS blue/green deployment: which container and port of the
/// service's task receives the load balancer's traffic. CodeDeploy replaces
/// `<TASK_DEFINITION>` with the ARN of the task definition registered from `taskdef.json`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppSpec {
    container_name: String,
    container_port: u16,
    platform_version: String,
}

impl AppSpec {
    /// An ECS appspec routing traffic to `container_name` on `container_port`, on the
    /// `LATEST` platform version.
    pub fn ecs(container_name: impl Into<String>, container_port: u16) -> AppSpec {
        AppSpec {
            container_name: container_name.into(),
            container_port,
            platform_version: "LATEST".into(),
        }
    }

    /// Pins the Fargate platform version (such as `1.4.0`).
    pub fn platform_version(mut self, version: impl Into<String>) -> Self {
        self.platform_version = version.into();
        self
    }

    /// The appspec as a tree.
    pub fn to_node(&self) -> Node {
        let properties = map(vec![
            ("TaskDefinition", s("<TASK_DEFINITION>")),
            (
                "LoadBalancerInfo",
                map(vec![
                    ("ContainerName", s(self.container_name.as_str())),
                    ("ContainerPort", Node::Int(i64::from(self.container_port))),
                ]),
            ),
            ("PlatformVersion", s(self.platform_version.as_str())),
        ]);
        let target = map(vec![("Type", s("AWS::ECS::Service")), ("Properties", properties)]);
        map(vec![
            ("version", Node::Float(0.0)),
            ("Resources", Node::List(vec![map(vec![("TargetService", target)])])),
        ])
    }

    /// The appspec as YAML text.
    pub fn to_yaml(&self) -> String {
        emit::to_yaml(&self.to_node())
    }

    /// Writes the appspec at `path` (such as `appspec.yml`) beside the templates.
    pub fn add_file(&self, scope: &mut Scope<'_>, path: impl Into<String>) {
        scope.add_file(path, self.to_yaml());
    }
}

/// `imagedefinitions.json`: which image each container of a service runs, as the pipeline's
/// ECS (rolling) deploy action reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageDefinitions {
    images: Vec<(String, String)>,
}

impl ImageDefinitions {
    /// An empty list.
    pub fn new() -> ImageDefinitions {
        ImageDefinitions::default()
    }

    /// Adds the image URI of a container.
    pub fn image(mut self, container: impl Into<String>, image_uri: impl Into<String>) -> Self {
        self.images.push((container.into(), image_uri.into()));
        self
    }

    /// The list as a tree.
    pub fn to_node(&self) -> Node {
        Node::List(
            self.images
                .iter()
                .map(|(n, u)| map(vec![("name", s(n.as_str())), ("imageUri", s(u.as_str()))]))
                .collect(),
        )
    }

    /// The list as one line of JSON, as the build writes it.
    pub fn to_json(&self) -> String {
        emit::to_json_line(&self.to_node())
    }

    /// The buildspec command that writes `imagedefinitions.json` for `container` at build
    /// time, with the image URI from the shell expression `image` (such as
    /// `$ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION`). The JSON is rendered from the
    /// same tree as [`to_json`](Self::to_json), with `%s` where the URI goes.
    pub fn build_command(container: &str, image: &str) -> String {
        let template = ImageDefinitions::new().image(container, "%s").to_json();
        // Container names are letters, digits, `-` and `_`, so the single-quoted printf
        // format needs no escaping.
        format!("printf '{template}' {image} > imagedefinitions.json")
    }
}

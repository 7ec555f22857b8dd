//! The companion files of an ECS blue/green deployment, generated from the same typed
//! definitions as the template: `taskdef.json`, `appspec.yml` and `imagedefinitions.json`.

use stackwright_core::emit::{self, Node};
use stackwright_core::{App, Expr, Scope};

use super::FargateTaskDefinition;
use super::task_definition::TaskDefinitionState;
use crate::codebuild::Project;
use crate::codebuild::output_files::{OutputFile, Substitution};
use crate::iam::Role;

fn s(text: impl Into<String>) -> Node {
    Node::Str(text.into())
}

fn map(entries: Vec<(&str, Node)>) -> Node {
    Node::Map(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// Settings of the `taskdef.json` a CodeDeploy-to-ECS action registers. Everything in it
/// comes from the task definition: family, size, containers, ports, environment, secrets,
/// log group, and the roles' ARNs and the log region. A file cannot hold CloudFormation
/// references, so those last values are written as text when the stack's account and region
/// are fixed and the roles have fixed names
/// ([`FargateTaskDefinitionProps::execution_role_name`](super::FargateTaskDefinitionProps::execution_role_name)).
/// Otherwise the file holds placeholders (`<EXECUTION_ROLE_ARN>`, `<TASK_ROLE_ARN>`,
/// `<AWS_REGION>`), and the project named with [`built_by`](Self::built_by) fills them in:
/// it gets the environment variables and the command that copies the file into its
/// artifact. The task role is written only when it has been granted something.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskDefinitionFile {
    placeholders: Vec<(String, String)>,
    built_by: Option<Project>,
}

impl TaskDefinitionFile {
    /// A file whose first container's image is the `<IMAGE1_NAME>` placeholder the pipeline
    /// fills in with the built image.
    pub fn new() -> Self {
        TaskDefinitionFile::default()
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

    /// The build of `project` puts the file into its artifact (as `taskdef.json` at the
    /// path the file was added at), filling in the values only the deployed stack knows. The
    /// project's buildspec must be one stackwright writes (inline or a companion file).
    pub fn built_by(mut self, project: &Project) -> Self {
        self.built_by = Some(*project);
        self
    }

    pub(crate) fn render(
        &self,
        def: &TaskDefinitionState,
        values: &DeployValues,
        problems: &mut Vec<String>,
    ) -> Node {
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
            ("executionRoleArn", values.execution_role.node()),
        ];
        if let Some(arn) = &values.task_role {
            top.push(("taskRoleArn", arn.node()));
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
                            ("awslogs-region", values.region.node()),
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

/// A value of `taskdef.json` the template resolves at deploy time: text when it is known
/// at synth, else a placeholder the build fills in.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum DeployValue {
    Text(String),
    Deferred(Substitution),
}

impl DeployValue {
    fn node(&self) -> Node {
        match self {
            DeployValue::Text(text) => s(text.as_str()),
            DeployValue::Deferred(sub) => s(format!("<{}>", sub.placeholder)),
        }
    }
}

/// The values of a task definition's `taskdef.json` that come from the stack.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DeployValues {
    execution_role: DeployValue,
    task_role: Option<DeployValue>,
    region: DeployValue,
}

impl DeployValues {
    fn deferred(&self) -> impl Iterator<Item = &Substitution> {
        [Some(&self.execution_role), self.task_role.as_ref(), Some(&self.region)]
            .into_iter()
            .flatten()
            .filter_map(|v| match v {
                DeployValue::Deferred(sub) => Some(sub),
                DeployValue::Text(_) => None,
            })
    }
}

/// What `taskdef.json` of `task` writes for its roles and log region, from the stack's
/// environment and the roles' names. `None` for a task definition of another app.
pub(crate) fn deploy_values(app: &App, task: &FargateTaskDefinition) -> Option<DeployValues> {
    let family = app.state(task.node())?.family().to_owned();
    let env = app.stack_by_id(task.node().id().stack())?.environment().clone();
    // Variable names from the family keep two task definitions built by one project apart.
    let mut prefix: String =
        family.chars().map(|c| if c == '-' { '_' } else { c.to_ascii_uppercase() }).collect();
    if !prefix.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        prefix.insert_str(0, "TASK_");
    }
    let role = |app: &App, role: Role, placeholder: &str| match role.literal_arn(app, &env) {
        Some(arn) => DeployValue::Text(arn),
        None => DeployValue::Deferred(Substitution {
            placeholder: placeholder.to_owned(),
            variable: format!("{prefix}_{placeholder}"),
            value: Some(role.arn().into()),
        }),
    };
    let execution_role = role(app, task.execution_role(), "EXECUTION_ROLE_ARN");
    let task_role =
        task.task_role().grants_anything(app).then(|| role(app, task.task_role(), "TASK_ROLE_ARN"));
    let region = match &env.region {
        Some(region) => DeployValue::Text(region.clone()),
        // CodeBuild sets AWS_REGION in every build.
        None => DeployValue::Deferred(Substitution {
            placeholder: "AWS_REGION".into(),
            variable: "AWS_REGION".into(),
            value: None,
        }),
    };
    Some(DeployValues { execution_role, task_role, region })
}

/// The container of `task` whose image the build produces: the one container that runs an
/// image of an ECR repository of this app, else the only container. The problem and its
/// fix otherwise.
pub(crate) fn image_container(
    app: &App,
    task: &FargateTaskDefinition,
) -> Result<String, (String, String)> {
    let Some(state) = app.state(task.node()) else {
        return Err((
            "imagedefinitions.json is asked of a task definition of another app".to_owned(),
            "use the handle of a task definition of this app".to_owned(),
        ));
    };
    let all: Vec<&str> = state.containers().iter().map(|c| c.name.as_str()).collect();
    let built: Vec<&str> = state
        .containers()
        .iter()
        .filter(|c| matches!(c.image, super::ContainerImage::Ecr { .. }))
        .map(|c| c.name.as_str())
        .collect();
    let candidates = if built.is_empty() { all } else { built };
    match candidates.as_slice() {
        [one] => Ok((*one).to_owned()),
        [] => Err((
            format!(
                "imagedefinitions.json names a container of task family `{}`, which has none",
                state.family()
            ),
            "add the container to the task definition".to_owned(),
        )),
        several => Err((
            format!(
                "imagedefinitions.json names one container, and containers {} could each be the one the build's image is for",
                several.join(", ")
            ),
            "give only the built container an image of an ECR repository of this app (ContainerImage::ecr)".to_owned(),
        )),
    }
}

/// The placeholders `taskdef.json` of `task` leaves to the build.
pub(crate) fn deferred_values(app: &App, task: &FargateTaskDefinition) -> Vec<Substitution> {
    deploy_values(app, task).map(|v| v.deferred().cloned().collect()).unwrap_or_default()
}

impl TaskDefinitionFile {
    /// Renders the file of `task` at `path`, reporting problems through `scope`, and has the
    /// project named by [`built_by`](Self::built_by) copy it into its artifact.
    pub(crate) fn render_for(
        &self,
        scope: &mut Scope<'_>,
        task: &FargateTaskDefinition,
        def: &TaskDefinitionState,
    ) -> Option<Node> {
        let values = deploy_values(scope.app(), task)?;
        let deferred: Vec<String> =
            values.deferred().map(|s| format!("<{}>", s.placeholder)).collect();
        if self.built_by.is_none() && !deferred.is_empty() {
            scope.error(
                "ecs.taskdef-deferred",
                format!(
                    "taskdef.json: {} {} known only once the stack is deployed, and no build fills {} in",
                    deferred.join(", "),
                    if deferred.len() == 1 { "is" } else { "are" },
                    if deferred.len() == 1 { "it" } else { "them" },
                ),
                "name the project that builds the image: TaskDefinitionFile::new().built_by(&project); or fix the stack's account and region (set_environment) and name the roles (FargateTaskDefinitionProps::execution_role_name, task_role_name)",
            );
        }
        let mut problems = Vec::new();
        let node = self.render(def, &values, &mut problems);
        for p in problems {
            scope.error("ecs.companion-file", p, "");
        }
        Some(node)
    }

    pub(crate) fn register_build(
        &self,
        scope: &mut Scope<'_>,
        path: &str,
        task: &FargateTaskDefinition,
    ) {
        if let Some(project) = &self.built_by {
            project.add_output_file(scope, OutputFile::TaskDefinition(path.to_owned(), *task));
        }
    }
}

impl FargateTaskDefinition {
    /// The build of `project` writes `imagedefinitions.json` into its artifact, for the
    /// pipeline's ECS (rolling) deploy action: the task's first container runs `image`, a
    /// shell expression of the build (`$ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION`).
    /// The container's name comes from the task, never repeated by hand.
    #[track_caller]
    pub fn image_definitions_built_by(
        &self,
        scope: &mut Scope<'_>,
        project: &Project,
        image: impl Into<String>,
    ) {
        project.add_output_file(scope, OutputFile::ImageDefinitions(*self, image.into()));
    }

    /// The build of `project` writes `imageDetail.json` into its artifact, where the
    /// blue/green deploy action reads the image for the `<IMAGE1_NAME>` of `taskdef.json`:
    /// `image`, a shell expression of the build.
    #[track_caller]
    pub fn image_detail_built_by(
        &self,
        scope: &mut Scope<'_>,
        project: &Project,
        image: impl Into<String>,
    ) {
        project.add_output_file(scope, OutputFile::ImageDetail(image.into()));
    }

    /// The `taskdef.json` of this task definition as a tree, from the containers added so
    /// far. Problems (a value the file cannot hold) are reported through `scope`.
    #[track_caller]
    pub fn taskdef_node(&self, scope: &mut Scope<'_>, file: &TaskDefinitionFile) -> Node {
        let Some(def) = self.definition(scope) else {
            scope.foreign_handle("the task definition");
            return Node::Null;
        };
        file.render_for(scope, self, &def).unwrap_or(Node::Null)
    }

    /// The `taskdef.json` text of this task definition, from the containers added so far.
    /// [`add_taskdef_file`](Self::add_taskdef_file) writes the file from all of them.
    #[track_caller]
    pub fn taskdef_json(&self, scope: &mut Scope<'_>, file: &TaskDefinitionFile) -> String {
        emit::to_json(&self.taskdef_node(scope, file))
    }

    /// Writes `taskdef.json` at `path` in the output folder. The file is rendered at synth,
    /// so it holds every container of the task definition, added before or after this call;
    /// the manifest lists it with the task definition's stack. With
    /// [`built_by`](TaskDefinitionFile::built_by), that project's build copies it into its
    /// artifact.
    #[track_caller]
    pub fn add_taskdef_file(
        &self,
        scope: &mut Scope<'_>,
        path: impl Into<String>,
        file: TaskDefinitionFile,
    ) {
        let path = path.into();
        file.register_build(scope, &path, self);
        match scope.app().state_mut(self.node()) {
            Some(state) => state.add_file(path, file),
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
    built_by: Option<Project>,
}

impl AppSpec {
    /// An ECS appspec routing traffic to `container_name` on `container_port`, on the
    /// `LATEST` platform version.
    pub fn ecs(container_name: impl Into<String>, container_port: u16) -> AppSpec {
        AppSpec {
            container_name: container_name.into(),
            container_port,
            platform_version: "LATEST".into(),
            built_by: None,
        }
    }

    /// The build of `project` copies the file into its artifact, at the path it was added
    /// at, for the deploy action to read beside `taskdef.json`.
    pub fn built_by(mut self, project: &Project) -> Self {
        self.built_by = Some(*project);
        self
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

    /// Writes the appspec at `path` (such as `appspec.yml`) in the output folder.
    #[track_caller]
    pub fn add_file(&self, scope: &mut Scope<'_>, path: impl Into<String>) {
        let path = path.into();
        if let Some(project) = &self.built_by {
            project.add_output_file(scope, OutputFile::Plain(path.clone()));
        }
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

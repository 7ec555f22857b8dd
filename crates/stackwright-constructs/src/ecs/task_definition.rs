//! The `FargateTaskDefinition` construct and its containers, kept typed in the construct's
//! state until synth.

use stackwright_aws::ecs::task_definition as l1;
use stackwright_aws::logs;
use stackwright_core::{ConstructRef, ConstructState, Expr, Handle, Json, Scope, Val, pseudo};

use crate::arns::{parameter_arn, secret_arn};
use crate::ecr::Repository;
use crate::iam::{Grantee, PolicyStatement, Principal, Role, RoleProps};
use crate::kms::Key;

/// The log retention of the log group a task definition creates, in days.
const LOG_RETENTION_DAYS: i64 = 30;

/// Where a container's image comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum ContainerImage {
    /// Any registry URI (`public.ecr.aws/nginx/nginx:1.27`); the execution role gets no
    /// registry permissions for it.
    Uri(Val<String>),
    /// An image of an ECR repository of this app; the execution role may pull from that
    /// repository only.
    Ecr {
        /// The repository.
        repository: Repository,
        /// The tag, such as the source revision.
        tag: Val<String>,
    },
}

impl ContainerImage {
    /// An image from any registry.
    pub fn uri(uri: impl Into<Val<String>>) -> ContainerImage {
        ContainerImage::Uri(uri.into())
    }

    /// The image `tag` of `repository`.
    pub fn ecr(repository: &Repository, tag: impl Into<Val<String>>) -> ContainerImage {
        ContainerImage::Ecr { repository: *repository, tag: tag.into() }
    }

    fn uri_val(&self) -> Val<String> {
        match self {
            ContainerImage::Uri(u) => u.clone(),
            ContainerImage::Ecr { repository, tag } => repository.uri_for_tag(tag.clone()),
        }
    }
}

impl From<&str> for ContainerImage {
    fn from(uri: &str) -> Self {
        ContainerImage::uri(uri)
    }
}

impl From<String> for ContainerImage {
    fn from(uri: String) -> Self {
        ContainerImage::uri(uri)
    }
}

impl From<Val<String>> for ContainerImage {
    fn from(uri: Val<String>) -> Self {
        ContainerImage::Uri(uri)
    }
}

/// Where a container secret is read from when the task starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SecretSource {
    /// An SSM Parameter Store parameter, by name or ARN.
    Ssm(String),
    /// A Secrets Manager secret, by name or ARN (an ARN may select a JSON key).
    SecretsManager(String),
}

impl SecretSource {
    pub(crate) fn value_from(&self) -> &str {
        match self {
            SecretSource::Ssm(s) | SecretSource::SecretsManager(s) => s,
        }
    }
}

/// One container of a task definition. Logs go to the task definition's log group through
/// the `awslogs` driver.
#[derive(Clone, Debug, PartialEq)]
pub struct ContainerDefinition {
    pub(crate) name: String,
    pub(crate) image: ContainerImage,
    pub(crate) ports: Vec<u16>,
    pub(crate) environment: Vec<(String, Val<String>)>,
    pub(crate) secrets: Vec<(String, SecretSource)>,
    pub(crate) essential: bool,
    pub(crate) command: Vec<String>,
}

impl ContainerDefinition {
    /// A container named `name` (letters, digits, `-` and `_`) running `image`; essential
    /// by default.
    pub fn new(name: impl Into<String>, image: impl Into<ContainerImage>) -> ContainerDefinition {
        ContainerDefinition {
            name: name.into(),
            image: image.into(),
            ports: Vec::new(),
            environment: Vec::new(),
            secrets: Vec::new(),
            essential: true,
            command: Vec::new(),
        }
    }

    /// Exposes a TCP container port (with `awsvpc`, the host port is the same).
    pub fn port(mut self, container_port: u16) -> Self {
        if !self.ports.contains(&container_port) {
            self.ports.push(container_port);
        }
        self
    }

    /// Sets a plain environment variable. Never put secrets here: use
    /// [`secret_from_ssm`](Self::secret_from_ssm) or
    /// [`secret_from_secrets_manager`](Self::secret_from_secrets_manager).
    pub fn environment(mut self, name: impl Into<String>, value: impl Into<Val<String>>) -> Self {
        self.environment.push((name.into(), value.into()));
        self
    }

    /// Sets the environment variable `name` from an SSM parameter (its name, such as
    /// `/myapp/prod/db-password`, or its ARN) when the task starts; the execution role may
    /// read that parameter only.
    pub fn secret_from_ssm(
        mut self,
        name: impl Into<String>,
        parameter: impl Into<String>,
    ) -> Self {
        self.secrets.push((name.into(), SecretSource::Ssm(parameter.into())));
        self
    }

    /// Sets the environment variable `name` from a Secrets Manager secret (its name, or its
    /// ARN, optionally with `:json-key:stage:version`) when the task starts; the execution
    /// role may read that secret only. A secret encrypted with a customer-managed KMS key
    /// also needs `kms:Decrypt` on the key, which is not granted here.
    pub fn secret_from_secrets_manager(
        mut self,
        name: impl Into<String>,
        secret: impl Into<String>,
    ) -> Self {
        self.secrets.push((name.into(), SecretSource::SecretsManager(secret.into())));
        self
    }

    /// Whether the task stops when this container stops (default `true`).
    pub fn essential(mut self, essential: bool) -> Self {
        self.essential = essential;
        self
    }

    /// Overrides the image's command.
    pub fn command<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.command = args.into_iter().map(Into::into).collect();
        self
    }

    /// The container name.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let n = &self.name;
        if n.is_empty()
            || n.len() > 255
            || !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            out.push(format!(
                "container name `{n}` must be 1 to 255 letters, digits, hyphens and underscores"
            ));
        }
        for (name, source) in &self.secrets {
            if let SecretSource::SecretsManager(s) = source
                && !s.starts_with("arn:")
                && s.contains(':')
            {
                out.push(format!(
                        "secret `{name}` of container `{n}` selects a JSON key of `{s}`; ECS needs the secret's full ARN for that (`arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>:<json-key>::`)"
                    ));
            }
        }
        if self.ports.contains(&0) {
            out.push(format!("container `{n}` maps port 0; use a port from 1 to 65535"));
        }
        out
    }

    fn to_l1(&self, log_group: logs::LogGroupRef) -> l1::ContainerDefinition {
        let mut c = l1::ContainerDefinition::new(l1::ContainerDefinitionRequired {
            image: self.image.uri_val(),
            name: self.name.as_str(),
        });
        c.essential = Some(self.essential.into());
        c.port_mappings = self
            .ports
            .iter()
            .map(|p| l1::PortMapping::new().container_port(*p).protocol("tcp"))
            .collect();
        c.environment = self
            .environment
            .iter()
            .map(|(k, v)| l1::KeyValuePair::new().name(k.as_str()).value(v.clone()))
            .collect();
        c.secrets = self
            .secrets
            .iter()
            .map(|(k, s)| {
                l1::Secret::new(l1::SecretRequired { name: k.as_str(), value_from: s.value_from() })
            })
            .collect();
        if !self.command.is_empty() {
            c.command = Some(Val::from(self.command.clone()));
        }
        let options = Expr::Map(vec![
            ("awslogs-group".to_owned(), log_group.reference().into_expr()),
            ("awslogs-region".to_owned(), pseudo::region().into_expr()),
            ("awslogs-stream-prefix".to_owned(), Expr::Str("ecs".into())),
        ]);
        c.log_configuration = Some(Box::new(
            l1::LogConfiguration::new(l1::LogConfigurationRequired { log_driver: "awslogs" })
                .options(Val::<Json>::from_expr(options)),
        ));
        c
    }
}

/// Checks a Fargate task size: `None` when Fargate offers `cpu` CPU units with `memory`
/// MiB, else the message synth reports.
pub fn fargate_size_problem(cpu: u32, memory: u32) -> Option<String> {
    let (range, text): (Vec<u32>, &str) = match cpu {
        256 => (vec![512, 1024, 2048], "512, 1024 or 2048 MiB"),
        512 => ((1024..=4096).step_by(1024).collect(), "1024 to 4096 MiB in steps of 1024"),
        1024 => ((2048..=8192).step_by(1024).collect(), "2048 to 8192 MiB in steps of 1024"),
        2048 => ((4096..=16384).step_by(1024).collect(), "4096 to 16384 MiB in steps of 1024"),
        4096 => ((8192..=30720).step_by(1024).collect(), "8192 to 30720 MiB in steps of 1024"),
        8192 => ((16384..=61440).step_by(4096).collect(), "16384 to 61440 MiB in steps of 4096"),
        16384 => {
            ((32768..=122_880).step_by(8192).collect(), "32768 to 122880 MiB in steps of 8192")
        }
        _ => {
            return Some(format!(
                "Fargate has no task size with cpu {cpu}; use 256, 512, 1024, 2048, 4096, 8192 or 16384 CPU units"
            ));
        }
    };
    (!range.contains(&memory)).then(|| {
        format!(
            "Fargate does not offer memory {memory} MiB with cpu {cpu}; with {cpu} CPU units memory must be {text}"
        )
    })
}

/// How to build a [`FargateTaskDefinition`].
#[derive(Clone, Debug, PartialEq)]
pub struct FargateTaskDefinitionProps {
    family: String,
    cpu: u32,
    memory: u32,
    execution_role_name: Option<String>,
    task_role_name: Option<String>,
    log_encryption_key: Option<Key>,
}

impl FargateTaskDefinitionProps {
    /// A task definition of family `family` (the name its revisions share, and the log
    /// group's `/ecs/<family>`), sized 256 CPU units and 512 MiB until set.
    pub fn new(family: impl Into<String>) -> FargateTaskDefinitionProps {
        FargateTaskDefinitionProps {
            family: family.into(),
            cpu: 256,
            memory: 512,
            execution_role_name: None,
            task_role_name: None,
            log_encryption_key: None,
        }
    }

    /// Names the execution role (such as `ecsTaskExecutionRole`), so its ARN is known at
    /// synth in a stack with a fixed account and region, and `taskdef.json` holds it as text.
    /// Deploying a named role needs `CAPABILITY_NAMED_IAM`.
    pub fn execution_role_name(mut self, name: impl Into<String>) -> Self {
        self.execution_role_name = Some(name.into());
        self
    }

    /// Names the task role, as [`execution_role_name`](Self::execution_role_name) does the
    /// execution role.
    pub fn task_role_name(mut self, name: impl Into<String>) -> Self {
        self.task_role_name = Some(name.into());
        self
    }

    /// Encrypts the log group with `key`, whose policy then lets CloudWatch Logs of the
    /// stack's region use it for this log group (by default CloudWatch Logs encrypts with its
    /// own key).
    pub fn log_encryption_key(mut self, key: &Key) -> Self {
        self.log_encryption_key = Some(*key);
        self
    }

    /// CPU units (1024 is one vCPU): 256, 512, 1024, 2048, 4096, 8192 or 16384.
    pub fn cpu(mut self, units: u32) -> Self {
        self.cpu = units;
        self
    }

    /// Memory in MiB; which values Fargate offers depends on the CPU (see
    /// [`fargate_size_problem`]).
    pub fn memory(mut self, mib: u32) -> Self {
        self.memory = mib;
        self
    }
}

/// What a [`FargateTaskDefinition`] keeps until synth: its typed containers and the
/// companion files asked of it. The render step writes the containers into the L1
/// `AWS::ECS::TaskDefinition` and renders each `taskdef.json`, so both hold every container,
/// whatever the order of the calls.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskDefinitionState {
    family: String,
    cpu: u32,
    memory: u32,
    containers: Vec<ContainerDefinition>,
    files: Vec<(String, super::TaskDefinitionFile)>,
    handle: Option<FargateTaskDefinition>,
}

impl TaskDefinitionState {
    /// The containers, in the order they were added.
    pub fn containers(&self) -> &[ContainerDefinition] {
        &self.containers
    }

    /// The family.
    pub fn family(&self) -> &str {
        &self.family
    }

    /// CPU units and memory in MiB.
    pub fn size(&self) -> (u32, u32) {
        (self.cpu, self.memory)
    }

    /// The name of the log group the containers write to.
    pub fn log_group_name(&self) -> String {
        format!("/ecs/{}", self.family)
    }

    pub(crate) fn add_file(&mut self, path: String, file: super::TaskDefinitionFile) {
        self.files.push((path, file));
    }

    /// What ECS would reject about the containers.
    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.containers.is_empty() {
            problems
                .push("the task definition has no containers; add one with add_container".into());
        }
        let mut seen: Vec<&str> = Vec::new();
        for c in &self.containers {
            if seen.contains(&c.name.as_str()) {
                problems.push(format!(
                    "two containers are named `{}`; container names must be unique",
                    c.name
                ));
            }
            seen.push(&c.name);
            problems.extend(c.problems());
        }
        if !self.containers.iter().any(|c| c.essential) && !self.containers.is_empty() {
            problems.push(
                "no container is essential; ECS needs at least one essential container".into(),
            );
        }
        problems
    }
}

impl ConstructState for TaskDefinitionState {
    fn kind(&self) -> &'static str {
        "FargateTaskDefinition"
    }

    fn render(&self, scope: &mut Scope<'_>) {
        let log_group = scope.slot_resource::<logs::LogGroupRef>("LogGroup");
        let resource = scope.slot_resource::<l1::TaskDefinitionRef>("Resource");
        if let (Some(log_group), Some(resource)) = (log_group, resource)
            && let Some(t) = scope.app().get_mut::<l1::TaskDefinition>(resource)
        {
            t.container_definitions = self.containers.iter().map(|c| c.to_l1(log_group)).collect();
        }
        for m in self.problems() {
            scope.error("ecs.containers", format!("property `ContainerDefinitions`: {m}"), "");
        }
        let Some(task) = self.handle else { return };
        for (path, file) in &self.files {
            if let Some(node) = file.render_for(scope, &task, self) {
                scope.add_file(path.as_str(), stackwright_core::emit::to_json(&node));
            }
        }
    }
}

/// A Fargate task definition (`awsvpc` networking, `FARGATE` compatibility) with an
/// execution role (pulls images, writes logs, reads the containers' secrets; nothing else),
/// a task role (the application's permissions; empty until granted, and the grantee of
/// `grant_*` calls on this task definition) and a log group `/ecs/<family>` kept 30 days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FargateTaskDefinition {
    node: ConstructRef<TaskDefinitionState>,
    resource: l1::TaskDefinitionRef,
    execution_role: Role,
    task_role: Role,
    log_group: logs::LogGroupRef,
}

impl FargateTaskDefinition {
    /// Creates the task definition as the construct `id` in `scope`.
    #[track_caller]
    pub fn new(
        scope: &mut Scope<'_>,
        id: &str,
        props: FargateTaskDefinitionProps,
    ) -> FargateTaskDefinition {
        let state = TaskDefinitionState {
            family: props.family.clone(),
            cpu: props.cpu,
            memory: props.memory,
            containers: Vec::new(),
            files: Vec::new(),
            handle: None,
        };
        let (node, mut inner) = scope.construct(id, state);
        let family = &props.family;
        if family.is_empty()
            || family.len() > 255
            || !family.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            inner.error("ecs.task-definition-family", format!(
                "task definition family `{family}` must be 1 to 255 letters, digits, hyphens and underscores"
            ), "");
        }
        if let Some(m) = fargate_size_problem(props.cpu, props.memory) {
            inner.error("ecs.fargate-size", m, "");
        }
        let service = |name: &Option<String>| {
            let props = RoleProps::new(Principal::service("ecs-tasks.amazonaws.com"));
            match name {
                Some(name) => props.role_name(name.as_str()),
                None => props,
            }
        };
        let execution_role =
            Role::new(&mut inner, "ExecutionRole", service(&props.execution_role_name));
        let task_role = Role::new(&mut inner, "TaskRole", service(&props.task_role_name));
        let log_group_name = format!("/ecs/{family}");
        let mut group = logs::LogGroup::new()
            .log_group_name(log_group_name.as_str())
            .retention_in_days(LOG_RETENTION_DAYS);
        if let Some(key) = &props.log_encryption_key {
            group = group.kms_key_id(key.arn());
            key.allow_logs(&mut inner, &log_group_name);
        }
        let log_group = inner.add("LogGroup", group);
        let mut t = l1::TaskDefinition::new();
        t.family = Some(family.as_str().into());
        t.cpu = Some(props.cpu.to_string().into());
        t.memory = Some(props.memory.to_string().into());
        t.network_mode = Some(l1::TaskDefinitionNetworkMode::Awsvpc.into());
        t.requires_compatibilities = Some(Val::from(vec!["FARGATE"]));
        t.execution_role_arn = Some(execution_role.arn());
        t.task_role_arn = Some(task_role.arn());
        let resource = inner.add("Resource", t);
        // The log group ARN attribute ends in `:*`, which covers its streams.
        execution_role.add_to_policy(
            &mut inner,
            PolicyStatement::allow()
                .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
                .resource(log_group.arn()),
        );
        let task = FargateTaskDefinition { node, resource, execution_role, task_role, log_group };
        if let Some(state) = inner.app().state_mut(node) {
            state.handle = Some(task);
        }
        task
    }

    /// Adds a container, and to the execution role what starting it needs: pulling its
    /// image from an ECR repository of this app (`ecr:GetAuthorizationToken` takes no
    /// resource, so it is granted on `*`; it gives access to no repository by itself) and
    /// reading its secrets.
    #[track_caller]
    pub fn add_container(&self, scope: &mut Scope<'_>, container: ContainerDefinition) {
        let Some(r) = scope.app().state_mut(self.node) else {
            scope.foreign_handle("the task definition");
            return;
        };
        let pulled_before = r.containers.iter().any(|c| match (&c.image, &container.image) {
            (
                ContainerImage::Ecr { repository: a, .. },
                ContainerImage::Ecr { repository: b, .. },
            ) => a == b,
            _ => false,
        });
        r.containers.push(container.clone());
        let role = self.execution_role;
        if let (ContainerImage::Ecr { repository, .. }, false) = (&container.image, pulled_before) {
            repository.grant_pull(scope, &role);
        }
        let mut parameters = Vec::new();
        let mut secrets = Vec::new();
        for (_, source) in &container.secrets {
            match source {
                SecretSource::Ssm(p) => parameters.push(parameter_arn(p)),
                SecretSource::SecretsManager(s) => secrets.push(secret_arn(s)),
            }
        }
        if !parameters.is_empty() {
            let mut s = PolicyStatement::allow().action("ssm:GetParameters");
            for arn in parameters {
                s = s.resource(arn);
            }
            role.add_to_policy(scope, s);
        }
        if !secrets.is_empty() {
            let mut s = PolicyStatement::allow().action("secretsmanager:GetSecretValue");
            for arn in secrets {
                s = s.resource(arn);
            }
            role.add_to_policy(scope, s);
        }
    }

    /// The L1 handle. Its container definitions are written from the typed containers at
    /// synth.
    pub fn resource(&self) -> l1::TaskDefinitionRef {
        self.resource
    }

    /// The construct node, for its path, children and state.
    pub fn node(&self) -> ConstructRef<TaskDefinitionState> {
        self.node
    }

    /// The task definition ARN, with its revision (`Ref`).
    pub fn arn(&self) -> Val<String> {
        self.resource.reference()
    }

    /// The role ECS uses to start tasks: pull images, write logs, read secrets.
    pub fn execution_role(&self) -> Role {
        self.execution_role
    }

    /// The role the application's code runs with.
    pub fn task_role(&self) -> Role {
        self.task_role
    }

    /// The log group the containers write to.
    pub fn log_group(&self) -> logs::LogGroupRef {
        self.log_group
    }

    /// A copy of the typed definition, for the companion files. `None` for a handle of
    /// another app.
    pub(crate) fn definition(&self, scope: &mut Scope<'_>) -> Option<TaskDefinitionState> {
        scope.app().state(self.node).cloned()
    }
}

impl Grantee for FargateTaskDefinition {
    /// Grants go to the task role: what the application may do.
    fn add_to_principal_policy(&self, scope: &mut Scope<'_>, statement: PolicyStatement) {
        self.task_role.add_to_policy(scope, statement);
    }
}

#[cfg(test)]
mod tests {
    use super::fargate_size_problem;
    use crate::arns::secret_arn;
    use stackwright_core::Expr;

    #[test]
    fn sizes_follow_fargate_table() {
        for (cpu, mem) in [
            (256, 512),
            (256, 2048),
            (512, 4096),
            (4096, 30720),
            (8192, 20480),
            (16384, 40960),
            (16384, 122_880),
        ] {
            assert_eq!(fargate_size_problem(cpu, mem), None, "{cpu}/{mem}");
        }
        for (cpu, mem) in [(256, 1536), (512, 512), (8192, 18432), (16384, 36864), (300, 512)] {
            assert!(fargate_size_problem(cpu, mem).is_some(), "{cpu}/{mem}");
        }
    }

    #[test]
    fn secret_arns_drop_json_key() {
        let arn = secret_arn(
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:password::",
        );
        assert_eq!(
            arn.expr(),
            &Expr::Str(
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf*".into()
            )
        );
    }
}

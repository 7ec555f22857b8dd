//! The `Project` construct.

use stackwright_aws::codebuild::project as l1;
use stackwright_aws::iam as iam_l1;
use stackwright_aws::logs;
use stackwright_core::kind;
use stackwright_core::{
    App, Arn, ConstructRef, ConstructState, Expr, Handle, Json, RefTarget, Scope, Val, sub,
};

use super::buildspec::lint;
use super::output_files::{self, OutputFile};
use super::{
    BuildSpec, BuildSpecLocation, Cache, ComputeType, EnvironmentVariable, EnvironmentVariableType,
    LinuxBuildImage, LocalCacheMode, Source,
};
use crate::Duration;
use crate::arns::{bucket_arn, objects_arn, parameter_arn, secret_arn};
use crate::iam::{
    DocumentKind, Grantee, Policies, PolicyDocument, PolicyOwner, PolicySlot, PolicyStatement,
    Principal, Role, RoleProps, add_statement,
};
use crate::kms::Key;

/// The retention periods CloudWatch Logs accepts, in days.
pub(crate) const RETENTION_DAYS: &[u32] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// Runs builds inside a VPC, to reach private resources.
#[derive(Clone, Debug, PartialEq)]
pub struct VpcSettings {
    /// The VPC ID.
    pub vpc_id: Val<kind::VpcId>,
    /// Private subnets with a route to the internet through NAT (1 to 16).
    pub subnets: Vec<Val<kind::SubnetId>>,
    /// Security groups of the build's network interface (1 to 5).
    pub security_groups: Vec<Val<kind::SecurityGroupId>>,
}

/// How to build a [`Project`]. Every field but the source has a default; the builder
/// methods set them.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectProps {
    source: Source,
    buildspec: Option<BuildSpecLocation>,
    project_name: Option<Val<String>>,
    description: Option<Val<String>>,
    image: LinuxBuildImage,
    compute: ComputeType,
    privileged: bool,
    variables: Vec<(String, EnvironmentVariable)>,
    cache: Option<Cache>,
    timeout: Option<Duration>,
    queued_timeout: Option<Duration>,
    vpc: Option<VpcSettings>,
    cloudwatch_logs: bool,
    log_retention_days: u32,
    role: Option<Role>,
    encryption_key: Option<Val<String>>,
    log_encryption_key: Option<Key>,
}

impl ProjectProps {
    /// Defaults: `aws/codebuild/standard:7.0` on `BUILD_GENERAL1_SMALL`, not privileged, a
    /// log group kept 30 days, a role with only what the project uses, and CodeBuild's
    /// timeouts (60 minutes to build, 8 hours queued).
    pub fn new(source: Source) -> ProjectProps {
        ProjectProps {
            source,
            buildspec: None,
            project_name: None,
            description: None,
            image: LinuxBuildImage::STANDARD_7_0,
            compute: ComputeType::Small,
            privileged: false,
            variables: Vec::new(),
            cache: None,
            timeout: None,
            queued_timeout: None,
            vpc: None,
            cloudwatch_logs: true,
            log_retention_days: 30,
            role: None,
            encryption_key: None,
            log_encryption_key: None,
        }
    }

    /// Where the buildspec comes from; `buildspec.yml` at the source root when not set.
    pub fn buildspec(mut self, location: BuildSpecLocation) -> Self {
        self.buildspec = Some(location);
        self
    }

    /// Fixes the project name (2 to 255 letters, digits, `-` and `_`); otherwise
    /// CloudFormation generates one.
    pub fn project_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.project_name = Some(name.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, text: impl Into<Val<String>>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// The build image.
    pub fn build_image(mut self, image: LinuxBuildImage) -> Self {
        self.image = image;
        self
    }

    /// The compute type.
    pub fn compute_type(mut self, compute: ComputeType) -> Self {
        self.compute = compute;
        self
    }

    /// Privileged mode: needed to build Docker images (Docker in Docker).
    pub fn privileged(mut self, on: bool) -> Self {
        self.privileged = on;
        self
    }

    /// Sets an environment variable of every build; setting a name again replaces it.
    pub fn environment_variable(
        mut self,
        name: impl Into<String>,
        value: EnvironmentVariable,
    ) -> Self {
        let name = name.into();
        match self.variables.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => *v = value,
            None => self.variables.push((name, value)),
        }
        self
    }

    /// The build cache.
    pub fn cache(mut self, cache: Cache) -> Self {
        self.cache = Some(cache);
        self
    }

    /// How long a build may run (whole minutes, 5 minutes to 36 hours).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// How long a build may wait in the queue (whole minutes, 5 minutes to 8 hours).
    pub fn queued_timeout(mut self, d: Duration) -> Self {
        self.queued_timeout = Some(d);
        self
    }

    /// Runs builds in a VPC; the role gets the network-interface permissions CodeBuild
    /// needs there.
    pub fn vpc(mut self, vpc: VpcSettings) -> Self {
        self.vpc = Some(vpc);
        self
    }

    /// How long the project's log group keeps build logs (30 days by default).
    pub fn log_retention_days(mut self, days: u32) -> Self {
        self.log_retention_days = days;
        self
    }

    /// Encrypts the log group with `key`, whose policy then lets CloudWatch Logs of the
    /// stack's region use it for this log group (by default CloudWatch Logs encrypts with its
    /// own key).
    pub fn log_encryption_key(mut self, key: &Key) -> Self {
        self.log_encryption_key = Some(*key);
        self
    }

    /// Whether the build logs to CloudWatch (default `true`); off, there is no log group and
    /// no log permission.
    pub fn cloudwatch_logs(mut self, on: bool) -> Self {
        self.cloudwatch_logs = on;
        self
    }

    /// Uses this role instead of creating one; the project still adds what it needs to
    /// the role's default policy.
    pub fn role(mut self, role: &Role) -> Self {
        self.role = Some(*role);
        self
    }

    /// Encrypts build output with this KMS key (ARN or alias ARN); the role may use it.
    pub fn encryption_key(mut self, key: impl Into<Val<String>>) -> Self {
        self.encryption_key = Some(key.into());
        self
    }
}

/// A CodeBuild project, with its log group and a least-privilege service role.
///
/// The role can write the project's logs and reports and read exactly the parameters and
/// secrets the buildspec and environment name, the source and the cache. What the build
/// itself touches (an ECR repository it pushes to, a bucket it reads) is granted with that
/// resource's `grant_*` methods, since `Project` is a [`Grantee`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Project {
    node: ConstructRef<ProjectState>,
    resource: l1::ProjectRef,
    role: Role,
    log_group: Option<logs::LogGroupRef>,
}

/// What a [`Project`] keeps until synth: its VPC policy, its buildspec when stackwright
/// writes it (inline or as a companion file), and the companion files its build copies into
/// its artifact.
#[derive(Clone, Debug, Default)]
pub struct ProjectState {
    policies: Policies,
    buildspec: Option<BuildSpecLocation>,
    output_files: Vec<OutputFile>,
}

impl ProjectState {
    /// The variables the buildspec exports to the pipeline, when the buildspec is typed
    /// (inline or a companion file); `None` when it is a file of the source or CodeBuild's
    /// default, which stackwright does not read.
    pub(crate) fn exported_variables(&self) -> Option<&[String]> {
        match &self.buildspec {
            Some(BuildSpecLocation::Inline(spec) | BuildSpecLocation::Companion(spec, _)) => {
                Some(&spec.env.exported_variables)
            }
            _ => None,
        }
    }

    /// The buildspec as the render step writes it (with the commands that put the companion
    /// and image files into the artifact), and the variables the project sets for those
    /// files; `None` when stackwright does not write the buildspec. For a workflow that runs
    /// the same build: the project reports what is wrong with the files.
    pub(crate) fn completed_buildspec(
        &self,
        app: &App,
    ) -> Option<(BuildSpec, output_files::FileVariables)> {
        let mut spec = self.buildspec.as_ref()?.spec()?.clone();
        let (variables, _) = output_files::add_to_buildspec(app, &self.output_files, &mut spec);
        Some((spec, variables))
    }
}

impl ConstructState for ProjectState {
    fn kind(&self) -> &'static str {
        "Project"
    }

    fn render(&self, scope: &mut Scope<'_>) {
        self.policies.render(scope);
        let Some(resource) = scope.slot_resource::<l1::ProjectRef>("Resource") else { return };
        let mut location = self.buildspec.clone();
        let mut variables = Vec::new();
        let mut spec_variables = Vec::new();
        match &mut location {
            Some(BuildSpecLocation::Inline(spec) | BuildSpecLocation::Companion(spec, _)) => {
                let problems;
                (variables, problems) =
                    output_files::add_to_buildspec(scope.app(), &self.output_files, spec);
                for (message, fix) in problems {
                    scope.error("codebuild.output-files", message, fix);
                }
                spec_variables = spec.env.variables.iter().map(|(n, _)| n.clone()).collect();
            }
            _ if !self.output_files.is_empty() => {
                scope.error(
                    "codebuild.output-files",
                    "the build is to put companion files into its artifact, but its buildspec is a file stackwright does not write",
                    "give the project BuildSpecLocation::Companion or BuildSpecLocation::Inline",
                );
            }
            _ => {}
        }
        // The buildspec is named by its path in the source, known only at synth.
        let build_spec = match &location {
            Some(BuildSpecLocation::Inline(spec)) => Some(spec.to_yaml()),
            Some(BuildSpecLocation::Companion(spec, path)) => {
                scope.add_file(path.as_str(), spec.to_yaml());
                Some(scope.app().source_path_of(path))
            }
            _ => None,
        };
        let mut taken: Vec<String> = match scope.app().get::<l1::Project>(resource) {
            Some(p) => p
                .environment
                .environment_variables
                .iter()
                .filter_map(|v| v.name.expr().as_str().map(str::to_owned))
                .collect(),
            None => return,
        };
        taken.extend(spec_variables);
        for (name, _) in &variables {
            if taken.contains(name) {
                scope.error(
                    "codebuild.output-files",
                    format!("the environment variable `{name}` is set by the project or its buildspec, and the build also needs it for a companion file"),
                    format!("rename the project's variable `{name}`"),
                );
            }
        }
        let Some(p) = scope.app().get_mut::<l1::Project>(resource) else { return };
        if let Some(text) = build_spec {
            p.source.build_spec = Some(text.into());
        }
        p.environment.environment_variables.extend(variables.into_iter().map(|(name, value)| {
            l1::EnvironmentVariable::new(l1::EnvironmentVariableRequired {
                name: name.as_str(),
                value,
            })
            .r#type("PLAINTEXT")
        }));
    }
}

impl PolicyOwner for ProjectState {
    fn policies(&self) -> &Policies {
        &self.policies
    }

    fn policies_mut(&mut self) -> &mut Policies {
        &mut self.policies
    }
}

/// The project's `VpcPolicy`: attached to its role, named after its own logical ID.
const VPC_POLICY: PolicySlot<iam_l1::Policy> = PolicySlot {
    slot: "VpcPolicy",
    property: "PolicyDocument",
    made_by_owner: false,
    kind: DocumentKind::Identity,
    apply: |p, doc, me| {
        p.policy_document = doc;
        p.policy_name = Val::from_expr(Expr::LogicalId(RefTarget::Resource(me)));
    },
};

impl Project {
    /// Creates the project as the construct `id` in `scope`.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str, props: ProjectProps) -> Project {
        let buildspec = match &props.buildspec {
            Some(BuildSpecLocation::File(_)) | None => None,
            Some(location) => Some(location.clone()),
        };
        let (node, mut inner) =
            scope.construct(id, ProjectState { buildspec, ..Default::default() });
        check(&mut inner, &props);
        let role = match props.role {
            Some(role) => role,
            None => Role::new(
                &mut inner,
                "Role",
                RoleProps::new(Principal::service("codebuild.amazonaws.com")),
            ),
        };
        let log_group = props.cloudwatch_logs.then(|| {
            let mut group = logs::LogGroup::new();
            if RETENTION_DAYS.contains(&props.log_retention_days) {
                group = group.retention_in_days(props.log_retention_days);
            }
            if let Some(key) = &props.log_encryption_key {
                // The group's name is generated at deployment, so the key serves every group
                // of the account in the region.
                group = group.kms_key_id(key.arn());
                key.allow_logs(&mut inner, "*");
            }
            inner.add("LogGroup", group)
        });

        let mut p = l1::Project::new(l1::ProjectRequired {
            artifacts: artifacts(&props.source),
            environment: environment(&props),
            service_role: role.arn(),
            source: source(&props),
        });
        p.name = props.project_name.clone();
        p.description = props.description.clone();
        p.source_version = match &props.source {
            Source::CodeCommit { branch, .. } | Source::GitHub { branch, .. } => {
                branch.as_ref().map(Val::from)
            }
            _ => None,
        };
        if let Source::GitHub { branch, webhook: true, .. } = &props.source {
            p.triggers = Some(Box::new(webhook(branch.as_deref())));
        }
        p.cache = props.cache.as_ref().map(|c| Box::new(cache(c)));
        p.timeout_in_minutes =
            minutes(&mut inner, "timeout", props.timeout, 2_160, "5 minutes to 36 hours");
        p.queued_timeout_in_minutes = minutes(
            &mut inner,
            "queued_timeout",
            props.queued_timeout,
            480,
            "5 minutes to 8 hours",
        );
        p.vpc_config = props.vpc.as_ref().map(|v| {
            Box::new(
                l1::VpcConfig::new()
                    .vpc_id(v.vpc_id.clone())
                    .subnets(v.subnets.clone())
                    .security_group_ids(v.security_groups.clone()),
            )
        });
        let cloudwatch = match log_group {
            Some(group) => l1::CloudWatchLogsConfig::new(l1::CloudWatchLogsConfigRequired {
                status: "ENABLED",
            })
            .group_name(group.reference()),
            None => l1::CloudWatchLogsConfig::new(l1::CloudWatchLogsConfigRequired {
                status: "DISABLED",
            }),
        };
        p.logs_config = Some(Box::new(l1::LogsConfig::new().cloud_watch_logs(cloudwatch)));
        p.encryption_key = props.encryption_key.clone();

        let project = Project { node, resource: inner.add("Resource", p), role, log_group };
        for statement in project.statements(&mut inner, &props) {
            project.add_to_role_policy(&mut inner, statement);
        }
        if let Some(vpc) = &props.vpc {
            project.add_vpc_policy(&mut inner, vpc);
        }
        project
    }

    /// The construct node, for its path, children and state.
    pub fn node(&self) -> ConstructRef<ProjectState> {
        self.node
    }

    /// Has the build copy a companion file into its artifact (see
    /// [`output_files`](super::output_files)).
    pub(crate) fn add_output_file(&self, scope: &mut Scope<'_>, file: OutputFile) {
        match scope.app().state_mut(self.node) {
            Some(state) => {
                if !state.output_files.contains(&file) {
                    state.output_files.push(file);
                }
            }
            None => scope.foreign_handle("the project that builds a companion file"),
        }
    }

    /// The L1 handle, for escape hatches and for pipeline actions.
    pub fn resource(&self) -> l1::ProjectRef {
        self.resource
    }

    /// The project ARN.
    pub fn arn(&self) -> Val<String> {
        self.resource.arn()
    }

    /// The project name (`Ref`).
    pub fn project_name(&self) -> Val<String> {
        self.resource.reference()
    }

    /// The service role builds run with.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The log group builds write to, unless CloudWatch logging is off.
    pub fn log_group(&self) -> Option<logs::LogGroupRef> {
        self.log_group
    }

    /// Adds a statement to the role's default policy.
    #[track_caller]
    pub fn add_to_role_policy(&self, scope: &mut Scope<'_>, statement: PolicyStatement) {
        self.role.add_to_policy(scope, statement);
    }

    /// What the role needs for what the project itself uses, in a stable order.
    fn statements(&self, scope: &mut Scope<'_>, props: &ProjectProps) -> Vec<PolicyStatement> {
        let mut out = Vec::new();
        if let Some(group) = self.log_group {
            let arn = Arn::new("logs", "log-group", group.reference()).colon().to_val();
            out.push(
                PolicyStatement::allow()
                    .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
                    .resource(arn.clone())
                    .resource(sub!("{}:*", arn)),
            );
        }
        // CodeBuild creates the buildspec's report groups as `<project-name>-<group>`.
        out.push(
            PolicyStatement::allow()
                .actions([
                    "codebuild:CreateReportGroup",
                    "codebuild:CreateReport",
                    "codebuild:UpdateReport",
                    "codebuild:BatchPutTestCases",
                    "codebuild:BatchPutCodeCoverages",
                ])
                .resource(Arn::new("codebuild", "report-group", sub!("{}-*", self.project_name()))),
        );
        let spec = props.buildspec.as_ref().and_then(BuildSpecLocation::spec);
        let mut parameters: Vec<Val<String>> = Vec::new();
        let mut secrets: Vec<Val<String>> = Vec::new();
        if let Some(spec) = spec {
            parameters.extend(spec.parameters().map(parameter_arn));
            secrets.extend(spec.secrets().map(secret_arn));
        }
        for (name, v) in &props.variables {
            let literal = v.value.expr().as_str();
            match (v.kind, literal) {
                (EnvironmentVariableType::Plaintext, _) => {}
                (EnvironmentVariableType::ParameterStore, Some(p)) => parameters.push(parameter_arn(p)),
                (EnvironmentVariableType::SecretsManager, Some(s)) => secrets.push(secret_arn(s)),
                (_, None) => scope.warn(format!(
                    "environment variable `{name}` names its parameter or secret with an expression, so the role gets no read access to it; grant it with add_to_role_policy"
                )),
            }
        }
        if !parameters.is_empty() {
            let mut s = PolicyStatement::allow().action("ssm:GetParameters");
            for arn in parameters {
                s = s.resource(arn);
            }
            out.push(s);
        }
        if !secrets.is_empty() {
            let mut s = PolicyStatement::allow().action("secretsmanager:GetSecretValue");
            for arn in secrets {
                s = s.resource(arn);
            }
            out.push(s);
        }
        match &props.source {
            Source::CodeCommit { clone_url, repository_arn, .. } => {
                let arn = match repository_arn {
                    Some(arn) => Some(arn.clone()),
                    None => codecommit_arn(clone_url),
                };
                match arn {
                    Some(arn) => out.push(
                        PolicyStatement::allow()
                            .action("codecommit:GitPull")
                            .resource(arn),
                    ),
                    None => scope.error("codebuild.repository-arn", "the CodeCommit clone URL is not a literal https://git-codecommit.<region>.amazonaws.com/v1/repos/<name>", "set repository_arn so the role can pull"),
                }
            }
            Source::S3 { bucket, key } => {
                out.push(
                    PolicyStatement::allow()
                        .actions(["s3:GetObject", "s3:GetObjectVersion"])
                        .resource(objects_arn(bucket.clone(), key.clone())),
                );
                out.push(bucket_statement(bucket));
            }
            _ => {}
        }
        if let Some(Cache::S3 { bucket, prefix }) = &props.cache {
            let objects = match prefix {
                Some(prefix) => objects_arn(bucket.clone(), format!("{prefix}/*")),
                None => objects_arn(bucket.clone(), "*"),
            };
            out.push(
                PolicyStatement::allow()
                    .actions(["s3:GetObject", "s3:PutObject"])
                    .resource(objects),
            );
            out.push(bucket_statement(bucket));
        }
        match props.image.ecr_repository_arn() {
            Some(Ok(arn)) => {
                out.push(
                    PolicyStatement::allow()
                        .actions([
                            "ecr:BatchCheckLayerAvailability",
                            "ecr:GetDownloadUrlForLayer",
                            "ecr:BatchGetImage",
                        ])
                        .resource(arn),
                );
                // ECR issues login tokens per registry, not per repository: `*` is required.
                out.push(
                    PolicyStatement::allow()
                        .action("ecr:GetAuthorizationToken")
                        .resource("*"),
                );
            }
            Some(Err(uri)) => scope.error("codebuild.ecr-image-uri", format!("image `{uri}` is not an ECR image URI (<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag])"), "use LinuxBuildImage::from_ecr_repository with the repository ARN"),
            None => {}
        }
        if let Some(key) = &props.encryption_key {
            out.push(
                PolicyStatement::allow()
                    .actions([
                        "kms:Decrypt",
                        "kms:Encrypt",
                        "kms:ReEncrypt*",
                        "kms:GenerateDataKey*",
                    ])
                    .resource(key.clone()),
            );
        }
        out
    }

    /// The VPC permissions, in their own policy (the child `VpcPolicy`) that the project
    /// depends on: CodeBuild checks them when the project is created, and the default
    /// policy cannot come first because it names the project.
    fn add_vpc_policy(&self, scope: &mut Scope<'_>, vpc: &VpcSettings) {
        // These EC2 actions do not support resource-level permissions: `*` is required.
        let describe = PolicyStatement::allow()
            .actions([
                "ec2:CreateNetworkInterface",
                "ec2:DescribeDhcpOptions",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DeleteNetworkInterface",
                "ec2:DescribeSubnets",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeVpcs",
            ])
            .resource("*");
        let subnets: Vec<Val<Json>> = vpc
            .subnets
            .iter()
            .map(|s| Arn::new("ec2", "subnet", s.clone()).to_val().into_json())
            .collect();
        let permission = PolicyStatement::allow()
            .action("ec2:CreateNetworkInterfacePermission")
            .resource(Arn::new("ec2", "network-interface", "*"))
            .condition("StringEquals", "ec2:Subnet", Val::<Json>::list(subnets))
            .condition("StringEquals", "ec2:AuthorizedService", "codebuild.amazonaws.com");
        let role_name = self.role.role_name();
        let mut handle = None;
        for statement in [describe, permission] {
            let role_name = role_name.clone();
            let make = || {
                iam_l1::Policy::new(iam_l1::PolicyRequired {
                    policy_document: PolicyDocument::new().to_val(),
                    policy_name: "",
                })
                .roles(vec![role_name])
            };
            match add_statement(scope.app(), self.node, VPC_POLICY, make, statement) {
                Some(added) => handle = added,
                None => return scope.foreign_handle("the project's VPC policy"),
            }
        }
        // `None`: the slot is taken, which was reported.
        let Some(handle) = handle else { return };
        if let Some(node) = scope.node(self.resource) {
            node.add_dependency(handle);
        }
    }
}

impl Grantee for Project {
    fn add_to_principal_policy(&self, scope: &mut Scope<'_>, statement: PolicyStatement) {
        self.add_to_role_policy(scope, statement);
    }
}

impl From<Project> for l1::ProjectRef {
    fn from(p: Project) -> l1::ProjectRef {
        p.resource
    }
}

impl From<&Project> for l1::ProjectRef {
    fn from(p: &Project) -> l1::ProjectRef {
        p.resource
    }
}

fn bucket_statement(bucket: &Val<String>) -> PolicyStatement {
    PolicyStatement::allow()
        .actions(["s3:GetBucketAcl", "s3:GetBucketLocation"])
        .resource(bucket_arn(bucket.clone()))
}

/// `https://git-codecommit.<region>.amazonaws.com/v1/repos/<name>` -> the repository ARN.
fn codecommit_arn(clone_url: &Val<String>) -> Option<Val<String>> {
    let url = clone_url.expr().as_str()?;
    let rest = url.strip_prefix("https://git-codecommit.")?;
    let (region, rest) = rest.split_once('.')?;
    let (_, name) = rest.split_once("/v1/repos/")?;
    if region.is_empty() || name.is_empty() || name.contains('/') {
        return None;
    }
    Some(Arn::new("codecommit", "", name).region(region).to_val())
}

fn artifacts(source: &Source) -> l1::Artifacts {
    match source {
        Source::CodePipeline => {
            l1::Artifacts::new(l1::ArtifactsRequired { r#type: "CODEPIPELINE" })
        }
        _ => l1::Artifacts::new(l1::ArtifactsRequired { r#type: "NO_ARTIFACTS" }),
    }
}

fn environment(props: &ProjectProps) -> l1::Environment {
    let mut env = l1::Environment::new(l1::EnvironmentRequired {
        compute_type: props.compute.as_str(),
        image: props.image.image(),
        r#type: props.image.environment_type(),
    });
    if props.privileged {
        env = env.privileged_mode(true);
    }
    if props.image.is_ecr() {
        env = env.image_pull_credentials_type("SERVICE_ROLE");
    }
    env.environment_variables(props.variables.iter().map(|(name, v)| {
        l1::EnvironmentVariable::new(l1::EnvironmentVariableRequired {
            name: name.as_str(),
            value: v.value.clone(),
        })
        .r#type(v.kind.as_str())
    }))
}

fn source(props: &ProjectProps) -> l1::Source {
    let mut src = l1::Source::new(l1::SourceRequired { r#type: props.source.type_name() });
    match &props.source {
        Source::CodePipeline | Source::NoSource => {}
        Source::CodeCommit { clone_url, .. } => src = src.location(clone_url.clone()),
        Source::GitHub { owner, repo, .. } => {
            src = src
                .location(format!("https://github.com/{owner}/{repo}.git"))
                .report_build_status(true);
        }
        Source::S3 { bucket, key } => {
            src = src.location(sub!("{}/{}", bucket.clone(), key.clone()))
        }
    }
    // An inline or companion buildspec is set by the render step, which knows where the
    // output folder sits in the source and what the build copies into its artifact.
    if let Some(BuildSpecLocation::File(path)) = &props.buildspec {
        src = src.build_spec(path.as_str());
    }
    src
}

/// A webhook that builds every push to `branch` (every push when `None`).
fn webhook(branch: Option<&str>) -> l1::ProjectTriggers {
    let filter = |kind: &str, pattern: String| {
        Val::<Json>::object([("Type", Val::from(kind)), ("Pattern", Val::from(pattern))])
    };
    let mut group = vec![filter("EVENT", "PUSH".into())];
    if let Some(branch) = branch {
        group.push(filter("HEAD_REF", format!("^refs/heads/{}$", regex_escape(branch))));
    }
    l1::ProjectTriggers::new().webhook(true).filter_groups(vec![Val::<Json>::list(group)])
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn cache(c: &Cache) -> l1::ProjectCache {
    match c {
        Cache::Local(modes) => {
            let modes: Vec<Val<String>> = modes.iter().map(|m| Val::from(m.as_str())).collect();
            l1::ProjectCache::new(l1::ProjectCacheRequired { r#type: "LOCAL" }).modes(modes)
        }
        Cache::S3 { bucket, prefix } => {
            l1::ProjectCache::new(l1::ProjectCacheRequired { r#type: "S3" }).location(
                match prefix {
                    Some(prefix) => sub!("{}/{}", bucket.clone(), prefix.as_str()),
                    None => bucket.clone(),
                },
            )
        }
    }
}

/// A timeout in whole minutes within `5..=max`, or `None` after reporting why not. An
/// out-of-range value stays out of the L1, so its own range check does not repeat it.
fn minutes(
    scope: &mut Scope<'_>,
    what: &str,
    d: Option<Duration>,
    max: u64,
    range: &str,
) -> Option<Val<i64>> {
    let d = d?;
    if d.as_seconds() % 60 != 0 {
        scope.error(
            "codebuild.whole-minutes",
            format!("{what} is {d}"),
            "CodeBuild counts whole minutes",
        );
        return None;
    }
    let m = d.as_seconds() / 60;
    if !(5..=max).contains(&m) {
        scope.error(
            "codebuild.duration-range",
            format!("{what} is {d}"),
            format!("CodeBuild allows {range}"),
        );
        return None;
    }
    Some(Val::from(i64::try_from(m).unwrap_or(i64::MAX)))
}

/// The checks that need no resources: impossible combinations are errors, risky ones
/// warnings.
fn check(scope: &mut Scope<'_>, props: &ProjectProps) {
    let spec = props.buildspec.as_ref().and_then(BuildSpecLocation::spec);
    if props.source == Source::NoSource
        && !matches!(props.buildspec, Some(BuildSpecLocation::Inline(_)))
    {
        scope.error(
            "codebuild.buildspec-location",
            "a project with Source::NoSource needs BuildSpecLocation::Inline",
            "there is no source to read a buildspec file from",
        );
    }
    let compute = props.compute;
    if compute.is_lambda() && !props.image.is_lambda() {
        scope.error("codebuild.lambda-compute-image", format!("compute type {} runs only Lambda images (such as LinuxBuildImage::LAMBDA_NODEJS_20)", compute.as_str()), "pick one, or a BUILD_GENERAL1 compute type");
    }
    if !compute.is_lambda() && props.image.is_lambda() {
        scope.error(
            "codebuild.lambda-compute-image",
            format!("a Lambda image needs a BUILD_LAMBDA compute type, not {}", compute.as_str()),
            "",
        );
    }
    if props.privileged && compute.is_lambda() {
        scope.error(
            "codebuild.lambda-privileged",
            format!("privileged mode is not available on Lambda compute ({})", compute.as_str()),
            "use a BUILD_GENERAL1 compute type to build Docker images",
        );
    }
    match &props.cache {
        Some(Cache::Local(modes)) => {
            if modes.is_empty() {
                scope.error(
                    "codebuild.cache",
                    "Cache::Local needs at least one LocalCacheMode",
                    "",
                );
            }
            if modes.contains(&LocalCacheMode::DockerLayer) && !props.privileged {
                scope.error(
                    "codebuild.docker-layer-cache",
                    "the Docker layer cache needs privileged mode",
                    "set .privileged(true) or drop LocalCacheMode::DockerLayer",
                );
            }
            if compute.is_lambda() {
                scope.error(
                    "codebuild.cache",
                    "Lambda compute has no local cache",
                    "use Cache::S3",
                );
            }
        }
        Some(Cache::S3 { .. }) | None => {}
    }
    if let Some(vpc) = &props.vpc {
        if !(1..=16).contains(&vpc.subnets.len()) {
            scope.error(
                "codebuild.vpc",
                format!("vpc has {} subnets", vpc.subnets.len()),
                "CodeBuild needs 1 to 16",
            );
        }
        if !(1..=5).contains(&vpc.security_groups.len()) {
            scope.error(
                "codebuild.vpc",
                format!("vpc has {} security groups", vpc.security_groups.len()),
                "CodeBuild needs 1 to 5",
            );
        }
    }
    if props.cloudwatch_logs && !RETENTION_DAYS.contains(&props.log_retention_days) {
        let allowed: Vec<String> = RETENTION_DAYS.iter().map(ToString::to_string).collect();
        scope.error(
            "codebuild.log-retention-days",
            format!("log_retention_days is {}", props.log_retention_days),
            format!("CloudWatch Logs allows {}", allowed.join(", ")),
        );
    }
    if let Some(name) = props.project_name.as_ref().and_then(|n| n.expr().as_str()) {
        let ok = (2..=255).contains(&name.len())
            && name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !ok {
            scope.error("codebuild.project-name", format!(
                "project name `{name}` must be 2 to 255 letters, digits, `-` and `_`, starting with a letter or digit"
            ), "");
        }
    }
    for (name, v) in &props.variables {
        if let Some(m) = lint::variable_name_problem(name) {
            scope.error("codebuild.environment-variable", format!("environment variable {m}"), "");
        }
        if v.kind == EnvironmentVariableType::Plaintext {
            let value = v.value.expr().as_str();
            let fix = "use EnvironmentVariable::parameter_store or ::secrets_manager";
            for w in lint::plaintext_secret_warnings("environment variable", name, value, fix) {
                scope.warn(w);
            }
        }
    }
    let Some(spec) = spec else {
        return;
    };
    for m in spec.errors() {
        scope.error("codebuild.buildspec", format!("buildspec: {m}"), "");
    }
    for m in spec.warnings() {
        scope.warn(format!("buildspec: {m}"));
    }
    if !props.privileged
        && let Some(docker) = spec.docker_command()
    {
        scope.warn(format!(
                "the buildspec runs `{docker}` but privileged mode is off; Docker needs privileged mode: set .privileged(true)"
            ));
    }
    if spec.has_cache_paths() && !props.cache.as_ref().is_some_and(Cache::keeps_paths) {
        scope.warn(
            "the buildspec lists cache paths, but the project has no S3 cache or local custom cache, so nothing is kept; set .cache(Cache::s3(..)) or Cache::Local(vec![LocalCacheMode::Custom])",
        );
    }
}

//! The `Function` construct: an `AWS::Lambda::Function` with its role and log group.

use stackwright_aws::lambda as l1;
use stackwright_aws::{logs, runtimes};
use stackwright_core::kind;
use stackwright_core::{ConstructRef, ConstructState, Handle, Json, Scope, Val, fns, sub};

use super::environment::check_environment;
use crate::Duration;
use crate::codebuild::RETENTION_DAYS;
use crate::iam::{Grantee, PolicyStatement, Principal, Role, RoleProps};
use crate::kms::Key;
use crate::runtime::deprecation_warning;

/// A Lambda runtime. Deprecated ones are kept so existing functions can be described; using
/// one once AWS has deprecated it is a warning naming the runtime to move to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Runtime {
    /// `nodejs24.x`.
    Nodejs24X,
    /// `nodejs22.x`.
    Nodejs22X,
    /// `nodejs20.x` (deprecated by AWS).
    Nodejs20X,
    /// `nodejs18.x` (deprecated by AWS).
    Nodejs18X,
    /// `nodejs16.x` (deprecated by AWS).
    Nodejs16X,
    /// `python3.14`.
    Python314,
    /// `python3.13`.
    Python313,
    /// `python3.12`.
    Python312,
    /// `python3.11`.
    Python311,
    /// `python3.10` (deprecated by AWS).
    Python310,
    /// `python3.9` (deprecated by AWS).
    Python39,
    /// `python3.8` (deprecated by AWS).
    Python38,
    /// `java25`.
    Java25,
    /// `java21`.
    Java21,
    /// `java17`.
    Java17,
    /// `java11`.
    Java11,
    /// `dotnet10`.
    Dotnet10,
    /// `dotnet8` (deprecated by AWS).
    Dotnet8,
    /// `ruby3.4`.
    Ruby34,
    /// `ruby3.3`.
    Ruby33,
    /// `provided.al2023` (a custom runtime: Go, Rust).
    ProvidedAl2023,
    /// `provided.al2` (deprecated by AWS).
    ProvidedAl2,
    /// Any other runtime identifier, as Lambda spells it.
    Other(String),
}

impl Runtime {
    /// The identifier as Lambda spells it (`nodejs22.x`).
    pub fn name(&self) -> &str {
        match self {
            Runtime::Nodejs24X => "nodejs24.x",
            Runtime::Nodejs22X => "nodejs22.x",
            Runtime::Nodejs20X => "nodejs20.x",
            Runtime::Nodejs18X => "nodejs18.x",
            Runtime::Nodejs16X => "nodejs16.x",
            Runtime::Python314 => "python3.14",
            Runtime::Python313 => "python3.13",
            Runtime::Python312 => "python3.12",
            Runtime::Python311 => "python3.11",
            Runtime::Python310 => "python3.10",
            Runtime::Python39 => "python3.9",
            Runtime::Python38 => "python3.8",
            Runtime::Java25 => "java25",
            Runtime::Java21 => "java21",
            Runtime::Java17 => "java17",
            Runtime::Java11 => "java11",
            Runtime::Dotnet10 => "dotnet10",
            Runtime::Dotnet8 => "dotnet8",
            Runtime::Ruby34 => "ruby3.4",
            Runtime::Ruby33 => "ruby3.3",
            Runtime::ProvidedAl2023 => "provided.al2023",
            Runtime::ProvidedAl2 => "provided.al2",
            Runtime::Other(name) => name,
        }
    }

    /// When AWS deprecates the runtime, stops creating functions with it, and what to move
    /// to: the lifecycle data of the pinned cfn-lint (rule W2531). `None` for a runtime it
    /// does not know.
    pub fn lifecycle(&self) -> Option<&'static runtimes::Lifecycle> {
        runtimes::lifecycle(self.name())
    }

    /// Whether Lambda accepts inline code (`ZipFile`) for the runtime: Node.js and Python.
    pub(crate) fn takes_inline_code(&self) -> bool {
        let name = self.name();
        name.starts_with("nodejs") || name.starts_with("python")
    }
}

/// Where a function's code comes from: the same for a plain [`Function`] and a SAM
/// [`sam::Function`](crate::sam::Function).
#[derive(Clone, Debug, PartialEq)]
pub enum Code {
    /// A folder or zip file of the repository (`src/`), which `sam build` / `sam package`
    /// uploads (SAM functions only: a plain function needs the package in S3).
    Local(String),
    /// Source written into the template (`ZipFile`; Node.js and Python only).
    Inline(Val<String>),
    /// A zip file in S3, optionally a given object version.
    S3 {
        /// The bucket.
        bucket: Val<kind::BucketName>,
        /// The object key.
        key: Val<String>,
        /// The object version, for versioned buckets.
        version: Option<Val<String>>,
    },
}

impl Code {
    /// A folder or zip file of the repository, uploaded by `sam package` (SAM functions
    /// only).
    pub fn local(path: impl Into<String>) -> Code {
        Code::Local(path.into())
    }

    /// Source written into the template (`ZipFile`), saved by Lambda as `index.<ext>`.
    pub fn inline(source: impl Into<Val<String>>) -> Code {
        Code::Inline(source.into())
    }

    /// A zip file in S3.
    pub fn s3(bucket: impl Into<Val<kind::BucketName>>, key: impl Into<Val<String>>) -> Code {
        Code::S3 { bucket: bucket.into(), key: key.into(), version: None }
    }

    /// A given version of a zip file in a versioned S3 bucket.
    pub fn s3_version(
        bucket: impl Into<Val<kind::BucketName>>,
        key: impl Into<Val<String>>,
        version: impl Into<Val<String>>,
    ) -> Code {
        Code::S3 { bucket: bucket.into(), key: key.into(), version: Some(version.into()) }
    }

    fn l1(self) -> l1::function::Code {
        match self {
            // Reported by the constructor.
            Code::Local(_) => l1::function::Code::new(),
            Code::Inline(source) => l1::function::Code::new().zip_file(source),
            Code::S3 { bucket, key, version } => {
                let mut c = l1::function::Code::new().s3_bucket(bucket).s3_key(key);
                c.s3_object_version = version;
                c
            }
        }
    }
}

/// How to build a [`Function`].
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionProps {
    runtime: Runtime,
    handler: String,
    code: Code,
    memory_mb: u32,
    timeout: Duration,
    function_name: Option<Val<String>>,
    description: Option<String>,
    environment: Vec<(String, Val<String>)>,
    log_retention_days: u32,
    log_encryption_key: Option<Key>,
}

impl FunctionProps {
    /// A function running `handler` (`index.handler`) of `code` on `runtime`. Defaults:
    /// 128 MB, a 3 second timeout (Lambda's), logs kept for a year.
    pub fn new(runtime: Runtime, handler: impl Into<String>, code: Code) -> FunctionProps {
        FunctionProps {
            runtime,
            handler: handler.into(),
            code,
            memory_mb: 128,
            timeout: Duration::seconds(3),
            function_name: None,
            description: None,
            environment: Vec::new(),
            log_retention_days: 365,
            log_encryption_key: None,
        }
    }

    /// Sets the memory, 128 to 10240 MB (CPU grows with it).
    pub fn memory_mb(mut self, mb: u32) -> Self {
        self.memory_mb = mb;
        self
    }

    /// Sets the timeout, 1 second to 15 minutes, in whole seconds.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Fixes the function name (otherwise CloudFormation generates one).
    pub fn function_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.function_name = Some(name.into());
        self
    }

    /// Sets the description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Adds an environment variable. The name must start with a letter, followed by at
    /// least one letter, digit or `_`, must not be one Lambda reserves (`AWS_REGION`,
    /// `_HANDLER`, ...) and must not be set twice; all names and values together must fit
    /// in 4 KB. Each is a synth error otherwise.
    pub fn environment(mut self, name: impl Into<String>, value: impl Into<Val<String>>) -> Self {
        self.environment.push((name.into(), value.into()));
        self
    }

    /// Sets how many days the log group keeps logs (default 365; one of CloudWatch Logs'
    /// retention values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096,
    /// 1827, 2192, 2557, 2922, 3288 or 3653; any other is a synth error).
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
}

/// A Lambda function with its own role (allowed to write to its own log group only) and
/// its log group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Function {
    node: ConstructRef<FunctionState>,
    resource: l1::FunctionRef,
    role: Role,
    log_group: logs::LogGroupRef,
}

/// What a [`Function`] renders at synth: its dependency on its role's default policy.
#[derive(Clone, Debug)]
pub struct FunctionState {
    role: Option<Role>,
    current_version: Option<(super::Version, super::VersionProps)>,
}

impl ConstructState for FunctionState {
    fn kind(&self) -> &'static str {
        "Function"
    }

    /// The function may run as soon as it exists, so the permissions granted to its role
    /// must exist by then: whatever was granted, before or after the function was created.
    fn render(&self, scope: &mut Scope<'_>) {
        let policy = self.role.and_then(|r| r.default_policy(scope.app()));
        let function = scope.slot_resource::<l1::FunctionRef>("Resource");
        if let (Some(policy), Some(function)) = (policy, function)
            && let Some(node) = scope.node(function)
        {
            node.add_dependency(policy);
        }
    }
}

impl Function {
    /// Creates the function as the construct `id` in `scope`, with the children
    /// `ServiceRole` and `LogGroup`.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str, props: FunctionProps) -> Function {
        let (node, mut inner) =
            scope.construct(id, FunctionState { role: None, current_version: None });
        let runtime = props.runtime.name().to_owned();
        // Checked against today's date, as cfn-lint checks it (W2531).
        if let Some(w) = deprecation_warning(&runtime) {
            inner.warn(w);
        }
        if let Code::Local(path) = &props.code {
            inner.error(
                "lambda.local-code",
                format!("the code is the local path `{path}`, which CloudFormation cannot upload"),
                "upload the package and use Code::s3, or make it a SAM function (sam::Function), which `sam package` uploads",
            );
        }
        if matches!(props.code, Code::Inline(_)) && !props.runtime.takes_inline_code() {
            inner.error("lambda.inline-code", format!("inline code (ZipFile) works only with Node.js and Python runtimes, not {runtime}"), "use Code::s3");
        }
        // Bad values are reported here in the user's terms and kept out of the L1, so its
        // own range checks do not report them again.
        let memory_ok = (128..=10_240).contains(&props.memory_mb);
        if !memory_ok {
            inner.error(
                "lambda.memory-mb",
                format!("memory_mb is {}", props.memory_mb),
                "Lambda allows 128 to 10240 MB",
            );
        }
        let timeout_ok = (1..=900).contains(&props.timeout.as_seconds());
        if !timeout_ok {
            inner.error(
                "lambda.timeout",
                format!("timeout is {}", props.timeout),
                "Lambda allows 1 second to 15 minutes",
            );
        }

        // CloudFormation takes any number here and the deployment fails on it; a bad one is
        // reported and left out (the group then keeps logs forever, never deployed as such).
        let retention_ok = RETENTION_DAYS.contains(&props.log_retention_days);
        if !retention_ok {
            let allowed: Vec<String> = RETENTION_DAYS.iter().map(ToString::to_string).collect();
            inner.error(
                "lambda.log-retention-days",
                format!("log_retention_days is {}", props.log_retention_days),
                format!("CloudWatch Logs allows {}", allowed.join(", ")),
            );
        }
        let mut group = logs::LogGroup::new();
        group.retention_in_days = retention_ok.then(|| i64::from(props.log_retention_days).into());
        if let Some(key) = &props.log_encryption_key {
            // The group's name is generated at deployment, so the key serves every group of
            // the account in the region.
            group.kms_key_id = Some(key.arn().into());
            key.allow_logs(&mut inner, "*");
        }
        let log_group = inner.add("LogGroup", group);

        let role = Role::new(
            &mut inner,
            "ServiceRole",
            RoleProps::new(Principal::service("lambda.amazonaws.com")),
        );
        // What AWSLambdaBasicExecutionRole allows, on this function's log group only. The
        // group exists before the function, so it needs no logs:CreateLogGroup.
        role.add_to_policy(
            &mut inner,
            PolicyStatement::allow()
                .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
                .resource(log_group.arn()),
        );

        let mut f =
            l1::Function::new(l1::FunctionRequired { code: props.code.l1(), role: role.arn() });
        f.runtime = Some(runtime.into());
        f.handler = Some(props.handler.into());
        f.memory_size = memory_ok.then(|| i64::from(props.memory_mb).into());
        f.timeout = timeout_ok.then(|| props.timeout.as_int().into());
        f.function_name = props.function_name;
        f.description = props.description.map(Val::from);
        // Variables Lambda would refuse are reported here and kept out of the L1.
        let keep = check_environment(
            &mut inner,
            "lambda.environment",
            props.environment.iter().map(|(k, v)| (k.as_str(), v.expr())),
        );
        let vars: Vec<(String, Val<Json>)> = props
            .environment
            .into_iter()
            .zip(keep)
            .filter(|(_, keep)| *keep)
            .map(|((k, v), _)| (k, v.into_json()))
            .collect();
        if !vars.is_empty() {
            f.environment =
                Some(Box::new(l1::function::Environment::new().variables(Val::object(vars))));
        }
        f.logging_config =
            Some(Box::new(l1::function::LoggingConfig::new().log_group(log_group.reference())));
        let resource = inner.add("Resource", f);
        if let Some(state) = inner.app().state_mut(node) {
            state.role = Some(role);
        }
        Function { node, resource, role, log_group }
    }

    /// The construct node, for its path, children and state.
    pub fn node(&self) -> ConstructRef<FunctionState> {
        self.node
    }

    /// The L1 handle, for escape hatches.
    pub fn resource(&self) -> l1::FunctionRef {
        self.resource
    }

    /// The function's role, for grants.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The function's log group.
    pub fn log_group(&self) -> logs::LogGroupRef {
        self.log_group
    }

    /// The function name (`Ref`).
    pub fn function_name(&self) -> Val<String> {
        self.resource.reference()
    }

    /// The function ARN.
    pub fn arn(&self) -> Val<kind::FunctionArn> {
        self.resource.arn()
    }

    /// The version of the function as it is now configured: the child `CurrentVersion`,
    /// created on the first call (later calls return it and report props that differ). Its
    /// description is a digest of the function's properties as synthesized that a version
    /// captures (code, runtime, handler, memory, environment, role, ...; not its tags,
    /// reserved concurrency or name), so any change to them replaces the version,
    /// which publishes a new one, and an alias on it moves (through CodeDeploy when a
    /// deployment group manages the alias). Code from S3 is seen through its bucket, key and
    /// object version; where those come from parameters, give the package's hash with
    /// [`VersionProps::code_sha256`](super::VersionProps::code_sha256) so a new package
    /// publishes too. The description is the digest's, so `props` must not set one.
    #[track_caller]
    pub fn current_version(
        &self,
        scope: &mut Scope<'_>,
        props: super::VersionProps,
    ) -> super::Version {
        let existing = scope.app().state(self.node).and_then(|s| s.current_version.clone());
        if let Some((version, first)) = existing {
            if first != props
                && let Some(mut at) = scope.app().scope_of(self.node.id())
            {
                at.error(
                        "lambda.current-version-props",
                        "current_version was asked for twice with different props, and a function has one current version",
                        "pass the same VersionProps each time",
                    );
            }
            return version;
        }
        let mut owner = match scope.app().scope_of(self.node.id()) {
            Some(owner) => owner,
            None => {
                scope.foreign_handle("current_version");
                scope.reborrow()
            }
        };
        let (has_description, asked) = (props.has_description(), props.clone());
        // What a version does not capture: changing it publishes nothing new, and a version
        // replaced for it would fail ("a version for this function exists").
        let digest = fns::properties_digest(
            self.resource,
            "Configuration ",
            ["Tags", "ReservedConcurrentExecutions", "FunctionName", "CodeSigningConfigArn"],
        );
        let version =
            super::Version::new(&mut owner, "CurrentVersion", self, props.description(digest));
        if has_description {
            owner.error(
                "lambda.current-version-description",
                "the current version's description is the digest of its function's configuration",
                "leave VersionProps::description unset, or create a Version of your own",
            );
        }
        if let Some(state) = owner.app().state_mut(self.node) {
            state.current_version = Some((version, asked));
        }
        version
    }

    /// Lets `grantee` invoke the function, any version or alias of it.
    #[track_caller]
    pub fn grant_invoke(&self, scope: &mut Scope<'_>, grantee: &impl Grantee) {
        grantee.add_to_principal_policy(
            scope,
            PolicyStatement::allow()
                .action("lambda:InvokeFunction")
                .resource(self.arn())
                .resource(sub!("{}:*", self.arn())),
        );
    }
}

impl Grantee for Function {
    fn add_to_principal_policy(&self, scope: &mut Scope<'_>, statement: PolicyStatement) {
        self.role.add_to_policy(scope, statement);
    }
}

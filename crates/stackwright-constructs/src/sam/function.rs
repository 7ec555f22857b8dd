//! The SAM `Function` construct.

use stackwright_aws::serverless as l1;
use stackwright_core::kind;
use stackwright_core::{
    Arn, ConstructRef, ConstructState, Handle, Json, Scope, Val, fns, get_att, sub,
};

use super::DeploymentPreference;
use crate::Duration;
use crate::cloudwatch::Alarm;
use crate::codedeploy::config_name;
use crate::iam::{Grantee, PolicyDocument, PolicyStatement};
use crate::lambda::{ALIAS_NAME_FIX, Code, Runtime, alias_name_problem, check_environment};
use crate::runtime::deprecation_warning;
use crate::sqs::Queue;

/// What invokes the function.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// A schedule: `rate(5 minutes)` or `cron(..)`.
    Schedule(String),
    /// Messages of an SQS queue (its ARN), in batches of up to `batch_size`.
    Sqs {
        /// The queue ARN.
        queue_arn: Val<kind::QueueArn>,
        /// Messages per invocation (1 to 10: more needs a batching window, which this event
        /// does not set).
        batch_size: u32,
    },
    /// An HTTP route of the implicit API (`GET /orders`).
    Api {
        /// The path, such as `/orders`.
        path: String,
        /// The method, such as `get`, or `any`.
        method: String,
    },
}

impl Event {
    /// Messages of `queue`, in batches of up to `batch_size` (1 to 10); SAM lets the
    /// function read and delete them.
    pub fn sqs(queue: &Queue, batch_size: u32) -> Event {
        Event::Sqs { queue_arn: queue.arn(), batch_size }
    }
}

/// How to build a [`Function`].
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionProps {
    handler: String,
    runtime: Option<Runtime>,
    code: Code,
    memory_mb: Option<u32>,
    timeout: Option<Duration>,
    description: Option<String>,
    environment: Vec<(String, Val<Json>)>,
    alias: Option<String>,
    function_name: Option<Val<String>>,
    deployment: Option<DeploymentPreference>,
    events: Vec<(String, Event)>,
    statements: Vec<PolicyStatement>,
}

impl FunctionProps {
    /// A function running `handler` of `code` on `runtime`, with the same arguments as a
    /// plain [`lambda::FunctionProps`](crate::lambda::FunctionProps). `None` leaves the
    /// runtime to the template's `Globals`.
    pub fn new(
        runtime: impl Into<Option<Runtime>>,
        handler: impl Into<String>,
        code: Code,
    ) -> FunctionProps {
        FunctionProps {
            handler: handler.into(),
            runtime: runtime.into(),
            code,
            memory_mb: None,
            timeout: None,
            description: None,
            environment: Vec::new(),
            alias: None,
            function_name: None,
            deployment: None,
            events: Vec::new(),
            statements: Vec::new(),
        }
    }

    /// Memory in MB, 128 to 10240 (a synth error otherwise); SAM's `Globals` may set it
    /// instead.
    pub fn memory_mb(mut self, mb: u32) -> Self {
        self.memory_mb = Some(mb);
        self
    }

    /// The longest run (1 second to 15 minutes).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// Sets the description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }

    /// Adds an environment variable, checked as for a plain
    /// [`lambda::FunctionProps::environment`](crate::lambda::FunctionProps::environment).
    pub fn environment(mut self, name: impl Into<String>, value: impl Into<Val<String>>) -> Self {
        self.environment.push((name.into(), value.into().into_json()));
        self
    }

    /// Fixes the function name (CodeDeploy's default role invokes traffic hooks only when
    /// their names start with `CodeDeployHook_`).
    pub fn function_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.function_name = Some(name.into());
        self
    }

    /// Publishes each new version under this alias (`live`), which the deployment shifts:
    /// 1 to 128 letters, digits, `-` and `_`, and not only digits (a synth error otherwise).
    pub fn auto_publish_alias(mut self, alias: impl Into<String>) -> Self {
        self.alias = Some(alias.into());
        self
    }

    /// Rolls new versions out gradually; publishes the alias `live` unless another is set.
    pub fn deployment(mut self, preference: DeploymentPreference) -> Self {
        self.deployment = Some(preference);
        self
    }

    /// Invokes the function on an event, as the named event source.
    pub fn event(mut self, name: impl Into<String>, event: Event) -> Self {
        self.events.push((name.into(), event));
        self
    }

    /// Adds a statement to the function's role (SAM creates the role).
    pub fn policy(mut self, statement: PolicyStatement) -> Self {
        self.statements.push(statement);
        self
    }
}

/// What a SAM [`Function`] renders at synth: its deployment preference, so alarms added
/// after the function (an alarm on its own errors) are part of it.
#[derive(Clone, Debug, PartialEq)]
pub struct SamFunctionState {
    deployment: Option<DeploymentPreference>,
    statements: Vec<PolicyStatement>,
}

impl ConstructState for SamFunctionState {
    fn kind(&self) -> &'static str {
        "SamFunction"
    }

    fn render(&self, scope: &mut Scope<'_>) {
        let preference = self.deployment.as_ref().map(|d| preference(scope, d));
        let Some(handle) = scope.slot_resource::<l1::FunctionRef>("Resource") else { return };
        let document = (!self.statements.is_empty())
            .then(|| PolicyDocument::with(self.statements.iter().cloned()));
        if let Some(doc) = &document {
            for m in doc.validate(crate::iam::DocumentKind::Identity) {
                scope.error("iam.policy-document", format!("property `Policies`: {m}"), "");
            }
        }
        let Some(f) = scope.app().get_mut::<l1::Function>(handle) else { return };
        if let Some(preference) = preference {
            f.deployment_preference = Some(Box::new(preference));
        }
        if let Some(doc) = document {
            // SAM attaches each entry of `Policies` to the role it creates for the function.
            f.policies = Some(Box::new(
                Val::<Vec<Json>>::from_expr(Val::<Json>::list([doc.to_val()]).into_expr()).into(),
            ));
        }
    }
}

/// A SAM function (`AWS::Serverless::Function`). The stack gets SAM's transform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Function {
    node: ConstructRef<SamFunctionState>,
    resource: l1::FunctionRef,
    alias: bool,
    deployment: bool,
}

impl Function {
    /// Creates the function as the construct `id` in `scope`.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str, props: FunctionProps) -> Function {
        scope.add_transform("AWS::Serverless-2016-10-31");
        let state = SamFunctionState {
            deployment: props.deployment.clone(),
            statements: props.statements.clone(),
        };
        let (node, mut inner) = scope.construct(id, state);
        check(&mut inner, &props);
        let mut f = l1::Function::new().handler(props.handler.as_str());
        if let Some(r) = &props.runtime {
            f = f.runtime(r.name());
        }
        f = match &props.code {
            Code::Local(path) => f.code_uri(path.as_str()),
            Code::Inline(src) => f.inline_code(src.clone().into_json()),
            Code::S3 { bucket, key, version } => {
                let mut uri = l1::function::CodeUri::new(l1::function::CodeUriRequired {
                    bucket: bucket.clone().into_string(),
                    key: key.clone(),
                });
                if let Some(v) = version {
                    uri = uri.version(v.clone());
                }
                f.code_uri(uri)
            }
        };
        // Lambda's range, narrower than the schema's; a bad value is reported by `check` and
        // kept out of the L1.
        if let Some(mb) = props.memory_mb.filter(|mb| (128..=10_240).contains(mb)) {
            f = f.memory_size(mb);
        }
        if let Some(t) = props.timeout {
            f = f.timeout(t.as_int());
        }
        if let Some(n) = &props.function_name {
            f = f.function_name(n.clone());
        }
        if let Some(d) = &props.description {
            f = f.description(d.as_str());
        }
        // Variables Lambda would refuse are reported here and kept out of the L1.
        let keep = check_environment(
            &mut inner,
            "sam.environment",
            props.environment.iter().map(|(k, v)| (k.as_str(), v.expr())),
        );
        let vars: Vec<(String, Val<Json>)> = props
            .environment
            .iter()
            .zip(keep)
            .filter(|(_, keep)| *keep)
            .map(|(var, _)| var.clone())
            .collect();
        if !vars.is_empty() {
            let vars = Val::<Json>::object(vars);
            f = f.environment(l1::function::AwsLambdaFunctionEnvironment::new().variables(vars));
        }
        let alias =
            props.alias.clone().or_else(|| props.deployment.as_ref().map(|_| "live".to_owned()));
        let alias_published = alias.is_some();
        if let Some(alias) = alias {
            f = f.auto_publish_alias(alias.as_str());
        }
        if !props.events.is_empty() {
            // An event given twice is reported where the props are checked; the template
            // holds the first.
            let firsts =
                props.events.iter().enumerate().filter(|(i, (n, _))| {
                    !props.events[..*i].iter().any(|(earlier, _)| earlier == n)
                });
            f = f.events(Val::<Json>::object(firsts.map(|(_, (n, e))| (n.clone(), event(e)))));
        }
        Function {
            node,
            resource: inner.add("Resource", f),
            alias: alias_published,
            deployment: props.deployment.is_some(),
        }
    }

    /// The construct node, for its path and children.
    pub fn node(&self) -> ConstructRef<SamFunctionState> {
        self.node
    }

    /// Rolls deployments back when `alarm` fires: for an alarm created after the function,
    /// such as one on the function's own errors. The function needs a deployment preference.
    #[track_caller]
    pub fn add_deployment_alarm(&self, scope: &mut Scope<'_>, alarm: &Alarm) {
        match scope.app().state_mut(self.node).map(|s| s.deployment.as_mut()) {
            Some(Some(d)) => d.alarms.push(alarm.alarm_name()),
            Some(None) => {
                if let Some(mut at) = scope.app().scope_of(self.node.id()) {
                    at.error(
                        "sam.deployment-alarm",
                        "a deployment alarm was added to a function without a deployment \
                         preference",
                        "give the function .deployment(DeploymentPreference::new(..)) first",
                    );
                }
            }
            None => scope.foreign_handle("add_deployment_alarm"),
        }
    }

    /// The L1 handle, for escape hatches.
    pub fn resource(&self) -> l1::FunctionRef {
        self.resource
    }

    /// The function name (`Ref`).
    pub fn function_name(&self) -> Val<String> {
        self.resource.reference()
    }

    /// The ARN of the version SAM publishes (`Ref <Function>.Version`); `None` when the
    /// function publishes no alias (SAM publishes versions only with one).
    pub fn version(&self) -> Option<Val<String>> {
        self.alias.then(|| fns::generated_ref(self.resource, "{}.Version"))
    }

    /// The ARN of the alias SAM publishes (`Ref <Function>.Alias`); `None` without
    /// [`auto_publish_alias`](FunctionProps::auto_publish_alias) or a deployment preference.
    pub fn alias(&self) -> Option<Val<String>> {
        self.alias.then(|| fns::generated_ref(self.resource, "{}.Alias"))
    }

    /// The name of the CodeDeploy application SAM creates for the stack's gradual
    /// deployments (`ServerlessDeploymentApplication`); `None` without a deployment
    /// preference.
    pub fn deployment_application(&self) -> Option<Val<String>> {
        self.deployment
            .then(|| fns::generated_ref(self.resource, "ServerlessDeploymentApplication"))
    }

    /// The name of the CodeDeploy deployment group SAM creates for the function
    /// (`<Function>DeploymentGroup`); `None` without a deployment preference.
    pub fn deployment_group(&self) -> Option<Val<String>> {
        self.deployment.then(|| fns::generated_ref(self.resource, "{}DeploymentGroup"))
    }

    /// The ARN of that deployment group.
    pub fn deployment_group_arn(&self) -> Option<Val<String>> {
        let (application, group) = (self.deployment_application()?, self.deployment_group()?);
        Some(
            Arn::new("codedeploy", "deploymentgroup", sub!("{}/{}", application, group))
                .colon()
                .to_val(),
        )
    }

    /// Lets `hook` report its verdict on this function's deployments
    /// (`codedeploy:PutLifecycleEventHookExecutionStatus` on its deployment group), as a
    /// pre- or post-traffic hook must. Reported when the function has no deployment
    /// preference.
    #[track_caller]
    pub fn grant_hook_status(&self, scope: &mut Scope<'_>, hook: &impl Grantee) {
        match self.deployment_group_arn() {
            Some(arn) => hook.add_to_principal_policy(
                scope,
                PolicyStatement::allow()
                    .action("codedeploy:PutLifecycleEventHookExecutionStatus")
                    .resource(arn),
            ),
            None => match scope.app().scope_of(self.node.id()) {
                Some(mut at) => at.error(
                    "sam.hook-status",
                    "a hook was granted to report on the deployments of a function without a deployment preference",
                    "give the function .deployment(DeploymentPreference::new(..))",
                ),
                None => scope.foreign_handle("grant_hook_status"),
            },
        }
    }

    /// The function ARN.
    pub fn arn(&self) -> Val<String> {
        get_att(self.resource.id(), "Arn")
    }
}

impl Grantee for Function {
    /// Grants land in the function's `Policies`, which SAM attaches to the role it creates
    /// for the function.
    fn add_to_principal_policy(&self, scope: &mut Scope<'_>, statement: PolicyStatement) {
        match scope.app().state_mut(self.node) {
            Some(state) => state.statements.push(statement),
            None => scope.foreign_handle("a grant to a SAM function"),
        }
    }
}

fn check(scope: &mut Scope<'_>, props: &FunctionProps) {
    if let Some(w) = props.runtime.as_ref().and_then(|r| deprecation_warning(r.name())) {
        scope.warn(w);
    }
    if let (Code::Inline(_), Some(runtime)) = (&props.code, &props.runtime)
        && !runtime.takes_inline_code()
    {
        scope.error(
            "sam.inline-code",
            format!(
                "inline code works only with Node.js and Python runtimes, not {}",
                runtime.name()
            ),
            "use Code::local or Code::s3",
        );
    }
    if let Some(problem) = props.alias.as_deref().and_then(alias_name_problem) {
        scope.error("sam.alias-name", problem, ALIAS_NAME_FIX);
    }
    if let Some(mb) = props.memory_mb
        && !(128..=10_240).contains(&mb)
    {
        scope.error("sam.memory-mb", format!("memory_mb is {mb}"), "Lambda allows 128 to 10240 MB");
    }
    if let Some(t) = props.timeout
        && !(1..=900).contains(&t.as_seconds())
    {
        scope.error(
            "sam.timeout",
            format!("timeout is {t}"),
            "Lambda allows 1 second to 15 minutes",
        );
    }
    for (i, (name, e)) in props.events.iter().enumerate() {
        if props.events[..i].iter().any(|(earlier, _)| earlier == name) {
            scope.error(
                "sam.event-name",
                format!("event `{name}` is given twice, and the function holds one event per name"),
                "give each event its own name",
            );
        }
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            scope.error(
                "sam.event-name",
                format!("event name `{name}` must be letters and digits (it becomes a logical ID)"),
                "",
            );
        }
        if let Event::Sqs { batch_size, .. } = e
            && !(1..=10).contains(batch_size)
        {
            scope.error(
                "sam.batch-size",
                format!("event `{name}`: batch size {batch_size}"),
                "without a batching window Lambda takes 1 to 10 messages per batch",
            );
        }
    }
}

fn preference(
    scope: &mut Scope<'_>,
    d: &DeploymentPreference,
) -> l1::function::DeploymentPreference {
    use stackwright_aws::codedeploy::deployment_config::DeploymentConfigComputePlatform as Platform;
    let mut p = l1::function::DeploymentPreference::new();
    // SAM names the predefined shifts without CodeDeploy's prefix; a custom step becomes a
    // DeploymentConfig of the function's, named by `Ref`.
    if let Some(name) = config_name(scope, d.config.resolve(), Platform::Lambda) {
        let short =
            match name.expr().as_str().and_then(|n| n.strip_prefix("CodeDeployDefault.Lambda")) {
                Some(short) => Val::from(short),
                None => name,
            };
        p = p.r#type(short);
    }
    if !d.alarms.is_empty() {
        p = p.alarms(Val::<Vec<String>>::from(d.alarms.iter().map(weak).collect::<Vec<_>>()));
    }
    if d.pre_traffic.is_some() || d.post_traffic.is_some() {
        let mut hooks = l1::function::Hooks::new();
        if let Some(f) = &d.pre_traffic {
            hooks = hooks.pre_traffic(weak(f));
        }
        if let Some(f) = &d.post_traffic {
            hooks = hooks.post_traffic(weak(f));
        }
        p = p.hooks(hooks);
    }
    p
}

/// A `Ref` that records no dependency. SAM moves alarms and hooks out of the function into
/// the CodeDeploy deployment group it generates, so after the transform the function does
/// not depend on them; kept as dependencies, an alarm on the function's own errors would be
/// a false cycle (alarm -> function -> alarm).
fn weak(v: &Val<String>) -> Val<String> {
    fns::without_dependency(v.clone())
}

fn event(e: &Event) -> Val<Json> {
    let (ty, props): (&str, Vec<(&str, Val<Json>)>) = match e {
        Event::Schedule(expr) => ("Schedule", vec![("Schedule", expr.as_str().into())]),
        Event::Sqs { queue_arn, batch_size } => (
            "SQS",
            vec![("Queue", queue_arn.clone().into_json()), ("BatchSize", (*batch_size).into())],
        ),
        Event::Api { path, method } => {
            ("Api", vec![("Path", path.as_str().into()), ("Method", method.as_str().into())])
        }
    };
    Val::<Json>::object([("Type", ty.into()), ("Properties", Val::<Json>::object(props))])
}

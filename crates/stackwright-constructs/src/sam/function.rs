//! The SAM `Function` construct.

use stackwright_aws::serverless as l1;
use stackwright_core::{ConstructRef, ConstructState, Handle, Json, Scope, Val, fns, get_att};

use super::DeploymentPreference;
use crate::Duration;
use crate::cloudwatch::Alarm;
use crate::codedeploy::config_name;
use crate::iam::{PolicyDocument, PolicyStatement};
use crate::runtime::deprecation_warning;

/// Where the code comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Code {
    /// A local folder or an `s3://bucket/key` URI; `sam package` uploads local folders.
    Uri(Val<String>),
    /// The source itself (small functions only).
    Inline(String),
}

/// What invokes the function.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// A schedule: `rate(5 minutes)` or `cron(..)`.
    Schedule(String),
    /// Messages of an SQS queue (its ARN), in batches of up to `batch_size`.
    Sqs {
        /// The queue ARN.
        queue_arn: Val<String>,
        /// Messages per invocation (1 to 10,000).
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

/// How to build a [`Function`].
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionProps {
    handler: String,
    runtime: Option<String>,
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
    /// A function running `handler` (`index.handler`) from `code`. The runtime comes from
    /// [`runtime`](Self::runtime) or from SAM's `Globals`.
    pub fn new(handler: impl Into<String>, code: Code) -> FunctionProps {
        FunctionProps {
            handler: handler.into(),
            runtime: None,
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

    /// The runtime (`nodejs22.x`); a deprecated one is a warning.
    pub fn runtime(mut self, runtime: impl Into<String>) -> Self {
        self.runtime = Some(runtime.into());
        self
    }

    /// Memory in MB (the schema's range is checked at synth); SAM's `Globals` may set it
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

    /// Adds an environment variable.
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

    /// Publishes each new version under this alias (`live`), which the deployment shifts.
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
}

impl ConstructState for SamFunctionState {
    fn kind(&self) -> &'static str {
        "SamFunction"
    }

    fn render(&self, scope: &mut Scope<'_>) {
        let Some(d) = &self.deployment else { return };
        let preference = preference(scope, d);
        let Some(handle) = scope.slot_resource::<l1::FunctionRef>("Resource") else { return };
        if let Some(f) = scope.app().get_mut::<l1::Function>(handle) {
            f.deployment_preference = Some(Box::new(preference));
        }
    }
}

/// A SAM function (`AWS::Serverless::Function`). The stack gets SAM's transform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Function {
    node: ConstructRef<SamFunctionState>,
    resource: l1::FunctionRef,
}

impl Function {
    /// Creates the function as the construct `id` in `scope`.
    pub fn new(scope: &mut Scope<'_>, id: &str, props: FunctionProps) -> Function {
        scope.add_transform("AWS::Serverless-2016-10-31");
        let state = SamFunctionState { deployment: props.deployment.clone() };
        let (node, mut inner) = scope.construct(id, state);
        check(&mut inner, &props);
        let mut f = l1::Function::new().handler(props.handler.as_str());
        if let Some(r) = &props.runtime {
            f = f.runtime(r.as_str());
        }
        f = match &props.code {
            Code::Uri(uri) => f.code_uri(uri.clone()),
            Code::Inline(src) => f.inline_code(src.as_str()),
        };
        if let Some(mb) = props.memory_mb {
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
        if !props.environment.is_empty() {
            let vars = Val::<Json>::object(props.environment.iter().cloned());
            f = f.environment(l1::function::AwsLambdaFunctionEnvironment::new().variables(vars));
        }
        let alias =
            props.alias.clone().or_else(|| props.deployment.as_ref().map(|_| "live".to_owned()));
        if let Some(alias) = alias {
            f = f.auto_publish_alias(alias.as_str());
        }
        if !props.events.is_empty() {
            f = f.events(Val::<Json>::object(
                props.events.iter().map(|(n, e)| (n.clone(), event(e))),
            ));
        }
        if !props.statements.is_empty() {
            let doc = PolicyDocument::with(props.statements.iter().cloned());
            f = f.policies(Val::<Vec<Json>>::from_expr(
                Val::<Json>::list([doc.to_val()]).into_expr(),
            ));
        }
        Function { node, resource: inner.add("Resource", f) }
    }

    /// The construct node, for its path and children.
    pub fn node(&self) -> ConstructRef<SamFunctionState> {
        self.node
    }

    /// Rolls deployments back when `alarm` fires: for an alarm created after the function,
    /// such as one on the function's own errors. The function needs a deployment preference.
    pub fn add_deployment_alarm(&self, scope: &mut Scope<'_>, alarm: &Alarm) {
        match scope.app().state_mut(self.node).map(|s| s.deployment.as_mut()) {
            Some(Some(d)) => d.alarms.push(alarm.name()),
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
    pub fn name(&self) -> Val<String> {
        self.resource.reference()
    }

    /// The function ARN.
    pub fn arn(&self) -> Val<String> {
        get_att(self.resource.id(), "Arn")
    }
}

fn check(scope: &mut Scope<'_>, props: &FunctionProps) {
    if let Some(w) = props.runtime.as_deref().and_then(deprecation_warning) {
        scope.warn(w);
    }
    if let Some(t) = props.timeout {
        if !(1..=900).contains(&t.as_seconds()) {
            scope.error(
                "sam.timeout",
                format!("timeout is {t}"),
                "Lambda allows 1 second to 15 minutes",
            );
        }
    }
    for (name, e) in &props.events {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            scope.error(
                "sam.event-name",
                format!("event name `{name}` must be letters and digits (it becomes a logical ID)"),
                "",
            );
        }
        if let Event::Sqs { batch_size, .. } = e {
            if !(1..=10_000).contains(batch_size) {
                scope.error(
                    "sam.batch-size",
                    format!("event `{name}`: batch size {batch_size}"),
                    "SQS events allow 1 to 10,000",
                );
            }
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

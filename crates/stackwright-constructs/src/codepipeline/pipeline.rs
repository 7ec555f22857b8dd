//! The `Pipeline` construct and its stages.

use stackwright_aws::codebuild::ProjectRef;
use stackwright_aws::codepipeline::pipeline as l1;
use stackwright_aws::codepipeline::webhook as wh;
use stackwright_aws::codestarnotifications as notifications;
use stackwright_aws::events as events_l1;
use stackwright_aws::iam as iam_l1;
use stackwright_aws::kms::KeyRef;
use stackwright_aws::s3::BucketRef;
use stackwright_core::kind;
use stackwright_core::{ConstructRef, Expr, Handle, RefTarget, Scope, Val, fns, pseudo, sub};

use super::action::{Action, BuildProject, IntoActions, Need};
use super::actions::regional_arn;
use super::actions::{AppStack, CloudFormationMode, StackDeploy, pass_role, stack_statement};
use super::bucket::{self, CreatedStore};
use super::model::{PipelineState, StageModel, Store};
use super::notify::PipelineEvent;
use super::trigger::{EventTrigger, GitTrigger};
use crate::arns::bucket_arn;
use crate::codedeploy::ServerDeploymentGroup;
use crate::iam::{PolicyStatement, Principal, Role, RoleProps};
use crate::sns::Topic;

/// The pipeline type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PipelineType {
    /// V1: no triggers, no variables, superseded executions only.
    V1,
    /// V2 (the default): git triggers, variables, execution modes.
    #[default]
    V2,
}

/// How executions that overlap are handled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExecutionMode {
    /// One at a time, in order (`QUEUED`).
    Queued,
    /// A newer execution overtakes an older one waiting between stages (`SUPERSEDED`,
    /// CodePipeline's default).
    Superseded,
    /// Independent executions side by side (`PARALLEL`).
    Parallel,
}

impl ExecutionMode {
    fn as_str(self) -> &'static str {
        match self {
            ExecutionMode::Queued => "QUEUED",
            ExecutionMode::Superseded => "SUPERSEDED",
            ExecutionMode::Parallel => "PARALLEL",
        }
    }
}

/// A pipeline-level variable (V2), read by actions as `#{variables.Name}` and settable
/// when an execution is started by hand.
#[derive(Clone, Debug, PartialEq)]
pub struct Variable {
    name: String,
    default: Option<Val<String>>,
    description: Option<Val<String>>,
}

impl Variable {
    /// A variable called `name`.
    pub fn new(name: impl Into<String>) -> Variable {
        Variable { name: name.into(), default: None, description: None }
    }

    /// Its value when the execution does not set one.
    pub fn default_value(mut self, value: impl Into<Val<String>>) -> Self {
        self.default = Some(value.into());
        self
    }

    /// What it is for.
    pub fn description(mut self, text: impl Into<Val<String>>) -> Self {
        self.description = Some(text.into());
        self
    }
}

/// Where artifacts are kept.
#[derive(Clone, Debug, PartialEq)]
enum StoreProps {
    /// A bucket created with the pipeline, S3-managed encryption.
    Created,
    /// A bucket created with the pipeline, encrypted with a key created with it.
    CreatedKms,
    /// A bucket of the user's, optionally with its KMS key.
    Existing { name: Val<kind::BucketName>, kms_key_arn: Option<Val<kind::KmsKeyArn>> },
}

/// An artifact store in another region, for actions that run there.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionalStore {
    region: Val<String>,
    bucket: Val<kind::BucketName>,
    kms_key_arn: Option<Val<kind::KmsKeyArn>>,
}

impl RegionalStore {
    /// The bucket named `bucket` in `region`.
    pub fn new(
        region: impl Into<Val<String>>,
        bucket: impl Into<Val<kind::BucketName>>,
    ) -> RegionalStore {
        RegionalStore { region: region.into(), bucket: bucket.into(), kms_key_arn: None }
    }

    /// Its artifacts are encrypted with this KMS key.
    pub fn kms_key(mut self, arn: impl Into<Val<kind::KmsKeyArn>>) -> Self {
        self.kms_key_arn = Some(arn.into());
        self
    }
}

/// How to build a [`Pipeline`].
#[derive(Clone, Debug, PartialEq)]
pub struct PipelineProps {
    name: Option<Val<String>>,
    pipeline_type: PipelineType,
    execution_mode: Option<ExecutionMode>,
    variables: Vec<Variable>,
    restart_execution_on_update: Option<bool>,
    role: Option<Role>,
    store: StoreProps,
    bucket_name: Option<Val<kind::BucketName>>,
    access_logs: Option<(Val<kind::BucketName>, String)>,
    regional: Vec<RegionalStore>,
}

impl Default for PipelineProps {
    fn default() -> Self {
        PipelineProps {
            name: None,
            pipeline_type: PipelineType::V2,
            execution_mode: None,
            variables: Vec::new(),
            restart_execution_on_update: None,
            role: None,
            store: StoreProps::Created,
            bucket_name: None,
            access_logs: None,
            regional: Vec::new(),
        }
    }
}

impl PipelineProps {
    /// Defaults: a V2 pipeline with a role of its own and a new artifact bucket (S3-managed
    /// encryption, versioned, public access blocked, TLS only).
    pub fn new() -> PipelineProps {
        PipelineProps::default()
    }

    /// Fixes the pipeline name (1 to 100 letters, digits, `.`, `@`, `_`, `-`).
    pub fn pipeline_name(mut self, name: impl Into<Val<String>>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Chooses the pipeline type (V2 by default).
    pub fn pipeline_type(mut self, t: PipelineType) -> Self {
        self.pipeline_type = t;
        self
    }

    /// How overlapping executions are handled (V2).
    pub fn execution_mode(mut self, mode: ExecutionMode) -> Self {
        self.execution_mode = Some(mode);
        self
    }

    /// Declares a pipeline variable (V2).
    pub fn variable(mut self, variable: Variable) -> Self {
        self.variables.push(variable);
        self
    }

    /// Whether an update of the pipeline restarts the latest execution.
    pub fn restart_execution_on_update(mut self, on: bool) -> Self {
        self.restart_execution_on_update = Some(on);
        self
    }

    /// Uses this role for the pipeline instead of creating one; grants still go to it.
    pub fn role(mut self, role: &Role) -> Self {
        self.role = Some(*role);
        self
    }

    /// Encrypts artifacts with a KMS key created with the pipeline (rotation on).
    pub fn kms_encrypted(mut self, on: bool) -> Self {
        self.store = match (self.store, on) {
            (StoreProps::Created, true) => StoreProps::CreatedKms,
            (StoreProps::CreatedKms, false) => StoreProps::Created,
            (store, _) => store,
        };
        self
    }

    /// Prepares the pipeline for actions that run as roles of other accounts: artifacts are
    /// encrypted with a KMS key those roles can be given (S3-managed keys cannot be shared).
    pub fn cross_account(self, on: bool) -> Self {
        self.kms_encrypted(on)
    }

    /// Fixes the name of the artifact bucket the pipeline creates, so roles in other
    /// accounts (which cannot reference this stack) can name it in their policies.
    pub fn artifact_bucket_name(mut self, name: impl Into<Val<kind::BucketName>>) -> Self {
        self.bucket_name = Some(name.into());
        self
    }

    /// Logs every request to the artifact bucket it creates into the bucket named `bucket`,
    /// under `prefix` (S3 server access logging). The log bucket must let
    /// `logging.s3.amazonaws.com` write there.
    pub fn artifact_access_logs(
        mut self,
        bucket: impl Into<Val<kind::BucketName>>,
        prefix: impl Into<String>,
    ) -> Self {
        self.access_logs = Some((bucket.into(), prefix.into()));
        self
    }

    /// Keeps artifacts in a bucket of yours (by name) instead of creating one; it must be
    /// versioned. Cross-account actions then need [`artifact_bucket_kms`](Self::artifact_bucket_kms).
    pub fn artifact_bucket(mut self, name: impl Into<Val<kind::BucketName>>) -> Self {
        self.store = StoreProps::Existing { name: name.into(), kms_key_arn: None };
        self
    }

    /// Keeps artifacts in a bucket of yours, encrypted with a KMS key of yours.
    pub fn artifact_bucket_kms(
        mut self,
        name: impl Into<Val<kind::BucketName>>,
        kms_key_arn: impl Into<Val<kind::KmsKeyArn>>,
    ) -> Self {
        self.store =
            StoreProps::Existing { name: name.into(), kms_key_arn: Some(kms_key_arn.into()) };
        self
    }

    /// Adds an artifact store in another region, for actions that run there.
    pub fn regional_artifact_store(mut self, store: RegionalStore) -> Self {
        self.regional.push(store);
        self
    }
}

/// A CodePipeline pipeline (`AWS::CodePipeline::Pipeline`, V2 by default) with its role
/// and artifact store.
///
/// Stages and their actions are added with [`add_stage`](Pipeline::add_stage); each action
/// grants the pipeline role what it needs, on the resources it touches, in one policy (no
/// role per action). At synth the pipeline is checked as CodePipeline would check it: at
/// least two stages, sources only and all in the first stage, unique names, run orders,
/// artifact counts per action type, and every artifact read only after an earlier action
/// produced it.
///
/// ```
/// use stackwright_constructs::codepipeline::{Artifact, ManualApproval, Pipeline, PipelineProps, S3Source, LambdaInvoke};
/// use stackwright_core::App;
///
/// let mut app = App::new();
/// let mut s = app.stack("Ci");
/// let source = Artifact::new("SourceOutput");
/// let pipeline = Pipeline::new(&mut s, "Pipeline", PipelineProps::new());
/// pipeline.add_stage(&mut s, "Source", [S3Source::new("Fetch", "my-bucket", "app.zip", &source)]);
/// pipeline.add_stage(&mut s, "Approve", [ManualApproval::new("Approve")]);
/// pipeline.add_stage(&mut s, "Notify", [LambdaInvoke::from_name("Announce", "announce").input(&source)]);
/// assert!(app.synth(stackwright_core::Format::Json).is_ok());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Pipeline {
    node: ConstructRef<PipelineState>,
    resource: l1::PipelineRef,
    role: Role,
    bucket: Option<BucketRef>,
    key: Option<KeyRef>,
}

impl Pipeline {
    /// Creates the pipeline as the construct `id` in `scope`.
    #[track_caller]
    pub fn new(scope: &mut Scope<'_>, id: &str, props: PipelineProps) -> Pipeline {
        let placeholder = Store { kms: false, bucket_arn: Val::from(""), key_arn: None };
        let (node, mut inner) = scope.construct(id, PipelineState::new(placeholder));
        if let Some(Expr::Str(name)) = props.name.as_ref().map(Val::expr)
            && let Some(m) = super::validate::name_problem("pipeline", name)
        {
            inner.error("codepipeline.name", m, "");
        }
        let role = props.role.unwrap_or_else(|| {
            Role::new(
                &mut inner,
                "Role",
                RoleProps::new(Principal::service("codepipeline.amazonaws.com")),
            )
        });
        let (created, store, location) = match &props.store {
            StoreProps::Created | StoreProps::CreatedKms => {
                let kms = props.store == StoreProps::CreatedKms;
                let created = bucket::create(
                    &mut inner,
                    node,
                    kms,
                    props.bucket_name.clone(),
                    props.access_logs.clone(),
                );
                let store = Store {
                    kms,
                    bucket_arn: created.bucket.arn(),
                    key_arn: created.key.map(|k| k.arn()),
                };
                (Some(created), store, created.bucket.reference())
            }
            StoreProps::Existing { name, kms_key_arn } => {
                let store = Store {
                    kms: kms_key_arn.is_some(),
                    bucket_arn: bucket_arn(name.clone()),
                    key_arn: kms_key_arn.clone(),
                };
                (None, store, name.clone())
            }
        };
        let main_store = artifact_store(location, store.key_arn.clone());

        let mut p = l1::Pipeline::new(l1::PipelineRequired { role_arn: role.arn(), stages: [] });
        p.name = props.name;
        p.pipeline_type = Some(Val::from(match props.pipeline_type {
            PipelineType::V1 => "V1",
            PipelineType::V2 => "V2",
        }));
        p.execution_mode = props.execution_mode.map(|m| Val::from(m.as_str()));
        p.restart_execution_on_update = props.restart_execution_on_update.map(Val::from);
        p.variables = props
            .variables
            .iter()
            .map(|v| {
                let mut d = l1::VariableDeclaration::new(l1::VariableDeclarationRequired {
                    name: v.name.as_str(),
                });
                d.default_value = v.default.clone();
                d.description = v.description.clone();
                d
            })
            .collect();
        if props.regional.is_empty() {
            p.artifact_store = Some(Box::new(main_store));
        } else {
            let own_region =
                inner.environment().region.clone().map(Val::from).unwrap_or_else(pseudo::region);
            let mut maps = vec![l1::ArtifactStoreMap::new(l1::ArtifactStoreMapRequired {
                artifact_store: main_store,
                region: own_region,
            })];
            for r in &props.regional {
                maps.push(l1::ArtifactStoreMap::new(l1::ArtifactStoreMapRequired {
                    artifact_store: artifact_store(r.bucket.clone(), r.kms_key_arn.clone()),
                    region: r.region.clone(),
                }));
            }
            p.artifact_stores = maps;
        }
        let resource = inner.add("Resource", p);
        if let Some(state) = inner.app().state_mut(node) {
            state.store = store.clone();
            state.regions = props.regional.iter().map(|r| r.region.clone()).collect();
            state.role = Some(role);
        }
        let pipeline = Pipeline {
            node,
            resource,
            role,
            bucket: created.map(|c| c.bucket),
            key: created.and_then(|c: CreatedStore| c.key),
        };
        for s in bucket::store_statements(&store.bucket_arn, store.key_arn.as_ref()) {
            role.add_to_policy(&mut inner, s);
        }
        for r in &props.regional {
            let arn = bucket_arn(r.bucket.clone());
            for s in bucket::store_statements(&arn, r.kms_key_arn.as_ref()) {
                role.add_to_policy(&mut inner, s);
            }
        }
        pipeline
    }

    /// The construct node, for its path and children.
    pub fn node(&self) -> ConstructRef<PipelineState> {
        self.node
    }

    /// The L1 handle, for escape hatches (`scope.node(pipeline.resource())`).
    pub fn resource(&self) -> l1::PipelineRef {
        self.resource
    }

    /// The pipeline name (`Ref`).
    pub fn pipeline_name(&self) -> Val<String> {
        self.resource.reference()
    }

    /// The pipeline ARN, `arn:<partition>:codepipeline:<region>:<account>:<name>`.
    pub fn arn(&self) -> Val<String> {
        regional_arn("codepipeline", self.resource.reference())
    }

    /// The pipeline role. Every action's permissions are granted to it.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The artifact bucket, when the pipeline created it.
    pub fn artifact_bucket(&self) -> Option<BucketRef> {
        self.bucket
    }

    /// The artifact store's KMS key, when the pipeline created one.
    pub fn artifact_key(&self) -> Option<KeyRef> {
        self.key
    }

    /// Appends a stage named `name` with these actions, and grants the pipeline role what
    /// they need. Actions of one kind come as an array (`[build]`); kinds mixed, as a tuple
    /// (`(build, test)`).
    #[track_caller]
    pub fn add_stage(&self, scope: &mut Scope<'_>, name: &str, actions: impl IntoActions) -> Stage {
        let index = match self.model(scope) {
            Some(m) => {
                m.stages.push(StageModel {
                    name: name.to_owned(),
                    actions: Vec::new(),
                    transition_disabled: None,
                });
                m.stages.len() - 1
            }
            None => {
                scope.foreign_handle("add_stage");
                0
            }
        };
        let stage = Stage { pipeline: *self, index };
        for a in actions.into_actions() {
            stage.add_action(scope, a);
        }
        stage
    }

    /// Adds a stage named `name` that deploys the pipeline's own stack from its committed
    /// template, with `deploy` (a [`StackDeploy`] of the stack that holds the pipeline). Put
    /// it right after the source (and a build that runs `check`): a change to the pipeline
    /// is deployed first, and the pipeline then starts again as changed
    /// (`RestartExecutionOnUpdate`), so the rest of the run is the new pipeline's. No synth
    /// step runs in the pipeline: the templates are in the source already.
    pub fn add_self_update(&self, scope: &mut Scope<'_>, name: &str, deploy: StackDeploy) -> Stage {
        let action: Action = deploy.into();
        let own = Some(self.node.id().stack());
        if action.app_stack.as_ref().map(|t| t.stack) != own {
            let own_name =
                scope.app().stack_by_id(self.node.id().stack()).map(|s| s.name().to_owned());
            scope.error(
                "codepipeline.self-update",
                format!(
                    "self-update action `{name}/{}` deploys another stack than the pipeline's \
                     own, `{}`",
                    action.name,
                    own_name.unwrap_or_default()
                ),
                "deploy the stack that holds the pipeline: `StackDeploy::new(name, scope.stack_id(), &source)`",
            );
        }
        if let Some(p) = scope.app().get_mut::<l1::Pipeline>(self.resource) {
            p.restart_execution_on_update = Some(Val::from(true));
        }
        self.add_stage(scope, name, [action])
    }

    /// Adds a V2 git trigger on a [`CodeStarConnectionSource`](super::CodeStarConnectionSource)
    /// of the first stage.
    #[track_caller]
    pub fn add_git_trigger(&self, scope: &mut Scope<'_>, trigger: GitTrigger) {
        match self.model(scope) {
            Some(m) => m.git_triggers.push(trigger),
            None => scope.foreign_handle("add_git_trigger"),
        }
    }

    /// Adds an EventBridge rule (the child `id` of the pipeline) that starts the pipeline,
    /// through a role (the child `EventsRole`, shared by all rules) that may start this
    /// pipeline only.
    #[track_caller]
    pub fn add_event_trigger(
        &self,
        scope: &mut Scope<'_>,
        id: &str,
        trigger: EventTrigger,
    ) -> Option<events_l1::RuleRef> {
        let arn = self.arn();
        let Some(mut inner) = self.scope(scope) else {
            scope.foreign_handle("add_event_trigger");
            return None;
        };
        let existing = inner.app().state(self.node).and_then(|m| m.events_role);
        let events_role = match existing {
            Some(r) => r,
            None => {
                let r = Role::new(
                    &mut inner,
                    "EventsRole",
                    RoleProps::new(Principal::service("events.amazonaws.com")),
                );
                r.add_to_policy(
                    &mut inner,
                    PolicyStatement::allow()
                        .action("codepipeline:StartPipelineExecution")
                        .resource(arn.clone()),
                );
                if let Some(m) = inner.app().state_mut(self.node) {
                    m.events_role = Some(r);
                }
                r
            }
        };
        let rule = events_l1::Rule::new()
            .description(trigger.description)
            .event_pattern(trigger.pattern)
            .state("ENABLED")
            .targets([events_l1::rule::Target::new(events_l1::rule::TargetRequired {
                arn,
                id: "Pipeline",
            })
            .role_arn(events_role.arn())]);
        Some(inner.add(id, rule))
    }

    /// Publishes these pipeline events to `topic` through a CodeStar Notifications rule
    /// (the child `Notifications`, then `Notifications2`, ...), and lets the notifications
    /// service publish to the topic (a statement in its policy).
    #[track_caller]
    pub fn notify_on(
        &self,
        scope: &mut Scope<'_>,
        topic: &Topic,
        events: impl IntoIterator<Item = PipelineEvent>,
    ) -> Option<notifications::NotificationRuleRef> {
        let mut ids: Vec<&'static str> = Vec::new();
        for e in events {
            if !ids.contains(&e.id()) {
                ids.push(e.id());
            }
        }
        let arn = self.arn();
        let Some(mut inner) = self.scope(scope) else {
            scope.foreign_handle("notify_on");
            return None;
        };
        if ids.is_empty() {
            inner.error("codepipeline.notify-events", "notify_on needs at least one event", "");
        }
        let base = inner.path().clone();
        let mut id = "Notifications".to_owned();
        let mut n = 1;
        while inner.slot(&id).is_some() {
            n += 1;
            id = format!("Notifications{n}");
        }
        // Names must be unique in the account and at most 64 characters: the rule's
        // logical ID, cut to 27, and the stack's UUID.
        let mut prefix = base.child(&id).logical_id();
        prefix.truncate(27);
        let uuid = fns::select(2, fns::split("/", pseudo::stack_id()));
        let rule = notifications::NotificationRule::new(notifications::NotificationRuleRequired {
            detail_type: "FULL",
            event_type_ids: ids,
            name: sub!("{}-{}", prefix, uuid),
            resource: arn,
            targets: [notifications::notification_rule::Target::new(
                notifications::notification_rule::TargetRequired {
                    target_address: topic.arn(),
                    target_type: "SNS",
                },
            )],
        });
        let handle = inner.add(&id, rule);
        let key = inner
            .app()
            .get::<stackwright_aws::sns::Topic>(topic.resource())
            .and_then(|t| t.kms_master_key_id.clone());
        match key {
            Some(k) if crate::sns::is_aws_managed_key(&k) => inner.warn(
                "the topic is encrypted with the AWS managed key alias/aws/sns, which CodeStar \
                 Notifications cannot use: no notification arrives; give the topic a customer \
                 managed key whose policy lets codestar-notifications.amazonaws.com use it \
                 (TopicProps::master_key), or turn its encryption off (.encrypted(false))",
            ),
            Some(_) => inner.warn(
                "the topic is encrypted with a KMS key: its key policy must let \
                 codestar-notifications.amazonaws.com use it (kms:GenerateDataKey*, kms:Decrypt), \
                 or no notification arrives",
            ),
            None => {}
        }
        topic.add_to_resource_policy(
            &mut inner,
            PolicyStatement::allow()
                .principal(Principal::service("codestar-notifications.amazonaws.com"))
                .action("sns:Publish")
                .resource(topic.arn()),
        );
        // CodeStar Notifications checks at creation that it may publish to the topic.
        let policy = topic.resource_policy(inner.app());
        if let (Some(policy), Some(node)) = (policy, inner.node(handle)) {
            node.add_dependency(policy);
        }
        Some(handle)
    }

    /// The pipeline's own scope, wherever `scope` is.
    fn scope<'a>(&self, scope: &'a mut Scope<'_>) -> Option<Scope<'a>> {
        scope.app().scope_of(self.node.id())
    }

    fn model<'a>(&self, scope: &'a mut Scope<'_>) -> Option<&'a mut PipelineState> {
        scope.app().state_mut(self.node)
    }

    /// Wires up what an action needs.
    fn bind(&self, scope: &mut Scope<'_>, stage: &str, action: &Action) {
        let Some(mut inner) = self.scope(scope) else {
            scope.foreign_handle("the pipeline's actions");
            return;
        };
        let label = format!("{stage}/{}", action.name);
        for p in &action.problems {
            inner.error("codepipeline.action", format!("action `{label}`: {p}"), "");
        }
        for w in &action.warnings {
            inner.warn(format!("action `{label}`: {w}"));
        }
        for need in &action.needs {
            match need {
                Need::Allow(s) => self.role.add_to_policy(&mut inner, s.clone()),
                Need::Publish(topic) => topic.grant_publish(&mut inner, &self.role),
                Need::ProjectArtifacts(project) => {
                    self.grant_project(&mut inner, *project, action, &label);
                }
                Need::InstancesReadArtifacts(group) => {
                    self.grant_instances(&mut inner, *group, &label);
                }
                Need::ReportJobResult(function) => {
                    // The job APIs take no resource.
                    function.role().add_to_policy(
                        &mut inner,
                        PolicyStatement::allow()
                            .actions([
                                "codepipeline:PutJobFailureResult",
                                "codepipeline:PutJobSuccessResult",
                            ])
                            .resource("*"),
                    );
                }
                Need::AssumeRole(arn) => self.grant_cross_account(&mut inner, arn),
                // Read by a workflow rendering of the pipeline only.
                Need::EcsBlueGreen(_) => {}
                Need::Trigger(t) => {
                    self.add_event_trigger(
                        &mut inner,
                        &format!("{}Trigger", action.name),
                        t.clone(),
                    );
                }
                Need::CloneRef(statement) => {
                    if let Some(m) = inner.app().state_mut(self.node) {
                        for o in &action.outputs {
                            m.clone_refs.push((o.name().to_owned(), statement.clone()));
                        }
                    }
                }
                Need::GitHubWebhook { branch, secret } => {
                    let hook = wh::Webhook::new(wh::WebhookRequired {
                        authentication: "GITHUB_HMAC",
                        authentication_configuration: wh::WebhookAuthConfiguration::new()
                            .secret_token(secret.clone()),
                        filters: [wh::WebhookFilterRule::new(wh::WebhookFilterRuleRequired {
                            json_path: "$.ref",
                        })
                        .match_equals(sub!("refs/heads/{}", branch.clone()))],
                        target_action: action.name.as_str(),
                        target_pipeline: self.resource.reference(),
                    })
                    .register_with_third_party(true)
                    .target_pipeline_version(Val::from_expr(self.resource.version().into_expr()));
                    inner.add(&format!("{}Webhook", action.name), hook);
                }
            }
        }
        if let Some(target) = &action.app_stack {
            self.bind_app_stack(&mut inner, target, &label);
        }
    }

    /// Lets the pipeline role deploy a stack of the app: act on that stack, and pass the
    /// role CloudFormation deploys with; or assume the action role of the stack's account.
    fn bind_app_stack(&self, scope: &mut Scope<'_>, target: &AppStack, label: &str) {
        // A stack of another app is reported when the pipeline renders.
        let Some(facts) = scope.app().stack_facts(target.stack) else { return };
        if let Some(role) = &target.cross_account_role {
            self.grant_cross_account(scope, role);
            return;
        }
        let region = facts.environment.region.clone().map(Val::from).unwrap_or_else(pseudo::region);
        let modes: &[CloudFormationMode] = if target.review {
            &[CloudFormationMode::ReplaceChangeSet, CloudFormationMode::ExecuteChangeSet]
        } else {
            &[CloudFormationMode::CreateUpdate]
        };
        for mode in modes {
            let statement = stack_statement(*mode, region.clone(), Val::from(facts.name.as_str()));
            self.role.add_to_policy(scope, statement);
        }
        match &target.deployment_role {
            Some(role) => self.role.add_to_policy(scope, pass_role(role.clone())),
            None => scope.warn(format!(
                "action `{label}`: no deployment_role: CloudFormation would act with the \
                 pipeline role, which may only run the pipeline; pass the role the stack \
                 deploys with"
            )),
        }
    }

    /// Lets a CodeBuild project's role use the artifact store (and a connection whose clone
    /// reference it reads).
    fn grant_project(
        &self,
        scope: &mut Scope<'_>,
        project: BuildProject,
        action: &Action,
        label: &str,
    ) {
        let Some((store, clone_refs)) =
            scope.app().state(self.node).map(|m| (m.store.clone(), m.clone_refs.clone()))
        else {
            return;
        };
        let role = match project {
            BuildProject::Construct(project) => Some(project.role()),
            BuildProject::Resource(project) => {
                project_role(scope, project).and_then(|r| Role::from_resource(scope, r))
            }
        };
        let Some(role) = role else {
            scope.warn(format!(
                "action `{label}`: the CodeBuild project's service role is not a role of this \
                 app, so it was not granted the artifact store; give it s3:GetObject, \
                 s3:GetObjectVersion and s3:PutObject on the artifact bucket's objects"
            ));
            return;
        };
        let mut statements = vec![
            PolicyStatement::allow()
                .actions(["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"])
                .resource(sub!("{}/*", store.bucket_arn.clone())),
        ];
        if let Some(k) = &store.key_arn {
            statements.push(bucket::key_use(k.clone()));
        }
        for input in &action.inputs {
            for (name, statement) in &clone_refs {
                if name == input.name() {
                    statements.push(statement.clone());
                }
            }
        }
        for s in statements {
            role.add_to_policy(scope, s);
        }
    }

    /// Lets the instances of a server deployment group's Auto Scaling groups read the
    /// revision from the artifact store (and decrypt it with the store's key).
    fn grant_instances(&self, scope: &mut Scope<'_>, group: ServerDeploymentGroup, label: &str) {
        let Some(store) = scope.app().state(self.node).map(|m| m.store.clone()) else {
            return;
        };
        let groups = scope.app().state(group.node()).map(|g| g.auto_scaling_groups().to_vec());
        let groups = groups.unwrap_or_default();
        if groups.is_empty() {
            scope.warn(format!(
                "action `{label}`: the deployment group's instances are not in an Auto Scaling \
                 group of this app, so their role was not granted the artifact store; give it \
                 s3:GetObject and s3:GetObjectVersion on the artifact bucket's objects"
            ));
        }
        for instances in groups {
            let role = instances.role();
            role.add_to_policy(
                scope,
                PolicyStatement::allow()
                    .actions(["s3:GetObject", "s3:GetObjectVersion"])
                    .resource(sub!("{}/*", store.bucket_arn.clone())),
            );
            if let Some(k) = &store.key_arn {
                role.add_to_policy(
                    scope,
                    PolicyStatement::allow()
                        .actions(["kms:Decrypt", "kms:DescribeKey"])
                        .resource(k.clone()),
                );
            }
        }
    }

    /// Lets the pipeline role assume a role of another account, and that role read and
    /// write the artifact store (through the bucket's and the key's resource policies).
    fn grant_cross_account(&self, scope: &mut Scope<'_>, arn: &Val<kind::RoleArn>) {
        self.role.add_to_policy(
            scope,
            PolicyStatement::allow().action("sts:AssumeRole").resource(arn.clone()),
        );
        if let Some(bucket) = self.bucket {
            let objects = PolicyStatement::allow()
                .principal(Principal::arn(arn.clone()))
                .actions(["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"])
                .resource(sub!("{}/*", bucket.arn()));
            bucket::add_to_bucket_policy(scope.app(), self.node, bucket, objects);
            let location = PolicyStatement::allow()
                .principal(Principal::arn(arn.clone()))
                .actions(["s3:GetBucketLocation", "s3:ListBucket"])
                .resource(bucket.arn());
            bucket::add_to_bucket_policy(scope.app(), self.node, bucket, location);
        }
        if self.key.is_some() {
            let s = bucket::key_use(Val::from("*")).principal(Principal::arn(arn.clone()));
            bucket::add_to_key_policy(scope.app(), self.node, s);
        }
        if self.bucket.is_none() {
            let shown = match arn.expr() {
                Expr::Str(s) => format!("`{s}`"),
                _ => "the cross-account role".to_owned(),
            };
            scope.warn(format!(
                "the artifact bucket is not the pipeline's own: let {shown} read and write its \
                 objects in the bucket policy, and use its KMS key in the key policy"
            ));
        }
    }
}

fn artifact_store(
    location: Val<kind::BucketName>,
    key: Option<Val<kind::KmsKeyArn>>,
) -> l1::ArtifactStore {
    let mut s = l1::ArtifactStore::new(l1::ArtifactStoreRequired {
        location: location.into_string(),
        r#type: "S3",
    });
    if let Some(k) = key {
        s = s.encryption_key(l1::EncryptionKey::new(l1::EncryptionKeyRequired {
            id: k.into_string(),
            r#type: "KMS",
        }));
    }
    s
}

/// The service role of a CodeBuild project of this app, when it is a role of this app.
fn project_role(scope: &mut Scope<'_>, project: ProjectRef) -> Option<iam_l1::RoleRef> {
    let app = scope.app();
    let p = app.get::<stackwright_aws::codebuild::Project>(project)?;
    let Expr::GetAtt(RefTarget::Resource(id), attribute) = p.service_role.expr() else {
        return None;
    };
    if attribute != "Arn" {
        return None;
    }
    let id = *id;
    (app.node(id)?.resource_type() == "AWS::IAM::Role").then(|| iam_l1::RoleRef::from_id(id))
}

/// A stage of a [`Pipeline`], for adding actions later or disabling its transition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stage {
    pipeline: Pipeline,
    index: usize,
}

impl Stage {
    /// Appends an action to the stage and grants the pipeline role what it needs.
    #[track_caller]
    pub fn add_action(&self, scope: &mut Scope<'_>, action: impl Into<Action>) -> Stage {
        let action = action.into();
        let name = match self.pipeline.model(scope) {
            Some(m) => match m.stages.get_mut(self.index) {
                Some(s) => {
                    s.actions.push(action.clone());
                    s.name.clone()
                }
                None => return *self,
            },
            None => return *self,
        };
        self.pipeline.bind(scope, &name, &action);
        *self
    }

    /// Stops executions before this stage until the transition is enabled again (in the
    /// console or the API), with this reason shown.
    #[track_caller]
    pub fn disable_inbound_transition(&self, scope: &mut Scope<'_>, reason: impl Into<String>) {
        if let Some(s) = self.pipeline.model(scope).and_then(|m| m.stages.get_mut(self.index)) {
            s.transition_disabled = Some(reason.into());
        }
    }

    /// The pipeline the stage belongs to.
    pub fn pipeline(&self) -> Pipeline {
        self.pipeline
    }
}

//! The common currency of the action builders: an [`Action`] is what a stage holds.

use stackwright_aws::codebuild::ProjectRef;
use stackwright_aws::codepipeline::pipeline as l1;
use stackwright_core::kind;
use stackwright_core::{Expr, Handle, Json, Val};

use super::artifact::Artifact;
use super::trigger::EventTrigger;
use crate::iam::PolicyStatement;
use crate::sns::Topic;

/// What kind of action this is: its action type and the artifact counts CodePipeline allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ActionType {
    pub(crate) category: String,
    pub(crate) owner: String,
    pub(crate) provider: String,
    pub(crate) version: String,
    /// How messages name the kind (`CodeBuild`, `source`).
    pub(crate) label: &'static str,
    pub(crate) inputs: (usize, usize),
    pub(crate) outputs: (usize, usize),
}

impl ActionType {
    pub(crate) fn new(
        category: &str,
        owner: &str,
        provider: &str,
        label: &'static str,
        inputs: (usize, usize),
        outputs: (usize, usize),
    ) -> ActionType {
        ActionType {
            category: category.to_owned(),
            owner: owner.to_owned(),
            provider: provider.to_owned(),
            version: "1".to_owned(),
            label,
            inputs,
            outputs,
        }
    }

    pub(crate) fn is_source(&self) -> bool {
        self.category == "Source"
    }
}

/// The project a build action runs: a construct of the app, whose role is known, or an L1
/// project (an escape hatch), whose role is read from its `ServiceRole`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BuildProject {
    /// A [`Project`](crate::codebuild::Project) construct.
    Construct(crate::codebuild::Project),
    /// An `AWS::CodeBuild::Project` L1 resource.
    Resource(ProjectRef),
}

impl BuildProject {
    pub(crate) fn arn(&self) -> Val<String> {
        match self {
            BuildProject::Construct(p) => p.arn(),
            BuildProject::Resource(r) => r.arn(),
        }
    }

    pub(crate) fn name(&self) -> Val<String> {
        match self {
            BuildProject::Construct(p) => p.resource().reference(),
            BuildProject::Resource(r) => r.reference(),
        }
    }
}

/// Something an action needs beyond its declaration: permissions for the pipeline role,
/// access for a collaborator's role, a rule that starts the pipeline.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Need {
    /// A statement for the pipeline role.
    Allow(PolicyStatement),
    /// The pipeline role publishes to this topic (with its KMS key, if any).
    Publish(Topic),
    /// The CodeBuild project's own role reads and writes the artifact store.
    ProjectArtifacts(BuildProject),
    /// The instance roles of the deployment group's Auto Scaling groups read the revision
    /// from the artifact store.
    InstancesReadArtifacts(crate::codedeploy::ServerDeploymentGroup),
    /// The invoked function reports the job's result (`codepipeline:PutJob*Result`).
    ReportJobResult(crate::lambda::Function),
    /// The action assumes this role in another account: the pipeline role may assume it,
    /// and the role may read the artifact store.
    AssumeRole(Val<kind::RoleArn>),
    /// The blue/green deployment group the action deploys through, whose ECS service a
    /// workflow rendering of the action names.
    EcsBlueGreen(crate::codedeploy::EcsDeploymentGroup),
    /// An EventBridge rule that starts the pipeline.
    Trigger(EventTrigger),
    /// The source's output is a `CODEBUILD_CLONE_REF`: only CodeBuild can read it, and the
    /// project's role needs this statement (the connection, the repository) to clone.
    CloneRef(PolicyStatement),
    /// A GitHub webhook that starts the pipeline on pushes to the branch (GitHub v1).
    GitHubWebhook {
        /// The branch.
        branch: Val<String>,
        /// The secret GitHub signs its calls with.
        secret: Val<String>,
    },
}

/// One action of a stage, as the action builders ([`CodeBuildAction`](super::CodeBuildAction),
/// [`ManualApproval`](super::ManualApproval), ...) produce it; every builder converts into
/// it.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub(crate) name: String,
    pub(crate) action_type: ActionType,
    pub(crate) configuration: Vec<(String, Expr)>,
    pub(crate) inputs: Vec<Artifact>,
    pub(crate) outputs: Vec<Artifact>,
    pub(crate) run_order: Option<i64>,
    pub(crate) namespace: Option<String>,
    pub(crate) region: Option<Val<String>>,
    pub(crate) role_arn: Option<Val<kind::RoleArn>>,
    pub(crate) timeout_in_minutes: Option<i64>,
    pub(crate) needs: Vec<Need>,
    pub(crate) warnings: Vec<String>,
    pub(crate) problems: Vec<String>,
    /// A stack of the app this action deploys, completed when the pipeline renders.
    pub(crate) app_stack: Option<Box<super::actions::AppStack>>,
}

impl Action {
    pub(crate) fn new(common: Common, action_type: ActionType) -> Action {
        Action {
            name: common.name,
            action_type,
            configuration: Vec::new(),
            inputs: Vec::new(),
            outputs: Vec::new(),
            run_order: common.run_order,
            namespace: common.namespace,
            region: common.region,
            role_arn: None,
            timeout_in_minutes: None,
            needs: Vec::new(),
            warnings: Vec::new(),
            problems: Vec::new(),
            app_stack: None,
        }
    }

    /// An action given by its type and configuration, for a type or setting the builders
    /// lack (a custom action, a new provider). Its artifacts are added with
    /// [`input`](Action::input) and [`output`](Action::output); for a provider stackwright
    /// knows, the artifact counts are checked as for the builder's actions. The pipeline role
    /// gets no permissions for it: add them with `pipeline.role().add_to_policy(..)`.
    pub fn custom(
        name: impl Into<String>,
        category: &str,
        owner: &str,
        provider: &str,
        version: &str,
        configuration: Val<Json>,
    ) -> Action {
        let (label, inputs, outputs) = match provider {
            "CodeStarSourceConnection" | "CodeCommit" | "S3" | "ECR" | "GitHub" => {
                ("source", (0, 0), (1, 1))
            }
            "CodeBuild" => ("CodeBuild", (1, 5), (0, 5)),
            "Manual" => ("manual approval", (0, 0), (0, 0)),
            "ECS" => ("ECS", (1, 1), (0, 0)),
            "CodeDeployToECS" => ("CodeDeployToECS", (1, 5), (0, 0)),
            "CodeDeploy" => ("CodeDeploy", (1, 1), (0, 0)),
            "CloudFormation" => ("CloudFormation", (0, 10), (0, 1)),
            "Lambda" => ("Lambda", (0, 5), (0, 5)),
            _ => ("custom", (0, 100), (0, 100)),
        };
        let mut t = ActionType::new(category, owner, provider, label, inputs, outputs);
        t.version = version.to_owned();
        let mut a = Action::new(Common::new(name), t);
        if let Expr::Map(entries) = configuration.into_expr() {
            a.configuration = entries;
        }
        a
    }

    artifact_methods!();

    /// Runs the action at this position in its stage (1 to 999; default 1). Actions with the
    /// same run order run in parallel; an action may read only what lower run orders (or
    /// earlier stages) produced.
    pub fn run_order(mut self, n: i64) -> Self {
        self.run_order = Some(n);
        self
    }

    /// The action's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn config(&mut self, key: &str, value: impl Into<Val<Json>>) {
        self.configuration.push((key.to_owned(), value.into().into_expr()));
    }

    pub(crate) fn config_opt<T>(&mut self, key: &str, value: Option<Val<T>>) {
        if let Some(v) = value {
            self.configuration.push((key.to_owned(), v.into_expr()));
        }
    }

    pub(crate) fn allow(&mut self, statement: PolicyStatement) {
        self.needs.push(Need::Allow(statement));
    }

    /// The L1 declaration.
    pub(crate) fn declaration(&self) -> l1::ActionDeclaration {
        let t = &self.action_type;
        let mut d = l1::ActionDeclaration::new(l1::ActionDeclarationRequired {
            action_type_id: l1::ActionTypeId::new(l1::ActionTypeIdRequired {
                category: t.category.as_str(),
                owner: t.owner.as_str(),
                provider: t.provider.as_str(),
                version: t.version.as_str(),
            }),
            name: self.name.as_str(),
        });
        if !self.configuration.is_empty() {
            d.configuration = Some(Val::from_expr(Expr::Map(self.configuration.clone())));
        }
        d.input_artifacts = self
            .inputs
            .iter()
            .map(|a| l1::InputArtifact::new(l1::InputArtifactRequired { name: a.name() }))
            .collect();
        d.output_artifacts = self
            .outputs
            .iter()
            .map(|a| l1::OutputArtifact::new(l1::OutputArtifactRequired { name: a.name() }))
            .collect();
        d.run_order = self.run_order.map(Val::from);
        d.namespace = self.namespace.as_deref().map(Val::from);
        d.region = self.region.clone();
        d.role_arn = self.role_arn.clone();
        d.timeout_in_minutes = self.timeout_in_minutes.map(Val::from);
        d
    }
}

pub(crate) fn push_unique(list: &mut Vec<Artifact>, artifact: &Artifact) {
    if !list.contains(artifact) {
        list.push(artifact.clone());
    }
}

/// The settings every action has: its name, run order, variable namespace and region.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Common {
    pub(crate) name: String,
    pub(crate) run_order: Option<i64>,
    pub(crate) namespace: Option<String>,
    pub(crate) region: Option<Val<String>>,
}

impl Common {
    pub(crate) fn new(name: impl Into<String>) -> Common {
        Common { name: name.into(), run_order: None, namespace: None, region: None }
    }
}

/// The builder methods every action has, and its conversion into [`Action`].
macro_rules! common_methods {
    ($t:ty) => {
        impl $t {
            /// Runs the action at this position in its stage (1 to 999; default 1). Actions
            /// with the same run order run in parallel; an action may read only what lower
            /// run orders (or earlier stages) produced.
            pub fn run_order(mut self, n: i64) -> Self {
                self.common.run_order = Some(n);
                self
            }

            /// Publishes the action's output variables under this namespace, for later
            /// actions to read as `#{Namespace.Variable}`.
            pub fn variables_namespace(mut self, namespace: impl Into<String>) -> Self {
                self.common.namespace = Some(namespace.into());
                self
            }
        }

        impl From<$t> for $crate::codepipeline::Action {
            fn from(a: $t) -> $crate::codepipeline::Action {
                a.build()
            }
        }
    };
}
pub(crate) use common_methods;

/// The builder methods that add artifacts, for an action with `inputs` and `outputs`.
macro_rules! artifact_methods {
    () => {
        /// Adds an input artifact.
        pub fn input(mut self, artifact: &$crate::codepipeline::Artifact) -> Self {
            $crate::codepipeline::action::push_unique(&mut self.inputs, artifact);
            self
        }

        /// Adds an output artifact.
        pub fn output(mut self, artifact: &$crate::codepipeline::Artifact) -> Self {
            $crate::codepipeline::action::push_unique(&mut self.outputs, artifact);
            self
        }
    };
}
pub(crate) use artifact_methods;

/// The builder method for actions that may run in another region.
macro_rules! region_method {
    ($t:ty) => {
        impl $t {
            /// Runs the action in another region. The pipeline then needs an artifact store
            /// there: [`PipelineProps::regional_artifact_store`](crate::codepipeline::PipelineProps::regional_artifact_store).
            pub fn region(mut self, region: impl Into<stackwright_core::Val<String>>) -> Self {
                self.common.region = Some(region.into());
                self
            }
        }
    };
}
pub(crate) use region_method;

/// The actions of a stage: an array or a `Vec` of one kind of action, or a tuple of up to
/// eight actions of different kinds: `(checkout, image_source)`.
pub trait IntoActions {
    /// The actions, in order.
    fn into_actions(self) -> Vec<Action>;
}

impl<T: Into<Action>, const N: usize> IntoActions for [T; N] {
    fn into_actions(self) -> Vec<Action> {
        self.into_iter().map(Into::into).collect()
    }
}

impl<T: Into<Action>> IntoActions for Vec<T> {
    fn into_actions(self) -> Vec<Action> {
        self.into_iter().map(Into::into).collect()
    }
}

macro_rules! tuple_actions {
    ($($name:ident),+) => {
        impl<$($name: Into<Action>),+> IntoActions for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_actions(self) -> Vec<Action> {
                let ($($name,)+) = self;
                vec![$($name.into()),+]
            }
        }
    };
}
tuple_actions!(A);
tuple_actions!(A, B);
tuple_actions!(A, B, C);
tuple_actions!(A, B, C, D);
tuple_actions!(A, B, C, D, E);
tuple_actions!(A, B, C, D, E, F);
tuple_actions!(A, B, C, D, E, F, G);
tuple_actions!(A, B, C, D, E, F, G, H);

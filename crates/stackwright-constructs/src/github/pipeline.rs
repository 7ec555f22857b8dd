//! A pipeline's delivery rendered as a GitHub Actions workflow, beside (or instead of) the
//! CodePipeline: the source becomes the trigger, each build, approval and deploy a job.

use stackwright_core::{App, ConstructRef, ConstructState, Output, Scope};
use stackwright_github::actions::{
    Capability, checkout, cloudformation_deploy, configure_aws_credentials,
    ecs_deploy_task_definition,
};
use stackwright_github::{
    Access, ActionRef, Environment, Expr, IdToken, Job, JobRef, Permissions, Push, RunsOn, Step,
    Workflow,
};

use super::GithubRole;
use super::build_env::{JobValue, build_env, read_output_command};
use crate::arns::{parameter_arn, secret_arn, secret_id};
use crate::codepipeline::Pipeline;
use crate::codepipeline::action::{Action, BuildProject, Need};
use crate::codepipeline::actions::{arn_in, pass_role, regional_arn};
use crate::codepipeline::app_stacks;
use crate::codepipeline::model::StageModel;
use crate::iam::{Grantee, PolicyStatement};
use stackwright_core::Val;

/// The command the generated file's header tells readers to run to regenerate it.
const REGENERATE: &str = "cargo run";

/// How to render a [`PipelineWorkflow`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PipelineWorkflowProps {
    file_stem: String,
    name: String,
    region: String,
}

impl PipelineWorkflowProps {
    /// A workflow written as `<file_stem>.yml` in the workflow folder, shown as `name`, whose
    /// jobs work in `region`.
    pub fn new(file_stem: &str, name: &str, region: &str) -> PipelineWorkflowProps {
        PipelineWorkflowProps {
            file_stem: file_stem.to_owned(),
            name: name.to_owned(),
            region: region.to_owned(),
        }
    }
}

/// What a [`PipelineWorkflow`] keeps until synth.
#[derive(Clone, Debug)]
pub struct PipelineWorkflowState {
    pipeline: Pipeline,
    role: GithubRole,
    props: PipelineWorkflowProps,
    /// The actions the pipeline held when the role's permissions were derived.
    actions: usize,
    /// Whether the pipeline deploys the app's own stacks, which are read whole at render.
    app_stacks: bool,
    /// The construct's id, which starts the names of the stack outputs the builds read.
    id: String,
    /// How many values the builds read from the stack when the role's permissions were
    /// derived.
    stack_reads: usize,
    /// The name of the construct's stack, whose outputs the builds read.
    stack_name: String,
}

/// A [`Pipeline`]'s stages rendered as a GitHub Actions workflow file in the workflow folder,
/// in the same synth. The source action becomes a `push` trigger on its branch; a CodeBuild
/// action a job running the buildspec's phases with its variables, its parameter-store and
/// secrets-manager values read through the role into masked variables; a manual approval a
/// job on a GitHub environment (whose required reviewers are set in the repository's
/// settings: synth says so); an ECS deploy the deploy action on the service; a CodeDeploy
/// blue/green deploy (through a deployment group of this app with fixed names) the deploy
/// action with the AppSpec, after the built images are written into the task definition; a
/// CloudFormation deploy (and a deployment of one of the app's own stacks, completed as the
/// pipeline completes it) the CloudFormation deploy action, a change set for review created
/// by it without executing and executed by a later job. Jobs need the jobs of the stage (or
/// run order) before them. Any other action is an error naming it. The jobs assume `role`, which is granted what they do when
/// the workflow is created: create it after the pipeline's last stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PipelineWorkflow {
    node: ConstructRef<PipelineWorkflowState>,
}

impl PipelineWorkflow {
    /// Creates the workflow as the construct `id`, and grants `role` what its jobs do.
    #[track_caller]
    pub fn new(
        scope: &mut Scope<'_>,
        id: &str,
        pipeline: &Pipeline,
        role: &GithubRole,
        props: PipelineWorkflowProps,
    ) -> PipelineWorkflow {
        let app_stacks = scope.app().state(pipeline.node()).is_some_and(|s| {
            s.stages.iter().any(|st| st.actions.iter().any(|a| a.app_stack.is_some()))
        });
        let actions: Vec<Action> = scope
            .app()
            .state(pipeline.node())
            .map(|s| s.stages.iter().flat_map(|st| st.actions.iter().cloned()).collect())
            .unwrap_or_default();
        let stack_id = scope.stack_id();
        let stack_name =
            scope.app().stack_by_id(stack_id).map(|s| s.name().to_owned()).unwrap_or_default();
        let stack_reads = stack_reads(scope.app(), &actions, id);
        for statement in derived_permissions(scope.app(), &actions) {
            role.add_to_principal_policy(scope, statement);
        }
        if stack_reads > 0 {
            // The builds read the values known only once deployed from this stack's outputs.
            role.add_to_principal_policy(
                scope,
                PolicyStatement::allow().action("cloudformation:DescribeStacks").resource(
                    regional_arn("cloudformation", Val::from(format!("stack/{stack_name}/*"))),
                ),
            );
        }
        let state = PipelineWorkflowState {
            pipeline: *pipeline,
            role: *role,
            props,
            actions: actions.len(),
            app_stacks,
            id: id.to_owned(),
            stack_reads,
            stack_name,
        };
        let (node, _) = scope.construct(id, state);
        PipelineWorkflow { node }
    }

    /// The construct node.
    pub fn node(&self) -> ConstructRef<PipelineWorkflowState> {
        self.node
    }

    /// The workflow's YAML as synth writes it, `None` when it has problems (synth reports
    /// them). For measuring rendering on its own.
    #[doc(hidden)]
    pub fn render_yaml(&self, app: &App) -> Option<String> {
        app.state(self.node)?.build(app).rendered.map(|r| r.yaml)
    }
}

/// How many values the build actions' jobs read from the stack's outputs.
fn stack_reads(app: &App, actions: &[Action], id: &str) -> usize {
    actions
        .iter()
        .filter(|a| a.action_type.provider == "CodeBuild")
        .filter_map(construct_project)
        .filter_map(|p| build_env(app, p, id))
        .map(|env| env.stack_outputs().count())
        .sum()
}

/// What the role needs for the jobs: what each deploy action asks of CodePipeline's role
/// (that service, those stacks, passing exactly those roles), and for each build what its
/// project's role may do beyond CodeBuild's own logs and artifacts, plus reading its
/// parameters and secrets.
fn derived_permissions(app: &mut App, actions: &[Action]) -> Vec<PolicyStatement> {
    let mut out: Vec<PolicyStatement> = Vec::new();
    let mut push = |s: PolicyStatement| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for action in actions {
        match action.action_type.provider.as_str() {
            "ECS" => {
                for need in &action.needs {
                    if let Need::Allow(s) = need {
                        push(s.clone());
                    }
                }
            }
            "CodeBuild" => {
                let Some(project) = construct_project(action) else { continue };
                let role = project.role();
                let granted: Vec<PolicyStatement> =
                    app.state(role.node()).map(|s| s.statements().to_vec()).unwrap_or_default();
                for s in granted {
                    // CodeBuild's own log group, report groups and the pipeline's artifact
                    // store are not used by a job on a GitHub runner.
                    let codebuild_only = s.action_list().iter().all(|a| {
                        ["logs:", "codebuild:", "s3:", "kms:"].iter().any(|p| a.starts_with(p))
                    });
                    if !codebuild_only {
                        push(s);
                    }
                }
                let Some(env) = build_env(app, project, "") else { continue };
                let parameters: Vec<_> = env
                    .values
                    .iter()
                    .filter_map(|(_, v)| match v {
                        JobValue::Parameter(p) => Some(parameter_arn(p)),
                        _ => None,
                    })
                    .collect();
                if !parameters.is_empty() {
                    let mut s = PolicyStatement::allow().action("ssm:GetParameter");
                    for arn in parameters {
                        s = s.resource(arn);
                    }
                    push(s);
                }
                let secrets: Vec<_> = env
                    .values
                    .iter()
                    .filter_map(|(_, v)| match v {
                        JobValue::Secret(r) => Some(secret_arn(r)),
                        _ => None,
                    })
                    .collect();
                if !secrets.is_empty() {
                    let mut s = PolicyStatement::allow().action("secretsmanager:GetSecretValue");
                    for arn in secrets {
                        s = s.resource(arn);
                    }
                    push(s);
                }
            }
            "CloudFormation" => {
                for s in cloudformation_permissions(app, action) {
                    push(s);
                }
            }
            "CodeDeployToECS" => {
                // What CodePipeline's role needs for the deployment, and what the deploy
                // action reads besides: the group's settings and the service. Passing roles
                // is narrowed to the task's own.
                for need in &action.needs {
                    if let Need::Allow(s) = need
                        && !s.action_list().iter().any(|a| a == "iam:PassRole")
                    {
                        push(s.clone());
                    }
                }
                let task_roles = blue_green_task_roles(app, action);
                if !task_roles.is_empty() {
                    let mut pass = PolicyStatement::allow().action("iam:PassRole");
                    for role in task_roles {
                        pass = pass.resource(role);
                    }
                    push(pass.condition(
                        "StringEquals",
                        "iam:PassedToService",
                        "ecs-tasks.amazonaws.com",
                    ));
                }
                if let (Some(app_name), Some(group)) = (
                    config_val(action, "ApplicationName"),
                    config_val(action, "DeploymentGroupName"),
                ) {
                    push(
                        PolicyStatement::allow().action("codedeploy:GetDeploymentGroup").resource(
                            regional_arn(
                                "codedeploy",
                                stackwright_core::sub!("deploymentgroup:{}/{}", app_name, group),
                            ),
                        ),
                    );
                }
                if let Some((cluster, service)) = blue_green_service(app, action) {
                    push(PolicyStatement::allow().action("ecs:DescribeServices").resource(
                        regional_arn(
                            "ecs",
                            stackwright_core::sub!("service/{}/{}", cluster, service),
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

/// What the deploy step (or the CLI for executing a change set and deleting a stack) does
/// to the one stack the action names, and passing its deployment role to CloudFormation.
fn cloudformation_permissions(app: &App, action: &Action) -> Vec<PolicyStatement> {
    let (stack, mode, role) = match &action.app_stack {
        Some(t) => {
            let Some(stack) = app.stack_by_id(t.stack) else { return Vec::new() };
            let mode = if t.review { "REVIEWED" } else { "CREATE_UPDATE" };
            (Val::from(stack.name()), mode.to_owned(), t.deployment_role.clone())
        }
        None => {
            let Some(stack) = config_val(action, "StackName") else { return Vec::new() };
            let mode = config_str(action, "ActionMode").unwrap_or_default();
            (stack, mode, config_val(action, "RoleArn").map(Val::assume))
        }
    };
    let actions: &[&str] = match mode.as_str() {
        "CREATE_UPDATE" => &[
            "cloudformation:CreateChangeSet",
            "cloudformation:DescribeChangeSet",
            "cloudformation:DeleteChangeSet",
            "cloudformation:ExecuteChangeSet",
            "cloudformation:DescribeStacks",
        ],
        "CHANGE_SET_REPLACE" => &[
            "cloudformation:CreateChangeSet",
            "cloudformation:DescribeChangeSet",
            "cloudformation:DeleteChangeSet",
            "cloudformation:DescribeStacks",
        ],
        "CHANGE_SET_EXECUTE" => &[
            "cloudformation:DescribeChangeSet",
            "cloudformation:ExecuteChangeSet",
            "cloudformation:DescribeStacks",
        ],
        "DELETE_ONLY" => &["cloudformation:DeleteStack", "cloudformation:DescribeStacks"],
        // A reviewed deployment of an app stack: its change set, then its execution.
        _ => &[
            "cloudformation:CreateChangeSet",
            "cloudformation:DescribeChangeSet",
            "cloudformation:DeleteChangeSet",
            "cloudformation:ExecuteChangeSet",
            "cloudformation:DescribeStacks",
        ],
    };
    let region = action.region.clone().unwrap_or_else(stackwright_core::pseudo::region);
    let arn = arn_in("cloudformation", region, stackwright_core::sub!("stack/{}/*", stack));
    let mut out = vec![PolicyStatement::allow().actions(actions.iter().copied()).resource(arn)];
    if let Some(role) = role
        && mode != "CHANGE_SET_EXECUTE"
    {
        out.push(pass_role(role));
    }
    out
}

fn construct_project(action: &Action) -> Option<crate::codebuild::Project> {
    action.needs.iter().find_map(|n| match n {
        Need::ProjectArtifacts(BuildProject::Construct(p)) => Some(*p),
        _ => None,
    })
}

impl ConstructState for PipelineWorkflowState {
    fn kind(&self) -> &'static str {
        "PipelineWorkflow"
    }

    fn renders_last(&self) -> bool {
        // Deployments of the app's own stacks are completed from the stacks, read whole.
        self.app_stacks
    }

    fn render(&self, scope: &mut Scope<'_>) {
        let built = self.build(scope.app());
        for (code, message, fix) in built.problems {
            scope.error(code, message, fix);
        }
        for note in built.notes {
            scope.warn(note);
        }
        if let Some(rendered) = built.rendered {
            let description = format!("Read by the workflow {}", rendered.file_name);
            for (name, value) in built.outputs {
                scope.add_output(name, Output::new(value).description(description.clone()));
            }
            scope.add_workflow_file(rendered.file_name, rendered.yaml);
        }
    }
}

/// What rendering the workflow gave: the file, or the problems that stopped it, and notes.
struct Built {
    rendered: Option<stackwright_github::Rendered>,
    problems: Vec<(&'static str, String, String)>,
    notes: Vec<String>,
    /// The stack outputs the build jobs read: the values known only once deployed.
    outputs: Vec<(String, Val<String>)>,
}

impl PipelineWorkflowState {
    /// Builds, checks and renders the workflow from the pipeline's stages as `app` holds them.
    fn build(&self, app: &App) -> Built {
        let mut built =
            Built { rendered: None, problems: Vec::new(), notes: Vec::new(), outputs: Vec::new() };
        let mut stages: Vec<StageModel> =
            app.state(self.pipeline.node()).map(|s| s.stages.clone()).unwrap_or_default();
        let count: usize = stages.iter().map(|s| s.actions.len()).sum();
        if count != self.actions {
            built.problems.push((
                "github.pipeline-changed",
                format!(
                    "the pipeline held {} action(s) when the workflow was created and holds \
                     {count} now, so the role's permissions miss what the later ones do",
                    self.actions
                ),
                "create the PipelineWorkflow after the pipeline's last stage".into(),
            ));
            return built;
        }
        let Some(role_arn) = self.role.literal_arn(app) else {
            built.problems.push((
                "github.role-arn",
                "the role's ARN is not known before deployment, and the workflow must name it"
                    .into(),
                "give the role's stack an account and a region (Stack::set_environment)".into(),
            ));
            return built;
        };
        // The deployments of the app's own stacks are completed as the pipeline completes
        // them (a reviewed one becomes change set, approval, execution); the pipeline
        // reports their problems.
        app_stacks::complete(app, self.pipeline.node().id().stack(), &mut stages, &mut Vec::new());
        let mut render = Render {
            wf: Workflow::new(&self.props.file_stem, &self.props.name),
            role_arn,
            region: self.props.region.clone(),
            id: self.id.clone(),
            stack_name: self.stack_name.clone(),
            outputs: Vec::new(),
            deployed: Vec::new(),
            previous: Vec::new(),
            sources: Vec::new(),
            problems: Vec::new(),
            notes: Vec::new(),
        };
        for stage in &stages {
            // Actions of one run order run side by side; each needs the jobs of the run
            // order (or the stage) before it.
            let mut orders: Vec<i64> =
                stage.actions.iter().map(|a| a.run_order.unwrap_or(1)).collect();
            orders.sort_unstable();
            orders.dedup();
            for order in orders {
                let mut this_order = Vec::new();
                for action in stage.actions.iter().filter(|a| a.run_order.unwrap_or(1) == order) {
                    if let Some(job) = render.action(app, &stage.name, action) {
                        this_order.push(job);
                    }
                }
                if !this_order.is_empty() {
                    render.previous = this_order;
                }
            }
        }
        built.notes = render.notes;
        if render.outputs.len() != self.stack_reads {
            built.problems.push((
                "github.pipeline-changed",
                format!(
                    "the builds read {} value(s) known only once deployed from the stack when \
                     the workflow was created and {} now, so the role may not read them",
                    self.stack_reads,
                    render.outputs.len()
                ),
                "create the PipelineWorkflow after the last change to its builds' projects \
                 and the files they build"
                    .into(),
            ));
            return built;
        }
        built.outputs = std::mem::take(&mut render.outputs);
        let no_problems = render.problems.is_empty();
        for (message, fix) in render.problems {
            built.problems.push(("github.pipeline-action", message, fix));
        }
        if !no_problems {
            return built;
        }
        match render.wf.render(REGENERATE) {
            Ok(rendered) => {
                for w in &rendered.warnings {
                    built.notes.push(format!("{}: {}", w.path, w.message));
                }
                built.rendered = Some(rendered);
            }
            Err(report) => {
                for e in report.errors {
                    built.problems.push((
                        "github.workflow",
                        format!("{}: {}", e.path, e.message),
                        e.fix,
                    ));
                }
            }
        }
        built
    }
}

/// The workflow being built, and what went wrong on the way.
struct Render {
    wf: Workflow,
    role_arn: String,
    region: String,
    /// The jobs of the last stage (or run order) that had any: the next jobs need them.
    previous: Vec<JobRef>,
    /// The artifacts the source actions produce: their files are in the checkout.
    sources: Vec<String>,
    /// The workflow construct's id, which starts the names of the stack outputs.
    id: String,
    /// The stack the workflow's construct is in, whose outputs the build jobs read.
    stack_name: String,
    /// The stack outputs the build jobs read.
    outputs: Vec<(String, Val<String>)>,
    /// `(namespace, stack)` of the stacks deployed so far, whose outputs later builds read.
    deployed: Vec<(String, String)>,
    problems: Vec<(String, String)>,
    notes: Vec<String>,
}

impl Render {
    fn action(&mut self, app: &App, stage: &str, action: &Action) -> Option<JobRef> {
        let t = &action.action_type;
        match t.provider.as_str() {
            "CodeStarSourceConnection" | "GitHub" => {
                let key = if t.provider == "GitHub" { "Branch" } else { "BranchName" };
                self.sources.extend(action.outputs.iter().map(|a| a.name().to_owned()));
                match config_str(action, key) {
                    Some(branch) => {
                        self.wf.on_push(Push::new().branches([branch]));
                    }
                    None => self.problems.push((
                        format!("action `{}`: its branch is not a plain name", action.name),
                        "name the branch as text".into(),
                    )),
                }
                None
            }
            "CodeBuild" => self.build(app, action),
            "Manual" => Some(self.approval(stage, action)),
            "ECS" => self.ecs(action),
            "CloudFormation" => self.cloudformation(app, action),
            "CodeDeployToECS" => self.blue_green(app, action),
            "Lambda" => {
                // The function is handed a CodePipeline job and must report its result to
                // CodePipeline: there is no job when a workflow runs it.
                self.problems.push((
                    format!(
                        "action `{}` (Lambda) invokes a function that reports to a \
                         CodePipeline job, which a workflow does not have",
                        action.name
                    ),
                    "run the check as a CodeBuild action (its commands become a job's steps), \
                     or keep this delivery on CodePipeline"
                        .into(),
                ));
                None
            }
            _ => {
                self.problems.push((
                    format!(
                        "action `{}` ({}) has no GitHub Actions equivalent stackwright renders",
                        action.name, t.provider
                    ),
                    "renderable are a GitHub or CodeStar connection source, CodeBuild, manual \
                     approval, ECS, CodeDeploy ECS blue/green and CloudFormation actions; keep this delivery on \
                     CodePipeline, or remove the action from the pipeline the workflow renders"
                        .into(),
                ));
                None
            }
        }
    }

    fn job(&mut self, action: &Action, job: Job) -> JobRef {
        let mut job = job.name(action.name.as_str());
        for &p in &self.previous {
            job = job.needs(p);
        }
        self.wf.job(&job_id(&action.name), job)
    }

    fn aws_job(&mut self, action: &Action) -> JobRef {
        let permissions = Permissions::none().id_token(IdToken::Write).contents(Access::Read);
        let job = self.job(action, Job::new(RunsOn::ubuntu_latest(), permissions));
        self.wf.step(job, checkout().persist_credentials(false));
        self.wf.step(job, configure_aws_credentials(self.role_arn.as_str(), &self.region));
        job
    }

    fn build(&mut self, app: &App, action: &Action) -> Option<JobRef> {
        let Some(project) = construct_project(action) else {
            self.problems.push((
                format!("action `{}` (CodeBuild) runs an L1 project", action.name),
                "build with a Project construct, whose buildspec the job can run".into(),
            ));
            return None;
        };
        let own = action.configuration.iter().find(|(k, _)| k == "EnvironmentVariables");
        let own = match own.map(|(_, v)| self.action_env(v)) {
            None => Vec::new(),
            Some(Some(own)) => own,
            Some(None) => {
                // Setting only some of them would run the build with wrong values.
                self.problems.push((
                    format!(
                        "action `{}` (CodeBuild) sets environment variables the workflow cannot \
                         give it: from Parameter Store or Secrets Manager, or reading pipeline \
                         variables other than the outputs of a stack deployed before it",
                        action.name
                    ),
                    "set them on the project (ProjectProps::environment_variable) or in its \
                     buildspec, or keep this delivery on CodePipeline"
                        .into(),
                ));
                return None;
            }
        };
        let Some(env) = build_env(app, project, &self.id) else {
            self.problems.push((
                format!(
                    "action `{}` (CodeBuild): the project reads its buildspec from the source, \
                     which synth cannot see",
                    action.name
                ),
                "give the project its BuildSpec inline or as a companion file".into(),
            ));
            return None;
        };
        for name in &env.unreadable {
            self.problems.push((
                format!(
                    "action `{}` (CodeBuild): the project's variable `{name}` names its \
                     parameter or secret by a value known only once deployed, which the job \
                     cannot read",
                    action.name
                ),
                "name the parameter or secret as text".into(),
            ));
        }
        if !env.unreadable.is_empty() {
            return None;
        }
        let spec = &env.spec;
        let job = self.aws_job(action);
        // The runtimes CodeBuild installs, by the setup action of each.
        for (phase, p) in spec.phases.iter() {
            for (runtime, version) in &p.runtime_versions {
                let setup = match runtime.as_str() {
                    "nodejs" => Some(("actions/setup-node", "v4", "node-version")),
                    "python" => Some(("actions/setup-python", "v5", "python-version")),
                    "golang" => Some(("actions/setup-go", "v5", "go-version")),
                    _ => None,
                };
                let numbered = version.starts_with(|c: char| c.is_ascii_digit());
                match setup.filter(|_| numbered) {
                    Some((action_name, tag, input)) => {
                        self.wf.step(
                            job,
                            Step::uses(ActionRef::new(action_name, tag))
                                .with(input, version.as_str()),
                        );
                    }
                    None => self.notes.push(format!(
                        "the job `{}` runs the {phase} phase with the runner's own {runtime}, \
                         not {runtime} {version} as CodeBuild would install; add a setup step \
                         for it if the version matters",
                        job_id(&action.name)
                    )),
                }
            }
        }
        for input in action.inputs.iter().skip(1) {
            self.wf.step(
                job,
                Step::uses(ActionRef::new("actions/download-artifact", "v4"))
                    .with("name", input.name())
                    .with("path", input.name()),
            );
        }
        let mut reads = Vec::new();
        let mut stack_reads = Vec::new();
        let mut texts = Vec::new();
        // The action's own variables win over these (CodePipeline passes them when it starts
        // the build), so a name the action sets is not read here.
        let is_own = |n: &str| own.iter().any(|(o, _)| o == n);
        for (name, value) in env.values.iter().filter(|(n, _)| !is_own(n)) {
            match value {
                JobValue::Parameter(parameter) => reads.push(format!(
                    "value=\"$(aws ssm get-parameter --name '{parameter}' --with-decryption \
                     --query Parameter.Value --output text)\"\necho \"::add-mask::$value\"\n\
                     echo \"{name}=$value\" >> \"$GITHUB_ENV\""
                )),
                JobValue::Secret(reference) => {
                    let id = secret_id(reference);
                    let key = reference.strip_prefix(id).and_then(|r| r.strip_prefix(':'));
                    let key = key.and_then(|k| k.split(':').next()).filter(|k| !k.is_empty());
                    let select = key.map(|k| format!(" | jq -r '.{k}'")).unwrap_or_default();
                    reads.push(format!(
                        "value=\"$(aws secretsmanager get-secret-value --secret-id '{id}' \
                         --query SecretString --output text{select})\"\n\
                         echo \"::add-mask::$value\"\necho \"{name}=$value\" >> \"$GITHUB_ENV\""
                    ));
                }
                JobValue::StackOutput(output, v) => {
                    stack_reads.push(read_output_command(&self.stack_name, name, output));
                    if !self.outputs.iter().any(|(o, _)| o == output) {
                        self.outputs.push((output.clone(), v.clone()));
                    }
                }
                JobValue::Text(text) => texts.push((name.as_str(), text.as_str())),
            }
        }
        if !reads.is_empty() {
            self.wf.step(job, Step::run(reads.join("\n")).name("Read parameters and secrets"));
        }
        if !stack_reads.is_empty() {
            self.wf.step(
                job,
                Step::run(stack_reads.join("\n"))
                    .name(format!("Read the values stack {} holds", self.stack_name)),
            );
        }
        // The action's own variables, as CodePipeline passes them when it starts the build:
        // they win over the project's and the buildspec's. An output of a stack deployed
        // earlier is read once that stack is there.
        let mut deployed: Vec<(&str, Vec<String>)> = Vec::new();
        for (name, value) in &own {
            if let ActionEnv::Output { stack, output } = value {
                let command = read_output_command(stack, name, output);
                match deployed.iter_mut().find(|(s, _)| s == stack) {
                    Some((_, commands)) => commands.push(command),
                    None => deployed.push((stack, vec![command])),
                }
            }
        }
        for (stack, commands) in deployed {
            self.wf.step(
                job,
                Step::run(commands.join("\n")).name(format!("Read the outputs of stack {stack}")),
            );
        }
        let own_texts: Vec<(&str, &str)> = own
            .iter()
            .filter_map(|(n, v)| match v {
                ActionEnv::Text(t) => Some((n.as_str(), t.as_str())),
                ActionEnv::Output { .. } => None,
            })
            .collect();
        for (phase, p) in spec.phases.iter() {
            if p.commands.is_empty() {
                continue;
            }
            // What CodeBuild would set, so buildspecs that tag images with the commit or copy
            // files from the source directory work.
            let mut step = Step::run(p.commands.join("\n"))
                .name(phase)
                .env("CODEBUILD_RESOLVED_SOURCE_VERSION", Expr::github_sha())
                .env("CODEBUILD_SRC_DIR", Expr::github("workspace"));
            // CodeBuild's order: the action's variables (the start-build call) win over the
            // project's, and the project's over the buildspec's. A name read into
            // `$GITHUB_ENV` is left out of the step's own `env`, which would hide it.
            let buildspec_texts = spec
                .env
                .variables
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .filter(|(n, _)| !is_own(n) && !env.values.iter().any(|(v, _)| v == n));
            for (name, value) in
                buildspec_texts.chain(texts.iter().copied()).chain(own_texts.iter().copied())
            {
                step = step.env(name, value);
            }
            self.wf.step(job, step);
        }
        if let (Some(output), Some(files)) = (action.outputs.first(), &spec.artifacts) {
            self.wf.step(
                job,
                Step::uses(ActionRef::new("actions/upload-artifact", "v4"))
                    .with("name", output.name())
                    .with("path", files.files.join("\n")),
            );
        }
        Some(job)
    }

    fn approval(&mut self, stage: &str, action: &Action) -> JobRef {
        let environment = job_id(stage);
        let job = Job::new(RunsOn::ubuntu_latest(), Permissions::none())
            .environment(Environment::new(environment.as_str()));
        let job = self.job(action, job);
        self.wf.step(job, Step::run("echo \"Approved in the environment's review\""));
        self.notes.push(format!(
            "the approval `{}` is the GitHub environment `{environment}`: add its required \
             reviewers in the repository's Settings > Environments > {environment}, or the \
             job runs without waiting",
            action.name
        ));
        job
    }

    fn blue_green(&mut self, app: &App, action: &Action) -> Option<JobRef> {
        let name = &action.name;
        let Some((cluster, service)) = blue_green_service(app, action) else {
            self.problems.push((
                format!(
                    "action `{name}` (CodeDeployToECS) deploys through a deployment group by \
                     name, whose ECS service the workflow must name"
                ),
                "deploy through an EcsDeploymentGroup of this app (CodeDeployEcsDeploy::new)"
                    .into(),
            ));
            return None;
        };
        let (Some((application, group)), Some(cluster), Some(service)) =
            (codedeploy_names(app, action), ecs_name(app, &cluster), ecs_name(app, &service))
        else {
            self.problems.push((
                format!(
                    "action `{name}` (CodeDeployToECS): the CodeDeploy application, deployment \
                     group, cluster or service is named by a reference known only once \
                     deployed, and the workflow must name all four"
                ),
                "give the application, the deployment group, the cluster and the service \
                 fixed names"
                    .into(),
            ));
            return None;
        };
        let file = |artifact_key: &str, path_key: &str| {
            config_str(action, artifact_key).zip(config_str(action, path_key))
        };
        let (Some(taskdef), Some(appspec)) = (
            file("TaskDefinitionTemplateArtifact", "TaskDefinitionTemplatePath"),
            file("AppSpecTemplateArtifact", "AppSpecTemplatePath"),
        ) else {
            return None;
        };
        if blue_green_task_roles(app, action).is_empty() {
            self.notes.push(format!(
                "the role may pass no role to ECS tasks for action `{name}`: its deployment \
                 group names a service outside this app, whose task's roles are unknown; if \
                 the task definition has roles, grant the role iam:PassRole on exactly those"
            ));
        }
        let job = self.aws_job(action);
        let mut images = Vec::new();
        for i in 1..=4 {
            if let Some(image) =
                file(&format!("Image{i}ArtifactName"), &format!("Image{i}ContainerName"))
            {
                images.push(image);
            }
        }
        let mut downloaded: Vec<String> = Vec::new();
        let artifacts = [&taskdef.0, &appspec.0].into_iter().chain(images.iter().map(|(a, _)| a));
        for artifact in artifacts {
            if self.sources.contains(artifact) || downloaded.contains(artifact) {
                continue;
            }
            downloaded.push(artifact.clone());
            self.wf.step(
                job,
                Step::uses(ActionRef::new("actions/download-artifact", "v4"))
                    .with("name", artifact.as_str())
                    .with("path", artifact.as_str()),
            );
        }
        let path = |(artifact, file): &(String, String)| {
            if self.sources.contains(artifact) {
                file.clone()
            } else {
                format!("{artifact}/{file}")
            }
        };
        // As CodePipeline does: each image placeholder of the task definition file gets the
        // image URI the build wrote to imageDetail.json.
        let mut render = vec![format!("cp '{}' task-definition.json", path(&taskdef))];
        for (artifact, placeholder) in &images {
            let detail = path(&(artifact.clone(), "imageDetail.json".to_owned()));
            render.push(format!(
                "uri=\"$(jq -r '.ImageURI' '{detail}')\"\n\
                 sed -i \"s|<{placeholder}>|$uri|g\" task-definition.json"
            ));
        }
        self.wf.step(
            job,
            Step::run(render.join("\n")).name("Render the new images into the task definition"),
        );
        // The deploy action registers the task definition, writes its ARN into the AppSpec
        // and deploys through CodeDeploy, waiting for the deployment.
        self.wf.step(
            job,
            ecs_deploy_task_definition("task-definition.json")
                .service(service.as_str())
                .cluster(cluster.as_str())
                .codedeploy(&path(&appspec), application.as_str(), group.as_str())
                .wait_for_service_stability(true),
        );
        Some(job)
    }

    fn cloudformation(&mut self, app: &App, action: &Action) -> Option<JobRef> {
        let name = &action.name;
        if action.role_arn.is_some() {
            self.problems.push((
                format!(
                    "action `{name}` (CloudFormation) runs as a role of another account, which \
                     the workflow's role does not assume"
                ),
                "deploy that stack from a workflow whose role is in the stack's account, or \
                 keep this delivery on CodePipeline"
                    .into(),
            ));
            return None;
        }
        if let Some(region) = &action.region
            && region.expr() != &stackwright_core::Expr::Str(self.region.clone())
        {
            self.problems.push((
                format!(
                    "action `{name}` (CloudFormation) deploys in another region than the \
                     workflow's {}",
                    self.region
                ),
                "deploy that stack from a workflow of its region".into(),
            ));
            return None;
        }
        let mode = config_str(action, "ActionMode").unwrap_or_default();
        let Some(stack) = config_str(action, "StackName") else {
            self.problems.push((
                format!(
                    "action `{name}` (CloudFormation): the stack name is known only once \
                     deployed, and the workflow must name it"
                ),
                "give the stack name as text".into(),
            ));
            return None;
        };
        let role = match action.configuration.iter().find(|(k, _)| k == "RoleArn") {
            None => None,
            Some((_, stackwright_core::Expr::Str(arn))) => Some(arn.clone()),
            // A role of the app with a fixed name, in a stack with a fixed home.
            Some((
                _,
                stackwright_core::Expr::GetAtt(stackwright_core::RefTarget::Resource(id), attr),
            )) if attr == "Arn"
                && let Some(arn) = app_role_arn(app, *id) =>
            {
                Some(arn)
            }
            Some(_) => {
                self.problems.push((
                    format!(
                        "action `{name}` (CloudFormation): its deployment role's ARN is known \
                         only once deployed, and the workflow must name it"
                    ),
                    "give the deployment role a fixed name (RoleProps::role_name) in a stack \
                     with an account and a region (Stack::set_environment), or pass its ARN as \
                     text"
                        .into(),
                ));
                return None;
            }
        };
        let change_set = config_str(action, "ChangeSetName").unwrap_or_default();
        match mode.as_str() {
            "CREATE_UPDATE" | "CHANGE_SET_REPLACE" => {
                let template = config_str(action, "TemplatePath").unwrap_or_default();
                let Some((artifact, file)) = template.split_once("::") else {
                    self.problems.push((
                        format!("action `{name}` (CloudFormation): its template path is not text"),
                        "give the template as `Artifact::path`".into(),
                    ));
                    return None;
                };
                let capabilities = config_str(action, "Capabilities").unwrap_or_default();
                let capabilities: Vec<Capability> = capabilities
                    .split(',')
                    .filter_map(|c| match c {
                        "CAPABILITY_IAM" => Some(Capability::Iam),
                        "CAPABILITY_NAMED_IAM" => Some(Capability::NamedIam),
                        "CAPABILITY_AUTO_EXPAND" => Some(Capability::AutoExpand),
                        _ => None,
                    })
                    .collect();
                let overrides =
                    match action.configuration.iter().find(|(k, _)| k == "ParameterOverrides") {
                        None => Vec::new(),
                        Some((_, stackwright_core::Expr::Str(text))) => match overrides_of(text) {
                            Some(o) => o,
                            None => {
                                self.problems.push((
                                    format!(
                                        "action `{name}` (CloudFormation): its parameter overrides \
                                     read pipeline variables or artifacts, which a workflow \
                                     does not have"
                                    ),
                                    "override parameters with plain text values".into(),
                                ));
                                return None;
                            }
                        },
                        Some(_) => {
                            self.problems.push((
                                format!(
                                    "action `{name}` (CloudFormation): its parameter overrides are \
                                 known only once deployed"
                                ),
                                "override parameters with plain text values".into(),
                            ));
                            return None;
                        }
                    };
                let job = self.aws_job(action);
                let path = if self.sources.iter().any(|s| s == artifact) {
                    file.to_owned()
                } else {
                    self.wf.step(
                        job,
                        Step::uses(ActionRef::new("actions/download-artifact", "v4"))
                            .with("name", artifact)
                            .with("path", artifact),
                    );
                    format!("{artifact}/{file}")
                };
                let pairs: Vec<(&str, &str)> =
                    overrides.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let mut step =
                    cloudformation_deploy(&stack, &path).no_fail_on_empty_changeset(true);
                if !capabilities.is_empty() {
                    step = step.capabilities(&capabilities);
                }
                if !pairs.is_empty() {
                    step = step.parameter_overrides(&pairs);
                }
                if let Some(role) = &role {
                    step = step.role_arn(role.as_str());
                }
                let step = if mode == "CHANGE_SET_REPLACE" {
                    // Created for review; a later job executes it.
                    step.no_execute_changeset(&change_set)
                        .name(format!("Create change set {change_set} of stack {stack}"))
                } else {
                    self.published(action, &stack);
                    step.name(format!("Deploy stack {stack}"))
                };
                self.wf.step(job, step);
                Some(job)
            }
            "CHANGE_SET_EXECUTE" => {
                self.published(action, &stack);
                let job = self.aws_job(action);
                // An empty change set was deleted when it was created: nothing to execute.
                // A new stack waits in REVIEW_IN_PROGRESS for its first change set.
                self.wf.step(
                    job,
                    Step::run(format!(
                        "if ! aws cloudformation describe-change-set --stack-name '{stack}' \
                         --change-set-name '{change_set}' > /dev/null 2>&1; then\n  \
                         echo \"No change set {change_set}: nothing to execute\"\n  exit 0\nfi\n\
                         status=\"$(aws cloudformation describe-stacks --stack-name '{stack}' \
                         --query 'Stacks[0].StackStatus' --output text)\"\n\
                         aws cloudformation execute-change-set --stack-name '{stack}' \
                         --change-set-name '{change_set}'\n\
                         if [ \"$status\" = REVIEW_IN_PROGRESS ]; then\n  \
                         aws cloudformation wait stack-create-complete --stack-name '{stack}'\n\
                         else\n  \
                         aws cloudformation wait stack-update-complete --stack-name '{stack}'\n\
                         fi"
                    ))
                    .name(format!("Execute change set {change_set} of stack {stack}")),
                );
                Some(job)
            }
            "DELETE_ONLY" => {
                let job = self.aws_job(action);
                let role = role.map(|r| format!(" --role-arn '{r}'")).unwrap_or_default();
                self.wf.step(
                    job,
                    Step::run(format!(
                        "aws cloudformation delete-stack --stack-name '{stack}'{role}\n\
                         aws cloudformation wait stack-delete-complete --stack-name '{stack}'"
                    ))
                    .name(format!("Delete stack {stack}")),
                );
                Some(job)
            }
            other => {
                self.problems.push((
                    format!("action `{name}` (CloudFormation): mode `{other}` is not rendered"),
                    "deploy with CREATE_UPDATE, a change set, or delete the stack".into(),
                ));
                None
            }
        }
    }

    /// Records that the stack `stack` is deployed by the time later jobs run, and the
    /// namespace its outputs are read by.
    fn published(&mut self, action: &Action, stack: &str) {
        if let Some(namespace) = &action.namespace {
            self.deployed.push((namespace.clone(), stack.to_owned()));
        }
    }

    /// A build action's own variables, or `None` when one of them is something the workflow
    /// cannot give: from Parameter Store or Secrets Manager, or a pipeline variable that is
    /// not an output of a stack deployed before.
    fn action_env(&self, value: &stackwright_core::Expr) -> Option<Vec<(String, ActionEnv)>> {
        let stackwright_core::Expr::Str(text) = value else { return None };
        let list: Vec<serde_json::Value> = serde_json::from_str(text).ok()?;
        let mut out = Vec::new();
        for v in list {
            let name = v.get("name")?.as_str()?.to_owned();
            let value = v.get("value")?.as_str()?;
            if v.get("type").and_then(serde_json::Value::as_str).unwrap_or("PLAINTEXT")
                != "PLAINTEXT"
            {
                return None;
            }
            let variable = value.strip_prefix("#{").and_then(|v| v.strip_suffix('}'));
            let env = match variable {
                Some(variable) => {
                    let (namespace, output) = variable.split_once('.')?;
                    let (_, stack) = self.deployed.iter().find(|(n, _)| n == namespace)?;
                    ActionEnv::Output { stack: stack.clone(), output: output.to_owned() }
                }
                None if value.contains("#{") => return None,
                None => ActionEnv::Text(value.to_owned()),
            };
            out.push((name, env));
        }
        Some(out)
    }

    fn ecs(&mut self, action: &Action) -> Option<JobRef> {
        let (Some(cluster), Some(service)) =
            (config_str(action, "ClusterName"), config_str(action, "ServiceName"))
        else {
            self.problems.push((
                format!(
                    "action `{}` (ECS): the cluster or service is named by a reference known \
                     only once deployed, and the workflow must name both",
                    action.name
                ),
                "give the cluster and the service fixed names".into(),
            ));
            return None;
        };
        let file = config_str(action, "FileName").unwrap_or_else(|| "imagedefinitions.json".into());
        let input = action.inputs.first().map(|a| a.name().to_owned()).unwrap_or_default();
        let job = self.aws_job(action);
        self.wf.step(
            job,
            Step::uses(ActionRef::new("actions/download-artifact", "v4"))
                .with("name", input.as_str())
                .with("path", input.as_str()),
        );
        // The image definitions name each container and its new image; the current task
        // definition of the service gets them, as CodePipeline's ECS action does.
        self.wf.step(
            job,
            Step::run(format!(
                "current=\"$(aws ecs describe-services --cluster '{cluster}' --services \
                 '{service}' --query 'services[0].taskDefinition' --output text)\"\n\
                 aws ecs describe-task-definition --task-definition \"$current\" --query \
                 taskDefinition > task-definition.json\n\
                 jq --slurpfile images '{input}/{file}' '.containerDefinitions |= map(. as $c \
                 | ([$images[0][] | select(.name == $c.name) | .imageUri] | first) as $uri \
                 | if $uri then .image = $uri else . end)' task-definition.json > rendered.json"
            ))
            .name("Render the new images into the task definition"),
        );
        self.wf.step(
            job,
            ecs_deploy_task_definition("rendered.json")
                .service(service.as_str())
                .cluster(cluster.as_str())
                .wait_for_service_stability(true),
        );
        Some(job)
    }
}

/// Parameter overrides given as a JSON object of plain text values, `None` when a value
/// reads a pipeline variable (`#{...}`) or an artifact (`Fn::GetParam`).
fn overrides_of(text: &str) -> Option<Vec<(String, String)>> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let mut out = Vec::new();
    for (k, v) in value.as_object()? {
        let v = v.as_str()?;
        if v.contains("#{") {
            return None;
        }
        out.push((k.clone(), v.to_owned()));
    }
    Some(out)
}

/// A variable a build action sets: text, or an output of a stack deployed before it.
enum ActionEnv {
    Text(String),
    Output { stack: String, output: String },
}

/// The ARN, as text, of the role of this app `id` names: known when the role has a fixed
/// name and its stack a fixed account and region.
fn app_role_arn(app: &App, id: stackwright_core::ResourceId) -> Option<String> {
    let env = app.stack_by_id(id.stack())?.environment();
    crate::iam::literal_role_arn(
        app,
        <stackwright_aws::iam::RoleRef as stackwright_core::Handle>::from_id(id),
        env,
    )
}

/// The roles of the task definition the blue/green deployment of `action` registers (its
/// execution role and task role): the task of the service of this app the action's
/// deployment group deploys. Empty when the group names a service outside this app.
fn blue_green_task_roles(app: &App, action: &Action) -> Vec<Val<String>> {
    use stackwright_core::{Expr, RefTarget};
    let resource = |v: &Val<String>| match v.expr() {
        Expr::Ref(RefTarget::Resource(id)) | Expr::GetAtt(RefTarget::Resource(id), _) => Some(*id),
        _ => None,
    };
    let task = blue_green_group(app, action)
        .and_then(|g| g.ecs_services.first())
        .and_then(|s| resource(&s.service_name))
        .and_then(|id| app.get::<stackwright_aws::ecs::Service>(id))
        .and_then(|s| s.task_definition.as_ref())
        .and_then(resource)
        .and_then(|id| app.get::<stackwright_aws::ecs::TaskDefinition>(id));
    let Some(task) = task else { return Vec::new() };
    task.execution_role_arn
        .iter()
        .chain(task.task_role_arn.iter())
        .cloned()
        .map(Val::into_string)
        .collect()
}

/// The cluster and service the blue/green deployment group of `action` deploys, when the
/// action deploys through a group of this app.
fn blue_green_service(app: &App, action: &Action) -> Option<(Val<String>, Val<String>)> {
    let l1 = blue_green_group(app, action)?;
    let service = l1.ecs_services.first()?;
    Some((service.cluster_name.clone(), service.service_name.clone()))
}

fn blue_green_group<'a>(
    app: &'a App,
    action: &Action,
) -> Option<&'a stackwright_aws::codedeploy::DeploymentGroup> {
    let group = action.needs.iter().find_map(|n| match n {
        Need::EcsBlueGreen(g) => Some(*g),
        _ => None,
    })?;
    app.get::<stackwright_aws::codedeploy::DeploymentGroup>(group.resource())
}

/// The CodeDeploy application and deployment group names of `action` as text: the names
/// the group and application of this app were given, or the names the action was given.
fn codedeploy_names(app: &App, action: &Action) -> Option<(String, String)> {
    let literal = |v: &Val<String>| match v.expr() {
        stackwright_core::Expr::Str(s) => Some(s.clone()),
        _ => None,
    };
    let group = action.needs.iter().find_map(|n| match n {
        Need::EcsBlueGreen(g) => Some(*g),
        _ => None,
    });
    let Some(group) = group else {
        return config_str(action, "ApplicationName")
            .zip(config_str(action, "DeploymentGroupName"));
    };
    let l1 = app.get::<stackwright_aws::codedeploy::DeploymentGroup>(group.resource())?;
    let application = app
        .get::<stackwright_aws::codedeploy::Application>(group.application().resource())
        .and_then(|a| a.application_name.as_ref())
        .and_then(literal)
        .or_else(|| literal(&l1.application_name))?;
    let name = l1.deployment_group_name.as_ref().and_then(literal)?;
    Some((application, name))
}

/// An ECS cluster or service name as text: given as text, or the fixed name of the cluster
/// or service of this app it refers to.
fn ecs_name(app: &App, name: &Val<String>) -> Option<String> {
    use stackwright_core::{Expr, RefTarget};
    let fixed = |v: Option<&Val<String>>| match v.map(Val::expr) {
        Some(Expr::Str(s)) => Some(s.clone()),
        _ => None,
    };
    match name.expr() {
        Expr::Str(s) => Some(s.clone()),
        Expr::Ref(RefTarget::Resource(id)) | Expr::GetAtt(RefTarget::Resource(id), _) => {
            if let Some(c) = app.get::<stackwright_aws::ecs::Cluster>(*id) {
                return fixed(c.cluster_name.as_ref());
            }
            fixed(app.get::<stackwright_aws::ecs::Service>(*id)?.service_name.as_ref())
        }
        _ => None,
    }
}

/// A configuration value as declared.
fn config_val(action: &Action, key: &str) -> Option<Val<String>> {
    action.configuration.iter().find(|(k, _)| k == key).map(|(_, v)| Val::from_expr(v.clone()))
}

/// A configuration value that is plain text.
fn config_str(action: &Action, key: &str) -> Option<String> {
    action.configuration.iter().find(|(k, _)| k == key).and_then(|(_, v)| match v {
        stackwright_core::Expr::Str(s) => Some(s.clone()),
        _ => None,
    })
}

/// A job id from an action or stage name: lower case, `-` between words.
fn job_id(name: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            // A word starts at an upper-case letter after a lower-case one or a digit, or at
            // the last capital of an acronym before a lower-case letter (`DeployECS`,
            // `ECSDeploy`).
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i + 1).copied();
            let starts_word = c.is_ascii_uppercase()
                && match prev {
                    Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                    Some(p) if p.is_ascii_uppercase() => {
                        next.is_some_and(|n| n.is_ascii_lowercase())
                    }
                    _ => false,
                };
            if starts_word && !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-').to_owned();
    if trimmed.is_empty() { "job".to_owned() } else { trimmed }
}

//! A pipeline's delivery rendered as a GitHub Actions workflow, beside (or instead of) the
//! CodePipeline: the source becomes the trigger, each build, approval and deploy a job.

use stackwright_core::{App, ConstructRef, ConstructState, Scope};
use stackwright_github::actions::{
    Capability, checkout, cloudformation_deploy, configure_aws_credentials,
    ecs_deploy_task_definition,
};
use stackwright_github::{
    Access, ActionRef, Environment, Expr, IdToken, Job, JobRef, Permissions, Push, RunsOn, Step,
    Workflow,
};

use super::GithubRole;
use crate::arns::{parameter_arn, secret_arn, secret_id};
use crate::codebuild::BuildSpec;
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
        for statement in derived_permissions(scope.app(), &actions) {
            role.add_to_principal_policy(scope, statement);
        }
        let state = PipelineWorkflowState {
            pipeline: *pipeline,
            role: *role,
            props,
            actions: actions.len(),
            app_stacks,
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
                let Some(spec) = buildspec_of(app, project) else { continue };
                let parameters: Vec<_> =
                    spec.env.parameter_store.iter().map(|(_, p)| parameter_arn(p)).collect();
                if !parameters.is_empty() {
                    let mut s = PolicyStatement::allow().action("ssm:GetParameter");
                    for arn in parameters {
                        s = s.resource(arn);
                    }
                    push(s);
                }
                let secrets: Vec<_> =
                    spec.env.secrets_manager.iter().map(|(_, r)| secret_arn(r)).collect();
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
                // action reads besides: the group's settings and the service.
                for need in &action.needs {
                    if let Need::Allow(s) = need {
                        push(s.clone());
                    }
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

fn buildspec_of(app: &App, project: crate::codebuild::Project) -> Option<BuildSpec> {
    app.state(project.node())?.buildspec()?.spec().cloned()
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
            scope.add_workflow_file(rendered.file_name, rendered.yaml);
        }
    }
}

/// What rendering the workflow gave: the file, or the problems that stopped it, and notes.
struct Built {
    rendered: Option<stackwright_github::Rendered>,
    problems: Vec<(&'static str, String, String)>,
    notes: Vec<String>,
}

impl PipelineWorkflowState {
    /// Builds, checks and renders the workflow from the pipeline's stages as `app` holds them.
    fn build(&self, app: &App) -> Built {
        let mut built = Built { rendered: None, problems: Vec::new(), notes: Vec::new() };
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
            "CloudFormation" => self.cloudformation(action),
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
        let Some(spec) = buildspec_of(app, project) else {
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
        let job = self.aws_job(action);
        for (phase, p) in spec.phases.iter() {
            if !p.runtime_versions.is_empty() {
                let runtimes: Vec<String> =
                    p.runtime_versions.iter().map(|(r, v)| format!("{r} {v}")).collect();
                self.notes.push(format!(
                    "the job `{}` runs the {phase} phase with the runner's own runtimes, not {} \
                     as CodeBuild would install; add a setup step for them if the versions \
                     matter",
                    job_id(&action.name),
                    runtimes.join(", ")
                ));
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
        for (name, parameter) in &spec.env.parameter_store {
            reads.push(format!(
                "value=\"$(aws ssm get-parameter --name '{parameter}' --with-decryption \
                 --query Parameter.Value --output text)\"\necho \"::add-mask::$value\"\n\
                 echo \"{name}=$value\" >> \"$GITHUB_ENV\""
            ));
        }
        for (name, reference) in &spec.env.secrets_manager {
            let id = secret_id(reference);
            let key = reference.strip_prefix(id).and_then(|r| r.strip_prefix(':'));
            let key = key.and_then(|k| k.split(':').next()).filter(|k| !k.is_empty());
            let select = key.map(|k| format!(" | jq -r '.{k}'")).unwrap_or_default();
            reads.push(format!(
                "value=\"$(aws secretsmanager get-secret-value --secret-id '{id}' \
                 --query SecretString --output text{select})\"\necho \"::add-mask::$value\"\n\
                 echo \"{name}=$value\" >> \"$GITHUB_ENV\""
            ));
        }
        if !reads.is_empty() {
            self.wf.step(job, Step::run(reads.join("\n")).name("Read parameters and secrets"));
        }
        for (phase, p) in spec.phases.iter() {
            if p.commands.is_empty() {
                continue;
            }
            // The commit CodeBuild would name, so buildspecs that tag images with it work.
            let mut step = Step::run(p.commands.join("\n"))
                .name(phase)
                .env("CODEBUILD_RESOLVED_SOURCE_VERSION", Expr::github_sha());
            for (name, value) in &spec.env.variables {
                step = step.env(name, value.as_str());
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

    fn cloudformation(&mut self, action: &Action) -> Option<JobRef> {
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
            Some(_) => {
                self.problems.push((
                    format!(
                        "action `{name}` (CloudFormation): its deployment role's ARN is known \
                         only once deployed, and the workflow must name it"
                    ),
                    "pass the deployment role's ARN as text (a role with a fixed name in a \
                     known account)"
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
                    step.name(format!("Deploy stack {stack}"))
                };
                self.wf.step(job, step);
                Some(job)
            }
            "CHANGE_SET_EXECUTE" => {
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

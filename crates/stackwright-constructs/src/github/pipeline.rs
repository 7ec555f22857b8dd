//! A pipeline's delivery rendered as a GitHub Actions workflow, beside (or instead of) the
//! CodePipeline: the source becomes the trigger, each build, approval and deploy a job.

use stackwright_core::{App, ConstructRef, ConstructState, Scope};
use stackwright_github::actions::{
    checkout, configure_aws_credentials, ecs_deploy_task_definition,
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
use crate::iam::{Grantee, PolicyStatement};

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
}

/// A [`Pipeline`]'s stages rendered as a GitHub Actions workflow file in the workflow folder,
/// in the same synth. The source action becomes a `push` trigger on its branch; a CodeBuild
/// action a job running the buildspec's phases with its variables, its parameter-store and
/// secrets-manager values read through the role into masked variables; a manual approval a
/// job on a GitHub environment (whose required reviewers are set in the repository's
/// settings: synth says so); an ECS deploy the deploy action on the service. Any other
/// action is an error naming it. The jobs assume `role`, which is granted what they do when
/// the workflow is created: create it after the pipeline's last stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PipelineWorkflow {
    node: ConstructRef<PipelineWorkflowState>,
}

impl PipelineWorkflow {
    /// Creates the workflow as the construct `id`, and grants `role` what its jobs do.
    pub fn new(
        scope: &mut Scope<'_>,
        id: &str,
        pipeline: &Pipeline,
        role: &GithubRole,
        props: PipelineWorkflowProps,
    ) -> PipelineWorkflow {
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
            _ => {}
        }
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
        let stages: Vec<(String, Vec<Action>)> = app
            .state(self.pipeline.node())
            .map(|s| s.stages.iter().map(|st| (st.name.clone(), st.actions.clone())).collect())
            .unwrap_or_default();
        let count: usize = stages.iter().map(|(_, a)| a.len()).sum();
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
        let mut render = Render {
            wf: Workflow::new(&self.props.file_stem, &self.props.name),
            role_arn,
            region: self.props.region.clone(),
            previous: Vec::new(),
            problems: Vec::new(),
            notes: Vec::new(),
        };
        for (stage, actions) in &stages {
            let mut this_stage = Vec::new();
            for action in actions {
                if let Some(job) = render.action(app, stage, action) {
                    this_stage.push(job);
                }
            }
            if !this_stage.is_empty() {
                render.previous = this_stage;
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
    /// The jobs of the last stage that had any: the next stage's jobs need them.
    previous: Vec<JobRef>,
    problems: Vec<(String, String)>,
    notes: Vec<String>,
}

impl Render {
    fn action(&mut self, app: &App, stage: &str, action: &Action) -> Option<JobRef> {
        let t = &action.action_type;
        match t.provider.as_str() {
            "CodeStarSourceConnection" | "GitHub" => {
                let key = if t.provider == "GitHub" { "Branch" } else { "BranchName" };
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
            _ => {
                self.problems.push((
                    format!(
                        "action `{}` ({}) has no GitHub Actions equivalent stackwright renders",
                        action.name, t.label
                    ),
                    "keep this delivery on CodePipeline, or remove the action from the \
                     pipeline the workflow renders"
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
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && !out.is_empty() && !out.ends_with('-') {
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

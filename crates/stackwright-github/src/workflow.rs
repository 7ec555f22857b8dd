//! The workflow: its triggers, its settings and its jobs, each job with its steps.

use crate::expr::Text;
use crate::ids::{JobIndex, WorkflowId};
use crate::job::{Job, JobRef};
use crate::permissions::Permissions;
use crate::report::Diagnostic;
use crate::step::{AddStep, StepData, StepRef};
use crate::triggers::{Concurrency, Defaults, Dispatch, PullRequest, Push, Triggers};

/// A GitHub Actions workflow, the file `.github/workflows/<file_stem>.yml`.
#[derive(Clone, Debug)]
pub struct Workflow {
    pub(crate) id: WorkflowId,
    pub(crate) file_stem: String,
    pub(crate) name: String,
    pub(crate) triggers: Triggers,
    pub(crate) permissions: Option<Permissions>,
    pub(crate) env: Vec<(String, Text)>,
    pub(crate) defaults: Option<Defaults>,
    pub(crate) concurrency: Option<Concurrency>,
    pub(crate) jobs: Vec<JobData>,
    /// Handles of other workflows given to this one, reported by the checks.
    pub(crate) misuse: Vec<Diagnostic>,
}

#[derive(Clone, Debug)]
pub(crate) struct JobData {
    pub(crate) id: String,
    pub(crate) job: Job,
    pub(crate) steps: Vec<StepData>,
}

impl Workflow {
    /// A workflow written to `<file_stem>.yml`, shown as `name` on GitHub.
    pub fn new(file_stem: &str, name: &str) -> Workflow {
        Workflow {
            id: WorkflowId::fresh(),
            file_stem: file_stem.to_owned(),
            name: name.to_owned(),
            triggers: Triggers::default(),
            permissions: None,
            env: Vec::new(),
            defaults: None,
            concurrency: None,
            jobs: Vec::new(),
            misuse: Vec::new(),
        }
    }

    /// The file's name, `<file_stem>.yml`.
    pub fn file_name(&self) -> String {
        format!("{}.yml", self.file_stem)
    }

    /// The workflow's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Runs on pushes matching `push`.
    pub fn on_push(&mut self, push: Push) -> &mut Workflow {
        self.triggers.push = Some(push);
        self
    }

    /// Runs on pull requests matching `pull_request`.
    pub fn on_pull_request(&mut self, pull_request: PullRequest) -> &mut Workflow {
        self.triggers.pull_request = Some(pull_request);
        self
    }

    /// Can be started by hand, with `dispatch`'s inputs.
    pub fn on_dispatch(&mut self, dispatch: Dispatch) -> &mut Workflow {
        self.triggers.dispatch = Some(dispatch);
        self
    }

    /// Runs on the schedule `cron` (five POSIX cron fields, UTC); may be called again for
    /// more schedules.
    pub fn on_schedule(&mut self, cron: &str) -> &mut Workflow {
        self.triggers.schedule.push(cron.to_owned());
        self
    }

    /// The workflow's default token permissions. Every job states its own, so this is
    /// usually left unset or set to [`Permissions::none`].
    pub fn permissions(&mut self, permissions: Permissions) -> &mut Workflow {
        self.permissions = Some(permissions);
        self
    }

    /// Sets the environment variable `name` for every job.
    pub fn env(&mut self, name: &str, value: impl Into<Text>) -> &mut Workflow {
        self.env.push((name.to_owned(), value.into()));
        self
    }

    /// Defaults for every `run` step.
    pub fn defaults(&mut self, defaults: Defaults) -> &mut Workflow {
        self.defaults = Some(defaults);
        self
    }

    /// The workflow's concurrency group.
    pub fn concurrency(&mut self, concurrency: Concurrency) -> &mut Workflow {
        self.concurrency = Some(concurrency);
        self
    }

    /// Adds the job `id` (letters, digits, `-` and `_`, starting with a letter or `_`).
    pub fn job(&mut self, id: &str, job: Job) -> JobRef {
        for need in &job.needs {
            self.check_own(*need, &format!("the `needs` of job `{id}`"));
        }
        self.jobs.push(JobData { id: id.to_owned(), job, steps: Vec::new() });
        JobRef { workflow: self.id, job: self.jobs.len() - 1 }
    }

    /// Makes `job` also wait for `other`, after both were added.
    pub fn add_needs(&mut self, job: JobRef, other: JobRef) {
        if let (Some(i), true) =
            (self.own_job(job, "a `needs`"), self.check_own(other, "a `needs`"))
            && let Some(data) = self.jobs.get_mut(i)
            && !data.job.needs.contains(&other)
        {
            data.job.needs.push(other);
        }
    }

    /// Adds `step` at the end of `job`'s steps. A step with an id gives a
    /// [`crate::StepHandle`], whose outputs later steps read; one without gives a
    /// [`StepRef`].
    pub fn step<S: AddStep>(&mut self, job: JobRef, step: S) -> S::Handle {
        let index = self.own_job(job, "a step");
        let data = step.into_data();
        let at = match index.and_then(|i| self.jobs.get_mut(i)) {
            Some(job_data) => {
                job_data.steps.push(data);
                StepRef { workflow: self.id, job: job.job, step: job_data.steps.len() - 1 }
            }
            // Reported by `own_job`; the handle points nowhere and reading from it is
            // reported again where it is read.
            None => StepRef { workflow: job.workflow, job: job.job, step: usize::MAX },
        };
        S::handle(at)
    }

    /// Declares the output `name` of `job` (often a step's output), which the jobs that
    /// need it read as `job.output(name)`.
    pub fn job_output(&mut self, job: JobRef, name: &str, value: impl Into<Text>) {
        if let Some(data) = self.own_job(job, "a job output").and_then(|i| self.jobs.get_mut(i)) {
            data.job.outputs.push((name.to_owned(), value.into()));
        }
    }

    fn own_job(&mut self, job: JobRef, what: &str) -> Option<JobIndex> {
        if self.check_own(job, what) { Some(job.job) } else { None }
    }

    /// Whether `job` is a job of this workflow; records the misuse when not.
    fn check_own(&mut self, job: JobRef, what: &str) -> bool {
        if job.workflow == self.id && job.job < self.jobs.len() {
            return true;
        }
        self.misuse.push(Diagnostic::new(
            "github.foreign-job",
            self.file_stem.clone(),
            format!("{what} was given a job of another workflow"),
            "use the handle returned by this workflow's `job`; jobs of different workflows cannot depend on each other",
        ));
        false
    }
}

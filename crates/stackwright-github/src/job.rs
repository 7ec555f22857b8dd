//! Jobs: where they run, what they may do, and what they wait for.

use crate::expr::{Expr, ExprKind, Text, Value};
use crate::ids::{JobIndex, WorkflowId};
use crate::permissions::Permissions;
use crate::triggers::{Concurrency, Defaults};

/// A job added to a workflow. `Copy`, so it can be passed to `needs` of any number of jobs
/// and read from (`job.output("image")`) by the jobs that need it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JobRef {
    pub(crate) workflow: WorkflowId,
    pub(crate) job: JobIndex,
}

impl JobRef {
    /// `needs.<job>.outputs.<name>`: readable by the jobs that need this one.
    pub fn output(&self, name: &str) -> Expr {
        Expr(ExprKind::JobOutput { workflow: self.workflow, job: self.job, name: name.to_owned() })
    }
}

/// The runner a job runs on.
#[derive(Clone, Debug, PartialEq)]
pub enum RunsOn {
    /// One label or an expression (`ubuntu-latest`, `${{ matrix.os }}`).
    Label(Text),
    /// Every one of these labels.
    Labels(Vec<String>),
    /// A runner group, optionally narrowed by labels.
    Group {
        /// The group's name.
        group: String,
        /// Labels the runner must also have.
        labels: Vec<String>,
    },
}

impl RunsOn {
    /// `ubuntu-latest`.
    pub fn ubuntu_latest() -> RunsOn {
        RunsOn::Label("ubuntu-latest".into())
    }
}

impl From<&str> for RunsOn {
    fn from(label: &str) -> RunsOn {
        RunsOn::Label(label.into())
    }
}

impl From<Expr> for RunsOn {
    fn from(label: Expr) -> RunsOn {
        RunsOn::Label(label.into())
    }
}

/// The deployment environment a job deploys to: its protection rules (required reviewers,
/// wait timers, branches) apply before the job starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Environment {
    pub(crate) name: Text,
    pub(crate) url: Option<Text>,
}

impl Environment {
    /// The environment `name`.
    pub fn new(name: impl Into<Text>) -> Environment {
        Environment { name: name.into(), url: None }
    }

    /// The URL shown on the deployment.
    pub fn url(mut self, url: impl Into<Text>) -> Environment {
        self.url = Some(url.into());
        self
    }
}

/// A job's matrix: the product of its axes, plus `include` and minus `exclude`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Matrix {
    pub(crate) axes: Vec<(String, Vec<Value>)>,
    pub(crate) include: Vec<Vec<(String, Value)>>,
    pub(crate) exclude: Vec<Vec<(String, Value)>>,
}

type Combination = Vec<(String, Value)>;

fn combination<I: IntoIterator<Item = (K, V)>, K: Into<String>, V: Into<Value>>(
    entries: I,
) -> Combination {
    entries.into_iter().map(|(k, v)| (k.into(), v.into())).collect()
}

impl Matrix {
    /// An empty matrix.
    pub fn new() -> Matrix {
        Matrix::default()
    }

    /// An axis `key` with its values, read with [`Expr::matrix`].
    pub fn axis<I: IntoIterator<Item = V>, V: Into<Value>>(
        mut self,
        key: &str,
        values: I,
    ) -> Matrix {
        self.axes.push((key.to_owned(), values.into_iter().map(Into::into).collect()));
        self
    }

    /// An extra combination, or extra keys for the combinations it matches.
    pub fn include<I: IntoIterator<Item = (K, V)>, K: Into<String>, V: Into<Value>>(
        mut self,
        entries: I,
    ) -> Matrix {
        self.include.push(combination(entries));
        self
    }

    /// Combinations to leave out.
    pub fn exclude<I: IntoIterator<Item = (K, V)>, K: Into<String>, V: Into<Value>>(
        mut self,
        entries: I,
    ) -> Matrix {
        self.exclude.push(combination(entries));
        self
    }

    /// Whether `key` is an axis or a key of an `include`.
    pub(crate) fn has_key(&self, key: &str) -> bool {
        self.axes.iter().any(|(k, _)| k == key)
            || self.include.iter().any(|c| c.iter().any(|(k, _)| k == key))
    }
}

/// A job's strategy: its matrix and how its combinations run.
#[derive(Clone, Debug, PartialEq)]
pub struct Strategy {
    pub(crate) matrix: Matrix,
    pub(crate) fail_fast: Option<bool>,
    pub(crate) max_parallel: Option<u32>,
}

impl Strategy {
    /// Runs the job once per combination of `matrix`.
    pub fn new(matrix: Matrix) -> Strategy {
        Strategy { matrix, fail_fast: None, max_parallel: None }
    }

    /// Whether one failing combination cancels the others (GitHub's default: yes).
    pub fn fail_fast(mut self, yes: bool) -> Strategy {
        self.fail_fast = Some(yes);
        self
    }

    /// At most `n` combinations at once.
    pub fn max_parallel(mut self, n: u32) -> Strategy {
        self.max_parallel = Some(n);
        self
    }
}

/// A container a job runs in, or a service container beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Container {
    pub(crate) image: Text,
    pub(crate) credentials: Option<(Text, Expr)>,
    pub(crate) env: Vec<(String, Text)>,
    pub(crate) ports: Vec<String>,
    pub(crate) volumes: Vec<String>,
    pub(crate) options: Option<String>,
}

impl Container {
    /// A container of `image`.
    pub fn new(image: impl Into<Text>) -> Container {
        Container {
            image: image.into(),
            credentials: None,
            env: Vec::new(),
            ports: Vec::new(),
            volumes: Vec::new(),
            options: None,
        }
    }

    /// Registry credentials: the password is an expression (a secret), never text.
    pub fn credentials(mut self, username: impl Into<Text>, password: Expr) -> Container {
        self.credentials = Some((username.into(), password));
        self
    }

    /// An environment variable of the container.
    pub fn env(mut self, name: &str, value: impl Into<Text>) -> Container {
        self.env.push((name.to_owned(), value.into()));
        self
    }

    /// A port to expose (`5432`, `8080:80`).
    pub fn port(mut self, port: &str) -> Container {
        self.ports.push(port.to_owned());
        self
    }

    /// A volume to mount (`name:/path`).
    pub fn volume(mut self, volume: &str) -> Container {
        self.volumes.push(volume.to_owned());
        self
    }

    /// Extra `docker create` options.
    pub fn options(mut self, options: &str) -> Container {
        self.options = Some(options.to_owned());
        self
    }
}

/// A job: where it runs and what its token may do are required; the rest is optional.
/// Steps are added through the workflow ([`crate::Workflow::step`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub(crate) name: Option<Text>,
    pub(crate) needs: Vec<JobRef>,
    pub(crate) runs_on: RunsOn,
    pub(crate) environment: Option<Environment>,
    pub(crate) permissions: Permissions,
    pub(crate) outputs: Vec<(String, Text)>,
    pub(crate) condition: Option<Expr>,
    pub(crate) env: Vec<(String, Text)>,
    pub(crate) defaults: Option<Defaults>,
    pub(crate) concurrency: Option<Concurrency>,
    pub(crate) timeout_minutes: Option<u32>,
    pub(crate) continue_on_error: bool,
    pub(crate) strategy: Option<Strategy>,
    pub(crate) container: Option<Container>,
    pub(crate) services: Vec<(String, Container)>,
}

impl Job {
    /// A job on `runs_on` whose token holds exactly `permissions`.
    pub fn new(runs_on: impl Into<RunsOn>, permissions: Permissions) -> Job {
        Job {
            name: None,
            needs: Vec::new(),
            runs_on: runs_on.into(),
            environment: None,
            permissions,
            outputs: Vec::new(),
            condition: None,
            env: Vec::new(),
            defaults: None,
            concurrency: None,
            timeout_minutes: None,
            continue_on_error: false,
            strategy: None,
            container: None,
            services: Vec::new(),
        }
    }

    /// The name shown in the run.
    pub fn name(mut self, name: impl Into<Text>) -> Job {
        self.name = Some(name.into());
        self
    }

    /// Runs after `job` succeeded, and may read its outputs.
    pub fn needs(mut self, job: JobRef) -> Job {
        if !self.needs.contains(&job) {
            self.needs.push(job);
        }
        self
    }

    /// Deploys to `environment`.
    pub fn environment(mut self, environment: Environment) -> Job {
        self.environment = Some(environment);
        self
    }

    /// Runs only when `condition` holds.
    pub fn if_(mut self, condition: Expr) -> Job {
        self.condition = Some(condition);
        self
    }

    /// Sets the environment variable `name` for every step of the job.
    pub fn env(mut self, name: &str, value: impl Into<Text>) -> Job {
        self.env.push((name.to_owned(), value.into()));
        self
    }

    /// Defaults for the job's `run` steps.
    pub fn defaults(mut self, defaults: Defaults) -> Job {
        self.defaults = Some(defaults);
        self
    }

    /// The job's concurrency group.
    pub fn concurrency(mut self, concurrency: Concurrency) -> Job {
        self.concurrency = Some(concurrency);
        self
    }

    /// Cancels the job after `minutes` (GitHub's default is 360).
    pub fn timeout_minutes(mut self, minutes: u32) -> Job {
        self.timeout_minutes = Some(minutes);
        self
    }

    /// Lets the workflow go on when this job fails.
    pub fn continue_on_error(mut self, yes: bool) -> Job {
        self.continue_on_error = yes;
        self
    }

    /// Runs the job once per combination of a matrix.
    pub fn strategy(mut self, strategy: Strategy) -> Job {
        self.strategy = Some(strategy);
        self
    }

    /// Runs the job's steps inside `container`.
    pub fn container(mut self, container: Container) -> Job {
        self.container = Some(container);
        self
    }

    /// A service container `name` beside the job (a database, a cache).
    pub fn service(mut self, name: &str, container: Container) -> Job {
        self.services.push((name.to_owned(), container));
        self
    }
}

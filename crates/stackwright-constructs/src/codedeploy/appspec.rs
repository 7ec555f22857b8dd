//! The `appspec.yml` of a deployment to EC2 or on-premises instances: which files of the
//! revision go where, with which permissions, and the scripts run at each lifecycle event.
//! Checked as CodeDeploy checks it before a deployment starts.

use stackwright_core::Scope;
use stackwright_core::emit::{self, Node};

use crate::Duration;
use crate::codebuild::Project;
use crate::codebuild::output_files::OutputFile;

/// CodeDeploy's limit on the scripts of one lifecycle event, together.
const MAX_EVENT_SECONDS: u64 = 3_600;

/// The operating system of the instances (`os`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ServerOs {
    /// `linux`: Amazon Linux, Ubuntu Server, RHEL.
    Linux,
    /// `windows`: Windows Server; no `permissions` and no `runas`.
    Windows,
}

impl ServerOs {
    fn name(self) -> &'static str {
        match self {
            ServerOs::Linux => "linux",
            ServerOs::Windows => "windows",
        }
    }
}

/// What CodeDeploy does with a file that is already at a destination and that the last
/// deployment did not put there (`file_exists_behavior`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileExistsBehavior {
    /// `DISALLOW`: the deployment fails (CodeDeploy's default).
    Disallow,
    /// `OVERWRITE`: the revision's file replaces it.
    Overwrite,
    /// `RETAIN`: the file on the instance stays.
    Retain,
}

impl FileExistsBehavior {
    fn name(self) -> &'static str {
        match self {
            FileExistsBehavior::Disallow => "DISALLOW",
            FileExistsBehavior::Overwrite => "OVERWRITE",
            FileExistsBehavior::Retain => "RETAIN",
        }
    }
}

/// A lifecycle event of a deployment to instances that runs scripts (a `hooks` key).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ServerHook {
    /// `ApplicationStop`: before the revision is downloaded, with the previous revision's
    /// scripts.
    ApplicationStop,
    /// `BeforeInstall`: before the files are copied.
    BeforeInstall,
    /// `AfterInstall`: after the files are copied.
    AfterInstall,
    /// `ApplicationStart`: starts the application.
    ApplicationStart,
    /// `ValidateService`: checks the deployment worked.
    ValidateService,
    /// `BeforeBlockTraffic`: before the instance leaves the load balancer.
    BeforeBlockTraffic,
    /// `AfterBlockTraffic`: after the instance left the load balancer.
    AfterBlockTraffic,
    /// `BeforeAllowTraffic`: before the instance joins the load balancer.
    BeforeAllowTraffic,
    /// `AfterAllowTraffic`: after the instance joined the load balancer.
    AfterAllowTraffic,
    /// A name [`from_name`](ServerHook::from_name) did not know; an error at synth.
    Unknown(String),
}

/// The events that run scripts, in the order CodeDeploy runs them.
const HOOKS: &[ServerHook] = &[
    ServerHook::ApplicationStop,
    ServerHook::BeforeInstall,
    ServerHook::AfterInstall,
    ServerHook::ApplicationStart,
    ServerHook::ValidateService,
    ServerHook::BeforeBlockTraffic,
    ServerHook::AfterBlockTraffic,
    ServerHook::BeforeAllowTraffic,
    ServerHook::AfterAllowTraffic,
];

/// Events CodeDeploy runs itself, which take no scripts.
const RESERVED: &[&str] =
    &["Start", "DownloadBundle", "Install", "BlockTraffic", "AllowTraffic", "End"];

/// Events of the other compute platforms, with the platform as the message names it.
const OTHER_PLATFORMS: &[(&str, &str)] = &[
    ("BeforeAllowTestTraffic", "an ECS"),
    ("AfterAllowTestTraffic", "an ECS"),
    ("BeforeTraffic", "a Lambda"),
    ("AfterTraffic", "a Lambda"),
];

impl ServerHook {
    /// The event of this name (`BeforeInstall`); any other name is kept and reported at
    /// synth.
    pub fn from_name(name: &str) -> ServerHook {
        HOOKS
            .iter()
            .find(|h| h.name() == name)
            .cloned()
            .unwrap_or_else(|| ServerHook::Unknown(name.to_owned()))
    }

    /// The event's name as the appspec writes it.
    pub fn name(&self) -> &str {
        match self {
            ServerHook::ApplicationStop => "ApplicationStop",
            ServerHook::BeforeInstall => "BeforeInstall",
            ServerHook::AfterInstall => "AfterInstall",
            ServerHook::ApplicationStart => "ApplicationStart",
            ServerHook::ValidateService => "ValidateService",
            ServerHook::BeforeBlockTraffic => "BeforeBlockTraffic",
            ServerHook::AfterBlockTraffic => "AfterBlockTraffic",
            ServerHook::BeforeAllowTraffic => "BeforeAllowTraffic",
            ServerHook::AfterAllowTraffic => "AfterAllowTraffic",
            ServerHook::Unknown(n) => n,
        }
    }

    fn order(&self) -> usize {
        HOOKS.iter().position(|h| h == self).unwrap_or(HOOKS.len())
    }

    /// Whether the event happens only where a load balancer is.
    fn is_traffic(&self) -> bool {
        matches!(
            self,
            ServerHook::BeforeBlockTraffic
                | ServerHook::AfterBlockTraffic
                | ServerHook::BeforeAllowTraffic
                | ServerHook::AfterAllowTraffic
        )
    }
}

/// A script run at a lifecycle event.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Script {
    location: String,
    timeout: Option<Duration>,
    runas: Option<String>,
}

impl Script {
    /// Runs the script at `location`, relative to the revision's root (`scripts/start.sh`),
    /// with CodeDeploy's default timeout of an hour, as the agent's user.
    pub fn new(location: impl Into<String>) -> Script {
        Script { location: location.into(), timeout: None, runas: None }
    }

    /// Fails the script after this long (whole seconds; the scripts of one event together
    /// take at most an hour).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// Runs the script as this user (Linux only).
    pub fn runas(mut self, user: impl Into<String>) -> Self {
        self.runas = Some(user.into());
        self
    }
}

/// A file or folder of the revision copied onto the instance (`files`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AppSpecFile {
    source: String,
    destination: String,
}

impl AppSpecFile {
    /// Copies `source` (relative to the revision's root; `/` for all of it) to
    /// `destination`, an absolute path on the instance.
    pub fn new(source: impl Into<String>, destination: impl Into<String>) -> AppSpecFile {
        AppSpecFile { source: source.into(), destination: destination.into() }
    }
}

/// What a [`Permission`] applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PermissionType {
    /// `file`.
    File,
    /// `directory`.
    Directory,
}

/// The owner, group and mode of copied files (`permissions`, Linux only).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Permission {
    object: String,
    pattern: Option<String>,
    owner: Option<String>,
    group: Option<String>,
    mode: Option<String>,
    types: Vec<PermissionType>,
}

impl Permission {
    /// Applies to `object`, an absolute path on the instance that the `files` section
    /// copies to, and (for a folder) what is under it.
    pub fn new(object: impl Into<String>) -> Permission {
        Permission {
            object: object.into(),
            pattern: None,
            owner: None,
            group: None,
            mode: None,
            types: Vec::new(),
        }
    }

    /// Only the names matching this pattern (`**` for all, CodeDeploy's default).
    pub fn pattern(mut self, pattern: impl Into<String>) -> Self {
        self.pattern = Some(pattern.into());
        self
    }

    /// The owning user.
    pub fn owner(mut self, user: impl Into<String>) -> Self {
        self.owner = Some(user.into());
        self
    }

    /// The owning group.
    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    /// The mode in octal, three or four digits (`755`).
    pub fn mode(mut self, mode: impl Into<String>) -> Self {
        self.mode = Some(mode.into());
        self
    }

    /// Applies only to files or only to folders (default both).
    pub fn only(mut self, kind: PermissionType) -> Self {
        if !self.types.contains(&kind) {
            self.types.push(kind);
        }
        self
    }
}

/// The `appspec.yml` of a deployment to EC2 or on-premises instances (`version: 0.0`).
#[derive(Clone, Debug, PartialEq)]
pub struct ServerAppSpec {
    os: ServerOs,
    files: Vec<AppSpecFile>,
    file_exists_behavior: Option<FileExistsBehavior>,
    permissions: Vec<Permission>,
    hooks: Vec<(ServerHook, Vec<Script>)>,
    built_by: Option<Project>,
}

/// A problem of an appspec: its code, what is wrong and how to fix it.
pub(crate) type AppSpecProblem = (&'static str, String, String);

impl ServerAppSpec {
    /// An appspec for instances running `os`, with no files and no scripts yet.
    pub fn new(os: ServerOs) -> ServerAppSpec {
        ServerAppSpec {
            os,
            files: Vec::new(),
            file_exists_behavior: None,
            permissions: Vec::new(),
            hooks: Vec::new(),
            built_by: None,
        }
    }

    /// Copies a file or folder of the revision onto the instances.
    pub fn file(mut self, file: AppSpecFile) -> Self {
        self.files.push(file);
        self
    }

    /// Sets what happens to files already at a destination (CodeDeploy's default: the
    /// deployment fails).
    pub fn file_exists_behavior(mut self, behavior: FileExistsBehavior) -> Self {
        self.file_exists_behavior = Some(behavior);
        self
    }

    /// Sets the owner, group or mode of copied files.
    pub fn permission(mut self, permission: Permission) -> Self {
        self.permissions.push(permission);
        self
    }

    /// Runs `script` at `hook`, after the scripts given for it before.
    pub fn hook(mut self, hook: ServerHook, script: Script) -> Self {
        match self.hooks.iter_mut().find(|(h, _)| *h == hook) {
            Some((_, scripts)) => scripts.push(script),
            None => self.hooks.push((hook, vec![script])),
        }
        self
    }

    /// The build of `project` copies the file into the root of its artifact (the revision
    /// CodeDeploy reads `appspec.yml` from).
    pub fn built_by(mut self, project: &Project) -> Self {
        self.built_by = Some(*project);
        self
    }

    /// Whether a script runs at an event that happens only behind a load balancer.
    pub(crate) fn has_traffic_hooks(&self) -> bool {
        self.hooks.iter().any(|(h, _)| h.is_traffic())
    }

    /// The appspec as a tree: `version`, `os`, `files`, `file_exists_behavior`,
    /// `permissions` and `hooks` (in the order CodeDeploy runs them).
    pub fn to_node(&self) -> Node {
        let s = |t: &str| Node::Str(t.to_owned());
        let mut root =
            vec![("version".to_owned(), Node::Float(0.0)), ("os".to_owned(), s(self.os.name()))];
        if !self.files.is_empty() {
            let files = self
                .files
                .iter()
                .map(|f| {
                    Node::Map(vec![
                        ("source".to_owned(), s(&f.source)),
                        ("destination".to_owned(), s(&f.destination)),
                    ])
                })
                .collect();
            root.push(("files".to_owned(), Node::List(files)));
        }
        if let Some(b) = self.file_exists_behavior {
            root.push(("file_exists_behavior".to_owned(), s(b.name())));
        }
        if !self.permissions.is_empty() {
            let list = self.permissions.iter().map(permission_node).collect();
            root.push(("permissions".to_owned(), Node::List(list)));
        }
        if !self.hooks.is_empty() {
            let mut hooks: Vec<&(ServerHook, Vec<Script>)> = self.hooks.iter().collect();
            hooks.sort_by_key(|(h, _)| h.order());
            let entries = hooks
                .into_iter()
                .map(|(hook, scripts)| {
                    let list = scripts.iter().map(script_node).collect();
                    (hook.name().to_owned(), Node::List(list))
                })
                .collect();
            root.push(("hooks".to_owned(), Node::Map(entries)));
        }
        Node::Map(root)
    }

    /// The appspec as YAML text.
    pub fn to_yaml(&self) -> String {
        emit::to_yaml(&self.to_node())
    }

    /// Reports what CodeDeploy would refuse at `scope`, then writes the appspec at `path`
    /// (`appspec.yml`) in the output folder; the project it is built by copies it into its
    /// artifact.
    pub fn add_file(&self, scope: &mut Scope<'_>, path: impl Into<String>) {
        for (code, message, fix) in self.problems() {
            scope.error(code, message, fix);
        }
        let path = path.into();
        if let Some(project) = &self.built_by {
            project.add_output_file(scope, OutputFile::Plain(path.clone()));
        }
        scope.add_file(path, self.to_yaml());
    }

    /// What CodeDeploy would refuse.
    pub(crate) fn problems(&self) -> Vec<AppSpecProblem> {
        let mut out: Vec<AppSpecProblem> = Vec::new();
        let linux = self.os == ServerOs::Linux;
        for f in &self.files {
            if f.source.is_empty() {
                out.push((
                    "codedeploy.appspec-file",
                    format!("a file copied to `{}` has no source", f.destination),
                    "name it relative to the revision's root, or `/` for all of it".to_owned(),
                ));
            }
            if !is_absolute(&f.destination, self.os) {
                out.push((
                    "codedeploy.appspec-file",
                    format!(
                        "the destination `{}` of `{}` is not an absolute path",
                        f.destination, f.source
                    ),
                    if linux {
                        "start it with `/`, such as /opt/app"
                    } else {
                        "start it with a drive, such as C:\\app"
                    }
                    .to_owned(),
                ));
            }
        }
        if !linux && !self.permissions.is_empty() {
            out.push((
                "codedeploy.appspec-permissions",
                "the appspec sets permissions on Windows instances".to_owned(),
                "CodeDeploy applies permissions on Linux only; leave them out".to_owned(),
            ));
        }
        for p in &self.permissions {
            if linux && !p.object.starts_with('/') {
                out.push((
                    "codedeploy.appspec-permissions",
                    format!("the permission's object `{}` is not an absolute path", p.object),
                    "name the path on the instance, such as /opt/app".to_owned(),
                ));
            }
            if let Some(mode) = &p.mode {
                let octal =
                    (3..=4).contains(&mode.len()) && mode.chars().all(|c| ('0'..='7').contains(&c));
                if !octal {
                    out.push((
                        "codedeploy.appspec-permissions",
                        format!("the mode `{mode}` of `{}` is not an octal mode", p.object),
                        "write three or four octal digits, such as 755 or 0644".to_owned(),
                    ));
                }
            }
        }
        let known: Vec<&str> = HOOKS.iter().map(ServerHook::name).collect();
        for (hook, scripts) in &self.hooks {
            if let ServerHook::Unknown(name) = hook {
                let message = match OTHER_PLATFORMS.iter().find(|(n, _)| n == name) {
                    Some((_, platform)) => format!(
                        "the appspec hook `{name}` does not exist on the EC2/on-premises platform (it is {platform} hook)"
                    ),
                    None if RESERVED.contains(&name.as_str()) => format!(
                        "the lifecycle event `{name}` is run by CodeDeploy itself and takes no scripts"
                    ),
                    None => {
                        format!("`{name}` is not a lifecycle event of the EC2/on-premises platform")
                    }
                };
                out.push((
                    "codedeploy.appspec-hook",
                    message,
                    format!("use one of {}", known.join(", ")),
                ));
            }
            let mut total = 0;
            for script in scripts {
                if script.location.trim().is_empty() {
                    out.push((
                        "codedeploy.appspec-script",
                        format!("a script of {} has no location", hook.name()),
                        "name the script relative to the revision's root, such as scripts/start.sh"
                            .to_owned(),
                    ));
                }
                if script.runas.is_some() && !linux {
                    out.push((
                        "codedeploy.appspec-runas",
                        format!(
                            "the script `{}` of {} runs as another user on Windows",
                            script.location,
                            hook.name()
                        ),
                        "CodeDeploy supports runas on Linux only; leave it out".to_owned(),
                    ));
                }
                let seconds = script.timeout.map_or(MAX_EVENT_SECONDS, |d| d.as_seconds());
                if script.timeout.is_some() && !(1..=MAX_EVENT_SECONDS).contains(&seconds) {
                    out.push((
                        "codedeploy.appspec-timeout",
                        format!(
                            "the script `{}` of {} times out after {}",
                            script.location,
                            hook.name(),
                            Duration::seconds(seconds)
                        ),
                        "CodeDeploy allows 1 to 3600 seconds".to_owned(),
                    ));
                }
                total += seconds;
            }
            if total > MAX_EVENT_SECONDS && scripts.len() > 1 {
                out.push((
                    "codedeploy.appspec-timeout",
                    format!("the scripts of {} may run {total} seconds together (a script without a timeout counts 3600)", hook.name()),
                    "give the scripts timeouts that add up to at most 3600 seconds, CodeDeploy's limit for one lifecycle event".to_owned(),
                ));
            }
        }
        out
    }
}

fn is_absolute(path: &str, os: ServerOs) -> bool {
    match os {
        ServerOs::Linux => path.starts_with('/'),
        ServerOs::Windows => {
            let b = path.as_bytes();
            b.len() >= 3
                && b[0].is_ascii_alphabetic()
                && b[1] == b':'
                && (b[2] == b'\\' || b[2] == b'/')
        }
    }
}

fn permission_node(p: &Permission) -> Node {
    let s = |t: &str| Node::Str(t.to_owned());
    let mut m = vec![("object".to_owned(), s(&p.object))];
    for (key, value) in
        [("pattern", &p.pattern), ("owner", &p.owner), ("group", &p.group), ("mode", &p.mode)]
    {
        if let Some(v) = value {
            m.push((key.to_owned(), s(v)));
        }
    }
    if !p.types.is_empty() {
        let types = p
            .types
            .iter()
            .map(|t| {
                s(match t {
                    PermissionType::File => "file",
                    PermissionType::Directory => "directory",
                })
            })
            .collect();
        m.push(("type".to_owned(), Node::List(types)));
    }
    Node::Map(m)
}

fn script_node(script: &Script) -> Node {
    let mut m = vec![("location".to_owned(), Node::Str(script.location.clone()))];
    if let Some(t) = script.timeout {
        m.push((
            "timeout".to_owned(),
            Node::Int(i64::try_from(t.as_seconds()).unwrap_or(i64::MAX)),
        ));
    }
    if let Some(user) = &script.runas {
        m.push(("runas".to_owned(), Node::Str(user.clone())));
    }
    Node::Map(m)
}

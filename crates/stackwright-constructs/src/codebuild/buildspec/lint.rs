//! Checks of a buildspec: errors CodeBuild would reject or misrun, and warnings about the
//! practices the article warns against (plain-text secrets, `latest`-only images, tests
//! after the image build).

use super::BuildSpec;

/// Name fragments that mark a variable as secret (compared case-insensitively).
const SECRET_WORDS: &[&str] =
    &["PASSWORD", "SECRET", "TOKEN", "API_KEY", "PRIVATE_KEY", "CREDENTIAL"];

/// Commands that run a test suite, as token sequences.
const TEST_COMMANDS: &[&[&str]] = &[
    &["npm", "test"],
    &["npm", "run", "test"],
    &["yarn", "test"],
    &["pnpm", "test"],
    &["pytest"],
    &["cargo", "test"],
    &["go", "test"],
    &["mvn", "test"],
    &["mvn", "verify"],
    &["gradle", "test"],
    &["./gradlew", "test"],
    &["dotnet", "test"],
];

pub(crate) fn errors(spec: &BuildSpec) -> Vec<String> {
    let mut out = Vec::new();
    env_errors(spec, &mut out);
    if !spec.phases.iter().any(|(_, p)| !p.commands.is_empty()) {
        out.push("the buildspec has no commands; give at least one phase commands".into());
    }
    for (name, p) in spec.phases.iter() {
        if p.is_empty() {
            out.push(format!("phases.{name} is empty; give it commands or leave it out"));
            continue;
        }
        if !p.runtime_versions.is_empty() && name != "install" {
            out.push(format!("phases.{name}: runtime-versions belong in the install phase"));
        }
        for (runtime, version) in &p.runtime_versions {
            if runtime.trim().is_empty() || version.trim().is_empty() {
                out.push(format!(
                    "phases.{name}: runtime-versions `{runtime}: {version}` needs both a runtime and a version"
                ));
            }
        }
        if !p.finally.is_empty() && p.commands.is_empty() {
            out.push(format!(
                "phases.{name}: a finally block runs after commands; add commands or drop finally"
            ));
        }
        if let Some(f) = &p.on_failure
            && !f.is_valid()
        {
            out.push(format!(
                    "phases.{name}: on-failure `{}` is not ABORT, CONTINUE, RETRY, RETRY-<count>, RETRY-<regex> or RETRY-<count>-<regex>",
                    f.as_str()
                ));
        }
        for (i, c) in p.commands.iter().chain(&p.finally).enumerate() {
            if c.trim().is_empty() {
                out.push(format!("phases.{name}: command {} is empty", i + 1));
            }
        }
    }
    for (group, r) in &spec.reports {
        if !group.starts_with("arn:") && !is_report_group_name(group) {
            out.push(format!(
                "reports: `{group}` is not a report group name (2 to 128 letters, digits, `-` and `_`, starting with a letter or digit) or ARN"
            ));
        }
        if r.files.is_empty() {
            out.push(format!("reports.{group}: `files` is empty; list the report files"));
        }
    }
    if let Some(a) = &spec.artifacts {
        if a.files.is_empty() {
            out.push(
                "artifacts: `files` is empty; list the files to upload (`**/*` for all)".into(),
            );
        }
        for (id, s) in &a.secondary {
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                out.push(format!(
                    "artifacts.secondary-artifacts: `{id}` is not an artifact identifier; use letters, digits and `_`"
                ));
            }
            if s.files.is_empty() {
                out.push(format!(
                    "artifacts.secondary-artifacts.{id}: `files` is empty; list the files to upload (`**/*` for all)"
                ));
            }
        }
    }
    if spec.cache_paths.as_ref().is_some_and(Vec::is_empty) {
        out.push(
            "cache: `paths` is empty; list the paths to keep between builds, or leave cache out"
                .into(),
        );
    }
    out
}

fn env_errors(spec: &BuildSpec, out: &mut Vec<String>) {
    let env = &spec.env;
    let names = |m: &[(String, String)]| m.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    let sections: [(&str, Vec<String>); 4] = [
        ("variables", names(&env.variables)),
        ("parameter-store", names(&env.parameter_store)),
        ("secrets-manager", names(&env.secrets_manager)),
        ("exported-variables", env.exported_variables.clone()),
    ];
    for (section, names) in &sections {
        for name in names {
            if let Some(m) = variable_name_problem(name) {
                out.push(format!("env.{section}: {m}"));
            }
        }
    }
    // A variable defined twice: which value wins is up to CodeBuild, and a secret shadowed
    // by a plain-text value is a leak.
    for (i, (a, a_names)) in sections[..3].iter().enumerate() {
        for (b, b_names) in &sections[i + 1..3] {
            for n in a_names.iter().filter(|n| b_names.contains(n)) {
                out.push(format!(
                    "env: `{n}` is defined in both env.{a} and env.{b}; define it once"
                ));
            }
        }
    }
    for (name, value) in &env.variables {
        if value.contains("{{resolve:") {
            out.push(format!(
                "env.variables: `{name}` holds a `{{{{resolve:...}}}}` dynamic reference, which CodeBuild does not resolve; read secrets through env.parameter-store or env.secrets-manager"
            ));
        }
    }
    for name in &env.exported_variables {
        for (section, list) in
            [("parameter-store", &env.parameter_store), ("secrets-manager", &env.secrets_manager)]
        {
            if list.iter().any(|(n, _)| n == name) {
                out.push(format!(
                    "env.exported-variables: `{name}` comes from env.{section}; exported variables are visible in the pipeline, so never export a secret"
                ));
            }
        }
    }
    for (name, parameter) in &env.parameter_store {
        if parameter.trim().is_empty() || parameter.contains(char::is_whitespace) {
            out.push(format!(
                "env.parameter-store: `{name}` must name an SSM parameter, such as /myapp/prod/db-password"
            ));
        }
    }
    for (name, secret) in &env.secrets_manager {
        if crate::arns::secret_id(secret).trim().is_empty() {
            out.push(format!(
                "env.secrets-manager: `{name}` must name a secret: secret-id[:json-key[:version-stage[:version-id]]]"
            ));
        }
    }
}

/// What is wrong with an environment variable name, if anything.
pub(crate) fn variable_name_problem(name: &str) -> Option<String> {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Some(format!(
            "`{name}` is not a valid variable name; use letters, digits and `_`, not starting with a digit"
        ));
    }
    if name.to_ascii_uppercase().starts_with("CODEBUILD_") {
        return Some(format!(
            "`{name}` starts with CODEBUILD_, a prefix CodeBuild reserves for its own variables"
        ));
    }
    None
}

/// The plain-text secret rule, one for every place a variable is set in plain text (a
/// buildspec's `env.variables`, a project's environment): a name that suggests a secret, or
/// a value holding an AWS access key ID. `place` introduces the variable in the message;
/// `fix` says where its value should come from instead.
pub(crate) fn plaintext_secret_warnings(
    place: &str,
    name: &str,
    value: Option<&str>,
    fix: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    if looks_secret(name) {
        out.push(format!("{place} `{name}` looks like a secret but is plain text; {fix}"));
    }
    if value.is_some_and(looks_like_access_key) {
        out.push(format!(
            "{place} `{name}` holds what looks like an AWS access key ID; never put credentials \
             in plain text, the build runs with the project's role"
        ));
    }
    out
}

/// Whether a variable name suggests a secret.
fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| upper.contains(w))
}

/// Whether a value contains what looks like an AWS access key ID (`AKIA`/`ASIA` and 16
/// uppercase letters or digits).
fn looks_like_access_key(value: &str) -> bool {
    let b = value.as_bytes();
    (0..b.len()).any(|i| {
        (b[i..].starts_with(b"AKIA") || b[i..].starts_with(b"ASIA"))
            && b.len() >= i + 20
            && b[i + 4..i + 20].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    })
}

pub(crate) fn warnings(spec: &BuildSpec) -> Vec<String> {
    let mut out = Vec::new();
    for (name, value) in &spec.env.variables {
        out.extend(plaintext_secret_warnings(
            "env.variables:",
            name,
            Some(value),
            "read it through env.parameter-store or env.secrets-manager",
        ));
    }
    let commands = simple_commands(spec);
    let invocations: Vec<(usize, Docker)> =
        commands.iter().enumerate().filter_map(|(i, c)| docker(c).map(|d| (i, d))).collect();
    let pushes: Vec<&Docker> = invocations
        .iter()
        .map(|(_, d)| d)
        .filter(|d| d.sub == "push" || d.sub == "image push")
        .collect();
    if !pushes.is_empty() && pushes.iter().all(|d| d.pushes_only_latest()) {
        let shown = pushes
            .first()
            .map(|d| format!("docker {} {}", d.sub, d.image().unwrap_or_default()))
            .unwrap_or_default();
        out.push(format!(
            "the buildspec pushes images only with the `latest` tag (`{shown}`); also tag and push them with the source revision ($CODEBUILD_RESOLVED_SOURCE_VERSION) so every deployment traces to a commit"
        ));
    }
    let first_build = invocations.iter().find(|(_, d)| d.is_build()).map(|(i, _)| *i);
    let first_test = commands.iter().enumerate().find_map(|(i, c)| test_command(c).map(|t| (i, t)));
    if let (Some(build), Some((test_at, test))) = (first_build, first_test)
        && test_at > build
    {
        out.push(format!(
                "the buildspec runs tests (`{test}`) only after `docker build`; run them first (in pre_build) so a failing test stops the build before the image is built"
            ));
    }
    out
}

/// The first command that runs Docker, as `docker <subcommand>`.
pub(crate) fn docker_command(spec: &BuildSpec) -> Option<String> {
    simple_commands(spec).iter().find_map(|c| docker(c)).map(|d| format!("docker {}", d.sub))
}

/// Every simple command of the buildspec in run order: phases in order, each phase's
/// commands then its finally block, split at `&&`, `||`, `;`, `|` and newlines.
fn simple_commands(spec: &BuildSpec) -> Vec<String> {
    let mut out = Vec::new();
    for (_, p) in spec.phases.iter() {
        for c in p.commands.iter().chain(&p.finally) {
            out.extend(
                c.split([';', '|', '&', '\n'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
            );
        }
    }
    out
}

/// A `docker` invocation: its subcommand (`build`, `push`, `buildx build`) and arguments.
struct Docker {
    sub: String,
    args: Vec<String>,
}

impl Docker {
    fn is_build(&self) -> bool {
        matches!(self.sub.as_str(), "build" | "buildx build" | "image build")
    }

    /// The image argument (the first one that is not a flag), quotes removed.
    fn image(&self) -> Option<String> {
        self.args
            .iter()
            .find(|a| !a.starts_with('-'))
            .map(|a| a.trim_matches(|c| c == '"' || c == '\'').to_owned())
    }

    /// Whether this push sends only the `latest` tag (no tag means `latest`).
    fn pushes_only_latest(&self) -> bool {
        if self.args.iter().any(|a| a == "-a" || a == "--all-tags") {
            return false;
        }
        let Some(image) = self.image() else {
            return false;
        };
        let last = image.rsplit('/').next().unwrap_or(&image);
        if last.contains('@') {
            return false;
        }
        match last.rsplit_once(':') {
            Some((_, tag)) => tag == "latest",
            None => true,
        }
    }
}

fn docker(command: &str) -> Option<Docker> {
    let tokens: Vec<&str> = command.split_whitespace().collect();
    // The program is the first word after `sudo` and `NAME=value` assignments, so an
    // `echo` that mentions docker is not a docker command.
    let at = tokens.iter().position(|t| !(*t == "sudo" || t.contains('=')))?;
    if !(tokens[at] == "docker" || tokens[at].ends_with("/docker")) {
        return None;
    }
    let mut rest = tokens[at + 1..].iter().skip_while(|t| t.starts_with('-'));
    let mut sub = (*rest.next()?).to_owned();
    if matches!(sub.as_str(), "buildx" | "image" | "container")
        && let Some(next) = rest.next()
    {
        sub = format!("{sub} {next}");
    }
    Some(Docker { sub, args: rest.map(|t| (*t).to_owned()).collect() })
}

/// The test command a simple command runs, if any.
fn test_command(command: &str) -> Option<String> {
    let tokens: Vec<&str> = command.split_whitespace().collect();
    TEST_COMMANDS
        .iter()
        .find(|pattern| tokens.windows(pattern.len()).any(|w| w == **pattern))
        .map(|pattern| pattern.join(" "))
}

fn is_report_group_name(name: &str) -> bool {
    (2..=128).contains(&name.len())
        && name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_keys_are_recognised() {
        assert!(looks_like_access_key("AKIAIOSFODNN7EXAMPLE"));
        assert!(looks_like_access_key("key=ASIAIOSFODNN7EXAMPLE;"));
        assert!(!looks_like_access_key("AKIAshort"));
        assert!(!looks_like_access_key("AKIAiosfodnn7example"));
    }

    #[test]
    fn docker_invocations_are_parsed() {
        let d = docker("sudo docker buildx build -t x .").map(|d| d.sub);
        assert_eq!(d.as_deref(), Some("buildx build"));
        let push = docker("docker push \"$REPO:$TAG\"");
        assert_eq!(push.as_ref().and_then(Docker::image).as_deref(), Some("$REPO:$TAG"));
        assert!(push.is_some_and(|p| !p.pushes_only_latest()));
        assert!(docker("docker push registry:5000/app").is_some_and(|p| p.pushes_only_latest()));
        assert!(docker("docker push app@sha256:abc").is_some_and(|p| !p.pushes_only_latest()));
        assert!(docker("echo pushing docker image").is_none());
        assert!(docker("DOCKER_BUILDKIT=1 docker build .").is_some_and(|d| d.is_build()));
        assert!(docker("echo nothing").is_none());
    }

    #[test]
    fn test_commands_match_whole_tokens() {
        assert_eq!(test_command("cargo test --all").as_deref(), Some("cargo test"));
        assert_eq!(test_command("go test ./...").as_deref(), Some("go test"));
        assert_eq!(test_command("python -m pytest -q").as_deref(), Some("pytest"));
        assert_eq!(test_command("npm run build"), None);
    }
}

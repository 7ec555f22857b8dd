//! Companion files a build puts into its output artifact. `taskdef.json` and `appspec.yml`
//! are written into the output folder, which is committed with the source; the build copies
//! them from there into its artifact, replacing the values only the deployed stack knows
//! (a role ARN without a fixed name) with environment variables the project sets.

use stackwright_core::{App, Val};

use super::{Artifacts, BuildSpec};
use crate::ecs::FargateTaskDefinition;

/// A value of a companion file known only once the stack is deployed: the file holds
/// `<placeholder>`, and the build replaces it with the environment variable `variable`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Substitution {
    pub(crate) placeholder: String,
    pub(crate) variable: String,
    /// What the project sets the variable to; `None` for one CodeBuild sets itself
    /// (`AWS_REGION`).
    pub(crate) value: Option<Val<String>>,
}

/// A file the build puts into its artifact: a companion file copied from the output folder
/// (by its path there), or an image file written from the image the build pushed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum OutputFile {
    /// A file copied as written (`appspec.yml`).
    Plain(String),
    /// The `taskdef.json` of a task definition, with the values it leaves to the build.
    TaskDefinition(String, FargateTaskDefinition),
    /// `imagedefinitions.json` for the ECS deploy action: the task's first container runs
    /// the image of the shell expression.
    ImageDefinitions(FargateTaskDefinition, String),
    /// `imageDetail.json` for the blue/green deploy action: the image of the shell
    /// expression.
    ImageDetail(String),
}

impl OutputFile {
    fn path(&self) -> &str {
        match self {
            OutputFile::Plain(path) | OutputFile::TaskDefinition(path, _) => path,
            OutputFile::ImageDefinitions(..) => "imagedefinitions.json",
            OutputFile::ImageDetail(_) => "imageDetail.json",
        }
    }

    fn substitutions(&self, app: &mut App) -> Vec<Substitution> {
        match self {
            OutputFile::TaskDefinition(_, task) => crate::ecs::deferred_values(app, task),
            _ => Vec::new(),
        }
    }

    /// The command that writes an image file; `None` for a companion file.
    fn image_command(&self, app: &App) -> Option<String> {
        match self {
            OutputFile::ImageDefinitions(task, image) => {
                let state = app.state(task.node())?;
                let container = state.containers().first()?;
                Some(crate::ecs::ImageDefinitions::build_command(container.name(), image))
            }
            OutputFile::ImageDetail(image) => {
                Some(format!(r#"printf '{{"ImageURI":"%s"}}' {image} > imageDetail.json"#))
            }
            _ => None,
        }
    }
}

/// Adds to `spec` the `post_build` commands that copy each file from the output folder (in
/// the source) into the build's working directory with its placeholders replaced, and lists
/// each in the artifact. Returns the environment variables the project must set.
pub(crate) fn add_to_buildspec(
    app: &mut App,
    files: &[OutputFile],
    spec: &mut BuildSpec,
) -> Vec<(String, Val<String>)> {
    let mut variables: Vec<(String, Val<String>)> = Vec::new();
    let mut commands = Vec::new();
    for file in files {
        let dest = file.path().to_owned();
        if let Some(command) = file.image_command(app) {
            commands.push(command);
        }
        let source = app.source_path_of(&dest);
        let substitutions = file.substitutions(app);
        for s in &substitutions {
            if let Some(value) = &s.value {
                if !variables.iter().any(|(name, _)| *name == s.variable) {
                    variables.push((s.variable.clone(), value.clone()));
                }
            }
        }
        let companion = matches!(file, OutputFile::Plain(_) | OutputFile::TaskDefinition(..));
        if let Some(command) = copy_command(&source, &dest, &substitutions).filter(|_| companion) {
            commands.push(command);
        }
        let artifacts = spec.artifacts.get_or_insert_with(|| Artifacts::new(Vec::<String>::new()));
        if !artifacts.files.contains(&dest) {
            artifacts.files.push(dest);
        }
    }
    if !commands.is_empty() {
        let phase = spec.phases.post_build.take().unwrap_or_default();
        spec.phases.post_build = Some(phase.commands(commands));
    }
    variables
}

/// The command that puts `source` at `dest` with `substitutions` applied; `None` when the
/// file is already there as it should be.
fn copy_command(source: &str, dest: &str, substitutions: &[Substitution]) -> Option<String> {
    let mkdir = match dest.rsplit_once('/') {
        Some((dir, _)) if source != dest => format!("mkdir -p {} && ", quote(dir)),
        _ => String::new(),
    };
    if substitutions.is_empty() {
        return (source != dest).then(|| format!("{mkdir}cp {} {}", quote(source), quote(dest)));
    }
    // `|` delimits the expressions: ARNs and region names never hold it.
    let expressions: Vec<String> = substitutions
        .iter()
        .map(|s| format!("-e \"s|<{}>|${}|g\"", s.placeholder, s.variable))
        .collect();
    let expressions = expressions.join(" ");
    Some(if source == dest {
        format!("sed -i {expressions} {}", quote(dest))
    } else {
        format!("{mkdir}sed {expressions} {} > {}", quote(source), quote(dest))
    })
}

/// `path` as one shell word.
fn quote(path: &str) -> String {
    if !path.is_empty() && path.chars().all(|c| c.is_ascii_alphanumeric() || "_-./".contains(c)) {
        path.to_owned()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(placeholder: &str, variable: &str) -> Substitution {
        Substitution { placeholder: placeholder.into(), variable: variable.into(), value: None }
    }

    #[test]
    fn copies_from_the_output_folder_and_fills_in_placeholders() {
        assert_eq!(
            copy_command("stacks/appspec.yml", "appspec.yml", &[]).as_deref(),
            Some("cp stacks/appspec.yml appspec.yml")
        );
        assert_eq!(copy_command("appspec.yml", "appspec.yml", &[]), None);
        let subs = [
            sub("EXECUTION_ROLE_ARN", "MYAPP_EXECUTION_ROLE_ARN"),
            sub("AWS_REGION", "AWS_REGION"),
        ];
        assert_eq!(
            copy_command("infra/stacks/taskdef.json", "taskdef.json", &subs).as_deref(),
            Some(
                r#"sed -e "s|<EXECUTION_ROLE_ARN>|$MYAPP_EXECUTION_ROLE_ARN|g" -e "s|<AWS_REGION>|$AWS_REGION|g" infra/stacks/taskdef.json > taskdef.json"#
            )
        );
        assert_eq!(
            copy_command("taskdef.json", "taskdef.json", &subs[1..]).as_deref(),
            Some(r#"sed -i -e "s|<AWS_REGION>|$AWS_REGION|g" taskdef.json"#)
        );
        assert_eq!(
            copy_command("my stacks/deploy/app spec.yml", "deploy/app spec.yml", &[]).as_deref(),
            Some("mkdir -p deploy && cp 'my stacks/deploy/app spec.yml' 'deploy/app spec.yml'")
        );
    }
}

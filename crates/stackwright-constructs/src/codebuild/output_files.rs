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

    fn substitutions(&self, app: &App) -> Vec<Substitution> {
        match self {
            OutputFile::TaskDefinition(_, task) => crate::ecs::deferred_values(app, task),
            _ => Vec::new(),
        }
    }

    /// The command that writes an image file; `None` for a companion file. The problem and
    /// its fix when the file cannot be written.
    fn image_command(&self, app: &App) -> Result<Option<String>, (String, String)> {
        match self {
            OutputFile::ImageDefinitions(task, image) => {
                let container = crate::ecs::image_container(app, task)?;
                Ok(Some(crate::ecs::ImageDefinitions::build_command(&container, image)))
            }
            OutputFile::ImageDetail(image) => {
                Ok(Some(format!(r#"printf '{{"ImageURI":"%s"}}' {image} > imageDetail.json"#)))
            }
            _ => Ok(None),
        }
    }
}

/// What went wrong adding the files: the message and its fix.
pub(crate) type Problem = (String, String);

/// The environment variables a project sets for the files its build fills in.
pub(crate) type FileVariables = Vec<(String, Val<String>)>;

/// Adds to `spec` the `post_build` commands that copy each file from the output folder (in
/// the source) into the build's source directory with its placeholders replaced, or write
/// it, and lists each in the artifact. Returns the environment variables the project must
/// set, and what went wrong.
pub(crate) fn add_to_buildspec(
    app: &App,
    files: &[OutputFile],
    spec: &mut BuildSpec,
) -> (FileVariables, Vec<Problem>) {
    let mut variables: Vec<(String, Val<String>)> = Vec::new();
    let mut problems = Vec::new();
    let mut commands = Vec::new();
    if let Some(dir) = spec.artifacts.as_ref().and_then(|a| a.base_directory.as_ref()) {
        problems.push((
            format!("the build is to put {} into its artifact, but the artifact's base directory is `{dir}`, where the files are not", files.iter().map(|f| format!("`{}`", f.path())).collect::<Vec<_>>().join(", ")),
            "leave Artifacts::base_directory unset".to_owned(),
        ));
    }
    for file in files {
        let dest = file.path().to_owned();
        match file.image_command(app) {
            Ok(Some(command)) => commands.push(command),
            Ok(None) => {}
            Err(problem) => problems.push(problem),
        }
        let source = app.source_path_of(&dest);
        let substitutions = file.substitutions(app);
        for s in &substitutions {
            let Some(value) = &s.value else { continue };
            match variables.iter().find(|(name, _)| *name == s.variable) {
                None => variables.push((s.variable.clone(), value.clone())),
                Some((_, other)) if other == value => {}
                Some(_) => problems.push((
                    format!("two files the build fills in need the environment variable `{}` with different values", s.variable),
                    "give the task definitions families that differ in more than `-` and `_`, or build them with different projects".to_owned(),
                )),
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
    (variables, problems)
}

/// The command that puts `source` at `dest` (both relative to the source directory, so an
/// earlier `cd` does not matter) with `substitutions` applied; `None` when the file is
/// already there as it should be.
fn copy_command(source: &str, dest: &str, substitutions: &[Substitution]) -> Option<String> {
    let mkdir = match dest.rsplit_once('/') {
        Some((dir, _)) if source != dest => format!("mkdir -p {} && ", in_source(dir)),
        _ => String::new(),
    };
    if substitutions.is_empty() {
        return (source != dest)
            .then(|| format!("{mkdir}cp {} {}", in_source(source), in_source(dest)));
    }
    // `|` delimits the expressions: ARNs and region names never hold it.
    let expressions: Vec<String> = substitutions
        .iter()
        .map(|s| format!("-e \"s|<{}>|${}|g\"", s.placeholder, s.variable))
        .collect();
    let expressions = expressions.join(" ");
    Some(if source == dest {
        format!("sed -i {expressions} {}", in_source(dest))
    } else {
        format!("{mkdir}sed {expressions} {} > {}", in_source(source), in_source(dest))
    })
}

/// `path` under the build's source directory, as one double-quoted shell word.
fn in_source(path: &str) -> String {
    let mut escaped = String::with_capacity(path.len());
    for c in path.chars() {
        if matches!(c, '"' | '$' | '`' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    format!("\"$CODEBUILD_SRC_DIR/{escaped}\"")
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
            Some(r#"cp "$CODEBUILD_SRC_DIR/stacks/appspec.yml" "$CODEBUILD_SRC_DIR/appspec.yml""#)
        );
        assert_eq!(copy_command("appspec.yml", "appspec.yml", &[]), None);
        let subs = [
            sub("EXECUTION_ROLE_ARN", "MYAPP_EXECUTION_ROLE_ARN"),
            sub("AWS_REGION", "AWS_REGION"),
        ];
        assert_eq!(
            copy_command("infra/stacks/taskdef.json", "taskdef.json", &subs).as_deref(),
            Some(
                r#"sed -e "s|<EXECUTION_ROLE_ARN>|$MYAPP_EXECUTION_ROLE_ARN|g" -e "s|<AWS_REGION>|$AWS_REGION|g" "$CODEBUILD_SRC_DIR/infra/stacks/taskdef.json" > "$CODEBUILD_SRC_DIR/taskdef.json""#
            )
        );
        assert_eq!(
            copy_command("taskdef.json", "taskdef.json", &subs[1..]).as_deref(),
            Some(r#"sed -i -e "s|<AWS_REGION>|$AWS_REGION|g" "$CODEBUILD_SRC_DIR/taskdef.json""#)
        );
        assert_eq!(
            copy_command("my $stacks/deploy/app spec.yml", "deploy/app spec.yml", &[]).as_deref(),
            Some(
                r#"mkdir -p "$CODEBUILD_SRC_DIR/deploy" && cp "$CODEBUILD_SRC_DIR/my \$stacks/deploy/app spec.yml" "$CODEBUILD_SRC_DIR/deploy/app spec.yml""#
            )
        );
    }
}

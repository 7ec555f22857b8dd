//! What a build job of a pipeline workflow runs and sets in its environment: the project's
//! buildspec as CodeBuild runs it (with the commands synth adds for the companion and image
//! files), the project's own variables and the variables those files need, each from where a
//! GitHub runner can read it.

use stackwright_aws::codebuild::project as l1;
use stackwright_core::{App, Val};

use crate::codebuild::{BuildSpec, Project};

/// Where a build job's variable gets its value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum JobValue {
    /// Known text: set in the steps' environment.
    Text(String),
    /// A Parameter Store parameter of this name, read through the role.
    Parameter(String),
    /// A Secrets Manager reference (`id[:json-key]`), read through the role.
    Secret(String),
    /// Known only once the stack is deployed: an output of this name, which the workflow's
    /// construct adds to its stack with this value, read through the role.
    StackOutput(String, Val<String>),
}

/// The buildspec a build job runs and the variables it sets apart from the buildspec's
/// plain ones: the buildspec's parameters and secrets the project does not set, then the
/// project's variables (those the companion files need among them). A name is set once, by
/// whoever CodeBuild lets win: the project over the buildspec.
#[derive(Clone, Debug)]
pub(crate) struct BuildEnv {
    pub(crate) spec: BuildSpec,
    pub(crate) values: Vec<(String, JobValue)>,
    /// Variables of the project whose parameter or secret is named by a value known only
    /// once deployed.
    pub(crate) unreadable: Vec<String>,
}

impl BuildEnv {
    /// The outputs the job reads from the stack.
    pub(crate) fn stack_outputs(&self) -> impl Iterator<Item = (&str, &Val<String>)> {
        self.values.iter().filter_map(|(_, v)| match v {
            JobValue::StackOutput(name, value) => Some((name.as_str(), value)),
            _ => None,
        })
    }
}

/// What a build job of `project` runs and sets; `None` when stackwright does not write the
/// project's buildspec. `prefix` starts the names of the stack outputs (the workflow's id).
pub(crate) fn build_env(app: &App, project: Project, prefix: &str) -> Option<BuildEnv> {
    let (spec, file_variables) = app.state(project.node())?.completed_buildspec(app)?;
    let mut values: Vec<(String, JobValue)> = Vec::new();
    let mut unreadable = Vec::new();
    let deferred = |name: &str, value: &Val<String>| {
        JobValue::StackOutput(output_name(prefix, name), value.clone())
    };
    let project_variables = app
        .get::<l1::Project>(project.resource())
        .map(|p| p.environment.environment_variables.clone())
        .unwrap_or_default();
    for v in &project_variables {
        let Some(name) = v.name.expr().as_str() else { continue };
        if values.iter().any(|(n, _)| n == name) {
            continue;
        }
        let text = v.value.expr().as_str().map(str::to_owned);
        let kind = v.r#type.as_ref().and_then(|t| t.expr().as_str()).unwrap_or("PLAINTEXT");
        let value = match (kind, text) {
            ("PARAMETER_STORE", Some(t)) => JobValue::Parameter(t),
            ("SECRETS_MANAGER", Some(t)) => JobValue::Secret(t),
            ("PARAMETER_STORE" | "SECRETS_MANAGER", None) => {
                unreadable.push(name.to_owned());
                continue;
            }
            (_, Some(t)) => JobValue::Text(t),
            (_, None) => deferred(name, &v.value),
        };
        values.push((name.to_owned(), value));
    }
    // Once the project has rendered, its resource holds these too.
    for (name, value) in &file_variables {
        if values.iter().any(|(n, _)| n == name) {
            continue;
        }
        let v = match value.expr().as_str() {
            Some(t) => JobValue::Text(t.to_owned()),
            None => deferred(name, value),
        };
        values.push((name.clone(), v));
    }
    // The buildspec's own, first, where the project leaves the name free.
    let buildspec: Vec<(String, JobValue)> = spec
        .env
        .parameter_store
        .iter()
        .map(|(n, p)| (n.clone(), JobValue::Parameter(p.clone())))
        .chain(
            spec.env.secrets_manager.iter().map(|(n, r)| (n.clone(), JobValue::Secret(r.clone()))),
        )
        .filter(|(name, _)| !values.iter().any(|(n, _)| n == name) && !unreadable.contains(name))
        .collect();
    values.splice(0..0, buildspec);
    Some(BuildEnv { spec, values, unreadable })
}

/// The stack output holding variable `name` for the workflow `prefix`: the workflow's id
/// and the variable's words, each capitalised (`Workflow` + `ECR_REPO_URI` ->
/// `WorkflowEcrRepoUri`), letters and digits only as CloudFormation requires.
pub(crate) fn output_name(prefix: &str, name: &str) -> String {
    let mut out: String = prefix.chars().filter(char::is_ascii_alphanumeric).collect();
    for word in name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    out
}

/// The shell line that sets `variable` for the job's later steps to the output `output` of
/// the deployed stack `stack`.
pub(crate) fn read_output_command(stack: &str, variable: &str, output: &str) -> String {
    format!(
        "echo \"{variable}=$(aws cloudformation describe-stacks --stack-name '{stack}' \
         --query \"Stacks[0].Outputs[?OutputKey=='{output}'].OutputValue\" --output text)\" \
         >> \"$GITHUB_ENV\""
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_are_the_workflow_and_the_variable_in_words() {
        assert_eq!(output_name("Workflow", "ECR_REPO_URI"), "WorkflowEcrRepoUri");
        assert_eq!(
            output_name("Git-Hub_Flow", "MYAPP_TASK_ROLE_ARN"),
            "GitHubFlowMyappTaskRoleArn"
        );
        assert_eq!(
            read_output_command("MyApp", "ECR_REPO_URI", "WorkflowEcrRepoUri"),
            "echo \"ECR_REPO_URI=$(aws cloudformation describe-stacks --stack-name 'MyApp' \
             --query \"Stacks[0].Outputs[?OutputKey=='WorkflowEcrRepoUri'].OutputValue\" \
             --output text)\" >> \"$GITHUB_ENV\""
        );
    }
}

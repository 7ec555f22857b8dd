//! SAM: `aws-actions/setup-sam` and the `sam build` / `sam deploy` commands.

use crate::action::ActionRef;
use crate::expr::Value;
use crate::step::{Run, Step, UsesAction};

use super::aws::Capability;

/// The kind of an `aws-actions/setup-sam` step.
#[derive(Debug)]
pub struct SetupSam;
impl UsesAction for SetupSam {}

/// `aws-actions/setup-sam@v2`: installs the SAM CLI, with its native installer.
pub fn setup_sam() -> Step<SetupSam> {
    let mut step = Step::uses_action(ActionRef::new("aws-actions/setup-sam", "v2"));
    step.data.set_input("use-installer", Value::Bool(true));
    step
}

impl<I> Step<SetupSam, I> {
    /// A SAM CLI version (`1.120.0`) instead of the latest.
    pub fn version(mut self, version: &str) -> Self {
        self.data.set_input("version", Value::from(version));
        self
    }
}

/// Quotes `arg` for a POSIX shell when it holds anything but safe characters.
fn sh_quote(arg: &str) -> String {
    let safe = !arg.is_empty()
        && arg.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./=:,@+".contains(&b));
    if safe { arg.to_owned() } else { format!("'{}'", arg.replace('\'', r"'\''")) }
}

/// `sam build` of `template` (usually `template.yaml`).
pub fn sam_build(template: &str) -> Step<Run> {
    Step::run(format!("sam build --template-file {}", sh_quote(template)))
}

/// `sam deploy` of the built template as stack `stack_name`: no confirmation prompt, no
/// failure on an empty change set, and the artifact bucket SAM manages (`--resolve-s3`).
/// `parameter_overrides` are `Key=Value` pairs.
pub fn sam_deploy(
    stack_name: &str,
    capabilities: &[Capability],
    parameter_overrides: &[(&str, &str)],
) -> Step<Run> {
    let mut cmd = format!(
        "sam deploy --stack-name {} --no-confirm-changeset --no-fail-on-empty-changeset --resolve-s3",
        sh_quote(stack_name)
    );
    if !capabilities.is_empty() {
        cmd.push_str(" --capabilities");
        for c in capabilities {
            cmd.push(' ');
            cmd.push_str(c.as_str());
        }
    }
    if !parameter_overrides.is_empty() {
        cmd.push_str(" --parameter-overrides");
        for (k, v) in parameter_overrides {
            cmd.push(' ');
            cmd.push_str(&sh_quote(&format!("{k}={v}")));
        }
    }
    Step::run(cmd)
}

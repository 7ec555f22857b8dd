//! The `env` section: variables, where secrets come from, the shell.

use stackwright_core::{Val, pseudo, sub};

/// The shell commands run in (`env.shell`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Shell {
    /// `bash`.
    Bash,
    /// `/bin/sh`.
    Sh,
    /// `powershell.exe` (Windows images).
    PowerShell,
    /// `cmd.exe` (Windows images).
    Cmd,
}

impl Shell {
    pub(crate) fn as_str(&self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Sh => "/bin/sh",
            Shell::PowerShell => "powershell.exe",
            Shell::Cmd => "cmd.exe",
        }
    }
}

/// The `env` section. Maps keep the order variables were added in.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Env {
    pub(crate) shell: Option<Shell>,
    pub(crate) variables: Vec<(String, String)>,
    pub(crate) parameter_store: Vec<(String, String)>,
    pub(crate) exported_variables: Vec<String>,
    pub(crate) secrets_manager: Vec<(String, String)>,
    pub(crate) git_credential_helper: Option<bool>,
}

impl Env {
    pub(crate) fn is_empty(&self) -> bool {
        self.shell.is_none()
            && self.variables.is_empty()
            && self.parameter_store.is_empty()
            && self.exported_variables.is_empty()
            && self.secrets_manager.is_empty()
            && self.git_credential_helper.is_none()
    }
}

/// Sets `name` in an ordered map, replacing an earlier value in place.
pub(crate) fn set(map: &mut Vec<(String, String)>, name: String, value: String) {
    match map.iter_mut().find(|(n, _)| *n == name) {
        Some((_, v)) => *v = value,
        None => map.push((name, value)),
    }
}

/// The ARN of an SSM parameter given by name (`/myapp/prod/db-password`) or by ARN.
pub(crate) fn parameter_arn(parameter: &str) -> Val<String> {
    if parameter.starts_with("arn:") {
        return Val::from(parameter);
    }
    sub!(
        "arn:{}:ssm:{}:{}:parameter/{}",
        pseudo::partition(),
        pseudo::region(),
        pseudo::account_id(),
        parameter.trim_start_matches('/')
    )
}

/// The secret part of a Secrets Manager reference `secret-id[:json-key[:stage[:version]]]`,
/// where the secret id is a name or an ARN (which has colons of its own).
pub(crate) fn secret_id(reference: &str) -> &str {
    if reference.starts_with("arn:") {
        // arn:partition:secretsmanager:region:account:secret:name -> 7 fields.
        let mut end = reference.len();
        let mut colons = 0;
        for (i, c) in reference.char_indices() {
            if c == ':' {
                colons += 1;
                if colons == 7 {
                    end = i;
                    break;
                }
            }
        }
        &reference[..end]
    } else {
        reference.split(':').next().unwrap_or(reference)
    }
}

/// The resource a reference to a secret needs `secretsmanager:GetSecretValue` on. Secret
/// ARNs end in a random six-character suffix, so a name matches `<name>-*`, and a (possibly
/// partial) ARN matches `<arn>*`.
pub(crate) fn secret_arn(reference: &str) -> Val<String> {
    let id = secret_id(reference);
    if id.starts_with("arn:") {
        return Val::from(format!("{id}*"));
    }
    sub!(
        "arn:{}:secretsmanager:{}:{}:secret:{}-*",
        pseudo::partition(),
        pseudo::region(),
        pseudo::account_id(),
        id
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_ids_drop_the_json_key_and_versions() {
        assert_eq!(secret_id("prod/myapp:api_key"), "prod/myapp");
        assert_eq!(secret_id("prod/myapp"), "prod/myapp");
        assert_eq!(
            secret_id(
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:password::"
            ),
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"
        );
        assert_eq!(
            secret_id("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db"),
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db"
        );
    }
}

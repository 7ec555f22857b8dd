//! The `env` section: variables, where secrets come from, the shell.

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

#[cfg(test)]
mod tests {
    use crate::arns::secret_id;

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

//! ARNs of the SSM parameters and Secrets Manager secrets a build or a task reads, for the
//! least-privilege statements that let it read them.

use stackwright_core::{Val, pseudo, sub};

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

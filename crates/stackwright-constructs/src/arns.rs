//! ARNs of the SSM parameters and Secrets Manager secrets a build or a task reads, for the
//! least-privilege statements that let it read them.

use stackwright_core::{Arn, Val, sub};

/// The ARN of an SSM parameter given by name (`/myapp/prod/db-password`) or by ARN.
pub(crate) fn parameter_arn(parameter: &str) -> Val<String> {
    if parameter.starts_with("arn:") {
        return Val::from(parameter);
    }
    Arn::new("ssm", "parameter", parameter.trim_start_matches('/')).to_val()
}

/// The ARN of the S3 bucket `name`.
pub(crate) fn bucket_arn(name: impl Into<Val<String>>) -> Val<String> {
    Arn::new("s3", "", name).global().no_account().to_val()
}

/// The ARN of the objects under `path` (`*`, `prefix/*`, a key) of the S3 bucket `name`.
pub(crate) fn objects_arn(
    name: impl Into<Val<String>>,
    path: impl Into<Val<String>>,
) -> Val<String> {
    sub!("{}/{}", bucket_arn(name), path.into())
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
    Arn::new("secretsmanager", "secret", format!("{id}-*")).colon().to_val()
}

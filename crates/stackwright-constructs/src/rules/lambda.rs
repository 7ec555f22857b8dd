//! Rules for functions, their permissions and their URLs, written as L1 or SAM resources.

use stackwright_core::emit::Node;
use stackwright_core::security::ResourceView;
use stackwright_core::{SecurityRule, Severity};

use super::LAMBDA_TYPES;
use super::checks::text;

/// Environment variables hold no secrets in plain text.
pub static LAMBDA_ENV_SECRETS: SecurityRule = SecurityRule {
    id: "lambda.env-secrets",
    severity: Severity::High,
    resource_types: LAMBDA_TYPES,
    cdk_nag: &[],
    checkov: &["CKV_AWS_45"],
    guard: &[],
    message: "an environment variable holds what looks like a secret in plain text",
    fix: "keep the secret in Secrets Manager or an SSM SecureString parameter and pass its \
          name; the function reads it at start",
    check: env_secrets,
};

/// Names of variables whose literal values are secrets whatever they look like.
const SECRET_NAMES: [&str; 6] = ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "PRIVATE_KEY"];

fn env_secrets(r: &ResourceView<'_>, out: &mut Vec<String>) {
    let Some(Node::Map(vars)) = r.property("Environment.Variables") else { return };
    for (name, value) in vars {
        // A reference is resolved at deployment: not a literal in the template.
        let Node::Str(value) = value else { continue };
        let upper = name.to_ascii_uppercase();
        let named = SECRET_NAMES.iter().any(|s| upper.contains(s)) && !value.is_empty();
        if named || looks_like_secret(value) {
            out.push(name.clone());
        }
    }
}

/// Whether a value holds an AWS access key ID, something shaped like a secret access key
/// (40 characters of base64 standing alone, not a hex digest), or a private key.
fn looks_like_secret(value: &str) -> bool {
    if value.contains("PRIVATE KEY-----") {
        return true;
    }
    let key_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '+' | '=');
    let hex = |w: &str| w.chars().all(|c| c.is_ascii_hexdigit());
    value.split(|c| !key_char(c)).any(|word| {
        let access_key = ["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA"]
            .iter()
            .any(|p| word.starts_with(p))
            && word.len() >= 20
            && word.chars().take(20).all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        access_key || (word.len() == 40 && !hex(word))
    })
}

/// Functions with environment variables encrypt them with a customer key.
pub static LAMBDA_ENV_KMS: SecurityRule = SecurityRule {
    id: "lambda.env-kms",
    severity: Severity::Low,
    resource_types: LAMBDA_TYPES,
    cdk_nag: &[],
    checkov: &["CKV_AWS_173"],
    guard: &["LAMBDA_FUNCTION_ENV_ENCRYPTED"],
    message: "the function's environment variables are encrypted with Lambda's own key, not a \
              customer key",
    fix: "set KmsKeyArn to a key whose policy limits who can decrypt the variables, or \
          suppress when they hold nothing sensitive",
    check: |r, out| {
        let has_vars = matches!(r.property("Environment.Variables"), Some(Node::Map(v)) if !v.is_empty())
            || matches!(r.property("Environment.Variables"), Some(Node::Fn(..)));
        if has_vars && r.property("KmsKeyArn").is_none() {
            out.push(String::new());
        }
    },
};

/// Functions run on a runtime AWS still supports.
pub static LAMBDA_DEPRECATED_RUNTIME: SecurityRule = SecurityRule {
    id: "lambda.deprecated-runtime",
    severity: Severity::Medium,
    resource_types: LAMBDA_TYPES,
    cdk_nag: &["AwsSolutions-L1"],
    checkov: &["CKV_AWS_363"],
    guard: &[],
    message: "the function runs on a runtime AWS has deprecated: it gets no security patches",
    fix: "move to the runtime's successor (the L2 constructs' Runtime enum lists the supported \
          ones)",
    check: |r, out| {
        let Some(runtime) = text(r.property("Runtime")) else { return };
        if crate::runtime::deprecation_warning(runtime).is_some() {
            out.push(runtime.to_owned());
        }
    },
};

/// Permissions given to AWS services name the resource or account that invokes.
pub static LAMBDA_PERMISSION_SOURCE: SecurityRule = SecurityRule {
    id: "lambda.permission-source",
    severity: Severity::Medium,
    resource_types: &["AWS::Lambda::Permission"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_364"],
    guard: &[],
    message: "the permission lets the service invoke the function for any account's resources",
    fix: "set SourceArn to the bucket, topic or rule that invokes it, or SourceAccount to its \
          account",
    check: |r, out| {
        let Some(principal) = text(r.property("Principal")) else { return };
        let service =
            principal.ends_with(".amazonaws.com") || principal.ends_with(".amazonaws.com.cn");
        if service && r.property("SourceArn").is_none() && r.property("SourceAccount").is_none() {
            out.push(principal.to_owned());
        }
    },
};

/// Function URLs authenticate their callers.
pub static LAMBDA_URL_AUTH: SecurityRule = SecurityRule {
    id: "lambda.url-auth",
    severity: Severity::High,
    resource_types: &["AWS::Lambda::Url", "AWS::Serverless::Function"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_258"],
    guard: &[],
    message: "the function URL lets anyone on the internet invoke the function",
    fix: "use AuthType `AWS_IAM` and grant lambda:InvokeFunctionUrl to the callers",
    check: |r, out| {
        let auth = if r.resource_type() == "AWS::Serverless::Function" {
            r.property("FunctionUrlConfig.AuthType")
        } else {
            r.property("AuthType")
        };
        if text(auth) == Some("NONE") {
            out.push(String::new());
        }
    },
};

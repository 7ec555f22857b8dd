//! Rules over what identity policies allow on every resource (`Resource: *`, no condition):
//! actions that return credentials, that read stored data and secrets, and combinations of
//! actions that let a principal raise its own privileges.

use stackwright_core::emit::Node;
use stackwright_core::security::ResourceView;
use stackwright_core::{SecurityRule, Severity};

use super::checks::{items, text};
use super::policies::{IDENTITY_POLICIES, documents};

/// Actions whose responses carry credentials. `ecr:GetAuthorizationToken` is left out: every
/// image pull needs it, it takes no resource, and the token carries only the caller's own
/// permissions.
const RETURN_CREDENTIALS: &[&str] = &[
    "airflow:CreateCliToken",
    "airflow:CreateWebLoginToken",
    "appsync:CreateApiKey",
    "chime:CreateApiKey",
    "cloud9:CreateEnvironmentToken",
    "codeartifact:GetAuthorizationToken",
    "codepipeline:PollForJobs",
    "cognito-identity:GetOpenIdToken",
    "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
    "cognito-identity:GetCredentialsForIdentity",
    "cognito-idp:GetSigningCertificate",
    "connect:GetFederationToken",
    "connect:GetFederationTokens",
    "ec2:GetPasswordData",
    "ecr-public:GetAuthorizationToken",
    "emr-containers:GetManagedEndpointSessionCredentials",
    "finspace-api:GetProgrammaticAccessCredentials",
    "gamelift:RequestUploadCredentials",
    "gamelift:GetInstanceAccess",
    "gamelift:GetComputeAccess",
    "gamelift:GetComputeAuthToken",
    "grafana:CreateWorkspaceApiKey",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "iam:UpdateAccessKey",
    "license-manager:GetAccessToken",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:DownloadDefaultKeyPair",
    "lightsail:CreateBucketAccessKey",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "mediapackage:RotateChannelCredentials",
    "mediapackage:RotateIngestEndpointCredentials",
    "rds-db:Connect",
    "redshift:GetClusterCredentials",
    "redshift:GetClusterCredentialsWithIAM",
    "redshift-serverless:GetCredentials",
    "sso:GetRoleCredentials",
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:GetFederationToken",
    "sts:GetSessionToken",
];

/// Read actions that copy stored data or secrets out.
const READ_DATA: &[&str] = &[
    "s3:GetObject",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "secretsmanager:GetSecretValue",
];

/// Combinations of actions that let a principal give itself more permissions (Rhino Security
/// Labs' published methods), by name.
const ESCALATIONS: &[(&str, &[&str])] = &[
    ("CreateAccessKey", &["iam:CreateAccessKey"]),
    ("CreateLoginProfile", &["iam:CreateLoginProfile"]),
    ("UpdateLoginProfile", &["iam:UpdateLoginProfile"]),
    ("AddUserToGroup", &["iam:AddUserToGroup"]),
    ("CreateNewPolicyVersion", &["iam:CreatePolicyVersion"]),
    ("SetExistingDefaultPolicyVersion", &["iam:SetDefaultPolicyVersion"]),
    ("AttachUserPolicy", &["iam:AttachUserPolicy"]),
    ("AttachGroupPolicy", &["iam:AttachGroupPolicy"]),
    ("AttachRolePolicy", &["iam:AttachRolePolicy", "sts:AssumeRole"]),
    ("PutUserPolicy", &["iam:PutUserPolicy"]),
    ("PutGroupPolicy", &["iam:PutGroupPolicy"]),
    ("PutRolePolicy", &["iam:PutRolePolicy", "sts:AssumeRole"]),
    ("UpdateRolePolicyToAssumeIt", &["iam:UpdateAssumeRolePolicy", "sts:AssumeRole"]),
    ("CreateEC2WithExistingIP", &["iam:PassRole", "ec2:RunInstances"]),
    (
        "PassExistingRoleToNewLambdaThenInvoke",
        &["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
    ),
    (
        "PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo",
        &["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"],
    ),
    ("PassExistingRoleToNewGlueDevEndpoint", &["iam:PassRole", "glue:CreateDevEndpoint"]),
    ("PassExistingRoleToCloudFormation", &["iam:PassRole", "cloudformation:CreateStack"]),
    ("PassExistingRoleToNewDataPipeline", &["iam:PassRole", "datapipeline:CreatePipeline"]),
    ("UpdateExistingGlueDevEndpoint", &["glue:UpdateDevEndpoint"]),
    ("EditExistingLambdaFunctionWithRole", &["lambda:UpdateFunctionCode"]),
];

/// No statement lets the principal fetch credentials from any resource.
pub static IAM_CREDENTIALS_EXPOSURE: SecurityRule = SecurityRule {
    id: "iam.credentials-exposure",
    severity: Severity::High,
    resource_types: IDENTITY_POLICIES,
    cdk_nag: &[],
    checkov: &["CKV_AWS_107"],
    guard: &[],
    message: "the policy allows an action that returns credentials on every resource",
    fix: "name the roles, users or resources the action may be used on, or add a condition",
    check: |r, out| unrestricted_matches(r, RETURN_CREDENTIALS, out),
};

/// No statement lets the principal read every object, parameter or secret.
pub static IAM_DATA_EXFILTRATION: SecurityRule = SecurityRule {
    id: "iam.data-exfiltration",
    severity: Severity::Medium,
    resource_types: IDENTITY_POLICIES,
    cdk_nag: &[],
    checkov: &["CKV_AWS_108"],
    guard: &[],
    message: "the policy allows reading every object, parameter or secret of the account",
    fix: "name the buckets, parameters or secrets it reads (the constructs' grant_* methods do)",
    check: |r, out| unrestricted_matches(r, READ_DATA, out),
};

/// No policy lets the principal raise its own privileges.
pub static IAM_PRIVILEGE_ESCALATION: SecurityRule = SecurityRule {
    id: "iam.privilege-escalation",
    severity: Severity::High,
    resource_types: IDENTITY_POLICIES,
    cdk_nag: &[],
    checkov: &["CKV_AWS_110"],
    guard: &[],
    message: "the policy allows a combination of actions on every resource that lets the \
              principal give itself more permissions",
    fix: "name the resources of each action (which roles it may pass, which policies it may \
          change), or add conditions",
    check: |r, out| {
        for (policy, doc) in documents(r) {
            let allowed = unrestricted_actions(doc);
            for (name, needs) in ESCALATIONS {
                if needs.iter().all(|a| allowed.iter().any(|p| action_matches(p, a))) {
                    out.push(format!("{policy}{name}"));
                }
            }
        }
    },
};

/// The action patterns a document allows on every resource, without conditions.
fn unrestricted_actions(document: &Node) -> Vec<&str> {
    items(document.get("Statement"))
        .into_iter()
        .filter(|s| {
            text(s.get("Effect")).is_none_or(|e| e == "Allow")
                && s.get("Condition").is_none()
                && items(s.get("Resource")).into_iter().any(|r| text(Some(r)) == Some("*"))
        })
        .flat_map(|s| items(s.get("Action")).into_iter().filter_map(|a| text(Some(a))))
        .collect()
}

/// A finding per listed action (`policy: action`) that the documents allow unrestricted.
fn unrestricted_matches(r: &ResourceView<'_>, listed: &[&str], out: &mut Vec<String>) {
    for (policy, doc) in documents(r) {
        let allowed = unrestricted_actions(doc);
        for action in listed {
            if allowed.iter().any(|p| action_matches(p, action)) {
                out.push(format!("{policy}{action}"));
            }
        }
    }
}

/// Whether an IAM action pattern (`s3:Get*`, `*`) matches `action`, as IAM compares them:
/// case-insensitively, `*` for any run of characters and `?` for one.
fn action_matches(pattern: &str, action: &str) -> bool {
    fn go(p: &[u8], a: &[u8]) -> bool {
        match p.split_first() {
            None => a.is_empty(),
            Some((b'*', rest)) => (0..=a.len()).any(|i| go(rest, &a[i..])),
            Some((b'?', rest)) => !a.is_empty() && go(rest, &a[1..]),
            Some((c, rest)) => {
                a.first().is_some_and(|x| x.eq_ignore_ascii_case(c)) && go(rest, &a[1..])
            }
        }
    }
    go(pattern.as_bytes(), action.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::action_matches;

    #[test]
    fn action_patterns_match_as_iam_matches_them() {
        assert!(action_matches("s3:Get*", "s3:GetObject"));
        assert!(action_matches("S3:getobject", "s3:GetObject"));
        assert!(action_matches("*", "sts:AssumeRole"));
        assert!(action_matches("sts:Assume?ole", "sts:AssumeRole"));
        assert!(!action_matches("s3:Put*", "s3:GetObject"));
        assert!(!action_matches("s3:GetObject", "s3:GetObjectAcl"));
    }
}

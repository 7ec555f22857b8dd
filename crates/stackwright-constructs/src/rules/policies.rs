//! Rules over policy documents: identity policies, trust policies, key policies and
//! repository policies.

use stackwright_core::emit::Node;
use stackwright_core::security::ResourceView;
use stackwright_core::{SecurityRule, Severity};

use super::checks::{items, principal_is_anyone, statement_name, text};

/// The types that hold identity policies, inline (`Policies`) or as a document of their own.
pub(super) const IDENTITY_POLICIES: &[&str] = &[
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::Group",
    "AWS::IAM::Role",
    "AWS::IAM::User",
];

/// Policies are attached to roles or groups, never to users.
pub static IAM_USER_POLICY: SecurityRule = SecurityRule {
    id: "iam.user-policy",
    severity: Severity::Medium,
    resource_types: &["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_40"],
    guard: &["IAM_USER_NO_POLICIES_CHECK"],
    message: "the policy is attached to IAM users",
    fix: "attach it to a group the users belong to, or to a role they assume",
    check: |r, out| {
        if !items(r.property("Users")).is_empty() {
            out.push(String::new());
        }
    },
};

/// No statement allows every action on every resource.
pub static IAM_ADMIN_STATEMENT: SecurityRule = SecurityRule {
    id: "iam.admin-statement",
    severity: Severity::High,
    resource_types: IDENTITY_POLICIES,
    cdk_nag: &["AwsSolutions-IAM5"],
    checkov: &["CKV_AWS_62"],
    guard: &["IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS"],
    message: "a statement allows every action on every resource (`*` on `*`)",
    fix: "grant the actions the principal uses, on the resources it uses (the constructs' \
          grant_* methods do)",
    check: |r, out| {
        each_statement(r, out, |s| has_star(s.get("Action")) && has_star(s.get("Resource")))
    },
};

/// No statement allows every action.
pub static IAM_STAR_ACTION: SecurityRule = SecurityRule {
    id: "iam.star-action",
    severity: Severity::High,
    resource_types: IDENTITY_POLICIES,
    cdk_nag: &["AwsSolutions-IAM5"],
    checkov: &["CKV_AWS_63"],
    guard: &["IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS"],
    message: "a statement allows every action (`*`)",
    fix: "name the actions (`s3:GetObject`), or at least one service's (`s3:Get*`)",
    check: |r, out| each_statement(r, out, |s| has_star(s.get("Action"))),
};

fn has_star(node: Option<&Node>) -> bool {
    items(node).into_iter().any(|a| text(Some(a)) == Some("*"))
}

/// The identity policy documents of a resource, each with the name findings give it.
pub(super) fn documents<'a>(r: &ResourceView<'a>) -> Vec<(String, &'a Node)> {
    if let Some(doc) = r.property("PolicyDocument") {
        return vec![(String::new(), doc)];
    }
    items(r.property("Policies"))
        .into_iter()
        .filter_map(|p| {
            let name = text(p.get("PolicyName")).map_or_else(String::new, |n| format!("{n}: "));
            Some((name, p.get("PolicyDocument")?))
        })
        .collect()
}

/// A finding per allowing statement of the resource's identity policies that `bad` matches.
fn each_statement(r: &ResourceView<'_>, out: &mut Vec<String>, bad: impl Fn(&Node) -> bool) {
    for (policy, doc) in documents(r) {
        let statements = items(doc.get("Statement"));
        for (i, s) in statements.iter().enumerate() {
            if is_allow(s) && bad(s) {
                out.push(format!("{policy}{}", statement_name(s, i)));
            }
        }
    }
}

/// Trust policies do not let everyone assume the role.
pub static IAM_PUBLIC_TRUST: SecurityRule = SecurityRule {
    id: "iam.public-trust",
    severity: Severity::High,
    resource_types: &["AWS::IAM::Role"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_60"],
    guard: &[],
    message: "the trust policy lets any AWS principal assume the role",
    fix: "trust the service, account role or identity provider that assumes it \
          (RoleProps::new(Principal::service(..)))",
    check: |r, out| {
        let statements = items(r.property("AssumeRolePolicyDocument.Statement"));
        for (i, s) in statements.iter().enumerate() {
            if is_allow(s) && principal_is_anyone(s) {
                out.push(statement_name(s, i));
            }
        }
    },
};

/// Trust policies that name a whole account say which of its principals may assume the role.
pub static IAM_ACCOUNT_TRUST: SecurityRule = SecurityRule {
    id: "iam.account-trust",
    severity: Severity::Medium,
    resource_types: &["AWS::IAM::Role"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_61"],
    guard: &[],
    message: "the trust policy lets every principal of an account that IAM allows assume the \
              role, with no condition",
    fix: "trust the role of that account that assumes it (Principal::arn), or add a \
          condition such as aws:PrincipalArn; suppress when that account's own policies are \
          the intended control",
    check: |r, out| {
        let statements = items(r.property("AssumeRolePolicyDocument.Statement"));
        for s in statements {
            if !is_allow(s) || s.get("Condition").is_some() {
                continue;
            }
            let principals = s.get("Principal").map(|p| items(p.get("AWS"))).unwrap_or_default();
            for p in principals {
                if let Some(account) = whole_account(p) {
                    out.push(account);
                }
            }
        }
    },
};

fn is_allow(statement: &Node) -> bool {
    text(statement.get("Effect")).is_none_or(|e| e == "Allow")
}

/// The account a principal names when it is a whole account (`123456789012` or
/// `arn:<partition>:iam::123456789012:root`, also through `Fn::Sub`).
fn whole_account(principal: &Node) -> Option<String> {
    let value = match principal {
        Node::Str(s) => s.as_str(),
        Node::Fn(name, arg) if name == "Fn::Sub" => match arg.as_ref() {
            Node::Str(s) => s.as_str(),
            Node::List(parts) => text(parts.first())?,
            _ => return None,
        },
        _ => return None,
    };
    let is_account = |s: &str| s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit());
    if is_account(value) {
        return Some(value.to_owned());
    }
    let rest = value.strip_prefix("arn:")?;
    let (_, rest) = rest.split_once(":iam::")?;
    let account = rest.strip_suffix(":root")?;
    is_account(account).then(|| account.to_owned())
}

/// Key policies name their principals.
pub static KMS_WILDCARD_PRINCIPAL: SecurityRule = SecurityRule {
    id: "kms.wildcard-principal",
    severity: Severity::High,
    resource_types: &["AWS::KMS::Key"],
    cdk_nag: &[],
    checkov: &["CKV_AWS_33"],
    guard: &[],
    message: "the key policy allows any principal (`*`)",
    fix: "name the account, roles or service principals that use the key; suppress only when \
          a condition (kms:CallerAccount with kms:ViaService) limits the statement",
    check: |r, out| {
        let statements = items(r.property("KeyPolicy.Statement"));
        for (i, s) in statements.iter().enumerate() {
            if is_allow(s) && principal_is_anyone(s) {
                out.push(statement_name(s, i));
            }
        }
    },
};

/// Repository policies do not make images public.
pub static ECR_PUBLIC_POLICY: SecurityRule = SecurityRule {
    id: "ecr.public-policy",
    severity: Severity::High,
    resource_types: &["AWS::ECR::Repository"],
    cdk_nag: &["AwsSolutions-ECR1"],
    checkov: &["CKV_AWS_32"],
    guard: &[],
    message: "the repository policy lets any principal (`*`) use the repository",
    fix: "name the accounts or roles that pull, or limit `*` with an aws:PrincipalOrgID \
          condition",
    check: |r, out| {
        let statements = items(r.property("RepositoryPolicyText.Statement"));
        for (i, s) in statements.iter().enumerate() {
            if is_allow(s) && principal_is_anyone(s) && !limited_to_organization(s) {
                out.push(statement_name(s, i));
            }
        }
    },
};

/// Whether a statement's condition limits it to an organization.
fn limited_to_organization(statement: &Node) -> bool {
    let Some(condition) = statement.get("Condition") else { return false };
    ["StringEquals", "ForAllValues:StringEquals", "ForAnyValue:StringEquals"]
        .iter()
        .any(|op| condition.get(op).and_then(|c| c.get("aws:PrincipalOrgID")).is_some())
}

/// Identities carry policies written for them, not AWS managed ones.
pub static IAM_AWS_MANAGED_POLICY: SecurityRule = SecurityRule {
    id: "iam.aws-managed-policy",
    severity: Severity::Low,
    resource_types: &["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"],
    cdk_nag: &["AwsSolutions-IAM4"],
    checkov: &[],
    guard: &[],
    message: "the identity uses an AWS managed policy, which AWS can widen at any time",
    fix: "grant what it needs with the constructs' grant_* methods; suppress for a service \
          role policy that AWS maintains for the service",
    check: |r, out| {
        for arn in items(r.property("ManagedPolicyArns")) {
            let value = match arn {
                Node::Str(s) => s.as_str(),
                Node::Fn(name, arg) if name == "Fn::Sub" => text(Some(arg)).unwrap_or_default(),
                _ => continue,
            };
            if let Some((_, policy)) = value.split_once(":iam::aws:policy/") {
                out.push(policy.to_owned());
            }
        }
    },
};

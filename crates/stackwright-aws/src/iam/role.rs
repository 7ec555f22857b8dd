//! `AWS::IAM::Role`.

use stackwright_core::{
    Expr, Handle, Json, PropertyProblem, Props, Resource, ResourceId, ResourceType, Val, get_att,
};

use crate::Tag;
use crate::constraint::{int_range, str_chars, str_len};

/// An inline policy embedded in a role (`Policies` item).
#[derive(Clone, Debug, PartialEq)]
pub struct InlinePolicy {
    /// `PolicyName`.
    pub policy_name: Val<String>,
    /// `PolicyDocument`.
    pub policy_document: Val<Json>,
}

/// `AWS::IAM::Role`: an identity that principals assume for temporary credentials.
///
/// Reference: <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html>
#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    /// `AssumeRolePolicyDocument` (required): the trust policy.
    pub assume_role_policy_document: Val<Json>,
    /// `Description`: up to 1,000 characters.
    pub description: Option<Val<String>>,
    /// `ManagedPolicyArns`.
    pub managed_policy_arns: Option<Val<Vec<String>>>,
    /// `MaxSessionDuration`: 3,600 to 43,200 seconds.
    pub max_session_duration: Option<Val<i64>>,
    /// `Path`: `/` or `/text/`. Update: replacement.
    pub path: Option<Val<String>>,
    /// `PermissionsBoundary`: a managed policy ARN.
    pub permissions_boundary: Option<Val<String>>,
    /// `Policies`: inline policies.
    pub policies: Vec<InlinePolicy>,
    /// `RoleName`: up to 64 characters. Update: replacement.
    pub role_name: Option<Val<String>>,
    /// `Tags`.
    pub tags: Vec<Tag>,
}

impl Role {
    /// A role with this trust policy.
    pub fn new(assume_role_policy_document: impl Into<Val<Json>>) -> Role {
        Role {
            assume_role_policy_document: assume_role_policy_document.into(),
            description: None,
            managed_policy_arns: None,
            max_session_duration: None,
            path: None,
            permissions_boundary: None,
            policies: Vec::new(),
            role_name: None,
            tags: Vec::new(),
        }
    }

    setters! {
        /// Sets `Description`.
        description: String;
        /// Sets `ManagedPolicyArns`.
        managed_policy_arns: Vec<String>;
        /// Sets `MaxSessionDuration`.
        max_session_duration: i64;
        /// Sets `Path`.
        path: String;
        /// Sets `PermissionsBoundary`.
        permissions_boundary: String;
        /// Sets `RoleName`.
        role_name: String;
    }

    /// Adds an inline policy.
    pub fn policy(mut self, policy: InlinePolicy) -> Self {
        self.policies.push(policy);
        self
    }

    /// Adds a tag.
    pub fn tag(mut self, tag: Tag) -> Self {
        self.tags.push(tag);
        self
    }
}

impl Resource for Role {
    fn resource_type(&self) -> &str {
        "AWS::IAM::Role"
    }

    fn properties(&self) -> Props {
        let mut p = Props::new();
        p.set_opt("RoleName", &self.role_name)
            .set_opt("Description", &self.description)
            .set_opt("Path", &self.path)
            .set(
                "AssumeRolePolicyDocument",
                &self.assume_role_policy_document,
            )
            .set_opt("ManagedPolicyArns", &self.managed_policy_arns)
            .set_opt("PermissionsBoundary", &self.permissions_boundary)
            .set_opt("MaxSessionDuration", &self.max_session_duration);
        if !self.policies.is_empty() {
            let list = self
                .policies
                .iter()
                .map(|ip| {
                    Expr::Map(vec![
                        ("PolicyName".into(), ip.policy_name.expr().clone()),
                        ("PolicyDocument".into(), ip.policy_document.expr().clone()),
                    ])
                })
                .collect();
            p.set_expr("Policies", Expr::List(list));
        }
        if let Some(tags) = Tag::list(&self.tags) {
            p.set_expr("Tags", tags);
        }
        p
    }

    fn validate(&self, out: &mut Vec<PropertyProblem>) {
        int_range(
            out,
            "MaxSessionDuration",
            &self.max_session_duration,
            3_600,
            43_200,
        );
        str_len(out, "Description", &self.description, 0, 1_000);
        str_len(out, "RoleName", &self.role_name, 1, 64);
        let name_char = |c: char| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c);
        str_chars(
            out,
            "RoleName",
            &self.role_name,
            name_char,
            "letters, digits and `+=,.@_-`",
        );
        if let Some(Expr::Str(path)) = self.path.as_ref().map(Val::expr) {
            if !(path.starts_with('/') && path.ends_with('/')) || path.len() > 512 {
                out.push(PropertyProblem::new(
                    "Path",
                    format!("`{path}` must start and end with `/` (at most 512 characters)"),
                ));
            }
        }
    }
}

impl ResourceType for Role {
    type Handle = RoleRef;
}

/// Handle to an `AWS::IAM::Role`. `Ref` returns the role name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RoleRef {
    id: ResourceId,
}

impl Handle for RoleRef {
    fn from_id(id: ResourceId) -> Self {
        RoleRef { id }
    }
    fn id(&self) -> ResourceId {
        self.id
    }
}

impl RoleRef {
    /// `Ref`: the role name.
    pub fn role_name(&self) -> Val<String> {
        self.reference()
    }
    /// `Fn::GetAtt Arn`.
    pub fn arn(&self) -> Val<String> {
        get_att(self.id, "Arn")
    }
    /// `Fn::GetAtt RoleId`.
    pub fn role_id(&self) -> Val<String> {
        get_att(self.id, "RoleId")
    }
}

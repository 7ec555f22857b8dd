//! `AWS::IAM::Policy`.

use stackwright_core::{
    Handle, Json, PropertyProblem, Props, Resource, ResourceId, ResourceType, Val,
};

use crate::constraint::{str_chars, str_len};

/// `AWS::IAM::Policy`: an inline policy attached to roles, users or groups.
///
/// Reference: <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-policy.html>
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// `PolicyName` (required): up to 128 characters.
    pub policy_name: Val<String>,
    /// `PolicyDocument` (required).
    pub policy_document: Val<Json>,
    /// `Roles`: role names.
    pub roles: Option<Val<Vec<String>>>,
    /// `Users`: user names.
    pub users: Option<Val<Vec<String>>>,
    /// `Groups`: group names.
    pub groups: Option<Val<Vec<String>>>,
}

impl Policy {
    /// A policy with this name and document, attached to nothing yet.
    pub fn new(
        policy_name: impl Into<Val<String>>,
        policy_document: impl Into<Val<Json>>,
    ) -> Policy {
        Policy {
            policy_name: policy_name.into(),
            policy_document: policy_document.into(),
            roles: None,
            users: None,
            groups: None,
        }
    }

    setters! {
        /// Sets `Roles`.
        roles: Vec<String>;
        /// Sets `Users`.
        users: Vec<String>;
        /// Sets `Groups`.
        groups: Vec<String>;
    }
}

impl Resource for Policy {
    fn resource_type(&self) -> &str {
        "AWS::IAM::Policy"
    }

    fn properties(&self) -> Props {
        let mut p = Props::new();
        p.set("PolicyName", &self.policy_name)
            .set("PolicyDocument", &self.policy_document)
            .set_opt("Roles", &self.roles)
            .set_opt("Users", &self.users)
            .set_opt("Groups", &self.groups);
        p
    }

    fn validate(&self, out: &mut Vec<PropertyProblem>) {
        let name = Some(self.policy_name.clone());
        str_len(out, "PolicyName", &name, 1, 128);
        let name_char = |c: char| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c);
        str_chars(
            out,
            "PolicyName",
            &name,
            name_char,
            "letters, digits and `+=,.@_-`",
        );
        if self.roles.is_none() && self.users.is_none() && self.groups.is_none() {
            out.push(PropertyProblem::new(
                "Roles",
                "the policy is attached to nothing; set Roles, Users or Groups",
            ));
        }
    }
}

impl ResourceType for Policy {
    type Handle = PolicyRef;
}

/// Handle to an `AWS::IAM::Policy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PolicyRef {
    id: ResourceId,
}

impl Handle for PolicyRef {
    fn from_id(id: ResourceId) -> Self {
        PolicyRef { id }
    }
    fn id(&self) -> ResourceId {
        self.id
    }
}

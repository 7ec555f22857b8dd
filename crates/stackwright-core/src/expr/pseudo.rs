//! The CloudFormation pseudo parameters.

use super::{Expr, RefTarget, Val};

/// A pseudo parameter, referenced with `Ref` and resolved by CloudFormation at deploy time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pseudo {
    /// `AWS::AccountId`.
    AccountId,
    /// `AWS::NotificationARNs` (a list).
    NotificationArns,
    /// `AWS::NoValue`: removes the property it is assigned to.
    NoValue,
    /// `AWS::Partition`.
    Partition,
    /// `AWS::Region`.
    Region,
    /// `AWS::StackId`.
    StackId,
    /// `AWS::StackName`.
    StackName,
    /// `AWS::URLSuffix`.
    UrlSuffix,
}

impl Pseudo {
    /// The name CloudFormation knows it by.
    pub fn name(self) -> &'static str {
        match self {
            Pseudo::AccountId => "AWS::AccountId",
            Pseudo::NotificationArns => "AWS::NotificationARNs",
            Pseudo::NoValue => "AWS::NoValue",
            Pseudo::Partition => "AWS::Partition",
            Pseudo::Region => "AWS::Region",
            Pseudo::StackId => "AWS::StackId",
            Pseudo::StackName => "AWS::StackName",
            Pseudo::UrlSuffix => "AWS::URLSuffix",
        }
    }

    /// Every pseudo parameter.
    pub const ALL: [Pseudo; 8] = [
        Pseudo::AccountId,
        Pseudo::NotificationArns,
        Pseudo::NoValue,
        Pseudo::Partition,
        Pseudo::Region,
        Pseudo::StackId,
        Pseudo::StackName,
        Pseudo::UrlSuffix,
    ];

    /// The pseudo parameter with this CloudFormation name.
    pub fn from_name(name: &str) -> Option<Pseudo> {
        Pseudo::ALL.into_iter().find(|p| p.name() == name)
    }

    fn expr(self) -> Expr {
        Expr::Ref(RefTarget::Pseudo(self))
    }
}

/// `AWS::AccountId`.
pub fn account_id() -> Val<String> {
    Val::from_expr(Pseudo::AccountId.expr())
}
/// `AWS::Region`.
pub fn region() -> Val<String> {
    Val::from_expr(Pseudo::Region.expr())
}
/// `AWS::Partition`.
pub fn partition() -> Val<String> {
    Val::from_expr(Pseudo::Partition.expr())
}
/// `AWS::StackName`.
pub fn stack_name() -> Val<String> {
    Val::from_expr(Pseudo::StackName.expr())
}
/// `AWS::StackId`.
pub fn stack_id() -> Val<String> {
    Val::from_expr(Pseudo::StackId.expr())
}
/// `AWS::URLSuffix`.
pub fn url_suffix() -> Val<String> {
    Val::from_expr(Pseudo::UrlSuffix.expr())
}
/// `AWS::NotificationARNs`.
pub fn notification_arns() -> Val<Vec<String>> {
    Val::from_expr(Pseudo::NotificationArns.expr())
}
/// `AWS::NoValue` as a value of any type: the property it is assigned to is removed.
pub fn no_value<T: super::ValueType>() -> Val<T> {
    Val::from_expr(Pseudo::NoValue.expr())
}

//! Expressions: literal values and CloudFormation intrinsic functions as one typed tree.
//!
//! [`Expr`] is the untyped tree that synthesis resolves; [`Val<T>`] wraps it with the type
//! of value it evaluates to, so a list attribute cannot be passed where a string is expected.
//! References hold ids, never logical-ID strings, so a reference stays correct when a logical
//! ID is overridden later and crosses stacks as an export/import pair.

mod cond;
pub mod fns;
mod interp;
mod json;
mod json_text;
pub mod kind;
pub mod pseudo;
mod typed;

pub use cond::Cond;
pub use interp::{SubPart, count_placeholders, interpolate};
pub use kind::Kind;
pub use pseudo::Pseudo;
pub use typed::{Json, Val, ValueType};

use crate::ids::{ConditionId, MappingId, ParameterId, ResourceId};

/// What a `Ref` points at.
#[derive(Clone, Debug, PartialEq)]
pub enum RefTarget {
    /// A resource of this app (rendered as its logical ID, or an import across stacks).
    Resource(ResourceId),
    /// A template parameter.
    Parameter(ParameterId),
    /// A pseudo parameter such as `AWS::Region`.
    Pseudo(Pseudo),
    /// A logical ID given by name (escape hatch); checked at synth against the stack.
    Named(String),
}

/// What a condition reference (`Fn::If`, `Condition`) points at.
#[derive(Clone, Debug, PartialEq)]
pub enum ConditionTarget {
    /// A condition declared on the stack.
    Id(ConditionId),
    /// A condition given by name (escape hatch); checked at synth.
    Named(String),
}

/// What `Fn::FindInMap` reads from.
#[derive(Clone, Debug, PartialEq)]
pub enum MappingTarget {
    /// A mapping declared on the stack.
    Id(MappingId),
    /// A mapping given by name (escape hatch); checked at synth.
    Named(String),
}

/// An untyped expression: a literal, a collection, or an intrinsic function call.
///
/// Most code builds expressions through [`Val<T>`] and the functions in [`fns`]; `Expr` is
/// what those produce and what synthesis consumes.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// JSON `null`.
    Null,
    /// A boolean literal.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A floating-point literal.
    Float(f64),
    /// A string literal.
    Str(String),
    /// A list.
    List(Vec<Expr>),
    /// An object whose keys keep the order they were inserted in.
    Map(Vec<(String, Expr)>),
    /// `Ref`.
    Ref(RefTarget),
    /// `Ref` that records no dependency: rendered as `Ref`, but it neither orders the two
    /// resources nor counts towards a cycle. For a property a transform moves elsewhere
    /// (a SAM function's deployment alarms and hooks end up in the deployment group).
    RefNoDependency(RefTarget),
    /// `Fn::GetAtt` of a resource attribute.
    GetAtt(RefTarget, String),
    /// A string built from literal parts and expressions; rendered as `Fn::Sub`.
    Interpolate(Vec<SubPart>),
    /// `Fn::Sub` with a template string written by hand and optional variables.
    Sub(String, Vec<(String, Expr)>),
    /// `Fn::Join`.
    Join(String, Box<Expr>),
    /// `Fn::Select`.
    Select(Box<Expr>, Box<Expr>),
    /// `Fn::Split`.
    Split(String, Box<Expr>),
    /// `Fn::ImportValue`.
    ImportValue(Box<Expr>),
    /// `Fn::FindInMap`.
    FindInMap(MappingTarget, Box<Expr>, Box<Expr>),
    /// `Fn::Base64`.
    Base64(Box<Expr>),
    /// `Fn::GetAZs`.
    GetAzs(Box<Expr>),
    /// `Fn::Cidr`.
    Cidr(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `Fn::If`.
    If(ConditionTarget, Box<Expr>, Box<Expr>),
    /// A condition function used as a value (in `Conditions` or rule assertions).
    Cond(Box<Cond>),
    /// The logical ID of a resource or parameter as a plain string (some functions and
    /// properties name a resource instead of referencing it).
    LogicalId(RefTarget),
    /// An ARN, formatted at synth for the stack that uses it: that stack's account and region
    /// where its environment fixes them, the pseudo parameters otherwise.
    Arn(Box<crate::Arn>),
    /// Any other intrinsic (`Fn::Length`, `Fn::ToJsonString`, `Fn::Transform`, the rule
    /// functions): the function name and its argument, rendered as given.
    Call(String, Box<Expr>),
    /// A digest of a resource's properties as synthesized (logical IDs in place of handles,
    /// property overrides applied), after the text given, leaving out the top-level
    /// properties listed: it changes whenever the others do. A Lambda version carries its
    /// function's, so a change to the function publishes a new version. The resource must be
    /// in the same stack.
    PropertiesDigest(ResourceId, String, Vec<String>),
    /// `Ref` of a resource a transform generates from a resource of the app, named from the
    /// resource's logical ID by a template where `{}` stands for it (`{}.Alias`,
    /// `{}DeploymentGroup` for a SAM function). It orders the referrer after the resource.
    /// The resource must be in the same stack: the generated one exists only there.
    GeneratedRef(ResourceId, String),
}

impl Expr {
    /// Calls `visit` on this expression and every expression nested in it, depth first.
    pub fn walk(&self, visit: &mut dyn FnMut(&Expr)) {
        visit(self);
        match self {
            Expr::Null
            | Expr::Bool(_)
            | Expr::Int(_)
            | Expr::Float(_)
            | Expr::Str(_)
            | Expr::Ref(_)
            | Expr::RefNoDependency(_)
            | Expr::GetAtt(..)
            | Expr::LogicalId(_)
            | Expr::PropertiesDigest(..)
            | Expr::GeneratedRef(..) => {}
            Expr::List(items) => items.iter().for_each(|e| e.walk(visit)),
            Expr::Map(entries) => entries.iter().for_each(|(_, e)| e.walk(visit)),
            Expr::Interpolate(parts) => parts.iter().for_each(|p| {
                if let SubPart::Expr(e) = p {
                    e.walk(visit)
                }
            }),
            Expr::Sub(_, vars) => vars.iter().for_each(|(_, e)| e.walk(visit)),
            Expr::Join(_, e)
            | Expr::Split(_, e)
            | Expr::ImportValue(e)
            | Expr::Base64(e)
            | Expr::GetAzs(e)
            | Expr::Call(_, e) => e.walk(visit),
            Expr::Arn(arn) => arn.parts().for_each(|e| e.walk(visit)),
            Expr::Select(a, b) | Expr::FindInMap(_, a, b) | Expr::If(_, a, b) => {
                a.walk(visit);
                b.walk(visit);
            }
            Expr::Cidr(a, b, c) => {
                a.walk(visit);
                b.walk(visit);
                c.walk(visit);
            }
            Expr::Cond(c) => c.walk(visit),
        }
    }

    /// The map entry under `key`, when this is a map that has one.
    pub fn get(&self, key: &str) -> Option<&Expr> {
        match self {
            Expr::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Whether this expression is a literal with no intrinsic function anywhere inside it.
    pub fn is_literal(&self) -> bool {
        match self {
            Expr::Null | Expr::Bool(_) | Expr::Int(_) | Expr::Float(_) | Expr::Str(_) => true,
            Expr::List(items) => items.iter().all(Expr::is_literal),
            Expr::Map(entries) => entries.iter().all(|(_, v)| v.is_literal()),
            _ => false,
        }
    }

    /// The string, when this is a string literal.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Expr::Str(s) => Some(s),
            _ => None,
        }
    }
}

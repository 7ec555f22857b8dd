//! Intrinsic functions as typed builders.
//!
//! Each function returns a [`Val`] of the type CloudFormation's function evaluates to, so
//! `select(0, get_azs(region()))` is a `Val<String>` and fits a string property.

use super::{Cond, ConditionTarget, Expr, Json, Val, ValueType};
use crate::template::{ConditionRef, ParameterRef};

/// `Fn::Join`: concatenates a list of strings with a delimiter. To build one string from
/// parts, [`sub!`](crate::sub) reads better and is what stackwright emits itself.
pub fn join(delimiter: impl Into<String>, list: impl Into<Val<Vec<String>>>) -> Val<String> {
    Val::from_expr(Expr::Join(delimiter.into(), Box::new(list.into().into_expr())))
}

/// `Fn::Select`: the item at `index` of a list.
pub fn select<T: ValueType>(index: impl Into<Val<i64>>, list: impl Into<Val<Vec<T>>>) -> Val<T> {
    // CloudFormation documents the index as a string or an integer; an integer is clearer.
    Val::from_expr(Expr::Select(
        Box::new(index.into().into_expr()),
        Box::new(list.into().into_expr()),
    ))
}

/// `Fn::Split`: splits a string into a list on a delimiter.
pub fn split(delimiter: impl Into<String>, source: impl Into<Val<String>>) -> Val<Vec<String>> {
    Val::from_expr(Expr::Split(delimiter.into(), Box::new(source.into().into_expr())))
}

/// `Fn::ImportValue`: the value another stack exported under `name`.
///
/// References between stacks of one app need no explicit import: stackwright creates the
/// export and the import itself. Use this for stacks managed elsewhere.
pub fn import_value(name: impl Into<Val<String>>) -> Val<String> {
    Val::from_expr(Expr::ImportValue(Box::new(name.into().into_expr())))
}

/// `Fn::Base64`: the Base64 encoding of a string (for EC2 user data).
pub fn base64(value: impl Into<Val<String>>) -> Val<String> {
    Val::from_expr(Expr::Base64(Box::new(value.into().into_expr())))
}

/// `Fn::GetAZs`: the availability zones of a region; pass `""` or `region()` for the stack's
/// own region. Prefer this over hard-coded zone names, which break in other regions.
pub fn get_azs(region: impl Into<Val<String>>) -> Val<Vec<String>> {
    Val::from_expr(Expr::GetAzs(Box::new(region.into().into_expr())))
}

/// `Fn::Cidr`: `count` CIDR blocks of `cidr_bits` host bits carved out of `ip_block`.
pub fn cidr(
    ip_block: impl Into<Val<String>>,
    count: impl Into<Val<i64>>,
    cidr_bits: impl Into<Val<i64>>,
) -> Val<Vec<String>> {
    Val::from_expr(Expr::Cidr(
        Box::new(ip_block.into().into_expr()),
        Box::new(count.into().into_expr()),
        Box::new(cidr_bits.into().into_expr()),
    ))
}

/// `Fn::If`: `then` when the condition holds, `otherwise` when it does not.
pub fn if_<T: ValueType>(
    condition: ConditionRef,
    then: impl Into<Val<T>>,
    otherwise: impl Into<Val<T>>,
) -> Val<T> {
    Val::from_expr(Expr::If(
        ConditionTarget::Id(condition.id()),
        Box::new(then.into().into_expr()),
        Box::new(otherwise.into().into_expr()),
    ))
}

/// `Fn::If` on a condition given by name (escape hatch; the name is checked at synth).
pub fn if_named<T: ValueType>(
    condition: impl Into<String>,
    then: impl Into<Val<T>>,
    otherwise: impl Into<Val<T>>,
) -> Val<T> {
    Val::from_expr(Expr::If(
        ConditionTarget::Named(condition.into()),
        Box::new(then.into().into_expr()),
        Box::new(otherwise.into().into_expr()),
    ))
}

/// `Fn::Sub` with a template string written by hand, for text already in CloudFormation's
/// `${Name}` syntax. Names inside are checked at synth. Prefer [`sub!`](crate::sub).
pub fn sub_raw(
    template: impl Into<String>,
    variables: impl IntoIterator<Item = (String, Expr)>,
) -> Val<String> {
    Val::from_expr(Expr::Sub(template.into(), variables.into_iter().collect()))
}

/// `Ref` of a resource that records no dependency on it: it does not order the two resources
/// and cannot close a cycle. Use it where a transform moves the property to another resource
/// (a SAM function's deployment alarms and hooks), never to hide a real cycle. Across stacks
/// it is an ordinary reference.
pub fn ref_no_dependency<T: ValueType>(resource: impl crate::Handle) -> Val<T> {
    Val::from_expr(Expr::RefNoDependency(super::RefTarget::Resource(resource.id())))
}

/// `prefix` followed by a digest of `resource`'s properties as the template writes them,
/// but for the top-level properties `left_out`: a value that changes whenever any other does
/// (see [`Expr::PropertiesDigest`]).
pub fn properties_digest<S: Into<String>>(
    resource: impl crate::Handle,
    prefix: impl Into<String>,
    left_out: impl IntoIterator<Item = S>,
) -> Val<String> {
    let left_out = left_out.into_iter().map(Into::into).collect();
    Val::from_expr(Expr::PropertiesDigest(resource.id(), prefix.into(), left_out))
}

/// `Ref` of what a transform generates from `resource`, named by `template` with `{}` for the
/// resource's logical ID (see [`Expr::GeneratedRef`]).
pub fn generated_ref(resource: impl crate::Handle, template: impl Into<String>) -> Val<String> {
    Val::from_expr(Expr::GeneratedRef(resource.id(), template.into()))
}

/// `value` without the dependency its `Ref` would record: a `Ref` of a resource or of a name
/// becomes [`ref_no_dependency`]; anything else is returned as it is.
pub fn without_dependency<T>(value: Val<T>) -> Val<T> {
    match value.expr() {
        Expr::Ref(t @ (super::RefTarget::Resource(_) | super::RefTarget::Named(_))) => {
            Val::from_expr(Expr::RefNoDependency(t.clone()))
        }
        _ => value,
    }
}

/// `Ref` to a logical ID given by name (escape hatch; checked at synth).
pub fn ref_named<T: ValueType>(logical_id: impl Into<String>) -> Val<T> {
    Val::from_expr(Expr::Ref(super::RefTarget::Named(logical_id.into())))
}

/// `Fn::GetAtt` of a resource given by logical ID (escape hatch; checked at synth).
pub fn get_att_named<T: ValueType>(
    logical_id: impl Into<String>,
    attribute: impl Into<String>,
) -> Val<T> {
    Val::from_expr(Expr::GetAtt(super::RefTarget::Named(logical_id.into()), attribute.into()))
}

/// A condition used as a boolean value (in `Conditions` or rule assertions).
pub fn condition_value(cond: impl Into<Cond>) -> Val<bool> {
    Val::from_expr(Expr::Cond(Box::new(cond.into())))
}

/// `Fn::Length` (needs the `AWS::LanguageExtensions` transform): the length of a list.
pub fn length<T: ValueType>(list: impl Into<Val<Vec<T>>>) -> Val<i64> {
    Val::from_expr(Expr::Call("Fn::Length".into(), Box::new(list.into().into_expr())))
}

/// `Fn::ToJsonString` (needs the `AWS::LanguageExtensions` transform).
pub fn to_json_string(value: impl Into<Val<Json>>) -> Val<String> {
    Val::from_expr(Expr::Call("Fn::ToJsonString".into(), Box::new(value.into().into_expr())))
}

/// `Fn::Transform`: runs a macro over a snippet of the template.
pub fn transform(name: impl Into<String>, parameters: impl Into<Val<Json>>) -> Val<Json> {
    Val::from_expr(Expr::Call(
        "Fn::Transform".into(),
        Box::new(Expr::Map(vec![
            ("Name".into(), Expr::Str(name.into())),
            ("Parameters".into(), parameters.into().into_expr()),
        ])),
    ))
}

/// `Fn::RefAll` (rules only): every value of a parameter type in the account and region.
pub fn ref_all(parameter_type: impl Into<String>) -> Val<Vec<String>> {
    Val::from_expr(Expr::Call("Fn::RefAll".into(), Box::new(Expr::Str(parameter_type.into()))))
}

/// `Fn::ValueOf` (rules only): an attribute of the value of a parameter.
pub fn value_of(parameter: ParameterRef, attribute: impl Into<String>) -> Val<String> {
    Val::from_expr(Expr::Call(
        "Fn::ValueOf".into(),
        Box::new(Expr::List(vec![
            Expr::LogicalId(super::RefTarget::Parameter(parameter.id())),
            Expr::Str(attribute.into()),
        ])),
    ))
}

/// `Fn::ValueOfAll` (rules only): an attribute of every value of a parameter type.
pub fn value_of_all(
    parameter_type: impl Into<String>,
    attribute: impl Into<String>,
) -> Val<Vec<String>> {
    Val::from_expr(Expr::Call(
        "Fn::ValueOfAll".into(),
        Box::new(Expr::List(vec![Expr::Str(parameter_type.into()), Expr::Str(attribute.into())])),
    ))
}

pub use super::json_text::json_text;

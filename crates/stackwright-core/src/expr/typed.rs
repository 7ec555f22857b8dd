//! [`Val<T>`]: an expression together with the type of value it evaluates to.

use std::marker::PhantomData;

use super::Expr;

/// A type a CloudFormation value can have. Implemented for `String`, `i64`, `f64`, `bool`,
/// `Vec<T>` and [`Json`] (free-form: any value, used for policy documents and the like).
pub trait ValueType: 'static {}
impl ValueType for String {}
impl ValueType for i64 {}
impl ValueType for f64 {}
impl ValueType for bool {}
impl<T: ValueType> ValueType for Vec<T> {}
impl ValueType for Json {}

/// Marker for free-form JSON values (policy documents, raw property objects).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Json;

/// An expression that evaluates to a `T`: a literal or an intrinsic function.
///
/// Properties of generated resources take `impl Into<Val<T>>`, so a literal, an attribute of
/// another resource, a parameter or an intrinsic all fit, and a value of the wrong type does
/// not compile.
pub struct Val<T> {
    expr: Expr,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for Val<T> {
    fn clone(&self) -> Self {
        Val::from_expr(self.expr.clone())
    }
}

impl<T> std::fmt::Debug for Val<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.expr.fmt(f)
    }
}

impl<T> PartialEq for Val<T> {
    fn eq(&self, other: &Self) -> bool {
        self.expr == other.expr
    }
}

impl<T> Val<T> {
    /// Wraps an untyped expression. The caller vouches for its type.
    pub fn from_expr(expr: Expr) -> Val<T> {
        Val { expr, _type: PhantomData }
    }

    /// The untyped expression.
    pub fn into_expr(self) -> Expr {
        self.expr
    }

    /// The untyped expression, borrowed.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// Forgets the type, for places that accept any JSON value.
    pub fn into_json(self) -> Val<Json> {
        Val::from_expr(self.expr)
    }
}

impl<T> From<Val<T>> for Expr {
    fn from(v: Val<T>) -> Expr {
        v.expr
    }
}

impl From<&str> for Val<String> {
    fn from(s: &str) -> Self {
        Val::from_expr(Expr::Str(s.to_owned()))
    }
}
impl From<String> for Val<String> {
    fn from(s: String) -> Self {
        Val::from_expr(Expr::Str(s))
    }
}
impl From<&String> for Val<String> {
    fn from(s: &String) -> Self {
        Val::from_expr(Expr::Str(s.clone()))
    }
}
impl From<&Val<String>> for Val<String> {
    fn from(v: &Val<String>) -> Self {
        v.clone()
    }
}
impl From<bool> for Val<bool> {
    fn from(b: bool) -> Self {
        Val::from_expr(Expr::Bool(b))
    }
}
impl From<f64> for Val<f64> {
    fn from(n: f64) -> Self {
        Val::from_expr(Expr::Float(n))
    }
}

macro_rules! int_into_val {
    ($($t:ty),*) => {$(
        impl From<$t> for Val<i64> {
            fn from(n: $t) -> Self {
                Val::from_expr(Expr::Int(i64::from(n)))
            }
        }
    )*};
}
int_into_val!(i8, i16, i32, i64, u8, u16, u32);

impl<T, X: Into<Val<T>>> From<Vec<X>> for Val<Vec<T>> {
    fn from(items: Vec<X>) -> Self {
        Val::from_expr(Expr::List(items.into_iter().map(|x| x.into().expr).collect()))
    }
}
impl<T, X: Into<Val<T>>, const N: usize> From<[X; N]> for Val<Vec<T>> {
    fn from(items: [X; N]) -> Self {
        Val::from_expr(Expr::List(items.into_iter().map(|x| x.into().expr).collect()))
    }
}

impl Val<Json> {
    /// A JSON object whose values may hold references and intrinsics, keys in the order
    /// given: `Val::object([("ProjectName", project.reference().into_json())])`.
    pub fn object<K: Into<String>>(entries: impl IntoIterator<Item = (K, Val<Json>)>) -> Val<Json> {
        Val::from_expr(Expr::Map(entries.into_iter().map(|(k, v)| (k.into(), v.expr)).collect()))
    }

    /// A JSON list whose items may hold references and intrinsics.
    pub fn list(items: impl IntoIterator<Item = Val<Json>>) -> Val<Json> {
        Val::from_expr(Expr::List(items.into_iter().map(|v| v.expr).collect()))
    }
}

impl From<serde_json::Value> for Val<Json> {
    /// Converts a JSON value. Objects of the form `{"Ref": ..}` or `{"Fn::...": ..}` become
    /// the intrinsic they spell, so references written in raw JSON are checked like any other.
    fn from(v: serde_json::Value) -> Self {
        Val::from_expr(super::json::from_json(v))
    }
}

macro_rules! typed_into_json {
    ($($t:ty),*) => {$(
        impl From<Val<$t>> for Val<Json> {
            fn from(v: Val<$t>) -> Self {
                v.into_json()
            }
        }
    )*};
}
typed_into_json!(String, i64, f64, bool, Vec<String>, Vec<Json>);

macro_rules! literal_into_json {
    ($($t:ty => $variant:ident),*) => {$(
        impl From<$t> for Val<Json> {
            fn from(v: $t) -> Self {
                Val::from_expr(Expr::$variant(v.into()))
            }
        }
    )*};
}
literal_into_json!(i32 => Int, i64 => Int, u32 => Int, bool => Bool, f64 => Float);

impl From<&str> for Val<Json> {
    fn from(s: &str) -> Self {
        Val::from_expr(Expr::Str(s.to_owned()))
    }
}
impl From<String> for Val<Json> {
    fn from(s: String) -> Self {
        Val::from_expr(Expr::Str(s))
    }
}
impl From<Expr> for Val<Json> {
    fn from(e: Expr) -> Self {
        Val::from_expr(e)
    }
}

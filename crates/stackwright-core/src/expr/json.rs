//! Reading raw JSON (escape-hatch properties) into expressions.
//!
//! An object with the single key `Ref` or `Fn::*` (or `Condition`) is read as that intrinsic,
//! with its target kept as a name, so synthesis checks it against the stack like any typed
//! reference instead of passing a typo through to CloudFormation.

use super::{Cond, ConditionTarget, Expr, MappingTarget, Pseudo, RefTarget};

pub(crate) fn from_json(v: serde_json::Value) -> Expr {
    use serde_json::Value as J;
    match v {
        J::Null => Expr::Null,
        J::Bool(b) => Expr::Bool(b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Expr::Int(i),
            None => Expr::Float(n.as_f64().unwrap_or(0.0)),
        },
        J::String(s) => Expr::Str(s),
        J::Array(items) => Expr::List(items.into_iter().map(from_json).collect()),
        J::Object(map) => {
            if map.len() == 1
                && let Some((k, arg)) = map.iter().next()
                && let Some(e) = intrinsic(k, arg.clone())
            {
                return e;
            }
            Expr::Map(map.into_iter().map(|(k, v)| (k, from_json(v))).collect())
        }
    }
}

fn boxed(v: serde_json::Value) -> Box<Expr> {
    Box::new(from_json(v))
}

fn ref_target(name: &str) -> RefTarget {
    match Pseudo::from_name(name) {
        Some(p) => RefTarget::Pseudo(p),
        None => RefTarget::Named(name.to_owned()),
    }
}

fn intrinsic(name: &str, arg: serde_json::Value) -> Option<Expr> {
    use serde_json::Value as J;
    let e = match (name, arg) {
        ("Ref", J::String(target)) => Expr::Ref(ref_target(&target)),
        ("Fn::GetAtt", J::Array(a)) if a.len() == 2 => match (&a[0], &a[1]) {
            (J::String(r), J::String(att)) => {
                Expr::GetAtt(RefTarget::Named(r.clone()), att.clone())
            }
            _ => return None,
        },
        ("Fn::GetAtt", J::String(s)) => {
            let (r, att) = s.split_once('.')?;
            Expr::GetAtt(RefTarget::Named(r.to_owned()), att.to_owned())
        }
        ("Fn::Sub", J::String(s)) => Expr::Sub(s, Vec::new()),
        ("Fn::Sub", J::Array(a)) if a.len() == 2 => match (&a[0], &a[1]) {
            (J::String(s), J::Object(vars)) => Expr::Sub(
                s.clone(),
                vars.iter().map(|(k, v)| (k.clone(), from_json(v.clone()))).collect(),
            ),
            _ => return None,
        },
        ("Fn::Join", J::Array(a)) if a.len() == 2 => match (&a[0], &a[1]) {
            (J::String(d), list) => Expr::Join(d.clone(), boxed(list.clone())),
            _ => return None,
        },
        ("Fn::Select", J::Array(a)) if a.len() == 2 => {
            Expr::Select(boxed(a[0].clone()), boxed(a[1].clone()))
        }
        ("Fn::Split", J::Array(a)) if a.len() == 2 => match (&a[0], &a[1]) {
            (J::String(d), s) => Expr::Split(d.clone(), boxed(s.clone())),
            _ => return None,
        },
        ("Fn::ImportValue", v) => Expr::ImportValue(boxed(v)),
        ("Fn::FindInMap", J::Array(a)) if a.len() == 3 => match &a[0] {
            J::String(m) => Expr::FindInMap(
                MappingTarget::Named(m.clone()),
                boxed(a[1].clone()),
                boxed(a[2].clone()),
            ),
            _ => return None,
        },
        ("Fn::Base64", v) => Expr::Base64(boxed(v)),
        ("Fn::GetAZs", v) => Expr::GetAzs(boxed(v)),
        ("Fn::Cidr", J::Array(a)) if a.len() == 3 => {
            Expr::Cidr(boxed(a[0].clone()), boxed(a[1].clone()), boxed(a[2].clone()))
        }
        ("Fn::If", J::Array(a)) if a.len() == 3 => match &a[0] {
            J::String(c) => Expr::If(
                ConditionTarget::Named(c.clone()),
                boxed(a[1].clone()),
                boxed(a[2].clone()),
            ),
            _ => return None,
        },
        ("Condition", J::String(c)) => {
            Expr::Cond(Box::new(Cond::Condition(ConditionTarget::Named(c))))
        }
        (other, v) if other.starts_with("Fn::") => Expr::Call(other.to_owned(), boxed(v)),
        _ => return None,
    };
    Some(e)
}

//! The resolved template tree: what synthesis hands to the emitters.

use std::borrow::Cow;

/// A resolved template value. Intrinsic functions stay distinct from plain objects so the
/// YAML emitter can write them as tags.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A string.
    Str(String),
    /// A list.
    List(Vec<Node>),
    /// An object, keys in order.
    Map(Vec<(String, Node)>),
    /// An intrinsic function (`Ref`, `Fn::GetAtt`, `Condition`, ...) and its argument.
    Fn(Cow<'static, str>, Box<Node>),
}

impl Node {
    /// An intrinsic function node.
    pub fn func(name: impl Into<Cow<'static, str>>, arg: Node) -> Node {
        Node::Fn(name.into(), Box::new(arg))
    }

    /// The map entry under `key`, when this is a map.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The map entry under `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match self {
            Node::Map(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The same tree as a `serde_json::Value` (intrinsics in their long JSON form).
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Node::Null => J::Null,
            Node::Bool(b) => J::Bool(*b),
            Node::Int(i) => J::from(*i),
            Node::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Node::Str(s) => J::String(s.clone()),
            Node::List(items) => J::Array(items.iter().map(Node::to_value).collect()),
            Node::Map(entries) => {
                J::Object(entries.iter().map(|(k, v)| (k.clone(), v.to_value())).collect())
            }
            Node::Fn(name, arg) => {
                let mut m = serde_json::Map::new();
                m.insert(name.to_string(), arg.to_value());
                J::Object(m)
            }
        }
    }
}

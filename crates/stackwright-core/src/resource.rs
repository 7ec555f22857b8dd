//! Resources: the trait every L1 type implements, typed handles, the per-resource settings
//! a template allows (DependsOn, Condition, policies, Metadata), and the raw escape hatch.

use std::any::Any;

use crate::expr::{Expr, Json, RefTarget, Val};
use crate::ids::ResourceId;

/// One problem with a resource's properties, found by [`Resource::validate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropertyProblem {
    /// The property, as a dotted path (`VisibilityTimeout`, `RedrivePolicy.maxReceiveCount`).
    pub property: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl PropertyProblem {
    /// A problem with `property`.
    pub fn new(property: impl Into<String>, message: impl Into<String>) -> PropertyProblem {
        PropertyProblem { property: property.into(), message: message.into() }
    }
}

/// A CloudFormation resource's type and properties. Implemented by every L1 struct.
///
/// Properties are rendered at synth, so anything that changes after creation (a statement a
/// grant adds to a policy) is simply a change to the struct before synth runs.
pub trait Resource: Any + CloneResource {
    /// The CloudFormation type name, such as `AWS::SQS::Queue`.
    fn resource_type(&self) -> &str;

    /// The `Properties` object, keys in the order they should appear.
    fn properties(&self) -> Props;

    /// Checks the properties (patterns, lengths, ranges, combinations). Runs at synth.
    fn validate(&self, _problems: &mut Vec<PropertyProblem>) {}
}

/// Cloning a boxed [`Resource`]; implemented for every resource struct that is `Clone`.
/// Synthesis renders constructs into a copy of the app, so the app itself never changes.
pub trait CloneResource {
    /// A boxed copy.
    fn clone_resource(&self) -> Box<dyn Resource>;
}

impl<T: Resource + Clone> CloneResource for T {
    fn clone_resource(&self) -> Box<dyn Resource> {
        Box::new(self.clone())
    }
}

/// A resource struct with its own typed handle.
pub trait ResourceType: Resource + Sized {
    /// The handle [`Scope::add`](crate::Scope::add) returns for this type.
    type Handle: Handle;
}

/// A small `Copy` reference to a resource in an app. Each L1 type has its own handle type
/// whose methods are the attributes that type has, so `GetAtt` of an attribute the type does
/// not have does not compile.
pub trait Handle: Copy {
    /// Wraps a resource id. Used by [`Scope::add`](crate::Scope::add).
    fn from_id(id: ResourceId) -> Self;
    /// The resource this handle refers to.
    fn id(&self) -> ResourceId;

    /// `Ref` of the resource. What it evaluates to depends on the type (a name, an ARN, a URL).
    fn reference(&self) -> Val<String> {
        Val::from_expr(Expr::Ref(RefTarget::Resource(self.id())))
    }
}

/// A bare id is a handle too, so anything that takes a handle takes an id.
impl Handle for ResourceId {
    fn from_id(id: ResourceId) -> Self {
        id
    }
    fn id(&self) -> ResourceId {
        *self
    }
}

/// `Fn::GetAtt` of a resource attribute; used by generated attribute accessors.
pub fn get_att<T>(id: ResourceId, attribute: &str) -> Val<T> {
    Val::from_expr(Expr::GetAtt(RefTarget::Resource(id), attribute.to_owned()))
}

/// An ordered `Properties` object being built by a resource's
/// [`properties`](Resource::properties).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Props {
    pub(crate) entries: Vec<(String, Expr)>,
}

impl Props {
    /// An empty property object.
    pub fn new() -> Props {
        Props::default()
    }

    /// Sets a property.
    pub fn set<T>(&mut self, name: &str, value: &Val<T>) -> &mut Props {
        self.entries.push((name.to_owned(), value.expr().clone()));
        self
    }

    /// Sets a property when it has a value.
    pub fn set_opt<T>(&mut self, name: &str, value: &Option<Val<T>>) -> &mut Props {
        if let Some(v) = value {
            self.set(name, v);
        }
        self
    }

    /// Sets a property to an untyped expression.
    pub fn set_expr(&mut self, name: &str, value: Expr) -> &mut Props {
        self.entries.push((name.to_owned(), value));
        self
    }

    /// The finished object.
    pub fn into_expr(self) -> Expr {
        Expr::Map(self.entries)
    }
}

/// A resource of any type with free-form properties: the escape hatch for types stackwright
/// has no struct for (or a property it does not know yet).
#[derive(Clone, Debug, PartialEq)]
pub struct RawResource {
    resource_type: String,
    properties: Vec<(String, Expr)>,
}

impl RawResource {
    /// A resource of this type with no properties yet.
    pub fn new(resource_type: impl Into<String>) -> RawResource {
        RawResource { resource_type: resource_type.into(), properties: Vec::new() }
    }

    /// Sets a property. Raw JSON is accepted; `{"Ref": ..}` and `{"Fn::..": ..}` objects in it
    /// are read as intrinsics and checked at synth.
    pub fn property(mut self, name: impl Into<String>, value: impl Into<Val<Json>>) -> RawResource {
        let name = name.into();
        let value = value.into().into_expr();
        match self.properties.iter_mut().find(|(k, _)| *k == name) {
            Some(slot) => slot.1 = value,
            None => self.properties.push((name, value)),
        }
        self
    }
}

impl Resource for RawResource {
    fn resource_type(&self) -> &str {
        &self.resource_type
    }

    fn properties(&self) -> Props {
        Props { entries: self.properties.clone() }
    }

    fn validate(&self, problems: &mut Vec<PropertyProblem>) {
        if !is_resource_type_name(&self.resource_type) {
            problems.push(PropertyProblem::new(
                "Type",
                format!(
                    "`{}` is not a resource type name; write `Service::Provider::Resource` \
                     such as `AWS::SQS::Queue`, or `Custom::Name` for a custom resource",
                    self.resource_type
                ),
            ));
        }
    }
}

/// `AWS::Service::Resource`, `Alexa::ASK::Skill`, `Custom::Anything` and the like.
fn is_resource_type_name(t: &str) -> bool {
    let parts: Vec<&str> = t.split("::").collect();
    let alnum = |p: &&str| {
        !p.is_empty()
            && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '@')
    };
    match parts.as_slice() {
        ["Custom", name] => alnum(name),
        [_, _, _] | [_, _, _, _] => parts.iter().all(alnum),
        _ => false,
    }
}

/// The handle of a [`RawResource`]: attributes by name, since the type is not known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RawHandle {
    id: ResourceId,
}

impl Handle for RawHandle {
    fn from_id(id: ResourceId) -> Self {
        RawHandle { id }
    }
    fn id(&self) -> ResourceId {
        self.id
    }
}

impl RawHandle {
    /// `Fn::GetAtt` of an attribute by name (not checked against the type).
    pub fn get_att<T>(&self, attribute: &str) -> Val<T> {
        get_att(self.id, attribute)
    }
}

impl ResourceType for RawResource {
    type Handle = RawHandle;
}

/// `DeletionPolicy` and `UpdateReplacePolicy` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RemovalPolicy {
    /// Delete the resource (CloudFormation's default for most types).
    Delete,
    /// Keep the resource outside the stack.
    Retain,
    /// `RetainExceptOnCreate`: keep the resource, except when it was created by a stack
    /// operation that is rolling back (no orphans from failed creations). `DeletionPolicy`
    /// only; as `UpdateReplacePolicy` it is an error at synth.
    RetainExceptOnCreate,
    /// Take a snapshot first (only types that support snapshots).
    Snapshot,
}

impl RemovalPolicy {
    /// The value as written in a template.
    pub fn name(self) -> &'static str {
        match self {
            RemovalPolicy::Delete => "Delete",
            RemovalPolicy::Retain => "Retain",
            RemovalPolicy::RetainExceptOnCreate => "RetainExceptOnCreate",
            RemovalPolicy::Snapshot => "Snapshot",
        }
    }
}

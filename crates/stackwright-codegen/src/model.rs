//! The generator's model of a resource type: what the Rust code needs, nothing more.

/// The type of a property value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    /// A string.
    Str,
    /// An integer.
    Int,
    /// A floating-point number.
    Num,
    /// A boolean.
    Bool,
    /// Free-form JSON (policy documents, maps, unions of unrelated shapes).
    Json,
    /// A list.
    List(Box<Ty>),
    /// A property type (struct) of the same resource module.
    Struct(String),
    /// A string restricted to allowed values; the enum of the same resource module.
    Enum(String),
    /// One of several shapes (`oneOf`/`anyOf`); the union enum of the same resource module.
    Union(String),
    /// A string of a reference kind (`stackwright_core::kind::RoleArn`): the type's name.
    Kind(String),
}

impl Ty {
    /// The `T` of `Val<T>` for a leaf value, `None` for structs and lists of structs.
    pub fn val_type(&self) -> Option<String> {
        Some(match self {
            Ty::Str | Ty::Enum(_) => "String".into(),
            Ty::Int => "i64".into(),
            Ty::Num => "f64".into(),
            Ty::Bool => "bool".into(),
            Ty::Json => "sw::Json".into(),
            Ty::Kind(k) => format!("sw::kind::{k}"),
            Ty::List(inner) => format!("Vec<{}>", inner.val_type()?),
            Ty::Struct(_) | Ty::Union(_) => return None,
        })
    }

    /// Human-readable type for documentation.
    pub fn describe(&self) -> String {
        match self {
            Ty::Str => "string".into(),
            Ty::Int => "integer".into(),
            Ty::Num => "number".into(),
            Ty::Bool => "boolean".into(),
            Ty::Json => "JSON".into(),
            Ty::Kind(k) => format!("[`{k}`](sw::kind::{k})"),
            Ty::List(inner) => format!("list of {}", inner.describe()),
            Ty::Struct(s) => format!("[`{s}`]"),
            Ty::Enum(e) => format!("string, one of [`{e}`]"),
            Ty::Union(u) => format!("one of the shapes of [`{u}`]"),
        }
    }
}

/// Constraints the schema puts on a value, checked at synth on literal values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checks {
    /// Shortest string.
    pub min_length: Option<u64>,
    /// Longest string.
    pub max_length: Option<u64>,
    /// Regular expression (ECMA syntax, searched) a string must match.
    pub pattern: Option<String>,
    /// Regular expression each string of a list must match.
    pub item_pattern: Option<String>,
    /// For a map that takes no other keys: the regular expressions one of which each key
    /// must match (`patternProperties` with `additionalProperties: false`).
    pub key_patterns: Vec<String>,
    /// For a map: `(key pattern, value pattern)`, the regular expression a string value must
    /// match when its key matches the key pattern.
    pub value_patterns: Vec<(String, String)>,
    /// Smallest number.
    pub minimum: Option<f64>,
    /// Largest number.
    pub maximum: Option<f64>,
    /// Fewest list items.
    pub min_items: Option<u64>,
    /// Most list items.
    pub max_items: Option<u64>,
    /// Allowed string values.
    pub allowed: Vec<String>,
    /// Whether allowed values compare case-insensitively.
    pub case_insensitive: bool,
    /// For a property that holds an IAM policy document: the kind of document
    /// (`stackwright_aws::support::DocumentKind`'s variant) it is checked as.
    pub policy: Option<&'static str>,
}

/// A property of a resource or property type.
#[derive(Clone, Debug, PartialEq)]
pub struct Prop {
    /// The CloudFormation name.
    pub cfn: String,
    /// The Rust field name.
    pub field: String,
    /// The value type.
    pub ty: Ty,
    /// Whether it must be set.
    pub required: bool,
    /// Whether changing it replaces the resource.
    pub create_only: bool,
    /// Its constraints.
    pub checks: Checks,
}

/// A property type: a struct in the resource's module.
#[derive(Clone, Debug, PartialEq)]
pub struct StructDef {
    /// The Rust name.
    pub name: String,
    /// The schema's name for it.
    pub cfn: String,
    /// Its properties.
    pub props: Vec<Prop>,
}

/// An enum of allowed string values.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumDef {
    /// The Rust name.
    pub name: String,
    /// `(variant, value)` pairs.
    pub values: Vec<(String, String)>,
}

/// A value of one of several shapes.
#[derive(Clone, Debug, PartialEq)]
pub struct UnionDef {
    /// The Rust name.
    pub name: String,
    /// `(variant, type)` pairs.
    pub variants: Vec<(String, Ty)>,
}

/// A read-only attribute, read with `Fn::GetAtt`.
#[derive(Clone, Debug, PartialEq)]
pub struct Attr {
    /// The attribute name as `Fn::GetAtt` takes it (`Endpoint.Address`).
    pub name: String,
    /// The accessor's name.
    pub method: String,
    /// The value type.
    pub ty: Ty,
}

/// What `Ref` of a resource returns.
#[derive(Clone, Debug, PartialEq)]
pub struct RefReturn {
    /// The property it returns (`RoleName`), or a description for a composite identifier.
    pub what: String,
    /// Its reference kind, when the schemas give one.
    pub kind: Option<String>,
}

/// One resource type.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    /// `AWS::SQS::Queue`.
    pub type_name: String,
    /// The Rust struct name (`Queue`); the handle is this plus `Ref`.
    pub name: String,
    /// The module (file) name.
    pub module: String,
    /// The reference page.
    pub doc_url: String,
    /// Settable properties.
    pub props: Vec<Prop>,
    /// Read-only attributes.
    pub attrs: Vec<Attr>,
    /// What `Ref` returns.
    pub ref_return: RefReturn,
    /// The JSON pointers of the schema nodes that became a reference kind.
    pub kinded: Vec<String>,
    /// The definitions the lowering reached (the others are unused by the schema).
    pub reached_definitions: Vec<String>,
    /// Property types.
    pub structs: Vec<StructDef>,
    /// Enums of allowed values.
    pub enums: Vec<EnumDef>,
    /// Enums of shapes.
    pub unions: Vec<UnionDef>,
}

/// One service: a module and a Cargo feature.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// The module and feature name (`sqs`).
    pub module: String,
    /// `AWS::SQS`.
    pub namespace: String,
    /// The resource types, sorted by name.
    pub resources: Vec<Resource>,
}

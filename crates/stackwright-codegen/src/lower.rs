//! From a resource provider schema (JSON Schema with CloudFormation's extensions) to the
//! model.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value};

use crate::model::{Attr, Checks, EnumDef, Prop, RefReturn, Resource, StructDef, Ty, UnionDef};
use crate::names;

/// Type names the generated code uses unqualified; a property type with one of these names
/// gets a `Property` suffix.
const TAKEN: &[&str] =
    &["Option", "Vec", "String", "Box", "Result", "Some", "None", "Ok", "Err", "Default"];

/// The property types of a schema that is not a resource (SAM's `Globals`): the root becomes
/// the struct `root`, its nested objects more structs.
pub fn property_types(root: &str, schema: &Value) -> Result<PropertyTypes, String> {
    let definitions = Map::new();
    let mut cx = Lowering {
        type_name: root,
        schema,
        definitions: &definitions,
        structs: Vec::new(),
        enums: Vec::new(),
        unions: Vec::new(),
        def_structs: HashMap::new(),
        used: TAKEN.iter().map(|s| (*s).to_owned()).collect(),
        at: String::new(),
        kinded: Vec::new(),
        reached: BTreeSet::new(),
    };
    let name = cx.fresh(root);
    cx.struct_body(name, root, schema)?;
    Ok(PropertyTypes { structs: cx.structs, enums: cx.enums, unions: cx.unions })
}

/// The types of a schema that is not a resource.
pub struct PropertyTypes {
    /// The structs, the root first.
    pub structs: Vec<StructDef>,
    /// The enums of allowed values.
    pub enums: Vec<EnumDef>,
    /// The enums of shapes.
    pub unions: Vec<UnionDef>,
}

/// Lowers one resource schema.
pub fn resource(type_name: &str, schema: &Value, doc_url: String) -> Result<Resource, String> {
    let parts: Vec<&str> = type_name.split("::").collect();
    let short = parts.last().copied().ok_or_else(|| format!("{type_name}: empty type name"))?;
    let name = names::type_name(short);
    let definitions =
        schema.get("definitions").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut cx = Lowering {
        type_name,
        schema,
        definitions: &definitions,
        structs: Vec::new(),
        enums: Vec::new(),
        unions: Vec::new(),
        def_structs: HashMap::new(),
        used: [name.clone(), format!("{name}Ref")]
            .into_iter()
            .chain(TAKEN.iter().map(|s| (*s).to_owned()))
            .collect(),
        at: String::new(),
        kinded: Vec::new(),
        reached: BTreeSet::new(),
    };
    let pointer_list = |key: &str| -> BTreeSet<String> {
        schema
            .get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let read_only = pointer_list("readOnlyProperties");
    let create_only = pointer_list("createOnlyProperties");
    let properties =
        schema.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    let required = required_of(schema);

    let mut props = Vec::new();
    for (cfn, node) in &properties {
        let pointer = format!("/properties/{cfn}");
        if read_only.contains(&pointer) {
            continue;
        }
        let (ty, checks) = cx.lower_at(&pointer, node, &name, cfn)?;
        props.push(Prop {
            cfn: cfn.clone(),
            field: String::new(),
            ty,
            required: required.contains(cfn),
            create_only: create_only.contains(&pointer),
            checks,
        });
    }
    assign_fields(&mut props);

    let mut attrs = Vec::new();
    let mut methods: BTreeSet<String> =
        ["id", "from_id", "reference"].iter().map(|s| (*s).to_owned()).collect();
    for pointer in &read_only {
        let Some(path) = pointer.strip_prefix("/properties/") else {
            continue;
        };
        let segments: Vec<&str> = path.split('/').collect();
        let Some(node) = walk(&properties, &definitions, &segments) else {
            continue;
        };
        let ty = match cx.lower_at(pointer, &node, &name, &segments.concat()) {
            Ok((Ty::Struct(_) | Ty::Union(_), _)) => Ty::Json,
            Ok((Ty::Enum(_), _)) => Ty::Str,
            Ok((Ty::List(inner), _)) if !matches!(*inner, Ty::Str | Ty::Kind(_)) => Ty::Json,
            Ok((t, _)) => t,
            Err(_) => Ty::Json,
        };
        let mut method = names::field(&segments.join("_"));
        if methods.contains(&method) {
            method = format!("attr_{}", method.trim_start_matches("r#"));
        }
        methods.insert(method.clone());
        attrs.push(Attr { name: segments.join("."), method, ty });
    }

    let ref_return = ref_return(schema, &properties, &definitions)?;

    let mut reached_definitions: Vec<String> = cx.def_structs.keys().cloned().collect();
    reached_definitions.extend(cx.reached.iter().cloned());
    reached_definitions.sort();
    reached_definitions.dedup();
    Ok(Resource {
        ref_return,
        kinded: cx.kinded,
        reached_definitions,
        type_name: type_name.to_owned(),
        module: names::resource_module(short),
        name,
        doc_url,
        props,
        attrs,
        structs: cx.structs,
        enums: cx.enums,
        unions: cx.unions,
    })
}

/// What `Ref` returns: the primary identifier, as cfn-lint reads it (a composite identifier
/// of several properties is a plain string).
fn ref_return(
    schema: &Value,
    properties: &Map<String, Value>,
    definitions: &Map<String, Value>,
) -> Result<RefReturn, String> {
    let ids: Vec<&str> = schema
        .get("primaryIdentifier")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let names: Vec<String> =
        ids.iter().map(|p| p.strip_prefix("/properties/").unwrap_or(p).replace('/', ".")).collect();
    match ids.as_slice() {
        [one] => {
            let segments: Vec<&str> =
                one.strip_prefix("/properties/").unwrap_or(one).split('/').collect();
            // The kind only: lowering the node again would declare its types twice.
            let kind = match walk(properties, definitions, &segments) {
                Some(node) => match kind_of(&node)? {
                    Some(Ty::Kind(k)) => Some(k),
                    _ => None,
                },
                None => None,
            };
            Ok(RefReturn { what: format!("its `{}`", names.join("")), kind })
        }
        [] => Ok(RefReturn { what: "its physical ID".into(), kind: None }),
        _ => Ok(RefReturn {
            what: format!(
                "an identifier made of {}",
                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            ),
            kind: None,
        }),
    }
}

/// The type a reference format gives: its kind, or a list of the item kind for the plural
/// formats (`AWS::EC2::Subnet.Ids`). `None` for a format no kind stands for.
pub(crate) fn kind_type(format: &str) -> Option<Ty> {
    let lookup = |f: &str| {
        stackwright_core::kind::KINDS.iter().find(|(k, _)| *k == f).map(|(_, n)| (*n).to_owned())
    };
    if let Some(k) = lookup(format) {
        return Some(Ty::Kind(k));
    }
    let item = format.strip_suffix('s')?;
    lookup(item).map(|k| Ty::List(Box::new(Ty::Kind(k))))
}

/// The reference formats of a node's `anyOf` (or `oneOf`) when each alternative is one
/// (`[{"format": "AWS::KMS::Key.Arn"}, {"format": "AWS::KMS::Key.Id"}, ...]`).
pub(crate) fn alternative_formats(node: &Value) -> Option<Vec<&str>> {
    ["anyOf", "oneOf"].iter().find_map(|key| {
        let alts = node.get(*key)?.as_array()?;
        let formats: Option<Vec<&str>> = alts
            .iter()
            .map(|a| a.get("format").and_then(Value::as_str).filter(|f| f.starts_with("AWS::")))
            .collect();
        formats.filter(|f| !f.is_empty())
    })
}

/// The reference kind a node takes, from its `format` (or an `anyOf` of formats): `Some`
/// with the kind's type, `Ok(None)` when the node has no reference format, an error when it
/// has one the core does not know, so a new format in the schemas is noticed.
fn kind_of(node: &Value) -> Result<Option<Ty>, String> {
    let lookup = |format: &str| -> Result<String, String> {
        stackwright_core::kind::KINDS
            .iter()
            .find(|(f, _)| *f == format)
            .map(|(_, name)| (*name).to_owned())
            .ok_or_else(|| {
                format!(
                    "the schemas use the reference format `{format}`, which has no kind in \
                     stackwright_core::kind: add it there"
                )
            })
    };
    let is_array = type_of(node).as_deref() == Some("array");
    if let Some(format) = node.get("format").and_then(Value::as_str)
        && format.starts_with("AWS::")
    {
        if is_array {
            // `AWS::EC2::SecurityGroup.Ids` is a list of `AWS::EC2::SecurityGroup.Id`.
            let item = format.strip_suffix('s').unwrap_or(format);
            return Ok(Some(Ty::List(Box::new(Ty::Kind(lookup(item)?)))));
        }
        return Ok(Some(Ty::Kind(lookup(format)?)));
    }
    if let Some(format) = format_from_pattern(node) {
        return Ok(Some(Ty::Kind(lookup(format)?)));
    }
    let Some(formats) = alternative_formats(node) else { return Ok(None) };
    if is_array || formats.iter().any(|f| f.ends_with('s')) {
        // A list by IDs or by names: no single item kind, so it stays a list of strings.
        return Ok(None);
    }
    Ok(Some(Ty::Kind(lookup(&formats.join("|"))?)))
}

/// The reference format of a string the schemas give no `format` but whose pattern admits
/// only one kind of reference: an IAM role ARN (`^arn:aws[...]:iam::\d{12}:role/...`), as for
/// `AWS::Lambda::Function.Role`. cfn-lint annotates most role ARNs; these are the rest.
fn format_from_pattern(node: &Value) -> Option<&'static str> {
    if type_of(node).as_deref() != Some("string") {
        return None;
    }
    let pattern = node.get("pattern").and_then(Value::as_str)?;
    let (partition, rest) = pattern.strip_prefix("^arn:")?.split_once(":iam::")?;
    let account_then_role = rest.split_once(':').map(|(_, r)| r)?;
    let role_only = account_then_role.starts_with("role/")
        || account_then_role.starts_with("(role|role/service-role)/");
    (role_only && !partition.contains(':')).then_some("AWS::IAM::Role.Arn")
}

fn required_of(node: &Value) -> BTreeSet<String> {
    node.get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Rust field names, made unique (`SSEEnabled` and `SseEnabled` both become `sse_enabled`).
fn assign_fields(props: &mut [Prop]) {
    let mut seen = BTreeSet::new();
    for p in props.iter_mut() {
        let mut f = names::field(&p.cfn);
        while !seen.insert(f.clone()) {
            f = format!("{}_", f.trim_start_matches("r#"));
        }
        p.field = f;
    }
}

/// Follows a read-only property pointer through nested properties and `$ref`s.
fn walk(
    properties: &Map<String, Value>,
    definitions: &Map<String, Value>,
    segments: &[&str],
) -> Option<Value> {
    let (first, rest) = segments.split_first()?;
    let mut node = properties.get(*first)?.clone();
    for seg in rest {
        node = deref(&node, definitions);
        node = node.get("properties")?.get(*seg)?.clone();
    }
    Some(deref(&node, definitions))
}

fn deref(node: &Value, definitions: &Map<String, Value>) -> Value {
    match node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/definitions/")) {
        Some(name) => definitions.get(name).cloned().unwrap_or(Value::Null),
        None => node.clone(),
    }
}

struct Lowering<'a> {
    type_name: &'a str,
    schema: &'a Value,
    definitions: &'a Map<String, Value>,
    structs: Vec<StructDef>,
    enums: Vec<EnumDef>,
    unions: Vec<UnionDef>,
    /// Definition name -> struct name, for definitions already lowered (or in progress).
    def_structs: HashMap<String, String>,
    used: BTreeSet<String>,
    /// The JSON pointer of the node being lowered.
    at: String,
    /// The pointers of the nodes that became a reference kind.
    kinded: Vec<String>,
    /// Definitions lowered in place (not as structs).
    reached: BTreeSet<String>,
}

impl Lowering<'_> {
    fn fresh(&mut self, wanted: &str) -> String {
        let base = names::type_name(wanted);
        let mut name = base.clone();
        if self.used.contains(&name) {
            name = format!("{base}Property");
        }
        let mut n = 2;
        while self.used.contains(&name) {
            name = format!("{base}Property{n}");
            n += 1;
        }
        self.used.insert(name.clone());
        name
    }

    /// [`lower`](Self::lower) of the node at the JSON pointer `at`.
    fn lower_at(
        &mut self,
        at: &str,
        node: &Value,
        owner: &str,
        prop: &str,
    ) -> Result<(Ty, Checks), String> {
        let saved = std::mem::replace(&mut self.at, at.to_owned());
        let lowered = self.lower(node, owner, prop);
        self.at = saved;
        lowered
    }

    fn lower(&mut self, node: &Value, owner: &str, prop: &str) -> Result<(Ty, Checks), String> {
        // A `$ref` to a plain string with a format beside it (`{"$ref": "#/definitions/Arn",
        // "format": "AWS::IAM::Role.Arn"}`): the kind, with the target's constraints.
        if node.get("$ref").is_some()
            && node.get("format").is_some()
            && let Some(ty) = kind_of(node)?
        {
            let mut plain = node.clone();
            if let Some(map) = plain.as_object_mut() {
                map.remove("format");
            }
            let (target, mut checks) = self.lower(&plain, owner, prop)?;
            if matches!(target, Ty::Str) {
                self.kinded.push(self.at.clone());
                merge_checks(&mut checks, node);
                return Ok((ty, checks));
            }
            return Ok((target, checks));
        }
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            let Some(def) = r.strip_prefix("#/definitions/") else {
                // A pointer elsewhere in the schema (`#/properties/Arn`): lower what it
                // points at in place.
                let target = r
                    .strip_prefix('#')
                    .and_then(|p| self.schema.pointer(p))
                    .cloned()
                    .ok_or_else(|| format!("{}: unresolvable $ref `{r}`", self.type_name))?;
                return self.lower_at(&r[1..], &target, owner, prop);
            };
            let target = self
                .definitions
                .get(def)
                .ok_or_else(|| format!("{}: $ref to missing definition `{def}`", self.type_name))?
                .clone();
            if is_struct(&target) {
                return Ok((Ty::Struct(self.def_struct(def, &target)?), Checks::default()));
            }
            self.reached.insert(def.to_owned());
            let (ty, mut checks) =
                self.lower_at(&format!("/definitions/{def}"), &target, owner, def)?;
            merge_checks(&mut checks, node);
            return Ok((ty, checks));
        }
        if let Some(ty) = kind_of(node)? {
            self.kinded.push(self.at.clone());
            let mut checks = Checks::default();
            merge_checks(&mut checks, node);
            if let Ty::List(_) = ty
                && let Some(items) = node.get("items")
            {
                checks.item_pattern =
                    items.get("pattern").and_then(Value::as_str).map(str::to_owned);
            }
            return Ok((ty, checks));
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(alts) = node.get(key).and_then(Value::as_array) {
                if alts.len() == 1 && node.get("type").is_none() {
                    let at = format!("{}/{key}/0", self.at);
                    return self.lower_at(&at, &alts[0], owner, prop);
                }
                if node.get("type").is_none() && node.get("properties").is_none() {
                    if key != "allOf"
                        && let Some(ty) = self.union(key, alts, owner, prop)?
                    {
                        return Ok((ty, Checks::default()));
                    }
                    return Ok((Ty::Json, Checks::default()));
                }
            }
        }
        let mut checks = Checks::default();
        merge_checks(&mut checks, node);
        let ty = match type_of(node).as_deref() {
            Some("string") => match node.get("enum").and_then(Value::as_array) {
                Some(values) if !values.is_empty() => {
                    let values: Vec<String> = values
                        .iter()
                        .map(|v| match v {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect();
                    checks.allowed = values.clone();
                    checks.case_insensitive =
                        node.get("enumCaseInsensitive").and_then(Value::as_bool).unwrap_or(false);
                    Ty::Enum(self.enum_def(&format!("{owner}{}", names::type_name(prop)), &values))
                }
                _ => Ty::Str,
            },
            Some("integer") => Ty::Int,
            Some("number") => Ty::Num,
            Some("boolean") => Ty::Bool,
            Some("array") => {
                let items = node.get("items").cloned().unwrap_or(Value::Null);
                let (inner, item_checks) = if items.is_null() {
                    (Ty::Json, Checks::default())
                } else {
                    let at = format!("{}/items", self.at);
                    self.lower_at(&at, &items, owner, prop)?
                };
                if matches!(inner, Ty::Str | Ty::Enum(_) | Ty::Kind(_)) {
                    checks.item_pattern = item_checks.pattern;
                }
                match inner {
                    Ty::List(_) => Ty::List(Box::new(Ty::Json)),
                    other => Ty::List(Box::new(other)),
                }
            }
            Some("object") if is_struct(node) => {
                let name = self.fresh(&format!("{owner}{}", names::type_name(prop)));
                self.struct_body(name.clone(), prop, node)?;
                Ty::Struct(name)
            }
            _ => Ty::Json,
        };
        Ok((ty, checks))
    }

    /// A `oneOf`/`anyOf` of distinct shapes becomes an enum with a variant per shape. `None`
    /// when the alternatives are constraints rather than shapes (`{"required": [..]}`) or
    /// collapse into one type.
    fn union(
        &mut self,
        key: &str,
        alts: &[Value],
        owner: &str,
        prop: &str,
    ) -> Result<Option<Ty>, String> {
        let mut variants: Vec<(String, Ty)> = Vec::new();
        for (i, alt) in alts.iter().enumerate() {
            let shaped = alt.get("$ref").is_some()
                || alt.get("type").is_some()
                || alt.get("properties").is_some();
            if !shaped {
                return Ok(None);
            }
            let at = format!("{}/{key}/{i}", self.at);
            let (ty, _) = self.lower_at(&at, alt, owner, &format!("{prop}{}", i + 1))?;
            let ty = match ty {
                Ty::Enum(_) => Ty::Str,
                // A variant holds one value; a list of shapes stays free-form inside it.
                Ty::List(inner) if matches!(*inner, Ty::Struct(_) | Ty::Union(_)) => {
                    Ty::List(Box::new(Ty::Json))
                }
                other => other,
            };
            if variants.iter().any(|(_, t)| *t == ty) {
                continue;
            }
            let base = match &ty {
                Ty::Str => "String".to_owned(),
                Ty::Int => "Integer".to_owned(),
                Ty::Num => "Number".to_owned(),
                Ty::Bool => "Boolean".to_owned(),
                Ty::Json => "Json".to_owned(),
                Ty::List(_) => "List".to_owned(),
                Ty::Struct(s) | Ty::Union(s) => s.clone(),
                Ty::Enum(e) | Ty::Kind(e) => e.clone(),
            };
            let mut name = base.clone();
            let mut n = 2;
            while variants.iter().any(|(v, _)| *v == name) {
                name = format!("{base}{n}");
                n += 1;
            }
            variants.push((name, ty));
        }
        if variants.len() < 2 {
            return Ok(variants.pop().map(|(_, t)| t));
        }
        let name = self.fresh(&format!("{owner}{}Value", names::type_name(prop)));
        self.unions.push(UnionDef { name: name.clone(), variants });
        Ok(Some(Ty::Union(name)))
    }

    fn def_struct(&mut self, def: &str, node: &Value) -> Result<String, String> {
        if let Some(name) = self.def_structs.get(def) {
            return Ok(name.clone());
        }
        let name = self.fresh(def);
        self.def_structs.insert(def.to_owned(), name.clone());
        let saved = std::mem::replace(&mut self.at, format!("/definitions/{def}"));
        let body = self.struct_body(name.clone(), def, node);
        self.at = saved;
        body?;
        Ok(name)
    }

    fn struct_body(&mut self, name: String, cfn: &str, node: &Value) -> Result<(), String> {
        // Reserve the slot first so nested structs keep a stable order after their parent.
        let index = self.structs.len();
        self.structs.push(StructDef { name: name.clone(), cfn: cfn.to_owned(), props: Vec::new() });
        let required = required_of(node);
        let mut props = Vec::new();
        if let Some(properties) = node.get("properties").and_then(Value::as_object) {
            for (p, child) in properties {
                let at = format!("{}/properties/{p}", self.at);
                let (ty, checks) = self.lower_at(&at, child, &name, p)?;
                props.push(Prop {
                    cfn: p.clone(),
                    field: String::new(),
                    ty,
                    required: required.contains(p),
                    create_only: false,
                    checks,
                });
            }
        }
        assign_fields(&mut props);
        self.structs[index].props = props;
        Ok(())
    }

    fn enum_def(&mut self, wanted: &str, values: &[String]) -> String {
        // Each property gets its own enum, named after it: sharing one between properties that
        // happen to allow the same values would give one of them a misleading name.
        let name = self.fresh(wanted);
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for v in values {
            let mut variant = names::variant(v);
            if variant == "Other" {
                variant = "OtherValue".into();
            }
            let base = variant.clone();
            let mut n = 2;
            while !seen.insert(variant.clone()) {
                variant = format!("{base}{n}");
                n += 1;
            }
            out.push((variant, v.clone()));
        }
        self.enums.push(EnumDef { name: name.clone(), values: out });
        name
    }
}

/// A node that becomes a struct: an object with named properties.
fn is_struct(node: &Value) -> bool {
    let is_object = matches!(type_of(node).as_deref(), Some("object") | None);
    is_object
        && node.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty())
        && node.get("$ref").is_none()
}

/// The schema type, choosing for a list of types the one a typed property should take: a
/// single type as is; `[T, "string"]` for a scalar `T` (CloudFormation accepts the string
/// form too) as `T`; anything else as JSON.
fn type_of(node: &Value) -> Option<String> {
    match node.get("type")? {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => {
            let types: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
            match types.as_slice() {
                [one] => Some((*one).to_owned()),
                [a, "string"] | ["string", a] if ["integer", "number", "boolean"].contains(a) => {
                    Some((*a).to_owned())
                }
                _ => Some("json".into()),
            }
        }
        _ => None,
    }
}

fn merge_checks(checks: &mut Checks, node: &Value) {
    let u = |k: &str| node.get(k).and_then(Value::as_f64).map(|f| f as u64);
    let f = |k: &str| node.get(k).and_then(Value::as_f64);
    checks.min_length = u("minLength").or(checks.min_length);
    checks.max_length = u("maxLength").or(checks.max_length);
    checks.minimum = f("minimum").or(checks.minimum);
    checks.maximum = f("maximum").or(checks.maximum);
    checks.min_items = u("minItems").or(checks.min_items);
    checks.max_items = u("maxItems").or(checks.max_items);
    if let Some(p) = node.get("pattern").and_then(Value::as_str) {
        checks.pattern = Some(p.to_owned());
    }
    if let Some(pp) = node.get("patternProperties").and_then(Value::as_object) {
        if node.get("additionalProperties") == Some(&Value::Bool(false)) {
            checks.key_patterns = pp.keys().cloned().collect();
        }
        checks.value_patterns = pp
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.get("pattern")?.as_str()?.to_owned())))
            .collect();
    }
}

//! Repairs of defects in the input schemas. Each fixup is a named function that fails once
//! the defect is gone, so it is removed instead of silently doing nothing forever.

use serde_json::Value;

use crate::input::TypeSchema;

/// A fixup: its name, the types it applies to, and the repair, which returns an error when
/// the defect it repairs is no longer there.
pub struct Fixup {
    /// What it repairs.
    pub name: &'static str,
    /// The resource types it applies to; it must find its defect in each.
    pub type_names: &'static [&'static str],
    /// The repair.
    pub apply: fn(&mut Value) -> Result<(), String>,
}

/// Every fixup, applied in order.
pub const FIXUPS: &[Fixup] = &[
    Fixup {
        name: "sns_subscription_protocol_values",
        type_names: &["AWS::SNS::Subscription"],
        apply: sns_subscription_protocol_values,
    },
    Fixup {
        name: "xml_characters_as_surrogates",
        type_names: &[
            "AWS::CleanRooms::AnalysisTemplate",
            "AWS::CleanRooms::Collaboration",
            "AWS::CleanRooms::ConfiguredTable",
            "AWS::CleanRooms::ConfiguredTableAssociation",
            "AWS::CleanRooms::IdMappingTable",
            "AWS::CleanRooms::IdNamespaceAssociation",
            "AWS::CleanRooms::IntermediateTable",
            "AWS::CleanRoomsML::ConfiguredModelAlgorithm",
            "AWS::CleanRoomsML::ConfiguredModelAlgorithmAssociation",
            "AWS::CleanRoomsML::TrainingDataset",
            "AWS::EMRContainers::Endpoint",
            "AWS::EMRContainers::JobTemplate",
            "AWS::EMRServerless::Application",
            "AWS::Glue::Session",
            "AWS::Glue::UserDefinedFunction",
        ],
        apply: xml_characters_as_surrogates,
    },
    Fixup {
        name: "ssm_contacts_channel_name_emoji",
        type_names: &["AWS::SSMContacts::ContactChannel"],
        apply: ssm_contacts_channel_name_emoji,
    },
    Fixup {
        name: "access_point_path_repeated_lookahead",
        type_names: &["AWS::EFS::AccessPoint", "AWS::S3Files::AccessPoint"],
        apply: access_point_path_repeated_lookahead,
    },
    Fixup {
        name: "dynamodb_table_reference_formats",
        type_names: &["AWS::DynamoDB::Table"],
        apply: dynamodb_table_reference_formats,
    },
    Fixup {
        name: "sqs_queue_url_format",
        type_names: &["AWS::SQS::Queue"],
        apply: sqs_queue_url_format,
    },
    Fixup {
        name: "sqs_queue_policy_queue_urls",
        type_names: &["AWS::SQS::QueuePolicy"],
        apply: sqs_queue_policy_queue_urls,
    },
];

/// A table's name and ARN carry no reference format, so `Ref` of a table (its name) would
/// fit where IAM needs its ARN. With the formats, each is its own kind.
fn dynamodb_table_reference_formats(schema: &mut Value) -> Result<(), String> {
    add_format(schema, "/properties/TableName", "AWS::DynamoDB::Table.Name")?;
    add_format(schema, "/properties/Arn", "AWS::DynamoDB::Table.Arn")
}

/// `Ref` of a queue is its URL, which carries no format, so it would fit where IAM needs
/// the queue's ARN.
fn sqs_queue_url_format(schema: &mut Value) -> Result<(), String> {
    add_format(schema, "/properties/QueueUrl", "AWS::SQS::Queue.Url")
}

/// A queue policy names its queues by URL; an ARN there is refused by SQS at deploy time.
fn sqs_queue_policy_queue_urls(schema: &mut Value) -> Result<(), String> {
    add_format(schema, "/properties/Queues/items", "AWS::SQS::Queue.Url")
}

/// Gives the string node at `pointer` a reference format; an error when the node is gone or
/// already has one.
fn add_format(schema: &mut Value, pointer: &str, format: &str) -> Result<(), String> {
    let node = schema
        .pointer_mut(pointer)
        .and_then(Value::as_object_mut)
        .ok_or_else(|| format!("the schema has no `{pointer}`"))?;
    if let Some(f) = node.get("format") {
        return Err(format!("`{pointer}` has the format {f} already"));
    }
    if node.get("type").and_then(Value::as_str) != Some("string") {
        return Err(format!("`{pointer}` is not a string"));
    }
    node.insert("format".into(), Value::from(format));
    Ok(())
}

/// The schema types `Protocol` as a free string, though SNS accepts a fixed set; with the
/// set, a typo is caught at synth and the protocols get an enum.
fn sns_subscription_protocol_values(schema: &mut Value) -> Result<(), String> {
    let protocol = schema
        .pointer_mut("/properties/Protocol")
        .and_then(Value::as_object_mut)
        .ok_or("the schema has no Protocol property")?;
    if protocol.contains_key("enum") {
        return Err("Protocol already lists its allowed values".into());
    }
    let values =
        ["http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"];
    protocol.insert("enum".into(), Value::from(values.to_vec()));
    Ok(())
}

/// XML's characters are `[\u0020-\uD7FF\uE000-\uFFFD\uD800-\uDBFF\uDC00-\uDFFF]` in UTF-16
/// (a surrogate pair for each character above U+FFFF), but these patterns misplace the
/// dashes (`\uD800\uDBFF-\uDC00\uDFFF`, `\uD800\uDC00-\uDBFF\uDFFF`): as written they name
/// lone surrogates, which no string holds, and do not compile. The pairs are written as the
/// characters they encode.
fn xml_characters_as_surrogates(schema: &mut Value) -> Result<(), String> {
    let n = replace_in_patterns(schema, r"\uD800\uDBFF-\uDC00\uDFFF", r"\u{10000}-\u{10FFFF}")
        + replace_in_patterns(schema, r"\uD800\uDC00-\uDBFF\uDFFF", r"\u{10000}-\u{10FFFF}");
    if n == 0 {
        return Err("no pattern names XML's characters as surrogates".into());
    }
    Ok(())
}

/// `ChannelName` allows emoji as the surrogate pairs `\uD83C-\uDBFF\uDC00-\uDFFF` (the
/// characters from U+1F000 up), which no string holds as such, and spells `&` as the HTML
/// entity `&amp;`. Written as the characters meant.
fn ssm_contacts_channel_name_emoji(schema: &mut Value) -> Result<(), String> {
    let n = replace_in_patterns(
        schema,
        r"[a-zA-Z 0-9_\-+'&amp;\uD83C-\uDBFF\uDC00-\uDFFF\u2000-\u3300]+",
        r"[a-zA-Z 0-9_\-+'&\u{1F000}-\u{10FFFF}\u2000-\u3300]+",
    );
    if n == 0 {
        return Err("no pattern spells emoji as surrogates".into());
    }
    Ok(())
}

/// An access point's root `Path` repeats a look-ahead (`(?!\.)+`), which ECMA tolerates for
/// compatibility and Rust rejects; asserting it once means the same.
fn access_point_path_repeated_lookahead(schema: &mut Value) -> Result<(), String> {
    if replace_in_patterns(schema, r"(?!\.)+", r"(?!\.)") == 0 {
        return Err(r"no pattern repeats the look-ahead `(?!\.)`".into());
    }
    Ok(())
}

/// Replaces `from` with `to` in every `pattern` of a schema; returns how many patterns
/// changed.
fn replace_in_patterns(node: &mut Value, from: &str, to: &str) -> usize {
    match node {
        Value::Object(map) => map
            .iter_mut()
            .map(|(key, v)| match v {
                Value::String(p) if key == "pattern" && p.contains(from) => {
                    *p = p.replace(from, to);
                    1
                }
                v => replace_in_patterns(v, from, to),
            })
            .sum(),
        Value::Array(items) => items.iter_mut().map(|v| replace_in_patterns(v, from, to)).sum(),
        _ => 0,
    }
}

/// Applies every fixup; each must find its defect in every type it names.
pub fn apply_all(types: &mut [TypeSchema]) -> Result<(), String> {
    for f in FIXUPS {
        for type_name in f.type_names {
            let t = types.iter_mut().find(|t| t.type_name == *type_name).ok_or_else(|| {
                format!(
                    "fixup `{}`: type {type_name} is gone from the input; remove it from the fixup",
                    f.name
                )
            })?;
            (f.apply)(&mut t.schema).map_err(|e| {
                format!("fixup `{}` no longer applies to {type_name} ({e}); remove it", f.name)
            })?;
        }
    }
    Ok(())
}

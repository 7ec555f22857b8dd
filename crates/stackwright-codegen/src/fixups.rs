//! Repairs of defects in the input schemas. Each fixup is a named function that fails once
//! the defect is gone, so it is removed instead of silently doing nothing forever.

use serde_json::Value;

use crate::input::TypeSchema;

/// A fixup: its name, the type it applies to, and the repair, which returns an error when
/// the defect it repairs is no longer there.
pub struct Fixup {
    /// What it repairs.
    pub name: &'static str,
    /// The resource type it applies to.
    pub type_name: &'static str,
    /// The repair.
    pub apply: fn(&mut Value) -> Result<(), String>,
}

/// Every fixup, applied in order.
pub const FIXUPS: &[Fixup] = &[Fixup {
    name: "sns_subscription_protocol_values",
    type_name: "AWS::SNS::Subscription",
    apply: sns_subscription_protocol_values,
}];

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

/// Applies every fixup; each must find its defect.
pub fn apply_all(types: &mut [TypeSchema]) -> Result<(), String> {
    for f in FIXUPS {
        let t = types.iter_mut().find(|t| t.type_name == f.type_name).ok_or_else(|| {
            format!(
                "fixup `{}`: type {} is gone from the input; remove the fixup",
                f.name, f.type_name
            )
        })?;
        (f.apply)(&mut t.schema)
            .map_err(|e| format!("fixup `{}` no longer applies ({e}); remove it", f.name))?;
    }
    Ok(())
}

//! Cross-stack references: the exports producers must declare, with stable names.

use indexmap::IndexMap;

use crate::ids::ResourceId;

/// One value a stack exports because another stack of the app references it.
pub(crate) struct Export {
    /// The producer stack's index.
    pub(crate) producer: usize,
    /// The resource and, for `Fn::GetAtt`, the attribute.
    pub(crate) resource: ResourceId,
    pub(crate) attribute: Option<String>,
    /// `Producer:LogicalId` or `Producer:LogicalId:Attribute`.
    pub(crate) name: String,
    /// The output's logical ID in the producer, `Export` + logical ID + attribute (or `Ref`).
    pub(crate) output_id: String,
}

/// Every export the app needs, in the order first referenced, deduplicated.
#[derive(Default)]
pub(crate) struct Exports {
    pub(crate) entries: IndexMap<(ResourceId, Option<String>), Export>,
}

impl Exports {
    /// The export name for a reference, registering it on first use. Names depend only on the
    /// producer stack's name, the logical ID and the attribute, so they are stable across
    /// runs and across unrelated changes.
    pub(crate) fn name_for(
        &mut self,
        producer: usize,
        producer_name: &str,
        resource: ResourceId,
        logical_id: &str,
        attribute: Option<&str>,
    ) -> String {
        let key = (resource, attribute.map(str::to_owned));
        self.entries
            .entry(key)
            .or_insert_with(|| {
                let (name, suffix) = match attribute {
                    Some(a) => (
                        format!("{producer_name}:{logical_id}:{}", a.replace('.', "-")),
                        a.chars().filter(char::is_ascii_alphanumeric).collect::<String>(),
                    ),
                    None => (format!("{producer_name}:{logical_id}"), "Ref".to_owned()),
                };
                Export {
                    producer,
                    resource,
                    attribute: attribute.map(str::to_owned),
                    name: within(name, MAX_EXPORT_NAME_LEN, "-"),
                    output_id: within(
                        format!("Export{logical_id}{suffix}"),
                        crate::path::MAX_LOGICAL_ID_LEN,
                        "",
                    ),
                }
            })
            .name
            .clone()
    }
}

/// CloudFormation's limit on an export name.
const MAX_EXPORT_NAME_LEN: usize = 255;

/// The name itself when it fits; otherwise its start and a hash of the whole, so that two
/// long names that share a start still differ, and the result is the same on every run.
fn within(name: String, max: usize, separator: &str) -> String {
    if name.len() <= max {
        return name;
    }
    let hash = format!("{separator}{:016X}", super::resolve::fnv1a(name.as_bytes()));
    let mut keep = max - hash.len();
    while !name.is_char_boundary(keep) {
        keep -= 1;
    }
    format!("{}{hash}", &name[..keep])
}

//! The pinned input: cfn-lint's bundled provider schemas, read and hashed.

use std::fs;
use std::path::Path;

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The cfn-lint release whose schemas the committed code was generated from.
pub const PINNED_CFN_LINT: &str = "1.58.0";

/// The sha256 of the input (every type name and its schema file, in type order, then the
/// SAM globals, the runtime table and the IAM policy rules).
pub const PINNED_INPUT_SHA256: &str =
    "f62aa8d4844c1b5e17c355cfd08a311dc88626689656db1fdea1cd448d734453";

/// One resource type's schema.
pub struct TypeSchema {
    /// `AWS::SQS::Queue`.
    pub type_name: String,
    /// Whether it comes from the SAM provider index.
    pub sam: bool,
    /// The parsed schema.
    pub schema: Value,
}

/// The whole input.
pub struct Input {
    /// The cfn-lint version found.
    pub version: String,
    /// The hash of the input.
    pub sha256: String,
    /// Every type of the us-east-1 index, then the SAM types, sorted by name within each.
    pub types: Vec<TypeSchema>,
    /// The provider indexes as read: `(file name, text)`.
    pub indexes: Vec<(String, String)>,
    /// The schema of SAM's `Globals` section.
    pub sam_globals: Value,
    /// cfn-lint's Lambda runtime lifecycle table (deprecation dates and successors).
    pub runtimes: Value,
    /// The properties cfn-lint's IAM rules check as policy documents: `(kind, path)`, the
    /// kind being the rule's file stem (`TrustPolicy`) and the path as the rule writes it
    /// (`Resources/AWS::IAM::Role/Properties/Policies/*/PolicyDocument`).
    pub policy_paths: Vec<(String, String)>,
}

/// cfn-lint's rules that check embedded policy documents, one per kind of document.
pub const POLICY_RULES: &[&str] =
    &["IdentityPolicy", "ResourcePolicy", "ResourceEcrPolicy", "TrustPolicy"];

/// Reads cfn-lint's schemas from its installed package folder (`.../site-packages/cfnlint`).
pub fn read(cfnlint: &Path) -> Result<Input, String> {
    let version = read_version(cfnlint)?;
    let schemas = cfnlint.join("data/schemas");
    let mut hasher = Sha256::new();
    let mut types = Vec::new();
    let mut indexes = Vec::new();
    for (index, sam) in [("providers/us-east-1.json", false), ("providers/sam.json", true)] {
        let text = read_text(&schemas.join(index))?;
        let index_json: Value = serde_json::from_str(&text).map_err(|e| format!("{index}: {e}"))?;
        indexes.push((index.trim_start_matches("providers/").to_owned(), text.clone()));
        let entries = index_json.as_object().ok_or_else(|| format!("{index}: not an object"))?;
        let mut names: Vec<(&String, &Value)> = entries.iter().collect();
        names.sort_by(|a, b| a.0.cmp(b.0));
        for (type_name, file) in names {
            let file =
                file.as_str().ok_or_else(|| format!("{index}: {type_name} has no schema file"))?;
            let text = read_text(&schemas.join("resources").join(format!("{file}.json")))?;
            hasher.update(type_name.as_bytes());
            hasher.update([0]);
            hasher.update(text.as_bytes());
            hasher.update([0]);
            let schema = serde_json::from_str(&text).map_err(|e| format!("{type_name}: {e}"))?;
            types.push(TypeSchema { type_name: type_name.clone(), sam, schema });
        }
    }
    let globals_text = read_text(&schemas.join("other/sam/globals.json"))?;
    hasher.update(b"Globals\0");
    hasher.update(globals_text.as_bytes());
    let sam_globals =
        serde_json::from_str(&globals_text).map_err(|e| format!("SAM globals: {e}"))?;
    let runtimes_text = read_text(&cfnlint.join("data/AdditionalSpecs/LmbdRuntimeLifecycle.json"))?;
    hasher.update(b"Runtimes\0");
    hasher.update(runtimes_text.as_bytes());
    let runtimes =
        serde_json::from_str(&runtimes_text).map_err(|e| format!("runtime lifecycle: {e}"))?;
    let mut policy_paths = Vec::new();
    for rule in POLICY_RULES {
        let file = cfnlint.join(format!("rules/resources/iam/{rule}.py"));
        let text = read_text(&file)?;
        hasher.update(rule.as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
        hasher.update([0]);
        let found = quoted_resource_paths(&text);
        if found.is_empty() {
            return Err(format!("{}: no `Resources/...` path found", file.display()));
        }
        policy_paths.extend(found.into_iter().map(|p| ((*rule).to_owned(), p)));
    }
    let sha256 = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(Input { version, sha256, types, indexes, sam_globals, runtimes, policy_paths })
}

/// Fails unless the input is exactly the pinned one.
pub fn check_pin(input: &Input) -> Result<(), String> {
    if input.version != PINNED_CFN_LINT || input.sha256 != PINNED_INPUT_SHA256 {
        return Err(format!(
            "the schema input is cfn-lint {} (sha256 {}), but the pin is cfn-lint {PINNED_CFN_LINT} \
             (sha256 {PINNED_INPUT_SHA256}). Install the pinned version with \
             scripts/install-cfn-lint.sh, or, to upgrade on purpose, update the pin in \
             crates/stackwright-codegen/src/input.rs and scripts/cfn-lint-requirements.txt together",
            input.version, input.sha256
        ));
    }
    Ok(())
}

/// The string literals of a rule's source that are resource property paths.
fn quoted_resource_paths(source: &str) -> Vec<String> {
    source
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| s.starts_with("Resources/AWS::"))
        .map(str::to_owned)
        .collect()
}

fn read_text(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn read_version(cfnlint: &Path) -> Result<String, String> {
    let text = read_text(&cfnlint.join("version.py"))?;
    text.lines()
        .find_map(|l| l.trim().strip_prefix("__version__ = "))
        .map(|v| v.trim_matches(['"', '\'']).to_owned())
        .ok_or_else(|| format!("{}: no __version__", cfnlint.join("version.py").display()))
}

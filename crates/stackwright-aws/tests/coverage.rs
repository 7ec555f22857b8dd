//! The crate names every resource type of the pinned input: the us-east-1 provider index and
//! the SAM index that cfn-lint ships, copied here by the generator.

use std::collections::BTreeSet;

fn index(name: &str) -> BTreeSet<String> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    json.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
}

#[test]
fn every_type_of_the_input_is_generated_once() {
    let cfn = index("us-east-1.json");
    let sam = index("sam.json");
    assert!(cfn.len() > 1_800, "the CloudFormation index has {} types", cfn.len());
    assert!(sam.contains("AWS::Serverless::Function"));
    let expected: BTreeSet<String> = cfn.union(&sam).cloned().collect();
    let generated: Vec<&str> = stackwright_aws::RESOURCE_TYPES.iter().map(|(t, _)| *t).collect();
    let unique: BTreeSet<String> = generated.iter().map(|t| (*t).to_owned()).collect();
    assert_eq!(unique.len(), generated.len(), "a type is generated twice");
    assert_eq!(unique, expected);
}

#[test]
fn every_type_sits_behind_the_feature_of_its_service() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .unwrap_or_default();
    for (type_name, feature) in stackwright_aws::RESOURCE_TYPES {
        let service = type_name.split("::").nth(1).unwrap_or_default().to_ascii_lowercase();
        assert!(feature.ends_with(&service), "{type_name} is behind `{feature}`");
        assert!(manifest.contains(&format!("\n{feature} = []")), "no feature `{feature}`");
    }
}

#[test]
fn default_features_cover_the_ci_cd_estate() {
    // Compiled with default features, these modules exist.
    use std::mem::size_of;
    assert!(size_of::<stackwright_aws::codebuild::Project>() > 0);
    assert!(size_of::<stackwright_aws::codepipeline::Pipeline>() > 0);
    assert!(size_of::<stackwright_aws::ecs::Service>() > 0);
    assert!(size_of::<stackwright_aws::serverless::Function>() > 0);
    assert!(size_of::<stackwright_aws::elasticloadbalancingv2::TargetGroup>() > 0);
}

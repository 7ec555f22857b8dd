//! The pipeline deploys the app's stacks as the manifest lists them: every stack, dependencies
//! first, each from its own template with the capabilities its contents need.

#![allow(clippy::panic)] // assertions panic

use stackwright::Format;
use stackwright::serde_json::{self, Value};

/// Where the pipeline deploys each stack: (stage index, run order of the action that makes
/// the change, template path, capabilities), by stack name.
fn deployments(pipeline: &Value) -> Vec<(String, usize, i64, String, String)> {
    let mut found = Vec::new();
    let stages = pipeline["Stages"].as_array().cloned().unwrap_or_default();
    for (i, stage) in stages.iter().enumerate() {
        for action in stage["Actions"].as_array().cloned().unwrap_or_default() {
            let c = &action["Configuration"];
            let mode = c["ActionMode"].as_str().unwrap_or_default();
            if mode == "CREATE_UPDATE" || mode == "CHANGE_SET_REPLACE" {
                found.push((
                    c["StackName"].as_str().unwrap_or_default().to_owned(),
                    i,
                    action["RunOrder"].as_i64().unwrap_or(1),
                    c["TemplatePath"].as_str().unwrap_or_default().to_owned(),
                    c["Capabilities"].as_str().unwrap_or_default().to_owned(),
                ));
            }
        }
    }
    found
}

#[test]
fn the_pipeline_deploys_every_stack_in_the_manifests_order() {
    let assembly = match app_delivery::app().synth(Format::Json) {
        Ok(a) => a,
        Err(d) => panic!("the example does not synthesize:\n{d}"),
    };
    let files = assembly.files();
    let manifest = files.iter().find(|(f, _)| *f == stackwright::MANIFEST_FILE).map(|(_, b)| *b);
    let manifest: Value = match serde_json::from_str(manifest.unwrap_or_default()) {
        Ok(m) => m,
        Err(e) => panic!("manifest: {e}"),
    };
    let delivery = assembly.stack("Delivery").map(|s| s.body.clone()).unwrap_or_default();
    let template: Value = serde_json::from_str(&delivery).unwrap_or_default();
    let deployed = deployments(&template["Resources"]["Pipeline"]["Properties"]);

    // Every stack of the manifest is deployed once, from its own template in the source.
    let stacks = manifest["stacks"].as_array().cloned().unwrap_or_default();
    let mut names: Vec<&str> = stacks.iter().filter_map(|s| s["name"].as_str()).collect();
    let mut deployed_names: Vec<&str> = deployed.iter().map(|d| d.0.as_str()).collect();
    names.sort_unstable();
    deployed_names.sort_unstable();
    assert_eq!(deployed_names, names);
    for (name, _, _, path, _) in &deployed {
        let file = stacks
            .iter()
            .find(|s| s["name"] == name.as_str())
            .and_then(|s| s["template"].as_str())
            .unwrap_or_default();
        assert_eq!(path, &format!("SourceOutput::stacks/{file}"));
    }

    // Each stack comes after every stack the manifest says it depends on.
    let position = |name: &str| {
        let d = deployed.iter().find(|d| d.0 == name);
        d.map(|d| (d.1, d.2)).unwrap_or_else(|| panic!("{name} is not deployed"))
    };
    for stack in &stacks {
        let name = stack["name"].as_str().unwrap_or_default();
        for dep in stack["dependsOn"].as_array().cloned().unwrap_or_default() {
            let dep = dep.as_str().unwrap_or_default();
            assert!(position(dep) < position(name), "{name} is deployed before {dep}");
        }
    }
    // The manifest does say Service depends on Network, so the check above is not empty.
    assert!(stacks.iter().any(|s| s["dependsOn"] == serde_json::json!(["Network"])));

    // The pipeline's own stack goes first, before the stacks it deploys.
    assert!(position("Delivery") < position("Network"));

    // Capabilities follow the contents: roles in Service, named roles (the workflow's and
    // the deployment role, which the workflow names by ARN) in Delivery, none in Network.
    let caps = |name: &str| deployed.iter().find(|d| d.0 == name).map(|d| d.4.clone());
    assert_eq!(caps("Network").as_deref(), Some(""));
    assert_eq!(caps("Service").as_deref(), Some("CAPABILITY_IAM"));
    assert_eq!(caps("Delivery").as_deref(), Some("CAPABILITY_NAMED_IAM"));
}

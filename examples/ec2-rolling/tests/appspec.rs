//! The example's `appspec.yml`, read back as CodeDeploy's agent reads it, section by
//! section, and the buildspec that puts it at the root of the revision.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // assertions panic

use serde_yaml::{Mapping, Value};
use stackwright::Format;

const EC2_HOOKS: &[&str] = &[
    "ApplicationStop",
    "BeforeInstall",
    "AfterInstall",
    "ApplicationStart",
    "ValidateService",
    "BeforeBlockTraffic",
    "AfterBlockTraffic",
    "BeforeAllowTraffic",
    "AfterAllowTraffic",
];

fn file(name: &str) -> String {
    let assembly = ec2_rolling::app().synth(Format::Yaml).expect("the example synthesizes");
    let (_, body) =
        assembly.files().into_iter().find(|(f, _)| *f == name).expect("the file is written");
    body.to_owned()
}

fn key<'a>(m: &'a Mapping, k: &str) -> &'a Value {
    m.get(Value::from(k)).unwrap_or_else(|| panic!("`{k}` is missing from {m:?}"))
}

#[test]
fn the_appspec_is_the_one_codedeploy_expects_for_ec2() {
    let doc: Value = serde_yaml::from_str(&file("appspec.yml")).expect("appspec.yml is YAML");
    let root = doc.as_mapping().expect("a mapping at the top");
    let keys: Vec<&str> = root.keys().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(keys, ["version", "os", "files", "file_exists_behavior", "permissions", "hooks"]);

    // The only version CodeDeploy knows, as a number.
    assert_eq!(key(root, "version").as_f64(), Some(0.0));
    assert_eq!(key(root, "os").as_str(), Some("linux"));

    let files = key(root, "files").as_sequence().expect("files is a list");
    assert_eq!(files.len(), 1);
    let f = files[0].as_mapping().unwrap();
    assert_eq!(key(f, "source").as_str(), Some("/"));
    assert_eq!(key(f, "destination").as_str(), Some("/opt/myapp"));
    assert_eq!(key(root, "file_exists_behavior").as_str(), Some("OVERWRITE"));

    let permissions = key(root, "permissions").as_sequence().expect("permissions is a list");
    assert_eq!(permissions.len(), 1);
    let p = permissions[0].as_mapping().unwrap();
    assert_eq!(key(p, "object").as_str(), Some("/opt/myapp"));
    // `**` must stay a string, not a YAML alias or anything else.
    assert_eq!(key(p, "pattern").as_str(), Some("**"));
    assert_eq!(key(p, "owner").as_str(), Some("myapp"));
    assert_eq!(key(p, "group").as_str(), Some("myapp"));

    let hooks = key(root, "hooks").as_mapping().expect("hooks is a mapping");
    let names: Vec<&str> = hooks.keys().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(names, ["ApplicationStop", "AfterInstall", "ApplicationStart", "ValidateService"]);
    let expected = [
        ("scripts/stop.sh", 60, "root"),
        ("scripts/configure.sh", 120, "root"),
        ("scripts/start.sh", 60, "root"),
        ("scripts/validate.sh", 120, "myapp"),
    ];
    for ((name, scripts), (location, timeout, runas)) in hooks.iter().zip(expected) {
        let name = name.as_str().unwrap();
        assert!(EC2_HOOKS.contains(&name), "{name} is not an EC2 lifecycle event");
        let scripts = scripts.as_sequence().expect("a hook is a list of scripts");
        assert_eq!(scripts.len(), 1, "{name}");
        let s = scripts[0].as_mapping().unwrap();
        let keys: Vec<&str> = s.keys().map(|k| k.as_str().unwrap()).collect();
        assert_eq!(keys, ["location", "timeout", "runas"], "{name}");
        assert_eq!(key(s, "location").as_str(), Some(location), "{name}");
        assert_eq!(key(s, "timeout").as_u64(), Some(timeout), "{name}");
        assert!(timeout <= 3_600);
        assert_eq!(key(s, "runas").as_str(), Some(runas), "{name}");
    }
}

#[test]
fn the_build_puts_the_appspec_at_the_root_of_the_revision() {
    let doc: Value = serde_yaml::from_str(&file("buildspec.yml")).expect("buildspec.yml is YAML");
    let root = doc.as_mapping().unwrap();
    let artifacts = key(root, "artifacts").as_mapping().unwrap();
    assert!(artifacts.get(Value::from("base-directory")).is_none());
    let files = key(artifacts, "files").as_sequence().unwrap();
    assert!(files.contains(&Value::from("appspec.yml")), "{files:?}");
    let phases = key(root, "phases").as_mapping().unwrap();
    let post = key(key(phases, "post_build").as_mapping().unwrap(), "commands");
    assert_eq!(
        post.as_sequence().unwrap().last().and_then(Value::as_str),
        Some(r#"cp "$CODEBUILD_SRC_DIR/stacks/appspec.yml" "$CODEBUILD_SRC_DIR/appspec.yml""#)
    );
}

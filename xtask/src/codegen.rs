//! `cargo xtask codegen [--check]`: the generator, rustfmt, and the comparison with what is
//! committed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the generated crate lives.
const CRATE: &str = "crates/stackwright-aws";
/// Hand-written files of the generated crate, which the generator never touches.
const KEEP: &[&str] = &["src/support.rs", "src/support/ecma.rs", "src/support/policy.rs"];
const FEATURES_BEGIN: &str =
    "# BEGIN GENERATED FEATURES: `cargo xtask codegen` writes this section";
const FEATURES_END: &str = "# END GENERATED FEATURES";

pub(crate) fn run(root: &Path, check: bool) -> Result<(), String> {
    let cfnlint = cfnlint_package(root)?;
    let out = stackwright_codegen::generate(&cfnlint)?;
    let staging = root.join("target/xtask/codegen");
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| format!("{}: {e}", staging.display()))?;
    }
    for (path, contents) in &out.files {
        write(&staging.join(path), contents)?;
    }
    for keep in KEEP {
        let from = root.join(CRATE).join(keep);
        let text = fs::read_to_string(&from).map_err(|e| format!("{}: {e}", from.display()))?;
        write(&staging.join(keep), &text)?;
    }
    // rustfmt follows the module tree from lib.rs, whatever the features.
    crate::run(
        Command::new("rustfmt").args(["--edition", "2024"]).arg(staging.join("src/lib.rs")),
    )?;

    let manifest_path = root.join(CRATE).join("Cargo.toml");
    let manifest = fs::read_to_string(&manifest_path)
        .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let new_manifest = replace_features(&manifest, &out.features)?;

    let committed = root.join(CRATE);
    let generated: Vec<String> = out.files.iter().map(|(p, _)| p.clone()).collect();
    let mut stale = Vec::new();
    for path in &generated {
        let new = fs::read_to_string(staging.join(path)).map_err(|e| format!("{path}: {e}"))?;
        if fs::read_to_string(committed.join(path)).ok().as_deref() != Some(new.as_str()) {
            stale.push(path.clone());
        }
    }
    let extra: Vec<String> = rust_files(&committed.join("src"))?
        .into_iter()
        .filter_map(|p| p.strip_prefix(&committed).ok().map(|p| p.to_string_lossy().into_owned()))
        .filter(|p| !generated.contains(p) && !KEEP.contains(&p.as_str()))
        .collect();
    let manifest_stale = new_manifest != manifest;

    if check {
        if stale.is_empty() && extra.is_empty() && !manifest_stale {
            println!(
                "codegen: {} resource types in {} services are up to date; {}",
                out.type_count,
                out.service_count,
                pattern_counts(&out.patterns)
            );
            println!("codegen: {}", census(&out.census));
            println!(
                "codegen: {} properties checked as IAM policy documents",
                out.policy_documents
            );
            return Ok(());
        }
        let mut report = String::new();
        for p in stale.iter().take(10) {
            report.push_str(&format!("\n  changed: {CRATE}/{p}"));
        }
        for p in extra.iter().take(10) {
            report.push_str(&format!("\n  not generated: {CRATE}/{p}"));
        }
        if manifest_stale {
            report.push_str(&format!("\n  changed: {CRATE}/Cargo.toml [features]"));
        }
        return Err(format!(
            "the generated code is stale ({} changed, {} extra){report}\nrun `cargo xtask codegen`",
            stale.len(),
            extra.len()
        ));
    }

    for p in &extra {
        fs::remove_file(committed.join(p)).map_err(|e| format!("{p}: {e}"))?;
    }
    for p in &stale {
        let text = fs::read_to_string(staging.join(p)).map_err(|e| format!("{p}: {e}"))?;
        write(&committed.join(p), &text)?;
    }
    if manifest_stale {
        write(&manifest_path, &new_manifest)?;
    }
    println!(
        "codegen: {} resource types in {} services; {} files written, {} removed; {}",
        out.type_count,
        out.service_count,
        stale.len(),
        extra.len(),
        pattern_counts(&out.patterns)
    );
    println!("codegen: {}", census(&out.census));
    println!("codegen: {} properties checked as IAM policy documents", out.policy_documents);
    Ok(())
}

fn census(c: &stackwright_codegen::Census) -> String {
    format!(
        "{} of the {} schema nodes that name a reference format take a reference kind",
        c.kinded, c.formatted
    )
}

fn pattern_counts(p: &stackwright_codegen::PatternCounts) -> String {
    format!(
        "{} distinct schema patterns checked at {} strings, {} lists of strings, the keys of {} \
         maps and {} kinds of map value",
        p.distinct, p.strings, p.list_items, p.map_keys, p.map_values
    )
}

/// cfn-lint's package folder in the venv the project's script installs.
fn cfnlint_package(root: &Path) -> Result<PathBuf, String> {
    let exe = Command::new(root.join("scripts/install-cfn-lint.sh"))
        .output()
        .map_err(|e| format!("cannot run scripts/install-cfn-lint.sh: {e}"))?;
    if !exe.status.success() {
        return Err(format!(
            "scripts/install-cfn-lint.sh failed:\n{}",
            String::from_utf8_lossy(&exe.stderr)
        ));
    }
    let exe = PathBuf::from(String::from_utf8_lossy(&exe.stdout).trim());
    let python = exe.with_file_name("python");
    let found = Command::new(&python)
        .args(["-c", "import cfnlint, os; print(os.path.dirname(cfnlint.__file__))"])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    if !found.status.success() {
        return Err(format!(
            "cfn-lint is not importable: {}",
            String::from_utf8_lossy(&found.stderr)
        ));
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&found.stdout).trim()))
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
}

fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The manifest with its generated `[features]` section replaced.
fn replace_features(manifest: &str, features: &str) -> Result<String, String> {
    let (Some(b), Some(e)) = (manifest.find(FEATURES_BEGIN), manifest.find(FEATURES_END)) else {
        return Err(format!(
            "{CRATE}/Cargo.toml lacks the `{FEATURES_BEGIN}` ... `{FEATURES_END}` markers"
        ));
    };
    Ok(format!("{}{FEATURES_BEGIN}\n{features}{}", &manifest[..b], &manifest[e..]))
}

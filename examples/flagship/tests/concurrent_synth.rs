//! Several `synth` processes into one folder take turns: each waits for the one writing,
//! says so, and the folder ends as one whole generation that `check` calls up to date.

// Tests assert by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

#[test]
fn synth_processes_into_one_folder_take_turns() {
    let root: PathBuf = std::env::temp_dir().join(format!("flagship-race-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    // A repository of its own, so the output folder's place in the source is `stacks`.
    std::fs::create_dir_all(root.join(".git")).unwrap();
    let out = root.join("stacks");
    let bin = env!("CARGO_BIN_EXE_flagship");
    let spawned: Vec<_> = (0..4)
        .map(|_| {
            Command::new(bin)
                .args(["synth", "--out"])
                .arg(&out)
                .current_dir(&root)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in spawned {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let err = String::from_utf8_lossy(&output.stderr);
        // The workflow's warnings (asserted by the snapshot test) aside.
        for line in err.lines().filter(|l| !l.starts_with("warning: ")) {
            assert_eq!(
                line,
                format!("waiting for another synth into {} to finish...", out.display())
            );
        }
    }
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
    let check =
        Command::new(bin).args(["check", "--out"]).arg(&out).current_dir(&root).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let _ = std::fs::remove_dir_all(&root);
}

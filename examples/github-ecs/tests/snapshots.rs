//! The synthesized output of the example, reviewed and committed under `snapshots/`.

#![allow(clippy::panic)] // assertions panic

use stackwright::Format;

#[test]
fn synthesized_files_match_the_reviewed_snapshots() {
    for format in [Format::Json, Format::Yaml] {
        let assembly = match github_ecs::app().synth(format) {
            Ok(a) => a,
            Err(d) => panic!("the example does not synthesize:\n{d}"),
        };
        // Same program, same bytes: a second synthesis must not differ in any way.
        assert_eq!(github_ecs::app().synth(format).ok(), Some(assembly.clone()));
        // Every action is referenced by its tag: the workflow model warns about each, and
        // about nothing else.
        let warnings: Vec<String> = assembly.warnings().iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), 5, "{warnings:#?}");
        assert!(warnings.iter().all(|w| w.contains("tag")), "{warnings:#?}");
        // The rule pack finds what checkov found in the recorded run, suppressed or not.
        if format == Format::Json {
            let recording = include_str!("../../../snapshots/checkov/github-ecs.json");
            if let Err(diff) =
                stackwright::testing::checkov_parity(&github_ecs::app(), &assembly, recording)
            {
                panic!("the rule pack and the recorded checkov run disagree:\n{diff}");
            }
        }
        insta::with_settings!({
            snapshot_path => "../../../snapshots",
            prepend_module_to_snapshot => false,
        }, {
            for (file, body) in assembly.files() {
                insta::assert_snapshot!(format!("github-ecs__{}__{file}", format.extension()), body);
            }
            for (file, body) in assembly.workflow_files() {
                insta::assert_snapshot!(format!("github-ecs__{}__workflow__{file}", format.extension()), body);
            }
        });
    }
}

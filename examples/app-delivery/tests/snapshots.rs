//! The synthesized output of the example, reviewed and committed under `snapshots/`.

#![allow(clippy::panic)] // assertions panic

use stackwright::Format;

#[test]
fn synthesized_files_match_the_reviewed_snapshots() {
    for format in [Format::Json, Format::Yaml] {
        let assembly = match app_delivery::app().synth(format) {
            Ok(a) => a,
            Err(d) => panic!("the example does not synthesize:\n{d}"),
        };
        // Same program, same bytes: a second synthesis must not differ in any way.
        assert_eq!(app_delivery::app().synth(format).ok(), Some(assembly.clone()));
        assert!(assembly.warnings().is_empty(), "warnings: {:?}", assembly.warnings());
        // The rule pack finds what checkov found in the recorded run, suppressed or not.
        if format == Format::Json {
            let recording = include_str!("../../../snapshots/checkov/app-delivery.json");
            if let Err(diff) =
                stackwright::testing::checkov_parity(&app_delivery::app(), &assembly, recording)
            {
                panic!("the rule pack and the recorded checkov run disagree:\n{diff}");
            }
        }
        insta::with_settings!({
            snapshot_path => "../../../snapshots",
            prepend_module_to_snapshot => false,
        }, {
            for (file, body) in assembly.files() {
                insta::assert_snapshot!(format!("app-delivery__{}__{file}", format.extension()), body);
            }
        });
    }
}

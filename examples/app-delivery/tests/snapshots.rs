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
        // The workflow's notes, and nothing else: the review's reviewers are set in GitHub,
        // and each action the workflow uses is referenced by its tag (no pin given).
        let warnings: Vec<String> = assembly.warnings().iter().map(ToString::to_string).collect();
        assert_eq!(warnings.first().map(String::as_str), Some(REVIEW_NOTE), "{warnings:#?}");
        let workflow = assembly
            .workflow_files()
            .into_iter()
            .find(|(file, _)| *file == "app-delivery.yml")
            .map(|(_, body)| body.to_owned())
            .unwrap_or_default();
        let tagged = workflow.lines().filter(|l| l.contains("uses: ") && l.contains("@v")).count();
        let unpinned: Vec<&String> = warnings
            .iter()
            .skip(1)
            .filter(|w| {
                w.starts_with("Delivery/Workflow: app-delivery/")
                    && w.ends_with(
                        "is not pinned to a commit; whoever controls the tag controls what runs",
                    )
            })
            .collect();
        assert_eq!((unpinned.len(), warnings.len() - 1), (tagged, tagged), "{warnings:#?}");
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
            for (file, body) in assembly.workflow_files() {
                insta::assert_snapshot!(format!("app-delivery__{}__workflow__{file}", format.extension()), body);
            }
        });
    }
}

/// The note on the reviewed deployment of `Service`.
const REVIEW_NOTE: &str = "Delivery/Workflow: the approval `ServiceReview` is the GitHub \
    environment `deploy`: add its required reviewers in the repository's Settings > \
    Environments > deploy, or the job runs without waiting";

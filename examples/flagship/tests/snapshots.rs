//! The synthesized output of the example, reviewed and committed under `snapshots/`.

#![allow(clippy::panic)] // assertions panic

use stackwright::Format;

#[test]
fn synthesized_files_match_the_reviewed_snapshots() {
    for format in [Format::Json, Format::Yaml] {
        let assembly = match flagship::app().synth(format) {
            Ok(a) => a,
            Err(d) => panic!("the example does not synthesize:\n{d}"),
        };
        // Same program, same bytes: a second synthesis must not differ in any way.
        assert_eq!(flagship::app().synth(format).ok(), Some(assembly.clone()));
        // The workflow's notes: the approval's reviewers are set in GitHub, and every action
        // is referenced by its tag (no pin given). Nothing else warns.
        let warnings: Vec<String> = assembly.warnings().iter().map(ToString::to_string).collect();
        assert_eq!(warnings, EXPECTED_WARNINGS, "{warnings:#?}");
        // The rule pack finds what checkov found in the recorded run, suppressed or not.
        if format == Format::Json {
            let recording = include_str!("../../../snapshots/checkov/flagship.json");
            if let Err(diff) =
                stackwright::testing::checkov_parity(&flagship::app(), &assembly, recording)
            {
                panic!("the rule pack and the recorded checkov run disagree:\n{diff}");
            }
        }
        insta::with_settings!({
            snapshot_path => "../../../snapshots",
            prepend_module_to_snapshot => false,
        }, {
            for (file, body) in assembly.files() {
                insta::assert_snapshot!(format!("flagship__{}__{file}", format.extension()), body);
            }
            for (file, body) in assembly.workflow_files() {
                insta::assert_snapshot!(format!("flagship__{}__workflow__{file}", format.extension()), body);
            }
        });
    }
}

/// What synth warns about, in order: nothing but the workflow's notes.
const EXPECTED_WARNINGS: &[&str] = &[
    "MyApp/Delivery: the approval `ManualApproval` is the GitHub environment \
     `approve-staging`: add its required reviewers in the repository's Settings > \
     Environments > approve-staging, or the job runs without waiting",
    "MyApp/Delivery: myapp-delivery/docker-build/step 1: `actions/checkout@v4` is not pinned to a commit; whoever \
     controls the tag controls what runs",
    "MyApp/Delivery: myapp-delivery/docker-build/step 2: `aws-actions/configure-aws-credentials@v4` is not pinned to a commit; whoever \
     controls the tag controls what runs",
    "MyApp/Delivery: myapp-delivery/docker-build/step 3: `actions/setup-node@v4` is not pinned to a commit; whoever \
     controls the tag controls what runs",
    "MyApp/Delivery: myapp-delivery/docker-build/step 10: `actions/upload-artifact@v4` is not pinned to a commit; whoever \
     controls the tag controls what runs",
    "MyApp/Delivery: myapp-delivery/deploy-ecs/step 1: `actions/checkout@v4` is not pinned to a commit; whoever \
     controls the tag controls what runs",
    "MyApp/Delivery: myapp-delivery/deploy-ecs/step 2: `aws-actions/configure-aws-credentials@v4` is not pinned to a commit; whoever \
     controls the tag controls what runs",
    "MyApp/Delivery: myapp-delivery/deploy-ecs/step 3: `actions/download-artifact@v4` is not pinned to a commit; whoever \
     controls the tag controls what runs",
    "MyApp/Delivery: myapp-delivery/deploy-ecs/step 5: `aws-actions/amazon-ecs-deploy-task-definition@v2` is not pinned to a commit; whoever \
     controls the tag controls what runs",
];

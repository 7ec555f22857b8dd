//! Schema constraints on literal values are checked at synth, naming the construct path and
//! the property (dotted for nested property types).

use stackwright_aws::codepipeline::pipeline::{
    ActionDeclaration, ActionDeclarationRequired, ActionTypeId, ActionTypeIdRequired,
    ArtifactStore, ArtifactStoreRequired, StageDeclaration, StageDeclarationRequired,
};
use stackwright_aws::codepipeline::{Pipeline, PipelineRequired};
use stackwright_aws::iam::{Role, RoleRequired};
use stackwright_aws::sqs::Queue;
use stackwright_core::{App, Format, Parameter};

fn errors(app: &App) -> Vec<String> {
    match app.synth(Format::Json) {
        Ok(_) => Vec::new(),
        Err(d) => d.errors.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn ranges_lengths_patterns_and_allowed_values() {
    let mut app = App::new();
    let mut s = app.stack("S");
    s.add("Queue", Queue::new().visibility_timeout(50_000).delay_seconds(-1));
    s.add(
        "Role",
        Role::new(RoleRequired { assume_role_policy_document: serde_json::json!({}) })
            .role_name("has space"),
    );
    let source = ActionDeclaration::new(ActionDeclarationRequired {
        action_type_id: ActionTypeId::new(ActionTypeIdRequired {
            category: "Source",
            owner: "AWS",
            provider: "S3",
            version: "1",
        }),
        name: "Fetch",
    });
    let pipeline = Pipeline::new(PipelineRequired {
        role_arn: "arn:aws:iam::123456789012:role/p",
        stages: [StageDeclaration::new(StageDeclarationRequired {
            actions: [source],
            name: "Source",
        })],
    })
    .artifact_store(ArtifactStore::new(ArtifactStoreRequired {
        location: "my-bucket",
        r#type: "GCS",
    }))
    .pipeline_type("V3");
    s.add("Pipeline", pipeline);
    assert_eq!(
        errors(&app),
        vec![
            "S/Queue: property `DelaySeconds`: -1 is out of range; allowed: 0 to 900",
            "S/Queue: property `VisibilityTimeout`: 50000 is out of range; allowed: 0 to 43200",
            "S/Role: property `AssumeRolePolicyDocument`: the policy document has no statements; IAM rejects an empty policy",
            "S/Role: property `RoleName`: `has space` does not match the pattern `^[\\w+=,.@-]+$`",
            "S/Pipeline: property `ArtifactStore.Type`: `GCS` is not an allowed value; allowed: `S3`",
            "S/Pipeline: property `PipelineType`: `V3` is not an allowed value; allowed: `V1`, `V2`",
            "S/Pipeline: property `Stages`: has 1 item; allowed: at least 2",
        ]
    );
}

#[test]
fn expressions_are_checked_at_deploy_time_not_here() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let timeout = s.add_parameter("Timeout", Parameter::number());
    s.add("Queue", Queue::new().visibility_timeout(timeout.number()));
    assert_eq!(errors(&app), Vec::<String>::new());
}

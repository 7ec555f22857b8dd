//! A build action takes the `Project` construct, whose role it grants the artifact store;
//! an L1 project is the escape hatch `from_resource`, not the default.

use stackwright_aws::codebuild::ProjectRef;
use stackwright_constructs::codepipeline::{Artifact, CodeBuildAction};

fn build(project: ProjectRef) {
    let source = Artifact::new("SourceOutput");
    let _ = CodeBuildAction::new("Build", project, &source);
}

fn main() {}

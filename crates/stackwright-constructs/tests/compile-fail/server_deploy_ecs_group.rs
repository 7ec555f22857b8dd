//! The pipeline's CodeDeploy action deploys revisions to instances: it takes a server
//! deployment group, and an ECS blue/green group (deployed by `CodeDeployEcsDeploy`) does
//! not fit.

use stackwright_constructs::codedeploy::{EcsBlueGreen, EcsDeploymentGroup, EcsDeploymentGroupProps};
use stackwright_constructs::codepipeline::{Artifact, CodeDeployServerDeploy};
use stackwright_core::App;

fn main() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let blue_green = EcsBlueGreen::from_names("blue", "green", "listener-arn");
    let group = EcsDeploymentGroup::new(
        &mut s,
        "Group",
        EcsDeploymentGroupProps::from_names("cluster", "service", blue_green),
    );
    let revision = Artifact::new("Revision");
    let _ = CodeDeployServerDeploy::new("Deploy", &group, &revision);
}

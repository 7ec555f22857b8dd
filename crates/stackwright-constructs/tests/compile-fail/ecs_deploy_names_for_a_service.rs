//! A deploy action takes the service of the app, so it can be checked against the service's
//! deployment controller; names are for services outside the app (`from_names`).

use stackwright_constructs::codepipeline::{Artifact, EcsDeploy};

fn main() {
    let image = Artifact::new("BuildOutput");
    let _ = EcsDeploy::new("DeployECS", "production", "myapp-service", &image);
}

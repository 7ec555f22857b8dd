// A deployment group's application name and service role ARN are both strings in
// CloudFormation; given the other way round, the role's ARN is fine as a name but the
// application's name is not a role ARN.
use stackwright_aws::{codedeploy, iam};
use stackwright_core::{App, Handle, Json, Val};

fn main() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let role = s.add("Role", iam::Role::new(Val::<Json>::from("{}")));
    let application = s.add("App", codedeploy::Application::new());
    let _ = codedeploy::DeploymentGroup::new(role.arn(), application.reference());
}

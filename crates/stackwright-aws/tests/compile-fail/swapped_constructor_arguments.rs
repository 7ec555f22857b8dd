// A deployment group's application name and service role ARN are both strings in
// CloudFormation. The fields are named, and swapped values still fail: the role's ARN would do
// as a name, but the application's name is not a role ARN.
use stackwright_aws::{codedeploy, iam};
use stackwright_core::{App, Handle, Json, Val};

fn main() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let role = s.add(
        "Role",
        iam::Role::new(iam::RoleRequired { assume_role_policy_document: Val::<Json>::from("{}") }),
    );
    let application = s.add("App", codedeploy::Application::new());
    let _ = codedeploy::DeploymentGroup::new(codedeploy::DeploymentGroupRequired {
        application_name: role.arn(),
        service_role_arn: application.reference(),
    });
}

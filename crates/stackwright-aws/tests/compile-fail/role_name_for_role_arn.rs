// `Ref` of a role is its name; a task definition's execution role is a role ARN.
use stackwright_aws::{ecs, iam};
use stackwright_core::{App, Handle, Json, Val};

fn main() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let role = s.add(
        "Role",
        iam::Role::new(iam::RoleRequired { assume_role_policy_document: Val::<Json>::from("{}") }),
    );
    let _ = ecs::TaskDefinition::new().execution_role_arn(role.reference());
}

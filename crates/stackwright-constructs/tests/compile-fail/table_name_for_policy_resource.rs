// IAM matches a statement's resources by ARN. `Ref` of a table is its name, which would grant
// nothing; the table's `arn()` attribute is what fits.
use stackwright_aws::dynamodb::{Table, TableRequired};
use stackwright_constructs::iam::PolicyStatement;
use stackwright_core::{App, Json, Val};

fn main() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let keys = serde_json::json!([{"AttributeName": "id", "KeyType": "HASH"}]);
    let table = s.add("Orders", Table::new(TableRequired { key_schema: Val::<Json>::from(keys) }));
    let _ = PolicyStatement::allow().action("dynamodb:GetItem").resource(table.reference());
}

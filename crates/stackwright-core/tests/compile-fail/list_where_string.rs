//! A list value does not fit where a string is required.

use stackwright_core::{Val, fns, pseudo};

fn main() {
    let zones: Val<Vec<String>> = fns::get_azs(pseudo::region());
    let _user_data = fns::base64(zones);
}

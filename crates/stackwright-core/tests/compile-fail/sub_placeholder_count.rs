//! `sub!` checks at compile time that each `{}` has exactly one argument.

use stackwright_core::{Val, pseudo, sub};

fn main() {
    let _missing: Val<String> = sub!("arn:{}:s3:::{}/*", pseudo::partition());
    let _surplus: Val<String> = sub!("{}", pseudo::region(), pseudo::account_id());
}

//! Both branches of `Fn::If` must have the type the result is used as.

use stackwright_core::{App, Cond, Val, fns, pseudo};

fn main() {
    let mut app = App::new();
    let is_prod = app
        .stack("Orders")
        .add_condition("IsProd", Cond::equals(pseudo::region(), "us-east-1"));
    let retention: Val<i64> = Val::from(30);
    let _name: Val<String> = fns::if_(is_prod, pseudo::stack_name(), retention);
}

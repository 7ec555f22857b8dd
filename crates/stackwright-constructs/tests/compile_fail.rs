//! Wiring the types must reject, checked with trybuild: each file under `tests/compile-fail/`
//! must fail to compile with the error in its `.stderr` file.
//!
//! Regenerate the `.stderr` files after a deliberate change with
//! `TRYBUILD=overwrite cargo test -p stackwright-constructs --test compile_fail`, then read them.

#[test]
fn wiring_the_types_reject() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/compile-fail/*.rs");
}

//! Wirings the types reject: each file under `compile-fail/` must fail to compile with the
//! error recorded beside it.

#[test]
fn compile_fail() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/compile-fail/*.rs");
}

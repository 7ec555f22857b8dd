//! What the L1 types must reject at compile time.

#[test]
fn types_reject_misuse() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/compile-fail/*.rs");
}

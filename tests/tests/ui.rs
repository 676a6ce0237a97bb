//! Every misuse of SPEC §3 is a compile error at the user's offending token: one case per
//! misuse, `ui/<category>/<case>.rs` with its reviewed `.stderr`.

#[test]
fn misuses_are_spanned_compile_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*/*.rs");
}

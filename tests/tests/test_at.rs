//! `test_at(…)` emits a `#[test]` in the user's crate (here, this test crate) that checks
//! `f::grad` against central differences. The emitted check itself is unit-tested in
//! `core` (it is compiled there and emitted verbatim), including that it fails on a wrong
//! partial; a wrong pairing of formula and derivative cannot be generated.

use std::process::Command;

use symgrad::derive_grad;

#[derive_grad("1/(1+e^-(w0x0+w1x1+w2))", test_at(w0 = 2, x0 = -1, w1 = -3, x1 = -2, w2 = -3), test_at(w0 = 0.5, x0 = 1.5, w1 = 2.0, x1 = -0.25, w2 = 0.0))]
pub fn neuron(w0: f64, x0: f64, w1: f64, x1: f64, w2: f64) -> f64;

#[derive_grad(wrt(y), test_at(x = 1.5, y = -0.5))]
pub fn body_form(x: f32, y: f32) -> f32 {
    let s = x * y;
    s.sin() + y.exp()
}

#[test]
fn the_generated_tests_are_in_this_binary_and_pass() {
    let exe = std::env::current_exe().expect("the test binary knows its path");
    let output = Command::new(exe)
        .args(["grad_matches_central_differences", "--test-threads=1"])
        .env("RUST_TEST_THREADS", "1")
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    for name in [
        "neuron::grad_matches_central_differences_at_point_1 ... ok",
        "neuron::grad_matches_central_differences_at_point_2 ... ok",
        "body_form::grad_matches_central_differences_at_point_1 ... ok",
    ] {
        assert!(stdout.contains(name), "`{name}` missing from:\n{stdout}");
    }
    assert!(stdout.contains("3 passed"), "{stdout}");
}

//! `test_at(…)` emits a `#[test]` in the user's crate (here, this test crate) that checks
//! `f::grad`, or with many outputs every row of `f::jacobian`, against central differences.
//! The emitted checks themselves are unit-tested in `core` (they are compiled there and
//! emitted verbatim), including that they fail on a wrong partial and name the output; a
//! wrong pairing of formula and derivative cannot be generated.

use std::process::Command;

use symgrad::derive_grad;

#[derive_grad("1/(1+e^-(w0x0+w1x1+w2))", test_at(w0 = 2, x0 = -1, w1 = -3, x1 = -2, w2 = -3), test_at(w0 = 0.5, x0 = 1.5, w1 = 2.0, x1 = -0.25, w2 = 0.0))]
pub fn neuron(w0: f64, x0: f64, w1: f64, x1: f64, w2: f64) -> f64;

#[derive_grad(wrt(y), test_at(x = 1.5, y = -0.5))]
pub fn body_form(x: f32, y: f32) -> f32 {
    let s = x * y;
    s.sin() + y.exp()
}

/// Many outputs from a string, an array: each output's row is checked.
#[derive_grad("r cos(t), r sin(t), r^2 t", test_at(r = 2, t = 0.5), test_at(r = -1.5, t = 3))]
pub fn polar(r: f64, t: f64) -> [f64; 3];

/// Many outputs from a body, a tuple, over a subset of the parameters, in `f32`.
#[derive_grad(wrt(x, z), test_at(x = 0.75, y = 2, z = -1.25))]
pub fn tuple_body(x: f32, y: f32, z: f32) -> (f32, f32) {
    let s = (x * y).sin();
    (s * z, (x - z).exp() + y)
}

/// The command that runs the generated tests whose names contain `filter`, one at a time.
fn run_generated(filter: &str) -> String {
    let exe = std::env::current_exe().expect("the test binary knows its path");
    let output = Command::new(exe)
        .args([filter, "--test-threads=1"])
        .env("RUST_TEST_THREADS", "1")
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{stdout}");
    stdout
}

#[test]
fn the_generated_jacobian_tests_are_in_this_binary_and_pass() {
    let stdout = run_generated("jacobian_matches_central_differences");
    for name in [
        "polar::jacobian_matches_central_differences_at_point_1 ... ok",
        "polar::jacobian_matches_central_differences_at_point_2 ... ok",
        "tuple_body::jacobian_matches_central_differences_at_point_1 ... ok",
    ] {
        assert!(stdout.contains(name), "`{name}` missing from:\n{stdout}");
    }
    assert!(stdout.contains("3 passed"), "{stdout}");
}

/// What the generated Jacobian tests compare, at their points, against hand-derived
/// partials: the check runs on the right numbers.
#[test]
fn the_jacobians_the_generated_tests_check_are_the_hand_derived_ones() {
    let (r, t) = (2.0f64, 0.5f64);
    let (outputs, jacobian) = polar::jacobian(r, t);
    assert_eq!(outputs, polar(r, t));
    let expected = [
        [t.cos(), -r * t.sin()],
        [t.sin(), r * t.cos()],
        [2.0 * r * t, r * r],
    ];
    for (row, want) in jacobian.iter().zip(expected) {
        for (got, want) in row.iter().zip(want) {
            assert!(
                (got - want).abs() <= 1e-15 * want.abs().max(1.0),
                "{jacobian:?}"
            );
        }
    }
    let (x, y, z) = (0.75f32, 2.0f32, -1.25f32);
    let (_, jacobian) = tuple_body::jacobian(x, y, z);
    let e = (x - z).exp();
    let expected = [[y * (x * y).cos() * z, (x * y).sin()], [e, -e]];
    assert_eq!(tuple_body::WRT, ["x", "z"]);
    for (row, want) in jacobian.iter().zip(expected) {
        for (got, want) in row.iter().zip(want) {
            assert!(
                (got - want).abs() <= 1e-6 * want.abs().max(1.0),
                "{jacobian:?}"
            );
        }
    }
}

#[test]
fn the_generated_tests_are_in_this_binary_and_pass() {
    let stdout = run_generated("grad_matches_central_differences");
    for name in [
        "neuron::grad_matches_central_differences_at_point_1 ... ok",
        "neuron::grad_matches_central_differences_at_point_2 ... ok",
        "body_form::grad_matches_central_differences_at_point_1 ... ok",
    ] {
        assert!(stdout.contains(name), "`{name}` missing from:\n{stdout}");
    }
    assert!(stdout.contains("3 passed"), "{stdout}");
}

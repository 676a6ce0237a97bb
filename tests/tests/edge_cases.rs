//! Corners of the generated API: no parameters, constant partials, unused parameters, raw
//! identifiers, shadowing `let`s, constants and subgradients in the Rust-body form.

use symgrad::derive_grad;

#[derive_grad]
fn constant() -> f64 {
    2.0 * std::f64::consts::PI
}

#[derive_grad("3x + 0·y", wrt(y, x))]
fn linear(x: f64, y: f64) -> f64;

#[derive_grad]
fn shadowing(x: f64, r#type: f64) -> f64 {
    let s = x * r#type;
    let s = s + f64::powi(x, 2);
    let x = s.sqrt();
    x.max(1.0) + core::f64::consts::E
}

#[derive_grad]
fn routing(a: f64, b: f64) -> f64 {
    a.max(b) + a.min(b) + (a - b).abs()
}

#[test]
fn a_function_of_no_parameters_has_an_empty_gradient() {
    assert_eq!(constant(), 2.0 * std::f64::consts::PI);
    assert_eq!(constant::WRT.len(), 0);
    assert_eq!(constant::grad(), (2.0 * std::f64::consts::PI, []));
    let (_, tape) = constant::forward();
    assert_eq!(tape.backward(1.0), []);
}

#[test]
fn constant_partials_need_no_tape() {
    assert_eq!(linear::WRT, ["y", "x"]);
    assert_eq!(linear::grad(2.0, 5.0), (6.0, [0.0, 3.0]));
    let (value, tape) = linear::forward(2.0, 5.0);
    assert_eq!(value, 6.0);
    assert_eq!(tape.backward(-2.0), [0.0, -6.0]);
}

#[test]
fn shadowing_lets_and_raw_identifiers() {
    let (x, t) = (1.5, 2.0);
    let s = x * t + x * x;
    assert_eq!(shadowing::WRT, ["x", "type"]);
    let (value, gradient) = shadowing::grad(x, t);
    assert!((value - (s.sqrt() + std::f64::consts::E)).abs() < 1e-15);
    // d sqrt(s) = ds / (2 sqrt(s)), ds/dx = t + 2x, ds/dtype = x
    let d = 0.5 / s.sqrt();
    assert!((gradient[0] - d * (t + 2.0 * x)).abs() < 1e-15);
    assert!((gradient[1] - d * x).abs() < 1e-15);
}

#[test]
fn max_min_and_abs_route_by_their_documented_subgradients() {
    // a > b: max → a, min → b, |a-b|' = (1, -1)
    assert_eq!(
        routing::grad(3.0, 1.0).1,
        [1.0 + 0.0 + 1.0, 0.0 + 1.0 - 1.0]
    );
    // a tie: max routes to the first input, min to the first as well, abs'(0) = 0
    assert_eq!(routing::grad(2.0, 2.0).1, [1.0 + 1.0, 0.0]);
}

#[derive_grad("softplus(x) + σ(y) + relu(x - y) + max(x, y) + abs(x) + min(x, 2y)")]
fn gates64(x: f64, y: f64) -> f64;

#[derive_grad("softplus(x) + σ(y) + relu(x - y) + max(x, y) + abs(x) + min(x, 2y)")]
fn gates32(x: f32, y: f32) -> f32;

#[test]
fn f32_gates_agree_with_f64_gates() {
    for (x, y) in [
        (0.5f32, -1.5f32),
        (-2.0, 0.25),
        (3.0, 1.0),
        (-800.0, 800.0),
        (800.0, -800.0),
    ] {
        let (v32, g32) = gates32::grad(x, y);
        let (v64, g64) = gates64::grad(f64::from(x), f64::from(y));
        assert!(
            (f64::from(v32) - v64).abs() <= 1e-6 * v64.abs().max(1.0),
            "({x}, {y}): {v32} vs {v64}"
        );
        for k in 0..2 {
            assert!(
                (f64::from(g32[k]) - g64[k]).abs() <= 1e-6,
                "({x}, {y}): {g32:?} vs {g64:?}"
            );
        }
    }
}

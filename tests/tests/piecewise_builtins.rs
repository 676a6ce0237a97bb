//! The piecewise built-ins (SPEC §7) in generated code, both forms of `#[derive_grad]`: the
//! string form calls the built-in, the Rust-body form writes the same function with `if`
//! (and `x.clamp(lo, hi)`); the two agree with each other, with hand-written gradients,
//! and with central differences away from the kinks, including ±800 and ±1e3, and take
//! the documented convention at each kink.

use symgrad::derive_grad;
use symgrad_tests::central_difference;

#[derive_grad("leaky_relu(x, a)")]
fn leaky(x: f64, a: f64) -> f64;

#[derive_grad]
fn leaky_body(x: f64, a: f64) -> f64 {
    if x > 0.0 { x } else { a * x }
}

#[derive_grad("elu(x, a)")]
fn elu(x: f64, a: f64) -> f64;

#[derive_grad]
fn elu_body(x: f64, a: f64) -> f64 {
    if x > 0.0 { x } else { a * x.exp_m1() }
}

#[derive_grad("huber(x, d)", hessian)]
fn huber(x: f64, d: f64) -> f64;

#[derive_grad("clamp(x, lo, hi)")]
fn clamp(x: f64, lo: f64, hi: f64) -> f64;

#[derive_grad]
fn clamp_method(x: f64, lo: f64, hi: f64) -> f64 {
    x.clamp(lo, hi)
}

#[derive_grad("gelu(x) + silu(y) + sign(x) y", hessian)]
fn smooth(x: f64, y: f64) -> f64;

type Two = fn(f64, f64) -> (f64, [f64; 2]);

/// `grad` against the value's central differences and a hand-written gradient.
fn agrees(name: &str, grad: Two, hand: fn(f64, f64) -> [f64; 2], points: &[[f64; 2]]) {
    for &[x, y] in points {
        let (value, partials) = grad(x, y);
        assert!(value.is_finite(), "{name} at ({x}, {y})");
        assert_eq!(partials, hand(x, y), "{name} at ({x}, {y}): hand-written");
        for (i, &partial) in partials.iter().enumerate() {
            let numeric = central_difference(|p| grad(p[0], p[1]).0, &[x, y], i);
            let scale = partial
                .abs()
                .max(value.abs().max(1.0) / [x, y][i].abs().max(1.0));
            assert!(
                (partial - numeric).abs() <= 1e-6 * scale,
                "{name} at ({x}, {y}): ∂{i} = {partial}, differences {numeric}"
            );
        }
    }
}

const POINTS: [[f64; 2]; 6] = [
    [-1e3, 0.2],
    [-800.0, 1.5],
    [-0.7, 0.3],
    [0.4, 2.0],
    [800.0, 0.1],
    [1e3, 1.0],
];

#[test]
fn leaky_relu_and_elu_in_both_forms() {
    let leaky_hand = |x: f64, a: f64| if x > 0.0 { [1.0, 0.0] } else { [a, x] };
    let elu_hand = |x: f64, a: f64| {
        if x > 0.0 {
            [1.0, 0.0]
        } else {
            [a * x.exp(), x.exp_m1()]
        }
    };
    agrees("leaky_relu", leaky::grad, leaky_hand, &POINTS);
    agrees("leaky_relu body", leaky_body::grad, leaky_hand, &POINTS);
    agrees("elu", elu::grad, elu_hand, &POINTS);
    agrees("elu body", elu_body::grad, elu_hand, &POINTS);
    for [x, a] in POINTS.into_iter().chain([[0.0, 0.3]]) {
        assert_eq!(leaky(x, a), leaky_body(x, a));
        assert_eq!(elu(x, a), elu_body(x, a));
    }
    // At 0 the slope is a's: the branch x > 0 is not taken.
    assert_eq!(leaky::grad(0.0, 0.3), (0.0, [0.3, 0.0]));
    assert_eq!(elu::grad(0.0, 0.3), (0.0, [0.3, 0.0]));
}

#[test]
fn huber_gradient_and_hessian() {
    let hand = |x: f64, d: f64| {
        if x.abs() <= d {
            [x, 0.0]
        } else {
            [d * x.signum(), x.abs() - d]
        }
    };
    agrees(
        "huber",
        huber::grad,
        hand,
        &[
            [-1e3, 1.0],
            [-800.0, 2.0],
            [-0.3, 1.0],
            [2.5, 1.0],
            [1e3, 10.0],
        ],
    );
    // Continuous at |x| = d; the second derivative takes the inside's 1.
    assert_eq!(huber::grad(1.5, 1.5), (1.125, [1.5, 0.0]));
    assert_eq!(huber::hessian(0.5, 1.0).2, [[1.0, 0.0], [0.0, 0.0]]);
    assert_eq!(huber::hessian(-2.0, 1.0).2, [[0.0, -1.0], [-1.0, -1.0]]);
}

#[test]
fn clamp_and_the_clamp_method_agree() {
    for (x, lo, hi, partials) in [
        (-5.0, -1.0, 2.0, [0.0, 1.0, 0.0]),
        (0.5, -1.0, 2.0, [1.0, 0.0, 0.0]),
        (1e3, -1.0, 2.0, [0.0, 0.0, 1.0]),
        // At a bound x passes through.
        (-1.0, -1.0, 2.0, [1.0, 0.0, 0.0]),
        (2.0, -1.0, 2.0, [1.0, 0.0, 0.0]),
    ] {
        assert_eq!(clamp::grad(x, lo, hi), (x.clamp(lo, hi), partials), "{x}");
        assert_eq!(clamp_method::grad(x, lo, hi), clamp::grad(x, lo, hi), "{x}");
        assert_eq!(clamp_method(x, lo, hi), x.clamp(lo, hi));
    }
}

#[test]
fn gelu_silu_and_sign_stay_finite_in_the_tails() {
    for [x, y] in [[-1e3, -1e3], [-800.0, -800.0], [800.0, 800.0], [1e3, 1e3]] {
        let (value, [dx, dy], h) = smooth::hessian(x, y);
        assert!(value.is_finite() && dx.is_finite() && dy.is_finite(), "{x}");
        assert!(h.iter().flatten().all(|v| v.is_finite()), "{x}: {h:?}");
        assert_eq!(smooth::grad(x, y).0, value);
    }
    // gelu'(0) = silu'(0) = 1/2; sign'(0) = 0, sign(0) = 0.
    assert_eq!(smooth::grad(0.0, 0.0), (0.0, [0.5, 0.5]));
    for [x, y] in [[-2.1, 0.7], [0.9, -3.0], [4.0, 1.2]] {
        let (_, partials) = smooth::grad(x, y);
        for (i, &partial) in partials.iter().enumerate() {
            let numeric = central_difference(|p| smooth(p[0], p[1]), &[x, y], i);
            assert!(
                (partial - numeric).abs() <= 1e-6 * partial.abs().max(1.0),
                "({x}, {y}) ∂{i}"
            );
        }
    }
}

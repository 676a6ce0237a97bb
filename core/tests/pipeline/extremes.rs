//! At u = ±800, where `e^u` overflows and `1 - σ(u)` cancels, the value and gradient
//! of every gate form are finite and match the stable closed forms.

use symgrad_core::Gradient;
use symgrad_core::stable::{sigmoid, softplus};

const EXTREMES: [f64; 2] = [800.0, -800.0];

fn at(source: &str, point: &[f64]) -> (f64, Vec<f64>) {
    let formula = symgrad_grammar::parse(source).expect("test formulas parse");
    Gradient::all(&formula).evaluate(point)
}

/// Finite and within a relative 1e-12 of `expected` (absolute near zero).
fn assert_matches(what: &str, actual: f64, expected: f64) {
    assert!(actual.is_finite(), "{what}: {actual} is not finite");
    let tolerance = 1e-12 * expected.abs().max(1e-300);
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: {actual}, expected {expected}"
    );
}

/// `source` in one variable `x`: value `f(u)` and derivative `df(u)` at ±800.
fn check(source: &str, f: fn(f64) -> f64, df: fn(f64) -> f64) {
    for u in EXTREMES {
        let (value, grad) = at(source, &[u]);
        assert_matches(&format!("{source} at {u}"), value, f(u));
        assert_matches(&format!("d/dx {source} at {u}"), grad[0], df(u));
    }
}

fn sigmoid_prime(u: f64) -> f64 {
    sigmoid(u) * sigmoid(-u)
}

#[test]
fn sigmoid_forms() {
    for source in [
        "1/(1+e^-x)",
        "(1+e^-x)^-1",
        "1/(e^-x+1)",
        "e^x/(1+e^x)",
        "1 - 1/(1+e^-(-x))",
    ] {
        check(source, sigmoid, sigmoid_prime);
    }
}

#[test]
fn sigmoid_of_minus_x() {
    check("1/(1+e^x)", |u| sigmoid(-u), |u| -sigmoid_prime(u));
}

#[test]
fn scaled_sigmoid() {
    check(
        "3/(1+e^-x)",
        |u| 3.0 * sigmoid(u),
        |u| 3.0 * sigmoid_prime(u),
    );
}

#[test]
fn sigmoid_prime_with_exponentials() {
    // e^x/(1+e^x)² = σ(x)·σ(-x): e^800/inf² was inf/inf, NaN. Its derivative is
    // σ'(x)·(σ(-x) - σ(x)) = -σ'(x)·tanh(x/2).
    for source in ["e^x/(1+e^x)^2", "e^-x/(1+e^-x)^2"] {
        for u in [800.0, -800.0, 40.0, -40.0] {
            let (value, grad) = at(source, &[u]);
            assert_matches(&format!("{source} at {u}"), value, sigmoid_prime(u));
            let slope = -sigmoid_prime(u) * (u / 2.0).tanh();
            assert_matches(&format!("d/dx {source} at {u}"), grad[0], slope);
        }
    }
}

#[test]
fn softplus_with_exponentials() {
    check("ln(1+e^x)", softplus, sigmoid);
}

#[test]
fn log_sigmoid() {
    check("ln(1/(1+e^-x))", |u| -softplus(-u), |u| sigmoid(-u));
}

#[test]
fn log_one_minus_sigmoid() {
    check("ln(1 - 1/(1+e^-x))", |u| -softplus(u), |u| -sigmoid(u));
}

#[test]
fn tanh_with_exponentials() {
    check("(e^x - e^-x)/(e^x + e^-x)", f64::tanh, |u| {
        1.0 - u.tanh().powi(2)
    });
}

#[test]
fn tanh_in_other_spellings() {
    for source in [
        "(e^(2x) - 1)/(e^(2x) + 1)",
        "(1 - e^(-2x))/(1 + e^(-2x))",
        "2/(1+e^(-2x)) - 1",
    ] {
        check(source, f64::tanh, |u| 1.0 - u.tanh().powi(2));
    }
}

#[test]
fn logistic_loss_at_saturated_logits() {
    // Variables y, w, x, b; z = w·x + b = ±800.
    // The logistic loss with the sigmoid spelled out.
    let source = "-(y ln(1/(1+e^-(w x + b))) + (1 - y) ln(1 - 1/(1+e^-(w x + b))))";
    for (x, y) in [
        (800.0, 0.0),
        (800.0, 1.0),
        (-800.0, 0.0),
        (-800.0, 1.0),
        (800.0, 0.3),
    ] {
        let (w, b) = (1.0, 0.0);
        let z: f64 = w * x + b;
        let (value, grad) = at(source, &[y, w, x, b]);
        let what = format!("loss at z={z}, y={y}");
        assert_matches(&what, value, y * softplus(-z) + (1.0 - y) * softplus(z));
        // dL/dz = σ(z) - y; dL/dy = softplus(-z) - softplus(z) = -z.
        let dz = sigmoid(z) - y;
        for (g, e, name) in [
            (grad[0], -z, "y"),
            (grad[1], dz * x, "w"),
            (grad[2], dz * w, "x"),
            (grad[3], dz, "b"),
        ] {
            assert_matches(&format!("∂/∂{name} {what}"), g, e);
        }
    }
}

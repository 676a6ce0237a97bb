//! The lecture's numbers (CS231n lecture 4), derived by hand there, reproduced here.

use symgrad_core::Gradient;

fn gradient_at(src: &str, point: &[f64]) -> (f64, Vec<f64>) {
    let formula = symgrad_grammar::parse(src).expect("formula parses");
    Gradient::all(&formula).evaluate(point)
}

fn assert_close(actual: f64, expected: f64, tol: f64) {
    assert!(
        (actual - expected).abs() <= tol,
        "{actual} is not within {tol} of {expected}"
    );
}

#[test]
fn neuron_value_and_gradient_match_the_lecture() {
    let (value, grad) = gradient_at("1/(1+e^-(w0x0+w1x1+w2))", &[2.0, -1.0, -3.0, -2.0, -3.0]);
    assert_close(value, 0.7310585786300049, 1e-15);
    // The lecture: σ'= (1-0.73)·0.73 = 0.20; w0: -1·0.20, x0: 2·0.20, w1: -2·0.20, x1: -3·0.20.
    let expected = [-0.1966, 0.3932, -0.3932, -0.5898, 0.1966];
    for (g, e) in grad.iter().zip(expected) {
        assert_close(*g, e, 1e-4);
    }
    // And exactly: σ(1)(1-σ(1)) times the inputs.
    let s = 1.0 / (1.0 + (-1.0f64).exp());
    let d = s * (1.0 - s);
    for (g, e) in grad.iter().zip([-d, 2.0 * d, -2.0 * d, -3.0 * d, d]) {
        assert_close(*g, e, 1e-15);
    }
}

#[test]
fn add_then_multiply_matches_the_lecture() {
    let (value, grad) = gradient_at("(x+y)z", &[-2.0, 5.0, -4.0]);
    assert_eq!(value, -12.0);
    assert_eq!(grad, vec![-4.0, -4.0, 3.0]);
}

#[test]
fn max_gate_routes_the_gradient_to_the_larger_input() {
    // `xy` is ONE name: the variables are xy, z, w.
    let (value, grad) = gradient_at("2(xy + max(z,w))", &[-12.0, 2.0, -1.0]);
    assert_eq!(value, 2.0 * (-12.0 + 2.0));
    assert_eq!(grad, vec![2.0, 2.0, 0.0]);
}

#[test]
fn max_gate_routes_to_w_when_w_is_larger() {
    let (_, grad) = gradient_at("2(x y + max(z,w))", &[3.0, -4.0, 2.0, 5.0]);
    // d/dx = 2y, d/dy = 2x, d/dz = 0 (router), d/dw = 2.
    assert_eq!(grad, vec![-8.0, 6.0, 0.0, 2.0]);
}

#[test]
fn max_gate_ties_go_to_the_first_input() {
    let (_, grad) = gradient_at("max(z,w)", &[1.0, 1.0]);
    assert_eq!(grad, vec![1.0, 0.0]);
}

#[test]
fn subgradients_at_kinks_are_zero() {
    assert_eq!(gradient_at("relu(x)", &[0.0]).1, vec![0.0]);
    assert_eq!(gradient_at("abs(x)", &[0.0]).1, vec![0.0]);
    assert_eq!(gradient_at("abs(x)", &[-3.0]).1, vec![-1.0]);
    assert_eq!(gradient_at("relu(x)", &[2.0]).1, vec![1.0]);
}

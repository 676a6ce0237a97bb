//! `Hessian` and `HessianVectorProduct` (SPEC §6) against independent truth: central
//! differences of the first-order pipeline's gradient (the one `f::grad` is generated
//! from), closed forms, `H·v` formed from the Hessian, and the size claim of `hvp`.

use proptest::prelude::*;
use symgrad_core::{Gradient, Hessian, HessianVectorProduct, Program, SecondOrder};
use symgrad_core::{count_forward_and_grad, count_second_order};

/// Each formula at a point away from kinks and domain edges (one value per variable, in
/// order of first appearance).
const FORMULAS: &[(&str, &[f64])] = &[
    ("σ(x)", &[0.7]),
    ("σ(x y)", &[0.3, -1.2]),
    ("1/(1+e^-(w0x0+w1x1+w2))", &[2.0, -1.0, -3.0, -2.0, -3.0]),
    ("softplus(x y)", &[0.4, 1.5]),
    ("ln(1 + e^(x - y))", &[1.1, -0.3]),
    ("tanh(x) y", &[0.6, -2.0]),
    ("(e^x - e^-x)/(e^x + e^-x)", &[0.35]),
    ("sin(x) cos(y)", &[0.8, -0.4]),
    ("tan(x y)", &[0.3, 0.9]),
    ("asin(x) + acos(y x)", &[0.3, 0.5]),
    ("atan(x / y)", &[1.2, 0.7]),
    ("sinh(x) cosh(y)", &[0.5, -0.8]),
    ("x^3 y^2", &[1.3, -0.7]),
    ("x^y", &[1.7, 2.3]),
    ("pow(x, 2.5) + y^-2", &[1.4, 0.9]),
    ("sqrt(x^2 + y^2)", &[0.6, -0.8]),
    ("logsumexp(x, y z, -y)", &[0.6, -0.8, 1.3]),
    ("ln(e^x + e^(2y))", &[0.6, -0.8]),
    ("softmax(x, y, x y)", &[0.6, -0.8]),
    ("log_softmax(y, x^2, 1)", &[0.6, -0.8]),
    ("ln(x y)", &[0.5, 2.5]),
    ("log(x, y)", &[3.0, 2.0]),
    ("log2(x) + log10(y)", &[3.0, 7.0]),
    ("e^(x y) / (1 + x^2)", &[0.4, -0.9]),
    ("x y z sin(x y)", &[0.7, -1.1, 1.6]),
    ("(x + y)(x - z) / (y + 2)", &[0.3, 1.4, -0.6]),
    (
        "σ(v0 σ(w00 x0 + w01 x1 + b0) + v1 σ(w10 x0 + w11 x1 + b1) + c)",
        &[0.5, 0.1, -0.3, 0.8, 0.2, -0.7, 0.4, 0.6, -0.2, 1.5, 0.05],
    ),
    (
        "-(y ln(σ(w0x0 + w1x1 + w2)) + (1 - y) ln(1 - σ(w0x0 + w1x1 + w2)))",
        &[1.0, 0.4, 1.2, -0.3, -0.7, 0.2],
    ),
    ("relu(x y) + x^2", &[0.9, 1.3]),
    ("relu(x - y) y^2", &[-0.5, 0.4]),
    ("max(x, y) x", &[1.5, 0.2]),
    ("max(x y, z) + min(x, z)^2", &[0.8, -1.2, 0.6]),
    ("abs(x - y) x", &[1.7, 0.4]),
    ("abs(x y)^3", &[-0.6, 0.9]),
    ("(1-x)^2 + 100(y-x^2)^2", &[-1.2, 1.0]),
    ("exp_m1(x y) + ln_1p(x^2)", &[0.2, -0.5]),
    ("σ(σ(σ(x) y) x)", &[0.4, -1.3]),
    ("1/(1 + x^2 + y^2) + x/y", &[0.3, 1.7]),
    ("leaky_relu(x, a) x", &[-0.8, 0.3]),
    ("leaky_relu(x y, a)", &[1.2, 0.7, 0.1]),
    ("elu(x, a)", &[-0.7, 1.3]),
    ("elu(x y) + elu(x)", &[0.5, -1.4]),
    ("huber(x, d)", &[0.4, 1.1]),
    ("huber(x y, d)", &[-2.5, 1.1, 0.8]),
    ("clamp(x y, lo, hi) x", &[0.6, 0.9, -1.0, 2.0]),
    ("clamp(x, lo, hi) lo hi", &[-3.0, -1.0, 2.0]),
    ("gelu(x y)", &[0.6, -1.1]),
    ("gelu(x)", &[-2.5]),
    ("silu(x y)", &[0.9, -1.7]),
    ("sign(x) x^2 + sign(y)", &[-0.6, 0.3]),
];

fn parse(source: &str) -> symgrad_grammar::Formula {
    symgrad_grammar::parse(source).expect("the formula parses")
}

fn all_wrt(formula: &symgrad_grammar::Formula) -> Vec<u32> {
    (0..formula.vars.len() as u32).collect()
}

/// `∂(∂f/∂wrt[i])/∂wrt[j]` by central differences of the first-order pipeline's partial.
fn differenced(grad: &Gradient, point: &[f64]) -> Vec<Vec<f64>> {
    let k = grad.wrt().len();
    (0..k)
        .map(|i| {
            let partial = Program::new(grad.graph(), &[grad.partials()[i]]);
            let f = |p: &[f64]| partial.run(p)[0];
            (0..k)
                .map(|j| {
                    let var = grad.wrt()[j] as usize;
                    let h = f64::EPSILON.cbrt() * point[var].abs().max(1.0);
                    symgrad_core::central_difference(f, point, var, h)
                })
                .collect()
        })
        .collect()
}

fn assert_close(actual: f64, expected: f64, tolerance: f64, what: &str) {
    let error = (actual - expected).abs() / expected.abs().max(1.0);
    assert!(
        error <= tolerance,
        "{what}: {actual} ≠ {expected} ({error:e})"
    );
}

#[test]
fn every_hessian_agrees_with_central_differences_of_the_gradient() {
    assert!(FORMULAS.len() >= 30);
    for &(source, point) in FORMULAS {
        let formula = parse(source);
        assert_eq!(
            formula.vars.len(),
            point.len(),
            "{source}: one value a variable"
        );
        let wrt = all_wrt(&formula);
        let grad = Gradient::new(&formula, &wrt);
        let hessian = Hessian::new(&formula, &wrt);
        let (value, gradient, matrix) = hessian.evaluate(point);
        let (first_value, first_gradient) = grad.evaluate(point);
        // Product sharing groups each graph's products for its own roots, so the value
        // may be associated differently from `grad`'s: equal to rounding.
        assert_close(value, first_value, 1e-15, &format!("{source}: value"));
        for (a, b) in gradient.iter().zip(&first_gradient) {
            assert_close(*a, *b, 1e-14, &format!("{source}: gradient"));
        }
        let numeric = differenced(&grad, point);
        for (i, (row, numeric_row)) in matrix.iter().zip(&numeric).enumerate() {
            for (j, (&a, &n)) in row.iter().zip(numeric_row).enumerate() {
                assert!(a.is_finite(), "{source}: H[{i}][{j}] = {a}");
                assert_close(a, n, 1e-6, &format!("{source}: H[{i}][{j}]"));
                assert_eq!(
                    a.to_bits(),
                    matrix[j][i].to_bits(),
                    "{source}: H[{i}][{j}] and H[{j}][{i}]"
                );
            }
        }
    }
}

#[test]
fn the_upper_triangle_is_all_the_hessian_computes() {
    let formula = parse("x y z sin(x y)");
    let hessian = Hessian::new(&formula, &[0, 1, 2]);
    assert_eq!(hessian.upper().len(), 6);
    for i in 0..3 {
        for j in 0..3 {
            assert_eq!(hessian.entry(i, j), hessian.entry(j, i));
        }
    }
}

#[test]
fn rosenbrock_has_its_closed_form_hessian() {
    let hessian = Hessian::new(&parse("(1-x)^2 + 100(y-x^2)^2"), &[0, 1]);
    for (x, y) in [(-1.2, 1.0), (1.0, 1.0), (0.3, -2.5), (2.0, 3.9)] {
        let (value, gradient, h) = hessian.evaluate(&[x, y]);
        let closed_value = (1.0 - x) * (1.0 - x) + 100.0 * (y - x * x) * (y - x * x);
        assert_close(value, closed_value, 1e-15, "f");
        assert_close(
            gradient[0],
            -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
            1e-14,
            "∂f/∂x",
        );
        assert_close(gradient[1], 200.0 * (y - x * x), 1e-14, "∂f/∂y");
        assert_close(h[0][0], 1200.0 * x * x - 400.0 * y + 2.0, 1e-14, "H[x][x]");
        assert_close(h[0][1], -400.0 * x, 1e-15, "H[x][y]");
        assert_close(h[1][1], 200.0, 0.0, "H[y][y]");
    }
}

/// `σ''(x)` relative to σ(x)·σ(-x)·(1 - 2σ(x)), each σ from its own stable exponential.
fn sigmoid_second_error(x: f64) -> f64 {
    let hessian = Hessian::new(&parse("σ(x)"), &[0]);
    let s = 1.0 / (1.0 + f64::exp(-x));
    let closed = s * (1.0 / (1.0 + f64::exp(x))) * (1.0 - 2.0 * s);
    let h = hessian.evaluate(&[x]).2[0][0];
    if h == closed {
        return 0.0;
    }
    (h - closed).abs() / closed.abs()
}

#[test]
fn sigmoid_second_derivative_is_its_closed_form() {
    // σ'' = σ(1-σ)(1-2σ), from the forward value.
    for x in [-30.0, -4.0, -0.5, 0.8, 4.0] {
        let error = sigmoid_second_error(x);
        assert!(error < 1e-12, "σ''({x}): relative error {error:e}");
    }
    assert_eq!(
        Hessian::new(&parse("σ(x)"), &[0]).evaluate(&[0.0]).2,
        [[0.0]]
    );
}

#[test]
fn sigmoid_second_derivative_is_accurate_in_both_tails() {
    // The sigmoid's local gradient is its own gate σ'(u) = e^-|u|/(1+e^-|u|)², accurate in
    // both tails, and σ'' = σ'·tanh(-u/2) from it; `t·(1 - t)` cancelled for large u.
    for x in [-40.0, -30.0, 30.0, 40.0, 100.0] {
        let error = sigmoid_second_error(x);
        assert!(error < 1e-12, "σ''({x}): relative error {error:e}");
    }
}

#[test]
fn piecewise_ops_have_zero_second_derivative_on_each_piece_and_at_the_kink() {
    for (source, point) in [
        ("relu(x)", 0.7),
        ("relu(x)", -0.7),
        ("relu(x)", 0.0),
        ("abs(x)", 1.3),
        ("abs(x)", -1.3),
        ("abs(x)", 0.0),
        ("max(x, 0.5)", 0.0),
        ("max(x, 0.5)", 0.5),
        ("max(x, 0.5)", 1.0),
    ] {
        let h = Hessian::new(&parse(source), &[0]).evaluate(&[point]).2;
        assert_eq!(h, vec![vec![0.0]], "{source} at {point}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// `hvp(x, v)` against `hessian(x)·v`, formed here from the matrix.
    #[test]
    fn hvp_is_the_hessian_times_v(which in 0..FORMULAS.len(), seed in prop::collection::vec(-2.0f64..2.0, 11)) {
        let (source, point) = FORMULAS[which];
        let formula = parse(source);
        let wrt = all_wrt(&formula);
        let second = SecondOrder::new(&formula, &wrt);
        let v = &seed[..wrt.len()];
        let (_, _, matrix) = second.hessian.evaluate(point);
        let (value, gradient, hv) = second.hvp.evaluate(point, v);
        let (h_value, h_gradient, _) = second.hessian.evaluate(point);
        prop_assert!((value - h_value).abs() <= 1e-15 * h_value.abs().max(1.0));
        for (i, row) in matrix.iter().enumerate() {
            let expected: f64 = row.iter().zip(v).map(|(h, v)| h * v).sum();
            let scale: f64 = row.iter().zip(v).map(|(h, v)| (h * v).abs()).sum();
            prop_assert!(
                (hv[i] - expected).abs() <= 1e-12 * scale.max(f64::MIN_POSITIVE),
                "{}: (H·v)[{}] = {} ≠ {}", source, i, hv[i], expected
            );
            prop_assert!((gradient[i] - h_gradient[i]).abs() <= 1e-14 * h_gradient[i].abs().max(1.0));
        }
    }
}

/// The neuron's source over `n` inputs, and `wrt` = its weights.
fn neuron(n: usize) -> (symgrad_grammar::Formula, Vec<u32>) {
    let terms: Vec<String> = (0..n).map(|i| format!("w{i}x{i}")).collect();
    let formula = parse(&format!("σ({} + b)", terms.join(" + ")));
    let wrt = (0..n as u32).map(|i| 2 * i).collect();
    (formula, wrt)
}

#[test]
fn hvp_grows_like_the_gradient_and_the_hessian_like_its_entries() {
    let counts: Vec<(usize, usize, usize)> = [10, 20, 40]
        .into_iter()
        .map(|n| {
            let (formula, wrt) = neuron(n);
            let (_, grad) = count_forward_and_grad(&Gradient::new(&formula, &wrt));
            let (hessian, hvp) = count_second_order(&SecondOrder::new(&formula, &wrt));
            (grad, hessian, hvp)
        })
        .collect();
    // Measured: (33, 119, 93), (63, 334, 183), (123, 1064, 363).
    for pair in counts.windows(2) {
        let ((g0, h0, v0), (g1, h1, v1)) = (pair[0], pair[1]);
        // Doubling n doubles the gradient and hvp (within 10%); the Hessian's n(n+1)/2
        // entries grow faster.
        let (grad_ratio, hvp_ratio) = (g1 as f64 / g0 as f64, v1 as f64 / v0 as f64);
        assert!((1.8..2.1).contains(&grad_ratio), "{counts:?}");
        assert!((1.8..2.1).contains(&hvp_ratio), "{counts:?}");
        assert!(h1 as f64 / h0 as f64 >= 2.5, "{counts:?}");
    }
    // n × 4: hvp × 4 (linear), the Hessian × 8 and more (quadratic, with a linear part).
    let (first, last) = (counts[0], counts[2]);
    assert!(last.2 as f64 / first.2 as f64 <= 4.4, "{counts:?}");
    assert!(last.1 as f64 / first.1 as f64 >= 8.0, "{counts:?}");
    for &(grad, _, hvp) in &counts {
        assert!(hvp <= 4 * grad, "hvp is O(size of grad): {counts:?}");
    }
}

#[test]
fn hvp_directions_are_variables_after_the_formulas() {
    let formula = parse("x^2 y");
    let hvp = HessianVectorProduct::new(&formula, &[1, 0]);
    assert_eq!((hvp.direction(0), hvp.direction(1)), (2, 3));
    // wrt (y, x): H = [[0, 2x], [2x, 2y]]; at (3, 2), v = (1, 0.5): (3, 6 + 2).
    let (_, gradient, hv) = hvp.evaluate(&[3.0, 2.0], &[1.0, 0.5]);
    assert_eq!(gradient, vec![9.0, 12.0]);
    assert_eq!(hv, vec![3.0, 8.0]);
}

//! Every gate's value and derivative at both tails, as the pipeline builds and evaluates
//! them, against 50-digit truths computed once with mpmath (`data/make_gate_tails.py`
//! wrote `data/gate_tails.txt`): within a relative 1e-9 where the truth is a finite
//! nonzero f64 (SPEC §9, no absolute floor), exactly 0 only where the truth underflows.

use symgrad_core::Gradient;

#[path = "data/tails.rs"]
pub(crate) mod tails;

use tails::{accurate, assert_accurate, tails};

#[test]
fn the_data_covers_every_gate_at_both_tails() {
    let tails = tails();
    assert!(tails.len() > 400, "{} lines", tails.len());
    let has = |formula: &str, x: f64| tails.iter().any(|t| t.formula == formula && t.x == x);
    for formula in ["σ(x)", "softplus(x)", "tanh(x)", "exp_m1(x)", "ln_1p(x)"] {
        // e^800 overflows; ln_1p is real above -1 only.
        assert!(
            has(formula, 800.0) != (formula == "exp_m1(x)"),
            "{formula} at 800"
        );
        assert!(has(formula, 40.0) && has(formula, 1e-300), "{formula}");
        assert!(
            has(formula, -800.0) != (formula == "ln_1p(x)"),
            "{formula} at -800"
        );
    }
}

#[test]
fn the_pipeline_is_accurate_in_every_gate_tail() {
    assert_accurate(|formula, x| {
        let parsed = symgrad_grammar::parse(formula).expect("data formulas parse");
        let (value, gradient) = Gradient::all(&parsed).evaluate(&[x]);
        (value, gradient[0])
    });
}

#[test]
fn tiny_gradients_are_not_zero() {
    // The figures: σ'(40) ≈ 4.2e-18 and σ'(100) ≈ 3.7e-44 were 0 with σ·(1-σ).
    let parsed = symgrad_grammar::parse("1/(1+e^-x)").expect("parses");
    let grad = Gradient::all(&parsed);
    assert!(accurate(grad.evaluate(&[40.0]).1[0], 4.248354255291589e-18));
    assert!(accurate(
        grad.evaluate(&[100.0]).1[0],
        3.720075976020836e-44
    ));
}

#[test]
fn hypot_of_two_variables_keeps_the_squares_in_range() {
    // hypot(3s, 4s) = 5s, ∂/∂x = 3/5, ∂/∂y = 4/5, for s where (3s)² overflows or
    // underflows; sqrt(x² + y²) becomes the same gate.
    for formula in ["hypot(x, y)", "sqrt(x^2 + y^2)"] {
        let parsed = symgrad_grammar::parse(formula).expect("parses");
        let grad = Gradient::all(&parsed);
        for s in [1e200, 1e300 / 4.0, 1e-200, -1e-200] {
            let (value, gradient) = grad.evaluate(&[3.0 * s, 4.0 * s]);
            assert!(accurate(value, 5.0 * s.abs()), "{formula} at {s}: {value}");
            let sign = s.signum();
            assert!(
                accurate(gradient[0], 0.6 * sign),
                "{formula} at {s}: {gradient:?}"
            );
            assert!(
                accurate(gradient[1], 0.8 * sign),
                "{formula} at {s}: {gradient:?}"
            );
        }
    }
}

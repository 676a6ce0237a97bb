//! Property: on random well-formed formulas over the smooth functions, at random points
//! inside their domains, every partial derivative matches central differences.

use proptest::prelude::*;
use symgrad_core::Gradient;

const VARS: [&str; 3] = ["x", "y", "z"];

/// Random formulas that are smooth and defined everywhere on [-2, 2]³; arguments of
/// functions with a restricted domain or fast growth are squashed first.
fn formula() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        prop::sample::select(VARS.to_vec()).prop_map(str::to_string),
        (-3.0f64..3.0).prop_map(|c| format!("{c:.3}")),
    ];
    leaf.prop_recursive(5, 40, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) + ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) - ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a})({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a})/(1 + ({b})^2)")),
            inner.clone().prop_map(|a| format!("-({a})")),
            inner.clone().prop_map(|a| format!("({a})^2")),
            inner.clone().prop_map(|a| format!("({a})^3")),
            inner.clone().prop_map(|a| format!("e^tanh({a})")),
            inner.clone().prop_map(|a| format!("exp(sin({a}))")),
            inner.clone().prop_map(|a| format!("ln(1 + ({a})^2)")),
            inner.clone().prop_map(|a| format!("sqrt(1 + ({a})^2)")),
            inner.clone().prop_map(|a| format!("sin({a})")),
            inner.clone().prop_map(|a| format!("cos({a})")),
            inner.clone().prop_map(|a| format!("tanh({a})")),
            inner.clone().prop_map(|a| format!("atan({a})")),
            inner.clone().prop_map(|a| format!("σ({a})")),
            inner.clone().prop_map(|a| format!("softplus({a})")),
            inner.clone().prop_map(|a| format!("asin(tanh({a})/2)")),
            inner.clone().prop_map(|a| format!("acos(tanh({a})/2)")),
            inner.clone().prop_map(|a| format!("sinh(tanh({a}))")),
            inner.clone().prop_map(|a| format!("cosh(tanh({a}))")),
            inner.clone().prop_map(|a| format!("tan(tanh({a}))")),
            inner.clone().prop_map(|a| format!("log2(2 + sin({a}))")),
            inner.clone().prop_map(|a| format!("log(3 + cos({a}), 10)")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("pow(1.5 + sin({a}), {b})")),
        ]
    })
}

/// `f'` by central differences with step `h = 1e-5·max(1, |x|)`, or `None` where the
/// difference cannot be trusted: where halving the step moves it by more than a tenth of the
/// tolerance. That happens at ill-conditioned points the generator can draw, such as
/// `exp(sin(pow(1.5 + sin(x), (2.985)^3)))` at x = 0 (a sine of 5·10⁴, whose derivative
/// turns over faster than any fixed step can follow); the analytic partial is checked against
/// the difference everywhere else.
fn central_difference(grad: &Gradient, point: &[f64], i: usize) -> Option<f64> {
    let h = 1e-5 * point[i].abs().max(1.0);
    let at = |h| symgrad_core::central_difference(|p| grad.evaluate(p).0, point, i, h);
    let (coarse, fine) = (at(h), at(h / 2.0));
    let scale = 1f64.max(coarse.abs()).max(fine.abs());
    ((coarse - fine).abs() <= 1e-6 * scale).then_some(fine)
}

#[test]
fn an_ill_conditioned_point_is_not_trusted() {
    let src = "exp(sin(pow(1.5 + sin(x), (2.985)^3)))";
    let formula = symgrad_grammar::parse_with_vars(src, &VARS).expect("parses");
    let grad = Gradient::all(&formula);
    assert_eq!(central_difference(&grad, &[0.0, 0.0, 0.0], 0), None);
    assert!(central_difference(&grad, &[0.0, 0.0, 0.0], 1).is_some());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Relative tolerance 1e-5 against max(1, |analytic|, |numeric|): the step's
    /// truncation error (h²·f'''/6 ≈ 1e-10·f''') and rounding (ε·|f|/h ≈ 1e-11·|f|)
    /// stay far below it for these bounded formulas.
    #[test]
    fn partials_match_central_differences(
        src in formula(),
        point in prop::array::uniform3(-2.0f64..2.0),
    ) {
        let formula = symgrad_grammar::parse_with_vars(&src, &VARS)
            .map_err(|e| TestCaseError::fail(format!("{src}: {}", e.message)))?;
        let grad = Gradient::all(&formula);
        let (value, partials) = grad.evaluate(&point);
        prop_assume!(value.is_finite());
        for (i, analytic) in partials.iter().enumerate() {
            let Some(numeric) = central_difference(&grad, &point, i) else {
                continue;
            };
            let scale = 1f64.max(analytic.abs()).max(numeric.abs());
            prop_assert!(
                (analytic - numeric).abs() <= 1e-5 * scale,
                "formula {src} at {point:?}: ∂/∂{} analytic {analytic}, central difference {numeric}",
                VARS[i]
            );
        }
    }
}

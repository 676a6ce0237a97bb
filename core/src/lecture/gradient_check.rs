//! The lecture's gradient check: the analytic gradient against central differences
//! `(f(x+h) - f(x-h)) / 2h`, one variable at a time, with a relative error per variable;
//! the Hessian likewise, against differences of the analytic gradient.
//!
//! How the tolerance is chosen. The step is `h = ∛ε · max(1, |x|)` (≈ 6e-6 near 1), which
//! balances the difference quotient's truncation error (∝ h²) against its rounding error
//! (∝ ε/h); both are then around 1e-10 relative for well-scaled formulas, so the default
//! tolerance [`DEFAULT_TOLERANCE`] = 1e-6 leaves four orders of margin and still catches
//! any real mistake (CS231n's notes call 1e-7 and below good). The relative error is
//! `|a - n| / max(|a|, |n|, floor)`; the floor stops tiny gradients from turning rounding
//! noise into large relative errors: it is the level below which the rounding error of the
//! difference quotient itself (`64 ε max|f(x±h)| / h`) would exceed the tolerance.

use crate::diff::pipeline::Gradient;
use crate::diff::second::Hessian;
use crate::eval::Program;

/// The relative error above which a partial derivative fails the check.
pub const DEFAULT_TOLERANCE: f64 = 1e-6;

/// How to run the check.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CheckOptions {
    /// The step `h` for every variable; `None` chooses `∛ε · max(1, |x|)` per variable.
    pub step: Option<f64>,
    /// The largest relative error that passes.
    pub tolerance: f64,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            step: None,
            tolerance: DEFAULT_TOLERANCE,
        }
    }
}

/// One partial derivative, checked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PartialCheck {
    /// The variable, as an index into the gradient's `vars`.
    pub var: u32,
    /// The partial derivative as differentiated.
    pub analytic: f64,
    /// The central difference it is compared with.
    pub numeric: f64,
    /// The step used for this variable.
    pub step: f64,
    /// `|a - n| / max(|a|, |n|, floor)`; `NaN` when either side is not finite (unless
    /// both are the same infinity).
    pub relative_error: f64,
    /// Whether `relative_error ≤ tolerance` (a `NaN` error fails).
    pub passed: bool,
}

/// Checks every partial derivative of `grad` at `point` (one value per variable).
///
/// ```
/// use symgrad_core::{check_gradient, CheckOptions, Gradient};
/// let f = symgrad_grammar::parse("1/(1+e^-(w0x0+w1x1+w2))").unwrap();
/// let checks = check_gradient(&Gradient::all(&f), &[2.0, -1.0, -3.0, -2.0, -3.0], &CheckOptions::default());
/// assert!(checks.iter().all(|c| c.passed && c.relative_error < 1e-8));
/// ```
pub fn check_gradient(grad: &Gradient, point: &[f64], options: &CheckOptions) -> Vec<PartialCheck> {
    let (_, analytic) = grad.evaluate(point);
    compare_with_central_differences(grad, &analytic, point, options)
}

/// The central difference `(f(x + h) - f(x - h)) / step` of `f` in coordinate `i` of
/// `point`, `step` being the step that rounding of `x ± h` leaves: the one definition, which
/// `test_at` also emits into the user's crate.
///
/// ```
/// let d = symgrad_core::central_difference(|p| p[0] * p[0], &[3.0], 0, 1e-5);
/// assert!((d - 6.0).abs() < 1e-9);
/// ```
pub fn central_difference(f: impl Fn(&[f64]) -> f64, point: &[f64], i: usize, h: f64) -> f64 {
    crate::codegen::central_difference(&f, point, i, h).0
}

/// Checks a given `analytic` gradient (in `grad.wrt()` order) against central differences
/// of `grad`'s value; [`check_gradient`] passes `grad`'s own partials.
pub fn compare_with_central_differences(
    grad: &Gradient,
    analytic: &[f64],
    point: &[f64],
    options: &CheckOptions,
) -> Vec<PartialCheck> {
    let value = Program::new(grad.graph(), &[grad.value()]);
    let f = |p: &[f64]| value.run(p)[0];
    grad.wrt()
        .iter()
        .zip(analytic)
        .map(|(&var, &a)| check_partial(&f, a, point, var, options))
        .collect()
}

/// Checks the Hessian of `hessian` at `point` against central differences of its analytic
/// gradient: row `i`, column `j` compares `H[i][j]` with the difference of `∂f/∂wrt[i]`
/// along `wrt[j]`, so each off-diagonal entry is checked from both of its sides. Returns
/// `(i, check)`, `check.var` being the column's variable, row by row.
///
/// ```
/// use symgrad_core::{CheckOptions, Hessian, check_hessian};
/// let f = symgrad_grammar::parse("x^2 y + sin(x y)").unwrap();
/// let checks = check_hessian(&Hessian::new(&f, &[0, 1]), &[0.5, -1.25], &CheckOptions::default());
/// assert_eq!(checks.len(), 4);
/// assert!(checks.iter().all(|(_, c)| c.passed && c.relative_error < 1e-8));
/// ```
pub fn check_hessian(
    hessian: &Hessian,
    point: &[f64],
    options: &CheckOptions,
) -> Vec<(usize, PartialCheck)> {
    let (_, _, matrix) = hessian.evaluate(point);
    let mut checks = Vec::new();
    for (i, row) in matrix.iter().enumerate() {
        let partial = Program::new(hessian.graph(), &[hessian.partials()[i]]);
        let f = |p: &[f64]| partial.run(p)[0];
        for (&var, &a) in hessian.wrt().iter().zip(row) {
            checks.push((i, check_partial(&f, a, point, var, options)));
        }
    }
    checks
}

/// `a` against the central difference of `f` along variable `var` at `point`.
fn check_partial(
    f: &impl Fn(&[f64]) -> f64,
    a: f64,
    point: &[f64],
    var: u32,
    options: &CheckOptions,
) -> PartialCheck {
    let i = var as usize;
    let h = options
        .step
        .unwrap_or_else(|| f64::EPSILON.cbrt() * point[i].abs().max(1.0));
    let (n, above, below) = crate::codegen::central_difference(f, point, i, h);
    let noise = 64.0 * f64::EPSILON * above.abs().max(below.abs()) / h;
    let relative_error = relative_error(a, n, noise / options.tolerance);
    PartialCheck {
        var,
        analytic: a,
        numeric: n,
        step: h,
        relative_error,
        passed: relative_error <= options.tolerance,
    }
}

fn relative_error(a: f64, n: f64, floor: f64) -> f64 {
    if a == n {
        return 0.0;
    }
    if !a.is_finite() || !n.is_finite() {
        return f64::NAN;
    }
    (a - n).abs() / a.abs().max(n.abs()).max(floor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grad(src: &str) -> Gradient {
        Gradient::all(&symgrad_grammar::parse(src).expect("formula parses"))
    }

    #[test]
    fn correct_gradients_pass_with_room_to_spare() {
        let g = grad("sin(x)·e^y + ln(1 + x^2)/y");
        for c in check_gradient(&g, &[0.7, 1.3], &CheckOptions::default()) {
            assert!(c.passed && c.relative_error < 1e-8, "{c:?}");
        }
    }

    #[test]
    fn a_perturbed_analytic_gradient_fails() {
        let g = grad("(x+y)z");
        let point = [-2.0, 5.0, -4.0];
        let (_, mut analytic) = g.evaluate(&point);
        analytic[2] *= 1.0 + 1e-4;
        let checks =
            compare_with_central_differences(&g, &analytic, &point, &CheckOptions::default());
        assert_eq!(
            checks.iter().map(|c| c.passed).collect::<Vec<_>>(),
            [true, true, false]
        );
        assert!(
            (checks[2].relative_error - 1e-4).abs() < 1e-6,
            "{:?}",
            checks[2]
        );
    }

    #[test]
    fn relu_at_its_kink_fails_because_the_subgradient_is_one_sided() {
        // relu'(0) = 0 by convention; central differences see the average slope 1/2.
        let c = check_gradient(&grad("relu(x)"), &[0.0], &CheckOptions::default());
        assert_eq!((c[0].analytic, c[0].numeric), (0.0, 0.5));
        assert!(!c[0].passed);
    }

    #[test]
    fn abs_at_its_kink_passes_because_the_difference_is_symmetric() {
        let c = check_gradient(&grad("abs(x)"), &[0.0], &CheckOptions::default());
        assert_eq!((c[0].analytic, c[0].numeric), (0.0, 0.0));
        assert!(c[0].passed);
    }

    #[test]
    fn tiny_gradients_are_not_failed_by_rounding_noise() {
        // ∂/∂y ≈ 9e-14, far below what a difference of values near 1 can resolve.
        let c = check_gradient(&grad("x + σ(y)"), &[1.0, -30.0], &CheckOptions::default());
        assert!(c.iter().all(|c| c.passed), "{c:?}");
    }

    #[test]
    fn a_point_outside_the_domain_fails() {
        let c = check_gradient(&grad("ln(x)"), &[-1.0], &CheckOptions::default());
        assert!(c[0].relative_error.is_nan());
        assert!(!c[0].passed);
    }

    #[test]
    fn a_given_step_is_used_for_every_variable() {
        let options = CheckOptions {
            step: Some(1e-3),
            ..CheckOptions::default()
        };
        let c = check_gradient(&grad("x^3 + y"), &[2.0, 100.0], &options);
        assert!(c.iter().all(|c| c.step == 1e-3));
        // (x+h)³ - (x-h)³ over 2h = 3x² + h²: off by 1e-6 in 12.
        assert!((c[0].numeric - 12.000001).abs() < 1e-9, "{c:?}");
    }
}

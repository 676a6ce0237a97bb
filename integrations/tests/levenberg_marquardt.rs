//! `#[derive_grad(levenberg_marquardt)]`'s `Problem` in levenberg-marquardt (SPEC §10):
//! a curve fit with one residual per data row, and residuals as many outputs.

use levenberg_marquardt::{LeastSquaresProblem, LevenbergMarquardt};
use nalgebra::DVector;
use symgrad::derive_grad;

/// The residual of one row of data: the model `a e^(-b t) + c` minus the measurement.
#[derive_grad(wrt(a, b, c), levenberg_marquardt)]
fn decay(a: f64, b: f64, c: f64, t: f64, y: f64) -> f64 {
    a * (-b * t).exp() + c - y
}

const TRUTH: [f64; 3] = [2.5, 0.7, 0.3];

fn data() -> (Vec<f64>, Vec<f64>) {
    let t: Vec<f64> = (0..40).map(|i| f64::from(i) * 0.25).collect();
    let y = t
        .iter()
        .map(|&t| TRUTH[0] * (-TRUTH[1] * t).exp() + TRUTH[2])
        .collect();
    (t, y)
}

#[test]
fn the_fit_recovers_the_parameters_of_noiseless_data() {
    let (t, y) = data();
    let problem = decay::Problem::new(&t, &y).starting_at([1.0, 1.0, 0.0]);
    let (problem, report) = LevenbergMarquardt::new().minimize(problem);
    assert!(report.termination.was_successful(), "{report:?}");
    for (got, want) in problem.point().iter().zip(TRUTH) {
        assert!((got - want).abs() < 1e-8, "{:?}", problem.point());
    }
}

#[test]
fn residuals_and_jacobian_are_the_rows_of_f_and_grad() {
    let (t, y) = data();
    let mut problem = decay::Problem::new(&t, &y);
    let at = DVector::from_vec(vec![1.5, 0.2, -0.1]);
    problem.set_params(&at);
    assert_eq!(problem.params(), at);
    let r = problem.residuals().expect("residuals");
    let j = problem.jacobian().expect("a Jacobian");
    assert_eq!((r.len(), j.nrows(), j.ncols()), (40, 40, 3));
    for row in 0..40 {
        assert_eq!(r[row], decay(1.5, 0.2, -0.1, t[row], y[row]));
        // ∂/∂a = e^(-b t), ∂/∂b = -a t e^(-b t), ∂/∂c = 1, by hand.
        let e = (-0.2 * t[row]).exp();
        let want = [e, -1.5 * t[row] * e, 1.0];
        for (k, want) in want.into_iter().enumerate() {
            assert!((j[(row, k)] - want).abs() <= 1e-15 * want.abs().max(1.0));
        }
    }
}

#[test]
#[should_panic(expected = "`t` has 2 rows and `y` has 1")]
fn data_of_different_lengths_is_refused() {
    let _ = decay::Problem::new(&[0.0, 1.0], &[0.0]);
}

/// Rosenbrock's residuals, with a data parameter: `a` moves the minimum to (a, a²).
#[derive_grad(wrt(x, y), levenberg_marquardt, argmin(nalgebra))]
fn rosenbrock(x: f64, y: f64, a: f64) -> (f64, f64) {
    (10.0 * (y - x * x), a - x)
}

#[test]
fn many_outputs_are_the_residuals() {
    let problem = rosenbrock::Problem::new(2.0).starting_at([-1.2, 1.0]);
    let (problem, report) = LevenbergMarquardt::new().minimize(problem);
    assert!(report.termination.was_successful(), "{report:?}");
    let p = problem.point();
    assert!(
        (p[0] - 2.0).abs() < 1e-10 && (p[1] - 4.0).abs() < 1e-10,
        "{p:?}"
    );
    assert_eq!(problem.a, 2.0);
}

/// Parameters named like what the generated items use inside (`x`, `g`, `rows`, `point`).
#[derive_grad(wrt(x, g), levenberg_marquardt)]
fn clashing(x: f64, g: f64, rows: f64, point: f64) -> f64 {
    x * rows + g - point
}

#[test]
fn user_names_that_the_generated_items_use() {
    let rows = [0.0, 1.0, 2.0, 3.0];
    let point: Vec<f64> = rows.iter().map(|r| 1.5 * r - 0.5).collect();
    let problem = clashing::Problem::new(&rows, &point).starting_at([0.0, 0.0]);
    let (problem, report) = LevenbergMarquardt::new().minimize(problem);
    assert!(report.termination.was_successful(), "{report:?}");
    let p = problem.point();
    assert!(
        (p[0] - 1.5).abs() < 1e-10 && (p[1] + 0.5).abs() < 1e-10,
        "{p:?}"
    );
    let mut g = [0.0; 2];
    assert_eq!(clashing::value_grad(2.0, 1.0, &[0.5, 0.25], &mut g), 0.25);
    assert_eq!(g, [2.0, 1.0]);
}

//! A least-squares curve fit with Levenberg–Marquardt: `y = a e^(-b t) + c` through 40
//! noiseless points, the Jacobian of the residuals derived by symgrad at compile time.
//! `cargo run -p symgrad-integrations --example curve_fit`.

use levenberg_marquardt::{LeastSquaresProblem, LevenbergMarquardt};
use nalgebra::{DMatrix, DVector, Dyn, VecStorage};
use symgrad::derive_grad;

/// The residual of one row: the model minus the measurement. With
/// `levenberg_marquardt`, the data parameters `t` and `y` become slices of rows.
#[derive_grad(wrt(a, b, c), levenberg_marquardt)]
fn decay(a: f64, b: f64, c: f64, t: f64, y: f64) -> f64 {
    a * (-b * t).exp() + c - y
}

/// A problem that prints each point the solver tries and its squared residual norm.
struct Printed<P>(P);

impl<P> LeastSquaresProblem<f64, Dyn, Dyn> for Printed<P>
where
    P: LeastSquaresProblem<
            f64,
            Dyn,
            Dyn,
            ResidualStorage = VecStorage<f64, Dyn, nalgebra::U1>,
            JacobianStorage = VecStorage<f64, Dyn, Dyn>,
            ParameterStorage = VecStorage<f64, Dyn, nalgebra::U1>,
        >,
{
    type ResidualStorage = P::ResidualStorage;
    type JacobianStorage = P::JacobianStorage;
    type ParameterStorage = P::ParameterStorage;

    fn set_params(&mut self, x: &DVector<f64>) {
        self.0.set_params(x);
    }

    fn params(&self) -> DVector<f64> {
        self.0.params()
    }

    fn residuals(&self) -> Option<DVector<f64>> {
        let r = self.0.residuals()?;
        let p = self.0.params();
        println!(
            "  evaluation: a = {:.10}, b = {:.10}, c = {:.10}  ‖r‖² = {:.3e}",
            p[0],
            p[1],
            p[2],
            r.norm_squared()
        );
        Some(r)
    }

    fn jacobian(&self) -> Option<DMatrix<f64>> {
        self.0.jacobian()
    }
}

fn main() {
    let truth = [2.5, 0.7, 0.3];
    let t: Vec<f64> = (0..40).map(|i| f64::from(i) * 0.25).collect();
    let y: Vec<f64> = t
        .iter()
        .map(|&t| truth[0] * (-truth[1] * t).exp() + truth[2])
        .collect();
    println!("Levenberg–Marquardt from a = 1, b = 1, c = 0 (truth: {truth:?}):");
    let problem = Printed(decay::Problem::new(&t, &y).starting_at([1.0, 1.0, 0.0]));
    let (Printed(problem), report) = LevenbergMarquardt::new().minimize(problem);
    println!(
        "  → {:?} after {} evaluations: {:?}",
        problem.point(),
        report.number_of_evaluations,
        report.termination
    );
}

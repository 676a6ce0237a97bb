//! L-BFGS and Newton on Rosenbrock's function from (-1.2, 1), with the gradient and the
//! Hessian symgrad derives at compile time: `cargo run -p symgrad-integrations --example
//! rosenbrock`.

use argmin::core::observers::ObserverMode;
use argmin::core::{Executor, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::newton::Newton;
use argmin::solver::quasinewton::LBFGS;
use nalgebra::DVector;
use symgrad::derive_grad;
use symgrad_integrations::PrintIterations;

/// Rosenbrock's banana: the minimum 0 at (1, 1), at the end of a long curved valley.
#[derive_grad(argmin)]
fn rosenbrock(x: f64, y: f64) -> f64 {
    (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
}

/// The same function for Newton's method, which inverts the Hessian: nalgebra's types.
#[derive_grad(argmin(nalgebra), hessian)]
fn rosenbrock_newton(x: f64, y: f64) -> f64 {
    (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
}

fn main() -> Result<(), argmin::core::Error> {
    println!("L-BFGS (Moré–Thuente line search, memory 7):");
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 7).with_tolerance_grad(1e-10)?;
    let result = Executor::new(rosenbrock::Problem::new(), solver)
        .configure(|state| state.param(vec![-1.2, 1.0]).max_iters(100))
        .add_observer(PrintIterations, ObserverMode::Always)
        .run()?;
    let state = result.state();
    println!(
        "  → {:?} after {} iterations: {:?}\n",
        state.get_best_param(),
        state.get_iter(),
        state.get_termination_reason()
    );

    println!("Newton (the generated Hessian; argmin's Newton runs its max_iters):");
    let result = Executor::new(rosenbrock_newton::Problem::new(), Newton::<f64>::new())
        .configure(|state| state.param(DVector::from_vec(vec![-1.2, 1.0])).max_iters(7))
        .add_observer(PrintIterations, ObserverMode::Always)
        .run()?;
    let state = result.state();
    let best = state.get_best_param().map(|p| p.as_slice().to_vec());
    println!("  → {best:?} after {} iterations", state.get_iter());
    Ok(())
}

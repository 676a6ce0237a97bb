//! Tests and examples of symgrad's generated gradients in Rust's optimizers (SPEC §10):
//! argmin 0.11 and levenberg-marquardt 0.15. The library holds what the examples share.

use argmin::core::observers::Observe;
use argmin::core::{Error, KV, State};

/// An argmin observer that prints each iteration's number, cost and point.
///
/// ```
/// use argmin::core::observers::ObserverMode;
/// # use argmin::core::{CostFunction, Executor, Gradient};
/// # use argmin::solver::{linesearch::MoreThuenteLineSearch, quasinewton::LBFGS};
/// # #[symgrad::derive_grad(argmin)]
/// # fn bowl(x: f64, y: f64) -> f64 { x * x + 2.0 * y * y }
/// let solver = LBFGS::new(MoreThuenteLineSearch::new(), 5);
/// let result = Executor::new(bowl::Problem::new(), solver)
///     .configure(|state| state.param(vec![1.0, 1.0]).max_iters(10))
///     .add_observer(symgrad_integrations::PrintIterations, ObserverMode::Always)
///     .run()
///     .unwrap();
/// assert!(result.state.best_cost < 1e-12);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct PrintIterations;

impl<I> Observe<I> for PrintIterations
where
    I: State<Float = f64>,
    I::Param: Point,
{
    fn observe_iter(&mut self, state: &I, _kv: &KV) -> Result<(), Error> {
        let point = state
            .get_param()
            .map(|p| format!("{:.9?}", p.numbers()))
            .unwrap_or_default();
        // Newton's method never evaluates the cost: it is infinite in its state.
        let cost = match state.get_cost() {
            c if c.is_finite() => format!("cost {c:>12.6e}  "),
            _ => String::new(),
        };
        println!("  iteration {:>3}  {cost}point {point}", state.get_iter());
        Ok(())
    }
}

/// A point argmin holds, as numbers.
pub trait Point {
    /// The coordinates in order.
    fn numbers(&self) -> &[f64];
}

impl Point for Vec<f64> {
    fn numbers(&self) -> &[f64] {
        self
    }
}

impl Point for nalgebra::DVector<f64> {
    fn numbers(&self) -> &[f64] {
        self.as_slice()
    }
}

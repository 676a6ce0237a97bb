//! The core interpreter as a contender: the gradient DAG compiled once into a
//! [`Program`], then run at each point.

use symgrad_core::{Gradient, Program, count_ops};

use crate::formulas::Bench;

/// A formula's value and gradient, ready to evaluate at any point.
///
/// ```
/// let interp = symgrad_bench::Interpreter::new(&symgrad_bench::neuron());
/// let (f, g) = interp.grad(&[2.0, -1.0, -3.0, -2.0, -3.0]);
/// assert!((f - 0.7310585786300049).abs() < 1e-15);
/// assert!((g[4] - 0.19661193324148185).abs() < 1e-15);
/// ```
#[derive(Clone, Debug)]
pub struct Interpreter {
    gradient: Gradient,
    program: Program,
}

impl Interpreter {
    pub fn new(bench: &Bench) -> Self {
        let gradient = Gradient::all(&bench.formula());
        let program = Program::new(gradient.graph(), &gradient.roots());
        Interpreter { gradient, program }
    }

    /// Value and gradient at `point`, both in one run of the program.
    pub fn grad(&self, point: &[f64]) -> (f64, Vec<f64>) {
        let mut all = self.program.run(point);
        let value = all.remove(0);
        (value, all)
    }

    /// `(ops.forward, ops.grad)` as `symgrad grad --json` reports them.
    pub fn ops(&self) -> (usize, usize) {
        let g = &self.gradient;
        (
            count_ops(g.graph(), &[g.value()]),
            count_ops(g.graph(), &g.roots()),
        )
    }
}

//! Reverse mode's cheap-gradient bound on every benchmark formula (SPEC §5), the one test
//! of it: the value and all partials together cost at most 4× the value alone, counted as
//! `symgrad grad --json` counts (`ops.grad / ops.forward`).

use symgrad_bench::{Interpreter, formulas};

#[test]
fn the_gradient_costs_at_most_four_times_the_value_on_every_benchmark_formula() {
    for bench in formulas::all() {
        let (forward, grad) = Interpreter::new(&bench).ops();
        assert!(
            grad <= 4 * forward,
            "{}: ops.grad {grad} > 4 × ops.forward {forward}",
            bench.name
        );
    }
}

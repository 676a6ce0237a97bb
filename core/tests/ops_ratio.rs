//! Reverse mode's cheap-gradient bound on the benchmark formulas of SPEC §5: the value
//! and every partial together cost at most four times the value alone.

use symgrad_core::{Gradient, benchmark_formulas, count_ops};

fn ops(source: &str) -> (usize, usize) {
    let formula = symgrad_grammar::parse(source).expect("benchmark formulas parse");
    let grad = Gradient::all(&formula);
    (
        count_ops(grad.graph(), &[grad.value()]),
        count_ops(grad.graph(), &grad.roots()),
    )
}

#[test]
fn the_neuron_costs_5_forward_and_11_with_its_gradient() {
    assert_eq!(ops(benchmark_formulas::NEURON), (5, 11));
}

#[test]
fn every_benchmark_formula_keeps_the_gradient_within_4x_the_value() {
    for (name, source) in benchmark_formulas::all() {
        let (forward, grad) = ops(&source);
        let ratio = grad as f64 / forward as f64;
        println!("{name}: forward {forward}, grad {grad}, ratio {ratio:.2}");
        assert!(
            ratio <= 4.0,
            "{name}: ops.grad/ops.forward = {grad}/{forward} = {ratio:.2}"
        );
    }
}

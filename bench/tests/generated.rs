//! The generated contenders are the benchmark formulas: same parameters in the same order
//! as `formulas.rs`, and the same value and gradient as the core interpreter reading
//! `formulas.rs` at every formula's point (so a typo in a spelled-out string fails here).

use symgrad_bench::{Interpreter, formulas, generated};

fn check(bench: &formulas::Bench, wrt: &[&str], grad: (f64, Vec<f64>)) {
    assert_eq!(wrt, bench.vars, "{}", bench.name);
    let (value, partials) = Interpreter::new(bench).grad(&bench.point);
    let tolerance = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0);
    assert!(
        tolerance(grad.0, value),
        "{}: {} vs {value}",
        bench.name,
        grad.0
    );
    for (i, (g, p)) in grad.1.iter().zip(&partials).enumerate() {
        assert!(
            tolerance(*g, *p),
            "{} ∂{}: {g} vs {p}",
            bench.name,
            bench.vars[i]
        );
    }
}

/// Checks `generated::NAME` (through `NAME_grad` and `NAME::WRT`) against `formulas::NAME()`.
macro_rules! check {
    ($name:ident, $grad:ident) => {{
        let bench = formulas::$name();
        let (value, grad) = generated::$grad(&bench.point_array());
        check(&bench, &generated::$name::WRT, (value, grad.to_vec()));
    }};
}

#[test]
fn generated_contenders_are_the_benchmark_formulas() {
    check!(neuron, neuron_grad);
    check!(net, net_grad);
    check!(logistic, logistic_grad);
    check!(neuron50, neuron50_grad);
    check!(deep, deep_grad);
    check!(huber, huber_grad);
    check!(elu_layer, elu_layer_grad);
}

//! What the fused gradient of the lecture's neuron costs (the cheap-gradient bound on every
//! benchmark formula is held by `bench/tests/ops.rs`).

use symgrad_core::{Gradient, count_ops};

fn ops(source: &str) -> (usize, usize) {
    let formula = symgrad_grammar::parse(source).expect("the formula parses");
    let grad = Gradient::all(&formula);
    (
        count_ops(grad.graph(), &[grad.value()]),
        count_ops(grad.graph(), &grad.roots()),
    )
}

#[test]
fn the_neuron_costs_5_forward_and_10_with_its_gradient() {
    // σ'(u) is one gate, where σ·(1-σ) was a subtraction and a product.
    assert_eq!(ops("1/(1+e^-(w0x0+w1x1+w2))"), (5, 10));
}

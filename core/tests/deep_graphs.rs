//! Rewriting is iterative over node ids: a chain far deeper than any stack would allow
//! for recursion is simplified and differentiated without overflow.

use symgrad_core::rewrite::RuleTable;
use symgrad_core::{Gradient, Graph, Node, Op, count_ops};

/// `1/(1+e^-(1/(1+e^-(…x…))))`, `depth` sigmoids deep, built directly on the graph (the
/// grammar limits nesting, the graph does not).
fn nested_sigmoids(depth: usize) -> (Graph, symgrad_core::NodeId) {
    let mut g = Graph::new();
    let mut v = g.var(0);
    let (one, minus_one) = (g.constant(1.0), g.constant(-1.0));
    for _ in 0..depth {
        let n = g.neg(v);
        let e = g.apply(Op::Exp, &[n]);
        let s = g.add(&[one, e]);
        v = g.pow(s, minus_one);
    }
    (g, v)
}

#[test]
fn a_chain_of_100_000_nodes_fuses_without_overflow() {
    // Four nodes a level: -v, e^-v, 1 + e^-v, (1 + e^-v)^-1.
    let depth = 25_000;
    let (g, root) = nested_sigmoids(depth);
    assert!(g.len() >= 100_000);
    let grad = Gradient::from_graph(g, root, vec!["x".into()], &[0], RuleTable::standard());
    let gates = grad
        .graph
        .ids()
        .filter(|&id| matches!(grad.graph.node(id), Node::Apply(Op::Sigmoid, _)))
        .count();
    assert_eq!(gates, depth);
    assert_eq!(count_ops(&grad.graph, &[grad.value]), depth);
    let (value, partials) = grad.evaluate(&[0.0]);
    assert!(value.is_finite() && partials[0].is_finite());
}

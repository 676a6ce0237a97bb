//! Rewriting is iterative over node ids: a chain far deeper than any stack would allow
//! for recursion is simplified and differentiated without overflow.

use symgrad_core::rewrite::{Pass, RuleTable, simplify};
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
    let grad = Gradient::from_graph_with(g, vec!["x".into()], root, &[0], RuleTable::standard());
    let gates = grad
        .graph()
        .ids()
        .filter(|&id| matches!(grad.graph().node(id), Node::Apply(Op::Sigmoid, _)))
        .count();
    assert_eq!(gates, depth);
    assert_eq!(count_ops(grad.graph(), &[grad.value()]), depth);
    let (value, partials) = grad.evaluate(&[0.0]);
    assert!(value.is_finite() && partials[0].is_finite());
}

#[test]
fn wide_sums_and_products_match_in_bounded_time() {
    // 20 000 exponentials in one sum and, with as many sigmoids, in one product: no
    // rule fires, and matching must not try every pairing of operands.
    let n = 20_000;
    let mut g = Graph::new();
    let x = g.var(0);
    let mut exps = Vec::new();
    let mut factors = Vec::new();
    for i in 1..=n {
        let c = g.constant(i as f64);
        let cx = g.mul(&[c, x]);
        let e = g.apply(Op::Exp, &[cx]);
        let s = g.apply(Op::Sigmoid, &[cx]);
        exps.push(e);
        factors.extend([e, s]);
    }
    let two = g.constant(2.0);
    exps.push(two);
    let sum = g.add(&exps);
    let product = g.mul(&factors);
    let root = g.add(&[sum, product]);
    let start = std::time::Instant::now();
    let out = simplify(&mut g, &[root], RuleTable::standard(), Pass::Forward);
    assert!(out.fired.is_empty(), "fired {:?}", out.fired);
    assert_eq!(out.roots, vec![root]);
    assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
}

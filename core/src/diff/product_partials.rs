//! The local partials of a product of many factors, all at once.
//!
//! `∂(a0·a1·…·an)/∂ai` is the product of every factor but `ai`. Built one by one, the n
//! partials hold n² operands: a product of 16 000 variables took 26 s and 5.6 GB, and one
//! of 65 536 would exhaust memory. Here the factors are paired into a balanced tree of
//! two-operand products, and each partial multiplies the siblings on its leaf's path to the
//! root: O(n log n) operands, with the graph only O(log n) levels deeper, so recursive
//! consumers (the printer) stay shallow. Dividing the product by `ai` would be cheaper but
//! gives NaN where `ai = 0`, where the true partial is finite.

use crate::ir::graph::{Graph, Node, NodeId};
use crate::ops::Op;

/// Products with more factors than this get their partials from the tree.
pub(crate) const WIDE: usize = 8;

/// `∂(args[0]·…·args[n-1])/∂args[i]` for every `i`.
pub(crate) fn product_partials(g: &mut Graph, args: &[NodeId]) -> Vec<NodeId> {
    // levels[k][j] is the product of the factors j·2^k .. (j+1)·2^k.
    let mut levels = vec![args.to_vec()];
    while let Some(level) = levels.last().filter(|l| l.len() > 1) {
        let pairs: Vec<Vec<NodeId>> = level.chunks(2).map(<[NodeId]>::to_vec).collect();
        let next = pairs
            .into_iter()
            .map(|pair| match pair[..] {
                [a, b] => pair_product(g, a, b),
                _ => pair[0],
            })
            .collect();
        levels.push(next);
    }
    let below_root = &levels[..levels.len() - 1];
    (0..args.len())
        .map(|i| {
            let siblings: Vec<NodeId> = below_root
                .iter()
                .enumerate()
                .filter_map(|(k, level)| level.get((i >> k) ^ 1).copied())
                .collect();
            g.mul(&siblings)
        })
        .collect()
}

/// `a·b` as one two-operand node, even when `a` or `b` is itself a product: flattening
/// would make every tree node as wide as the factors below it.
fn pair_product(g: &mut Graph, a: NodeId, b: NodeId) -> NodeId {
    let product_operand = |id| matches!(g.node(id), Node::Apply(Op::Mul, _));
    if !product_operand(a) && !product_operand(b) {
        return g.mul(&[a, b]);
    }
    let (first, second) = if a <= b { (a, b) } else { (b, a) };
    g.intern(Node::Apply(Op::Mul, &[first, second]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::evaluate;

    fn factors(g: &mut Graph, n: u32) -> Vec<NodeId> {
        (0..n).map(|i| g.var(i)).collect()
    }

    #[test]
    fn each_partial_is_the_product_of_the_other_factors() {
        for n in [2, 3, 9, 16, 17, 31] {
            let mut g = Graph::new();
            let args = factors(&mut g, n);
            let partials = product_partials(&mut g, &args);
            let point: Vec<f64> = (0..n).map(|i| 1.0 + f64::from(i) / 8.0).collect();
            let values = evaluate(&g, &partials, &point);
            for (i, v) in values.iter().enumerate() {
                let expected: f64 = (0..n as usize)
                    .filter(|&j| j != i)
                    .map(|j| point[j])
                    .product();
                assert!((v - expected).abs() <= 1e-12 * expected, "n={n} i={i}");
            }
        }
    }

    #[test]
    fn a_zero_factor_gives_finite_partials() {
        let mut g = Graph::new();
        let args = factors(&mut g, 12);
        let partials = product_partials(&mut g, &args);
        let mut point = vec![2.0; 12];
        point[5] = 0.0;
        let values = evaluate(&g, &partials, &point);
        assert_eq!(values[5], 2f64.powi(11));
        assert!(values.iter().enumerate().all(|(i, v)| i == 5 || *v == 0.0));
    }

    #[test]
    fn the_partials_of_a_wide_product_hold_n_log_n_operands() {
        let n = 1 << 12;
        let mut g = Graph::new();
        let args = factors(&mut g, n);
        let before = g.len();
        product_partials(&mut g, &args);
        let operands: usize = g.ids().skip(before).map(|id| g.node(id).args().len()).sum();
        let bound = 2 * (n as usize) * 13;
        assert!(operands <= bound, "{operands} operands for {n} factors");
    }
}

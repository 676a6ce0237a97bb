//! Sharing products before code generation. Reverse mode multiplies each adjoint by a local
//! partial and the DAG flattens products, so `∂/∂w0 = x0·t·(1-t)` does not reuse the node
//! `t·(1-t)` (the adjoint of the sum, itself `∂/∂w2`). Here a product whose operands are one
//! factor plus all the operands of another needed product becomes `factor · product`, so the
//! generated code computes `t·(1-t)` once: the neuron's fused gradient costs 11 operations.

use std::collections::HashMap;

use crate::codegen::schedule::needed;
use crate::graph::{Graph, Node, NodeId};
use crate::op::Op;

/// Longest product searched for a sub-product; each search costs the square of its
/// length, and long flat products come from formulas, not from adjoint chains.
const MAX_SEARCHED_FACTORS: usize = 16;

/// A copy of `g` with products shared, and the ids of `roots` in it.
pub(crate) fn share_products(g: &Graph, roots: &[NodeId]) -> (Graph, Vec<NodeId>) {
    let needed = needed(g, roots, &[]);
    let mut products: HashMap<&[NodeId], NodeId> = HashMap::new();
    for id in g.ids().take(needed.len()).filter(|id| needed[id.index()]) {
        if let Node::Apply(Op::Mul, args) = g.node(id) {
            products.entry(&args[..]).or_insert(id);
        }
    }
    let mut out = Graph::new();
    let mut map: Vec<NodeId> = Vec::with_capacity(needed.len());
    let mut rest = Vec::new();
    for id in g.ids().take(needed.len()) {
        let node = match g.node(id) {
            Node::Apply(op, args) => {
                let searched = (3..=MAX_SEARCHED_FACTORS).contains(&args.len());
                let shared = (*op == Op::Mul && searched && needed[id.index()])
                    .then(|| {
                        (0..args.len()).find_map(|k| {
                            rest.clear();
                            rest.extend(
                                args.iter()
                                    .enumerate()
                                    .filter(|(j, _)| *j != k)
                                    .map(|(_, a)| *a),
                            );
                            products
                                .get(&rest[..])
                                .filter(|p| **p < id)
                                .map(|&p| (args[k], p))
                        })
                    })
                    .flatten();
                match shared {
                    Some((factor, product)) => {
                        Node::Apply(Op::Mul, [map[factor.index()], map[product.index()]].into())
                    }
                    None => Node::Apply(*op, args.iter().map(|a| map[a.index()]).collect()),
                }
            }
            leaf => leaf.clone(),
        };
        map.push(out.intern(node));
    }
    let roots = roots.iter().map(|r| map[r.index()]).collect();
    (out, roots)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::evaluate;

    #[test]
    fn a_product_reuses_a_needed_sub_product() {
        let mut g = Graph::new();
        let (x, t, u) = (g.var(0), g.var(1), g.var(2));
        let tu = g.mul(&[t, u]);
        let xtu = g.mul(&[x, t, u]);
        let (shared, roots) = share_products(&g, &[tu, xtu]);
        assert_eq!(
            shared.node(roots[1]).args(),
            &[shared.node(roots[1]).args()[0], roots[0]]
        );
        let point = [2.0, 3.0, 5.0];
        assert_eq!(
            evaluate(&shared, &roots, &point),
            evaluate(&g, &[tu, xtu], &point)
        );
    }

    #[test]
    fn a_product_not_needed_is_not_introduced() {
        let mut g = Graph::new();
        let (x, t, u) = (g.var(0), g.var(1), g.var(2));
        let _unused = g.mul(&[t, u]);
        let xtu = g.mul(&[x, t, u]);
        let (shared, roots) = share_products(&g, &[xtu]);
        assert_eq!(shared.node(roots[0]).args().len(), 3);
    }
}

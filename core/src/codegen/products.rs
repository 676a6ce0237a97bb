//! Sharing products before code generation. Reverse mode multiplies each adjoint by a local
//! partial and the DAG flattens products, so `∂/∂w0 = x0·t·(1-t)` does not reuse the node
//! `t·(1-t)` (the adjoint of the sum, itself `∂/∂w2`). Here a product whose operands are one
//! factor plus all the operands of another needed product becomes `factor · product`, so the
//! generated code computes `t·(1-t)` once: the neuron's fused gradient costs 11 operations.

use crate::codegen::schedule::needed;
use crate::graph::{Graph, Node, NodeId};
use crate::op::Op;

/// Longest product searched for a sub-product, and most candidates looked at per operand.
/// Adjoint chains do make long products: along k weighted gates (`σ(w·h + b)`) the adjoint
/// is a flat product of about 3k factors, so 16 layers need more than 16 (issue 7's `deep`
/// benchmark: 818 operations at a limit of 16, 112 at 256). The limit bounds the search on
/// products of thousands of factors written in a formula.
const MAX_SEARCHED_FACTORS: usize = 256;
const MAX_CANDIDATES: usize = 64;

/// A copy of `g` with products shared, and the ids of `roots` in it.
pub(crate) fn share_products(g: &Graph, roots: &[NodeId]) -> (Graph, Vec<NodeId>) {
    let needed = needed(g, roots, &[]);
    // The needed products containing each operand, in id order.
    let mut containing: foldhash::HashMap<NodeId, Vec<NodeId>> = foldhash::HashMap::default();
    for id in g.ids().take(needed.len()).filter(|id| needed[id.index()]) {
        if let Node::Apply(Op::Mul, args) = g.node(id) {
            for &a in args.iter() {
                containing.entry(a).or_default().push(id);
            }
        }
    }
    let mut out = Graph::new();
    let mut map: Vec<NodeId> = Vec::with_capacity(needed.len());
    for id in g.ids().take(needed.len()) {
        let node = match g.node(id) {
            Node::Apply(Op::Mul, args)
                if needed[id.index()] && (3..=MAX_SEARCHED_FACTORS).contains(&args.len()) =>
            {
                match largest_sub_product(g, id, args, &containing) {
                    Some((product, rest)) => {
                        let mut operands: Vec<NodeId> =
                            rest.iter().map(|a| map[a.index()]).collect();
                        operands.push(map[product.index()]);
                        Node::Apply(Op::Mul, operands.into())
                    }
                    None => Node::Apply(Op::Mul, args.iter().map(|a| map[a.index()]).collect()),
                }
            }
            Node::Apply(op, args) => {
                Node::Apply(*op, args.iter().map(|a| map[a.index()]).collect())
            }
            leaf => leaf.clone(),
        };
        map.push(out.intern(node));
    }
    let roots = roots.iter().map(|r| map[r.index()]).collect();
    (out, roots)
}

/// The needed product built before `id` with the most of its operands `args` (at least two,
/// not all), and the operands left over.
fn largest_sub_product(
    g: &Graph,
    id: NodeId,
    args: &[NodeId],
    containing: &foldhash::HashMap<NodeId, Vec<NodeId>>,
) -> Option<(NodeId, Vec<NodeId>)> {
    let mut best: Option<(NodeId, Vec<NodeId>)> = None;
    let candidates = args
        .iter()
        .filter_map(|a| containing.get(a))
        .flat_map(|products| products.iter().take(MAX_CANDIDATES));
    for &p in candidates.filter(|&&p| p < id) {
        let inner = g.node(p).args();
        let better = best
            .as_ref()
            .is_none_or(|(b, _)| inner.len() > g.node(*b).args().len());
        if inner.len() >= args.len() || !better {
            continue;
        }
        if let Some(rest) = remove_all(args, inner) {
            best = Some((p, rest));
        }
    }
    best
}

/// `args` without the elements of `inner` (a sub-multiset of it, both in the same order),
/// or `None` when `inner` is not contained.
fn remove_all(args: &[NodeId], inner: &[NodeId]) -> Option<Vec<NodeId>> {
    let mut rest = Vec::with_capacity(args.len() - inner.len());
    let mut wanted = inner.iter().peekable();
    for &a in args {
        if wanted.peek() == Some(&&a) {
            wanted.next();
        } else {
            rest.push(a);
        }
    }
    wanted.peek().is_none().then_some(rest)
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
    fn the_largest_needed_sub_product_is_reused() {
        let mut g = Graph::new();
        let [a, b, c, d, e] = [0, 1, 2, 3, 4].map(|i| g.var(i));
        let cd = g.mul(&[c, d]);
        let bcd = g.mul(&[b, c, d]);
        let abcde = g.mul(&[a, b, c, d, e]);
        let (shared, roots) = share_products(&g, &[cd, bcd, abcde]);
        let operands = shared.node(roots[2]).args();
        assert_eq!(operands.len(), 3, "a · e · (b·c·d)");
        assert_eq!(operands[2], roots[1]);
        let point = [2.0, 3.0, 5.0, 7.0, 11.0];
        assert_eq!(
            evaluate(&shared, &roots, &point),
            evaluate(&g, &[cd, bcd, abcde], &point)
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

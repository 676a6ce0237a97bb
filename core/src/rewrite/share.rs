//! Shared sub-products. The graph flattens products, so reverse mode's
//! `adjoint · local` becomes `x0·σ·(1-σ)` next to `w0·σ·(1-σ)`, and the adjoint
//! `σ·(1-σ)` is multiplied out again in every partial. This step finds a pair of
//! factors that several products have in common, makes it one node `p = σ·(1-σ)`, and
//! writes those products with `p` (`x0·p`, `w0·p`), repeating while a pair is shared.
//! It runs last: the nested products it makes are not in flat canonical form, and
//! rebuilding through the graph's constructors would flatten them again.

use std::collections::HashMap;

use crate::graph::{Graph, Node, NodeId};
use crate::op::Op;

/// Rounds of pair extraction at most (each is one pass over the graph).
const MAX_ROUNDS: usize = 64;
/// Products with more factors are left alone: pairs grow quadratically with them.
const MAX_FACTORS: usize = 16;

/// `roots` after sharing common pairs of factors between products.
///
/// ```
/// use symgrad_core::rewrite::share_products;
/// use symgrad_core::{Graph, count_ops};
/// let mut g = Graph::new();
/// let (a, b, x, y) = (g.var(0), g.var(1), g.var(2), g.var(3));
/// let p = g.mul(&[a, b, x]);
/// let q = g.mul(&[a, b, y]);
/// assert_eq!(count_ops(&g, &[p, q]), 4);
/// let shared = share_products(&mut g, &[p, q]);
/// assert_eq!(count_ops(&g, &shared), 3); // a·b once, then ·x and ·y
/// ```
pub fn share_products(g: &mut Graph, roots: &[NodeId]) -> Vec<NodeId> {
    let mut roots = roots.to_vec();
    for _ in 0..MAX_ROUNDS {
        let Some((a, b)) = most_shared_pair(g, &roots) else {
            break;
        };
        roots = replace_pair(g, &roots, a, b);
    }
    roots
}

/// The pair of factors that the most products (at least two, one of them with a third
/// factor) have in common.
fn most_shared_pair(g: &Graph, roots: &[NodeId]) -> Option<(NodeId, NodeId)> {
    let needed = crate::rewrite::engine::reachable(g, roots);
    let mut count: HashMap<(NodeId, NodeId), (usize, bool)> = HashMap::new();
    for id in g.ids().take(needed.len()).filter(|id| needed[id.index()]) {
        let Node::Apply(Op::Mul, factors) = g.node(id) else {
            continue;
        };
        if factors.len() > MAX_FACTORS {
            continue;
        }
        let mut pairs: Vec<(NodeId, NodeId)> = Vec::new();
        for i in 0..factors.len() {
            for j in i + 1..factors.len() {
                let pair = (factors[i].min(factors[j]), factors[i].max(factors[j]));
                if !pairs.contains(&pair) {
                    pairs.push(pair);
                }
            }
        }
        for pair in pairs {
            let entry = count.entry(pair).or_insert((0, false));
            entry.0 += 1;
            entry.1 |= factors.len() > 2;
        }
    }
    count
        .into_iter()
        .filter(|(_, (n, in_longer))| *n >= 2 && *in_longer)
        .max_by_key(|(pair, (n, _))| (*n, std::cmp::Reverse(*pair)))
        .map(|(pair, _)| pair)
}

/// Rebuilds what `roots` need with every product containing `a` and `b` using the
/// node `a·b` instead.
fn replace_pair(g: &mut Graph, roots: &[NodeId], a: NodeId, b: NodeId) -> Vec<NodeId> {
    let pair = product(g, vec![a, b]);
    let needed = crate::rewrite::engine::reachable(g, roots);
    let mut new_id: Vec<Option<NodeId>> = vec![None; needed.len()];
    for id in g.ids().take(needed.len()) {
        if !needed[id.index()] {
            continue;
        }
        let Node::Apply(op, args) = g.node(id) else {
            new_id[id.index()] = Some(id);
            continue;
        };
        let op = *op;
        // Most nodes neither use the pair nor depend on a node that does: keep them as
        // they are, without rebuilding (re-hashing a sum of 10⁵ terms every round made
        // this pass dominate large formulas).
        let unchanged = args.iter().all(|x| new_id[x.index()] == Some(*x));
        let uses_pair = op == Op::Mul
            && position(args, a, None).is_some_and(|i| position(args, b, Some(i)).is_some());
        if unchanged && !uses_pair {
            new_id[id.index()] = Some(id);
            continue;
        }
        let mut args: Vec<NodeId> = args
            .iter()
            .map(|x| new_id[x.index()].expect("operands come before their users"))
            .collect();
        let rebuilt = if op == Op::Mul {
            // `a` and `b` come before the products using them, so they are unchanged.
            let i = position(&args, a, None);
            if let Some((i, j)) = i.and_then(|i| Some((i, position(&args, b, Some(i))?))) {
                args[i] = pair;
                args.remove(j);
            }
            product(g, args)
        } else {
            g.apply(op, &args)
        };
        new_id[id.index()] = Some(rebuilt);
    }
    roots
        .iter()
        .map(|r| new_id[r.index()].expect("roots are reachable"))
        .collect()
}

/// The first position of `x` in `args`, other than `skip`.
fn position(args: &[NodeId], x: NodeId, skip: Option<usize>) -> Option<usize> {
    (0..args.len()).find(|&i| args[i] == x && Some(i) != skip)
}

/// The product of `factors` as they are, in canonical order but not flattened, so a
/// shared sub-product stays one operand.
fn product(g: &mut Graph, mut factors: Vec<NodeId>) -> NodeId {
    if factors.len() == 1 {
        return factors[0];
    }
    factors.sort_by_key(|&f| (g.as_const(f).is_none(), f));
    g.intern(Node::Apply(Op::Mul, factors.into()))
}

//! Shared sub-products. The graph flattens products, so reverse mode's
//! `adjoint · local` becomes `x0·σ(u)·σ(-u)` next to `w0·σ(u)·σ(-u)`, and the adjoint
//! `σ(u)·σ(-u)` is multiplied out again in every partial. This step finds a pair of
//! factors that several products have in common, makes it one node `p = σ(u)·σ(-u)`, and
//! writes those products with `p` (`x0·p`, `w0·p`), repeating while a pair is shared.
//! It runs last: the nested products it makes are not in flat canonical form, and
//! rebuilding through the graph's constructors would flatten them again.

use crate::ir::graph::{Graph, Node, NodeId};
use crate::ops::Op;
use crate::share::pair_index::{Live, grow_to};

/// Rounds of pair extraction at most.
const MAX_ROUNDS: usize = 64;

/// `roots` after sharing common pairs of factors between products.
pub(crate) fn share_pairs(g: &mut Graph, roots: &[NodeId]) -> Vec<NodeId> {
    let mut roots = roots.to_vec();
    let mut live = Live::new(g, &roots);
    let mut marks = Marks::default();
    for _ in 0..MAX_ROUNDS {
        // The pair of factors that the most products (at least two, one of them with a
        // third factor) have in common.
        let Some((a, b)) = live.most_shared_pair() else {
            break;
        };
        let new_roots = replace_pair(g, &mut live, &mut marks, &roots, a, b);
        live.reroot(g, &roots, &new_roots);
        roots = new_roots;
    }
    roots
}

/// Rebuilds what `roots` need with every product containing `a` and `b` using the
/// node `a·b` instead. Only the products using the pair and the nodes depending on them
/// are visited, in id order, so the graph grows exactly as a pass over all nodes would
/// make it grow.
fn replace_pair(
    g: &mut Graph,
    live: &mut Live,
    marks: &mut Marks,
    roots: &[NodeId],
    a: NodeId,
    b: NodeId,
) -> Vec<NodeId> {
    let pair = product(g, vec![a, b]);
    live.grow(g);
    let mut new_id: foldhash::HashMap<NodeId, NodeId> = foldhash::HashMap::default();
    for id in affected(g, live, marks, a, b) {
        let Node::Apply(op, args) = g.node(id) else {
            continue;
        };
        let unchanged = args.iter().all(|x| !new_id.contains_key(x));
        let uses_pair = op == Op::Mul && uses(args, a, b);
        if unchanged && !uses_pair {
            continue;
        }
        let old_args = args.to_vec();
        let mut args: Vec<NodeId> = old_args
            .iter()
            .map(|x| new_id.get(x).copied().unwrap_or(*x))
            .collect();
        marks.next(g);
        marks.set_all(&old_args);
        marks.set_all(&args);
        let rebuilt = if op == Op::Mul {
            // `a` and `b` come before the products using them, so they are unchanged.
            let i = position(&args, a, None);
            if let Some((i, j)) = i.and_then(|i| Some((i, position(&args, b, Some(i))?))) {
                args[i] = pair;
                args.remove(j);
            }
            product(g, args)
        } else if let Some(sum) = (op == Op::Add)
            .then(|| g.add_replacing(&old_args, &args))
            .flatten()
        {
            sum
        } else {
            g.apply(op, &args)
        };
        if rebuilt != id {
            new_id.insert(id, rebuilt);
            let added: Vec<NodeId> = g
                .node(rebuilt)
                .args()
                .iter()
                .copied()
                .filter(|&y| !marks.is_set(y))
                .collect();
            live.rebuilt(g, id, rebuilt, &added);
        }
    }
    roots
        .iter()
        .map(|r| new_id.get(r).copied().unwrap_or(*r))
        .collect()
}

/// The reachable products using both `a` and `b`, and every reachable node depending on
/// one of them, in id order.
fn affected(g: &Graph, live: &mut Live, marks: &mut Marks, a: NodeId, b: NodeId) -> Vec<NodeId> {
    let (users_a, users_b) = (live.users(a), live.users(b));
    let candidates = if users_a.len() <= users_b.len() {
        users_a
    } else {
        users_b
    };
    marks.next(g);
    let mut stack: Vec<NodeId> = Vec::new();
    for id in candidates {
        if let Node::Apply(Op::Mul, args) = g.node(id)
            && uses(args, a, b)
            && !marks.is_set(id)
        {
            marks.set(id);
            stack.push(id);
        }
    }
    let mut found = Vec::new();
    while let Some(id) = stack.pop() {
        found.push(id);
        for user in live.users(id) {
            if !marks.is_set(user) {
                marks.set(user);
                stack.push(user);
            }
        }
    }
    found.sort_unstable();
    found
}

/// Whether `args` hold both `a` and `b` (twice `a` when they are equal).
fn uses(args: &[NodeId], a: NodeId, b: NodeId) -> bool {
    position(args, a, None).is_some_and(|i| position(args, b, Some(i)).is_some())
}

/// A set of nodes cleared in O(1): a node is in it when its mark is the current epoch.
#[derive(Debug, Default)]
struct Marks {
    mark: Vec<u32>,
    epoch: u32,
}

impl Marks {
    /// Empties the set, making room for every node of `g`.
    fn next(&mut self, g: &Graph) {
        grow_to(&mut self.mark, g.len(), 0);
        self.epoch += 1;
    }

    fn set(&mut self, id: NodeId) {
        self.mark[id.index()] = self.epoch;
    }

    fn set_all(&mut self, ids: &[NodeId]) {
        for &id in ids {
            self.set(id);
        }
    }

    fn is_set(&self, id: NodeId) -> bool {
        self.mark.get(id.index()) == Some(&self.epoch)
    }
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
    g.intern(Node::Apply(Op::Mul, &factors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::evaluate;

    /// Products sharing pairs at several levels: `a·b` in three products, one of them the
    /// operand of a sine that two further products use (so rebuilding reaches its users).
    fn layered(g: &mut Graph) -> Vec<NodeId> {
        let [a, b, c, d, e] = [0, 1, 2, 3, 4].map(|i| g.var(i));
        let abc = g.mul(&[a, b, c]);
        let abd = g.mul(&[a, b, d]);
        let s = g.apply(Op::Sin, &[abc]);
        let abs = g.mul(&[a, b, s, e]);
        let cds = g.mul(&[c, d, s]);
        let cde = g.mul(&[c, d, e]);
        let total = g.add(&[abd, abs, cds, cde]);
        vec![total, abc, cds]
    }

    #[test]
    fn a_pair_of_two_products_is_computed_once() {
        let mut g = Graph::new();
        let (a, b, x, y) = (g.var(0), g.var(1), g.var(2), g.var(3));
        let p = g.mul(&[a, b, x]);
        let q = g.mul(&[a, b, y]);
        assert_eq!(crate::count_ops(&g, &[p, q]), 4);
        let shared = share_pairs(&mut g, &[p, q]);
        assert_eq!(crate::count_ops(&g, &shared), 3, "a·b once, then ·x and ·y");
    }

    #[test]
    fn sharing_keeps_every_value_and_saves_operations() {
        let mut g = Graph::new();
        let roots = layered(&mut g);
        let before = crate::count_ops(&g, &roots);
        let shared = share_pairs(&mut g, &roots);
        let point = [0.5, -1.5, 2.0, 3.0, -0.25];
        assert_eq!(evaluate(&g, &shared, &point), evaluate(&g, &roots, &point));
        assert!(crate::count_ops(&g, &shared) < before);
    }

    #[test]
    fn a_shared_pair_becomes_one_operand_everywhere() {
        let mut g = Graph::new();
        let roots = layered(&mut g);
        let shared = share_pairs(&mut g, &roots);
        let [a, b] = [0, 1].map(|i| g.var(i));
        let ab = g.mul(&[a, b]);
        // No reachable product holds `a` and `b` side by side any more.
        let needed = g.reachable(&shared, &[]);
        for id in g.ids().take(needed.len()).filter(|id| needed[id.index()]) {
            if let Node::Apply(Op::Mul, args) = g.node(id) {
                assert!(id == ab || !uses(args, a, b), "{:?}", g.node(id));
            }
        }
    }
}

//! Which nodes a generated function computes, and which of them get a `let`: nodes used
//! more than once, function calls (costly), nodes the caller needs by name (a tape's
//! saved values), and any node whose inlined expression would nest too deeply. Every
//! other needed node is inlined at its single use; nodes no root needs are dropped.

use crate::ir::graph::{Graph, Node, NodeId};
use crate::ops::{Op, Operator, Rust};

/// Deepest chain of inlined operations before a `let` is forced, so that emitting an
/// expression never recurses more than this many levels, whatever the graph's depth.
const MAX_INLINE_DEPTH: u32 = 24;

/// The plan of one straight-line block computing some roots.
#[derive(Clone, Debug)]
pub(crate) struct Schedule {
    /// Nodes that get a `let`, in topological order.
    pub lets: Vec<NodeId>,
}

/// Plans the block computing `roots`. `given` nodes are already available by name (the
/// caller's parameters or a tape's fields): the block does not compute them or their
/// operands. `keep` nodes must get a `let` when the block computes them.
pub(crate) fn schedule(g: &Graph, roots: &[NodeId], given: &[NodeId], keep: &[NodeId]) -> Schedule {
    let n = roots
        .iter()
        .chain(given)
        .chain(keep)
        .max()
        .map_or(0, |m| m.index() + 1);
    let mut is_given = vec![false; n];
    for id in given {
        is_given[id.index()] = true;
    }
    let mut uses = g.use_counts(roots, given);
    uses.resize(n, 0);
    let mut kept = vec![false; n];
    for id in keep {
        kept[id.index()] = true;
    }
    let mut depth = vec![0u32; n];
    let mut lets = Vec::new();
    for id in g.ids().take(n) {
        let i = id.index();
        let Node::Apply(op, args) = g.node(id) else {
            continue;
        };
        if uses[i] == 0 || is_given[i] {
            continue;
        }
        depth[i] = 1 + args.iter().map(|a| depth[a.index()]).max().unwrap_or(0);
        if kept[i] || uses[i] > 1 || is_costly(*op, args, g) || depth[i] > MAX_INLINE_DEPTH {
            depth[i] = 0;
            lets.push(id);
        }
    }
    Schedule { lets }
}

/// A function call worth a name of its own; arithmetic and integer powers inline.
fn is_costly(op: Op, args: &[NodeId], g: &Graph) -> bool {
    match op.rust() {
        Rust::Operator(Operator::Sum | Operator::Product) => false,
        Rust::Operator(Operator::Power) => g.as_const(args[1]).is_none(),
        Rust::Method(_) | Rust::Gate(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_and_costly_nodes_get_a_let_cheap_single_uses_inline() {
        let mut g = Graph::new();
        let (x, y) = (g.var(0), g.var(1));
        let s = g.add(&[x, y]);
        let e = g.apply(Op::Exp, &[s]);
        let p = g.mul(&[e, e]);
        let plan = schedule(&g, &[p], &[], &[]);
        assert_eq!(plan.lets, vec![e], "the sum is used once, the exp twice");
    }

    #[test]
    fn dead_nodes_are_dropped() {
        let mut g = Graph::new();
        let x = g.var(0);
        let dead = g.apply(Op::Sin, &[x]);
        let live = g.apply(Op::Cos, &[x]);
        let plan = schedule(&g, &[live], &[], &[]);
        assert_eq!(plan.lets, vec![live]);
        assert!(!g.reachable(&[live], &[])[dead.index()]);
    }

    #[test]
    fn deep_chains_of_arithmetic_are_cut_by_lets() {
        let mut g = Graph::new();
        let mut acc = g.var(0);
        for k in 1..100 {
            let v = g.var(k);
            let s = g.add(&[acc, v]);
            acc = g.mul(&[s, v]);
        }
        let plan = schedule(&g, &[acc], &[], &[]);
        assert!(plan.lets.len() >= 198 / (MAX_INLINE_DEPTH as usize + 1));
    }

    #[test]
    fn given_nodes_are_not_computed_nor_their_operands() {
        let mut g = Graph::new();
        let x = g.var(0);
        let e = g.apply(Op::Exp, &[x]);
        let s = g.apply(Op::Sin, &[e]);
        let plan = schedule(&g, &[s], &[e], &[]);
        assert_eq!(plan.lets, vec![s]);
        assert!(g.reachable(&[s], &[e])[e.index()]);
        assert!(!g.reachable(&[s], &[e])[x.index()]);
    }
}

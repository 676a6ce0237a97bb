//! Which nodes a generated function computes, and which of them get a `let`: nodes used
//! more than once, function calls (costly), nodes the caller needs by name (a tape's
//! saved values), and any node whose inlined expression would nest too deeply. Every
//! other needed node is inlined at its single use; nodes no root needs are dropped. The
//! nodes only a select's branch needs are computed in that branch ([`schedule`]).

use crate::ir::graph::{Graph, Node, NodeId};
use crate::notation::surface::condition_operands;
use crate::ops::{Op, Operator, Rust};

/// Deepest chain of inlined operations before a `let` is forced, so that emitting an
/// expression never recurses more than this many levels, whatever the graph's depth.
const MAX_INLINE_DEPTH: u32 = 24;

/// The plan of one block computing some roots.
#[derive(Clone, Debug)]
pub(crate) struct Schedule {
    /// Nodes that get a `let`, in topological order.
    pub lets: Vec<NodeId>,
    /// Nodes that get a `let` inside a branch of a select (SPEC §7), at any depth, in no
    /// particular order: the generated code names them too.
    pub branch_lets: Vec<NodeId>,
}

/// Plans the block computing `roots`. `given` nodes are already available by name (the
/// caller's parameters or a tape's fields): the block does not compute them or their
/// operands. `keep` nodes must get a `let` when the block computes them.
///
/// A select's branches are blocks of their own, inside its `if` and `else` (planned again
/// by the emitter with [`schedule`], given what is named where it writes the select): the
/// nodes only a branch needs are computed there, so the branch not taken costs nothing
/// and its NaNs never happen. The block computes a select's condition (the operands of
/// its comparisons), not its branches. A `keep` node that some root needs is computed by
/// the block itself even when only a branch uses it, so that it always has a value.
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
    let mut kept = vec![false; n];
    for id in keep {
        kept[id.index()] = true;
    }
    let uses = scope_uses(g, roots, &is_given, keep, n);
    let mut depth = vec![0u32; n];
    let mut lets = Vec::new();
    let mut selects = Vec::new();
    for id in g.ids().take(n) {
        let i = id.index();
        let Node::Apply(op, args) = g.node(id) else {
            continue;
        };
        if uses[i] == 0 || is_given[i] {
            continue;
        }
        if op == Op::Select {
            selects.push(id);
        }
        let operands = top_level_operands(g, id);
        depth[i] = 1 + operands.iter().map(|a| depth[a.index()]).max().unwrap_or(0);
        if kept[i] || uses[i] > 1 || is_costly(op, args, g) || depth[i] > MAX_INLINE_DEPTH {
            depth[i] = 0;
            lets.push(id);
        }
    }
    let mut branch_lets = Vec::new();
    for select in selects {
        let mut named: Vec<NodeId> = given.to_vec();
        named.extend(lets.iter().copied().filter(|&l| l < select));
        for &branch in &g.node(select).args()[1..] {
            let plan = branch_schedule(g, branch, &named);
            branch_lets.extend(plan.lets);
            branch_lets.extend(plan.branch_lets);
        }
    }
    Schedule { lets, branch_lets }
}

/// The plan of a select's branch `branch`, where `named` nodes have names: as
/// [`schedule`]'s, except that the branch's value is never a `let` of its own (it is the
/// block's last expression).
pub(crate) fn branch_schedule(g: &Graph, branch: NodeId, named: &[NodeId]) -> Schedule {
    let mut plan = schedule(g, &[branch], named, &[]);
    plan.lets.retain(|&id| id != branch);
    plan
}

/// How often the block uses each node: as [`Graph::use_counts`], except that a select
/// uses the operands of its condition's comparisons and not its branches, and that `keep`
/// nodes any root needs (through branches too) are roots.
fn scope_uses(
    g: &Graph,
    roots: &[NodeId],
    is_given: &[bool],
    keep: &[NodeId],
    n: usize,
) -> Vec<u32> {
    let mut uses = vec![0u32; n];
    for r in roots {
        uses[r.index()] += 1;
    }
    if !keep.is_empty() {
        let given: Vec<NodeId> = g.ids().take(n).filter(|id| is_given[id.index()]).collect();
        let reached = g.reachable(roots, &given);
        for k in keep
            .iter()
            .filter(|k| reached.get(k.index()) == Some(&true))
        {
            uses[k.index()] = uses[k.index()].max(1);
        }
    }
    for id in g.ids().take(n).rev() {
        if uses[id.index()] == 0 || is_given[id.index()] {
            continue;
        }
        for a in top_level_operands(g, id) {
            uses[a.index()] += 1;
        }
    }
    uses
}

/// What a node's code reads where the node is written: a select's condition operands, not
/// its branches (each a block of its own); every operand of the rest.
pub(crate) fn top_level_operands(g: &Graph, id: NodeId) -> Vec<NodeId> {
    match g.node(id) {
        Node::Apply(Op::Select, args) => condition_operands(g, args[0]),
        node => node.args().to_vec(),
    }
}

/// A function call worth a name of its own; arithmetic and integer powers inline.
fn is_costly(op: Op, args: &[NodeId], g: &Graph) -> bool {
    match op.rust() {
        Rust::Operator(Operator::Sum | Operator::Product) => false,
        Rust::Operator(Operator::Power) => g.as_const(args[1]).is_none(),
        Rust::Method(_) | Rust::Gate(_) => true,
        // Written where it is used: each branch is a block of its own.
        Rust::Branch => false,
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

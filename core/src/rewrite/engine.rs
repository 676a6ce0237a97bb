//! Rewriting to a fixed point. The graph is append-only, so a pass rebuilds the part
//! reachable from the roots bottom-up (old id → new id), trying the rules at each
//! rebuilt node until none fires; passes repeat until one fires nothing. Every loop
//! runs over node ids, never recursing over the graph's depth.

use crate::graph::{Graph, Node, NodeId};
use crate::rewrite::table::{Pass, RuleTable};

/// Passes over the whole graph before giving up on a fixed point.
const MAX_PASSES: usize = 16;
/// Rewrites of one node within a pass before moving on.
const MAX_REWRITES_PER_NODE: usize = 16;

/// The roots after rewriting, and every rule that fired, in firing order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Simplified {
    pub roots: Vec<NodeId>,
    pub fired: Vec<&'static str>,
}

/// Rewrites `roots` of `g` with the rules of `table` that run in `pass`.
///
/// ```
/// use symgrad_core::rewrite::{Pass, RuleTable, simplify};
/// use symgrad_core::{Graph, Op, to_math};
/// let mut g = Graph::new();
/// let x = g.var(0);
/// let e = g.apply(Op::Exp, &[x]);
/// let one = g.constant(1.0);
/// let s = g.add(&[one, e]);
/// let f = g.apply(Op::Ln, &[s]);
/// let out = simplify(&mut g, &[f], RuleTable::standard(), Pass::Forward);
/// assert_eq!(to_math(&g, &["x".to_string()], out.roots[0]), "softplus(x)");
/// assert_eq!(out.fired, vec!["softplus"]);
/// ```
pub fn simplify(g: &mut Graph, roots: &[NodeId], table: &RuleTable, pass: Pass) -> Simplified {
    let mut roots = roots.to_vec();
    let mut fired = Vec::new();
    for _ in 0..MAX_PASSES {
        let before = fired.len();
        roots = rebuild(g, &roots, table, pass, &mut fired);
        if fired.len() == before {
            break;
        }
    }
    Simplified { roots, fired }
}

/// One bottom-up pass.
fn rebuild(
    g: &mut Graph,
    roots: &[NodeId],
    table: &RuleTable,
    pass: Pass,
    fired: &mut Vec<&'static str>,
) -> Vec<NodeId> {
    let needed = reachable(g, roots);
    let mut new_id: Vec<Option<NodeId>> = vec![None; needed.len()];
    for id in g.ids().take(needed.len()) {
        if !needed[id.index()] {
            continue;
        }
        let mut node = match g.node(id).clone() {
            Node::Apply(op, args) => {
                let args: Vec<NodeId> = args
                    .iter()
                    .map(|a| new_id[a.index()].expect("operands come before their users"))
                    .collect();
                g.apply(op, &args)
            }
            _ => id,
        };
        for _ in 0..MAX_REWRITES_PER_NODE {
            let Some((rule, replacement)) = table.rewrite(g, node, pass) else {
                break;
            };
            fired.push(rule);
            node = replacement;
        }
        new_id[id.index()] = Some(node);
    }
    roots
        .iter()
        .map(|r| new_id[r.index()].expect("roots are reachable"))
        .collect()
}

/// Which nodes up to the last root the roots depend on.
pub(crate) fn reachable(g: &Graph, roots: &[NodeId]) -> Vec<bool> {
    let Some(last) = roots.iter().max() else {
        return Vec::new();
    };
    let mut needed = vec![false; last.index() + 1];
    for r in roots {
        needed[r.index()] = true;
    }
    for id in g.ids().take(needed.len()).rev() {
        if needed[id.index()] {
            for a in g.node(id).args() {
                needed[a.index()] = true;
            }
        }
    }
    needed
}

/// A new graph holding only what `roots` need, in the same order, and the roots in it:
/// rewriting leaves unreachable nodes behind, which later stages need not see.
pub fn compact(g: &Graph, roots: &[NodeId]) -> (Graph, Vec<NodeId>) {
    let needed = reachable(g, roots);
    let mut out = Graph::new();
    let mut new_id: Vec<Option<NodeId>> = vec![None; needed.len()];
    for id in g.ids().take(needed.len()) {
        if !needed[id.index()] {
            continue;
        }
        let node = match g.node(id) {
            Node::Apply(op, args) => Node::Apply(
                *op,
                args.iter()
                    .map(|a| new_id[a.index()].expect("operands come before their users"))
                    .collect(),
            ),
            leaf => leaf.clone(),
        };
        new_id[id.index()] = Some(out.intern(node));
    }
    let roots = roots
        .iter()
        .map(|r| new_id[r.index()].expect("roots are reachable"))
        .collect();
    (out, roots)
}

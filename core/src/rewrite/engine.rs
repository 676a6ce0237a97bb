//! Rewriting to a fixed point. The graph is append-only, so a pass rebuilds the part
//! reachable from the roots bottom-up (old id → new id), trying the rules at each
//! rebuilt node until none fires; passes repeat until one fires nothing. Every loop
//! runs over node ids, never recursing over the graph's depth.

use crate::ir::graph::{Graph, Node, NodeId};
use crate::ops::Op;
use crate::rewrite::table::{Pass, RuleTable};

/// Passes over the whole graph before giving up on a fixed point.
const MAX_PASSES: usize = 16;
/// Rewrites of one node within a pass before moving on.
const MAX_REWRITES_PER_NODE: usize = 16;

/// The roots after rewriting, and every rule that fired, in firing order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Simplified {
    /// The rewritten roots, in the order given.
    pub roots: Vec<NodeId>,
    /// The names of the rules that fired, once per firing.
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
    simplify_settled(g, roots, table, pass, &mut Settled::default())
}

/// Nodes known to be in normal form: rebuilding one gives the node itself (the
/// constructors are idempotent on their own output) and no rule fires on it. Ids never
/// change meaning in the append-only graph, so this stays true; later passes skip such a
/// node when its operands are unchanged, instead of re-interning it (a 10⁵-term sum is
/// hashed and compared in full) and trying every rule again.
#[derive(Clone, Debug, Default)]
pub(crate) struct Settled {
    normal: Vec<bool>,
    /// The pass the nodes are normal under. Normal under [`Pass::Forward`] (every rule)
    /// implies normal under [`Pass::Gradient`] (every rule but the forward-only ones),
    /// not the other way round.
    pass: Option<Pass>,
}

impl Settled {
    fn is_normal(&self, id: NodeId) -> bool {
        self.normal.get(id.index()) == Some(&true)
    }

    fn mark(&mut self, id: NodeId) {
        if self.normal.len() <= id.index() {
            self.normal.resize(id.index() + 1, false);
        }
        self.normal[id.index()] = true;
    }

    /// Keeps what is known only if it holds under `pass`.
    fn enter(&mut self, pass: Pass) {
        if self.pass == Some(Pass::Gradient) && pass == Pass::Forward {
            self.normal.clear();
        }
        self.pass = Some(pass);
    }
}

/// [`simplify`], remembering in `settled` which nodes are in normal form, across calls
/// with the same `table` (the forward pass's knowledge serves the gradient pass).
pub(crate) fn simplify_settled(
    g: &mut Graph,
    roots: &[NodeId],
    table: &RuleTable,
    pass: Pass,
    settled: &mut Settled,
) -> Simplified {
    settled.enter(pass);
    let mut roots = roots.to_vec();
    let mut fired = Vec::new();
    for _ in 0..MAX_PASSES {
        let before = fired.len();
        roots = rebuild(g, &roots, table, pass, &mut fired, settled);
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
    settled: &mut Settled,
) -> Vec<NodeId> {
    let needed = g.reachable(roots, &[]);
    let mut new_id: Vec<Option<NodeId>> = vec![None; needed.len()];
    for id in g.ids().take(needed.len()) {
        if !needed[id.index()] {
            continue;
        }
        let unchanged = |a: &NodeId| new_id[a.index()] == Some(*a);
        if settled.is_normal(id) && g.node(id).args().iter().all(unchanged) {
            new_id[id.index()] = Some(id);
            continue;
        }
        // Rebuilding gives the node itself when its operands are unchanged and its
        // operation's constructor is idempotent on every node in the graph: all but sums,
        // products and logsumexp (products are interned unflattened, and sums gained nothing
        // measurable) and select (whose constructor looks past its operands). Interning it
        // again to find that out was most of a pass that rewrites nothing, so it is kept as
        // it is, without even a copy of its operands.
        let rebuild = match g.node(id) {
            Node::Apply(op, args)
                if op.is_variadic() || op == Op::Select || !args.iter().all(unchanged) =>
            {
                let args: Vec<NodeId> = args
                    .iter()
                    .map(|a| new_id[a.index()].expect("operands come before their users"))
                    .collect();
                Some((op, args))
            }
            _ => None,
        };
        let mut node = match rebuild {
            Some((op, args)) => g.apply(op, &args),
            None => {
                #[cfg(debug_assertions)]
                if let Node::Apply(op, args) = g.node(id) {
                    let args = args.to_vec();
                    assert_eq!(g.apply(op, &args), id, "{op:?} is rebuilt as itself");
                }
                id
            }
        };
        let mut normal = false;
        for _ in 0..MAX_REWRITES_PER_NODE {
            let Some((rule, replacement)) = table.rewrite(g, node, pass) else {
                normal = true;
                break;
            };
            fired.push(rule);
            node = replacement;
        }
        if normal {
            settled.mark(node);
        }
        new_id[id.index()] = Some(node);
    }
    roots
        .iter()
        .map(|r| new_id[r.index()].expect("roots are reachable"))
        .collect()
}

/// A new graph holding only what `roots` need, in the same order, and the roots in it:
/// rewriting leaves unreachable nodes behind, which later stages need not see.
pub fn compact(g: &Graph, roots: &[NodeId]) -> (Graph, Vec<NodeId>) {
    let needed = g.reachable(roots, &[]);
    let mut out = Graph::with_capacity(needed.iter().filter(|&&n| n).count());
    let mut new_id: Vec<Option<NodeId>> = vec![None; needed.len()];
    let mut operands = Vec::new();
    for id in g.ids().take(needed.len()) {
        if !needed[id.index()] {
            continue;
        }
        let node = match g.node(id) {
            Node::Apply(op, args) => {
                operands.clear();
                operands.extend(
                    args.iter()
                        .map(|a| new_id[a.index()].expect("operands come before their users")),
                );
                Node::Apply(op, &operands[..])
            }
            leaf => leaf,
        };
        // Distinct: `g`'s nodes are, and distinct operands map to distinct ids.
        new_id[id.index()] = Some(out.push_distinct(node));
    }
    let roots = roots
        .iter()
        .map(|r| new_id[r.index()].expect("roots are reachable"))
        .collect();
    (out, roots)
}

//! Counting arithmetic operations and function calls, each shared node once.
//!
//! This counts on the DAG: an n-ary sum or product is n-1 operations, every other
//! operation (a gate included) is one, and a negation `(-1)·x` used only as a term of
//! sums that also have a term which is not negated costs nothing: it is the subtraction
//! `a - x` (`1 - σ` is one operation, as code generation writes it). Code generation
//! prints `a·b^-1` as `a / b`, so its own count can be lower still; see `codegen`.

use crate::graph::{Graph, Node, NodeId};
use crate::op::Op;

/// Operations needed to compute all `roots`, shared nodes counted once.
///
/// ```
/// use symgrad_core::{Graph, Op, count_ops};
/// let mut g = Graph::new();
/// let x = g.var(0);
/// let s = g.apply(Op::Sigmoid, &[x]);
/// let one = g.constant(1.0);
/// let ns = g.neg(s);
/// let d = g.add(&[one, ns]);
/// assert_eq!(count_ops(&g, &[d]), 2); // σ(x), then 1 - σ(x)
/// ```
pub fn count_ops(g: &Graph, roots: &[NodeId]) -> usize {
    let Some(last) = roots.iter().max() else {
        return 0;
    };
    let mut needed = vec![false; last.index() + 1];
    for r in roots {
        needed[r.index()] = true;
    }
    let mut total = 0;
    for id in g.ids().take(needed.len()).rev() {
        if !needed[id.index()] {
            continue;
        }
        let args = g.node(id).args();
        if !args.is_empty() {
            total += args.len().saturating_sub(1).max(1);
        }
        for a in args {
            needed[a.index()] = true;
        }
    }
    total - subtracted_negations(g, roots, &needed)
}

/// Needed negations `(-1)·x` whose every use is as a subtrahend.
fn subtracted_negations(g: &Graph, roots: &[NodeId], needed: &[bool]) -> usize {
    let is_negation = |id: NodeId| match g.node(id) {
        Node::Apply(Op::Mul, args) => args.len() == 2 && g.is_const(args[0], -1.0),
        _ => false,
    };
    // Per node: used as a subtrahend, used in any other way.
    let mut subtracted = vec![false; needed.len()];
    let mut other_use = vec![false; needed.len()];
    for r in roots {
        other_use[r.index()] = true;
    }
    for id in g.ids().take(needed.len()).filter(|id| needed[id.index()]) {
        let args = g.node(id).args();
        let is_difference =
            g.node(id).op() == Some(Op::Add) && args.iter().any(|&a| !is_negation(a));
        for &a in args {
            if is_difference && is_negation(a) {
                subtracted[a.index()] = true;
            } else {
                other_use[a.index()] = true;
            }
        }
    }
    (0..needed.len())
        .filter(|&i| needed[i] && subtracted[i] && !other_use[i])
        .count()
}

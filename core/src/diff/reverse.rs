//! Reverse-mode accumulation on the DAG: adjoints flow from the output in reverse
//! topological order, and the gradient nodes are added to the same graph, so they share
//! every forward sub-expression they use.

use crate::diff::partials::LocalPartials;
use crate::ir::graph::{Graph, Node, NodeId};

/// Adds `∂output/∂var` for each variable index in `wrt` to `g` and returns those nodes,
/// in `wrt` order. A variable the output does not depend on gets the constant `0`.
///
/// ```
/// use symgrad_core::{evaluate, reverse_mode, Graph};
/// let mut g = Graph::new();
/// let (x, y) = (g.var(0), g.var(1));
/// let f = g.mul(&[x, y]);
/// let grad = reverse_mode(&mut g, f, &[0, 1]);
/// assert_eq!(evaluate(&g, &grad, &[3.0, 4.0]), vec![4.0, 3.0]);
/// ```
pub fn reverse_mode(g: &mut Graph, output: NodeId, wrt: &[u32]) -> Vec<NodeId> {
    let n = output.index() + 1;
    let active = active_nodes(g, output, wrt);
    // Contributions to each node's adjoint; summed once all its users are done, which
    // reverse topological order guarantees.
    let mut contributions: Vec<Vec<NodeId>> = vec![Vec::new(); n];
    let mut adjoint_of_var: Vec<Option<NodeId>> = vec![None; wrt.len()];
    let slots = wrt_slots(wrt);
    let one = g.constant(1.0);
    contributions[output.index()].push(one);

    for id in g.ids().take(n).rev() {
        if !active[id.index()] || contributions[id.index()].is_empty() {
            continue;
        }
        let terms = std::mem::take(&mut contributions[id.index()]);
        let adjoint = g.add(&terms);
        match g.node(id).clone() {
            Node::Var(v) => {
                for &slot in slots.get(v as usize).map_or(&[][..], Vec::as_slice) {
                    adjoint_of_var[slot] = Some(adjoint);
                }
            }
            Node::Apply(op, args) => {
                if op.is_piecewise_constant() {
                    continue;
                }
                let partials = LocalPartials::new(g, op, &args, id);
                for (i, &arg) in args.iter().enumerate() {
                    if !active[arg.index()] {
                        continue;
                    }
                    let local = partials.get(g, i);
                    if g.is_const(local, 0.0) {
                        continue;
                    }
                    let c = g.mul(&[adjoint, local]);
                    contributions[arg.index()].push(c);
                }
            }
            Node::Const(_) => {}
        }
    }
    adjoint_of_var
        .into_iter()
        .map(|a| a.unwrap_or_else(|| g.constant(0.0)))
        .collect()
}

/// Nodes up to `output` that depend on a variable in `wrt`.
fn active_nodes(g: &Graph, output: NodeId, wrt: &[u32]) -> Vec<bool> {
    let slots = wrt_slots(wrt);
    let mut active = vec![false; output.index() + 1];
    for id in g.ids().take(output.index() + 1) {
        active[id.index()] = match g.node(id) {
            Node::Var(v) => slots.get(*v as usize).is_some_and(|s| !s.is_empty()),
            Node::Const(_) => false,
            Node::Apply(op, args) => {
                !op.is_piecewise_constant() && args.iter().any(|a| active[a.index()])
            }
        };
    }
    active
}

/// For each variable index, the positions in `wrt` that name it: a lookup in O(1) instead
/// of a scan of `wrt` per variable, which made formulas with many variables quadratic.
fn wrt_slots(wrt: &[u32]) -> Vec<Vec<usize>> {
    let len = wrt.iter().max().map_or(0, |&m| m as usize + 1);
    let mut slots = vec![Vec::new(); len];
    for (slot, &v) in wrt.iter().enumerate() {
        slots[v as usize].push(slot);
    }
    slots
}

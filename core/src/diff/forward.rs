//! Forward-mode (tangent) accumulation on the DAG: each node's tangent is the sum of its
//! local partials times its operands' tangents, in topological order, so every output's
//! directional derivative `J·v` comes from one pass whose size is O(size of the DAG),
//! however many outputs there are. The local partials are the op table's, as in reverse
//! mode ([`LocalPartials`]); a select's tangent is the select of its branches' tangents.

use crate::diff::partials::LocalPartials;
use crate::ir::graph::{Graph, Node, NodeId};
use crate::ops::Op;
use smallvec::SmallVec;

/// Adds the tangent of each of `outputs` along the direction whose component for
/// `wrt[j]` is the variable `first_direction + j`, and returns those nodes (`0` for an
/// output that depends on no `wrt` variable).
///
/// ```
/// use symgrad_core::{evaluate, forward_mode, Graph};
/// let mut g = Graph::new();
/// let (x, y) = (g.var(0), g.var(1));
/// let f = g.mul(&[x, y]);
/// let g2 = g.add(&[x, y]);
/// // d(xy) = y·v0 + x·v1, d(x + y) = v0 + v1 with (v0, v1) the variables 2 and 3.
/// let jv = forward_mode(&mut g, &[f, g2], &[0, 1], 2);
/// assert_eq!(evaluate(&g, &jv, &[3.0, 4.0, 1.0, -1.0]), vec![1.0, 0.0]);
/// ```
pub fn forward_mode(
    g: &mut Graph,
    outputs: &[NodeId],
    wrt: &[u32],
    first_direction: u32,
) -> Vec<NodeId> {
    let n = outputs.iter().map(|o| o.index() + 1).max().unwrap_or(0);
    // `None`: the tangent is 0, so no node is made for it.
    let mut tangent: Vec<Option<NodeId>> = vec![None; n];
    for id in g.ids().take(n) {
        // The operands, copied out of the graph the arms add to.
        let args: SmallVec<[NodeId; 4]> = SmallVec::from_slice(g.node(id).args());
        tangent[id.index()] = match g.node(id) {
            Node::Const(_) => None,
            Node::Var(v) => {
                let directions: Vec<NodeId> = (first_direction..)
                    .zip(wrt)
                    .filter(|&(_, &w)| w == v)
                    .map(|(d, _)| g.var(d))
                    .collect();
                (!directions.is_empty()).then(|| g.add(&directions))
            }
            Node::Apply(Op::Select, _) => {
                let (then, otherwise) = (tangent[args[1].index()], tangent[args[2].index()]);
                if then.is_none() && otherwise.is_none() {
                    None
                } else {
                    let zero = g.constant(0.0);
                    let branches = [args[0], then.unwrap_or(zero), otherwise.unwrap_or(zero)];
                    Some(g.apply(Op::Select, &branches))
                }
            }
            Node::Apply(op, _) => {
                let live = args.iter().any(|a| tangent[a.index()].is_some());
                if op.is_piecewise_constant() || !live {
                    None
                } else {
                    let partials = LocalPartials::new(g, op, &args, id);
                    let mut terms = Vec::new();
                    for (i, arg) in args.iter().enumerate() {
                        let Some(t) = tangent[arg.index()] else {
                            continue;
                        };
                        let local = partials.get(g, i);
                        if !g.is_const(local, 0.0) {
                            terms.push(g.mul(&[local, t]));
                        }
                    }
                    (!terms.is_empty()).then(|| g.add(&terms))
                }
            }
        };
    }
    outputs
        .iter()
        .map(|o| tangent[o.index()].unwrap_or_else(|| g.constant(0.0)))
        .collect()
}

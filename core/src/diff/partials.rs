//! The local partials of one node, as reverse mode and the lecture's graph ask for them:
//! from the op table ([`Op::partial`]), except for a product of more than
//! [`WIDE`] factors, whose partials are built all at once
//! ([`product_partials`]) because one by one they would hold n² operands.

use crate::diff::product_partials::{WIDE, product_partials};
use crate::ir::graph::{Graph, NodeId};
use crate::ops::Op;

/// The local partials `∂out/∂args[i]` of the node `out = op(args…)`.
#[derive(Debug)]
pub(crate) struct LocalPartials<'a> {
    op: Op,
    args: &'a [NodeId],
    out: NodeId,
    /// Every partial, when they are built at once.
    shared: Option<Vec<NodeId>>,
}

impl<'a> LocalPartials<'a> {
    /// Builds in `g` the partials that are built at once; the others wait for
    /// [`LocalPartials::get`], so an operand that needs none costs no node.
    pub(crate) fn new(g: &mut Graph, op: Op, args: &'a [NodeId], out: NodeId) -> Self {
        let shared = (op == Op::Mul && args.len() > WIDE).then(|| product_partials(g, args));
        LocalPartials {
            op,
            args,
            out,
            shared,
        }
    }

    /// `∂out/∂args[i]`, built in `g` unless it already was.
    pub(crate) fn get(&self, g: &mut Graph, i: usize) -> NodeId {
        match &self.shared {
            Some(locals) => locals[i],
            None => self.op.partial(g, self.args, self.out, i),
        }
    }
}

/// The operations a formula can name that have a kink: one of their local partials jumps,
/// because it is built from a piecewise-constant operation (`abs`'s is `sign`, `relu`'s a
/// `>` router). At a kink the derivative is a documented subgradient, which central
/// differences cannot see. The slope gates (`elu'`, `huber'`) are left out: no formula
/// names them, and their kinks are their functions' (`elu`'s second derivative jumps at 0).
///
/// ```
/// use symgrad_core::{Op, kinked_ops};
/// assert!(kinked_ops().contains(&Op::Relu) && !kinked_ops().contains(&Op::Exp));
/// ```
pub fn kinked_ops() -> Vec<Op> {
    Op::ALL
        .iter()
        .copied()
        .filter(|&op| op.grammar().is_some())
        .filter(|&op| {
            let mut g = Graph::new();
            let args: Vec<NodeId> = (0..op.arity() as u32).map(|i| g.var(i)).collect();
            let out = g.apply(op, &args);
            let partials: Vec<NodeId> = (0..args.len())
                .map(|i| LocalPartials::new(&mut g, op, &args, out).get(&mut g, i))
                .collect();
            let reached = g.reachable(&partials, &[]);
            g.ids().take(reached.len()).any(|id| {
                reached[id.index()] && g.node(id).op().is_some_and(Op::is_piecewise_constant)
            })
        })
        .collect()
}

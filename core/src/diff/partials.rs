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

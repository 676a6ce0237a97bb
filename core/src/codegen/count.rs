//! Counting the arithmetic operations and function calls of the generated code.
//!
//! The count is what code generation writes: an n-term sum is n-1 operations (`a - b` is
//! one), `a / b` is one, a call or a gate is one, and each shared node is computed once.
//! An `if` counts its condition (each comparison, `&&`, `||` and `!` one) and both of its
//! branches: the count is of the code written, not of the path one point takes.
//! It is the emitter itself, writing into [`CountOnly`], so counting and writing agree,
//! on the graph as it is: a [`Gradient`]'s products are already shared.

use proc_macro2::TokenStream;

use crate::codegen::Float;
use crate::codegen::block::Context;
use crate::codegen::code::CountOnly;
use crate::diff::many::ManyOutputs;
use crate::diff::pipeline::Gradient;
use crate::diff::second::SecondOrder;
use crate::ir::graph::{Graph, NodeId};

/// Operations the code generated from `g` runs to compute all `roots` (on a
/// [`Gradient`]'s graph, the value alone gives `ops.forward`, the value and the partials
/// `ops.grad`).
///
/// ```
/// use symgrad_core::{Gradient, count_ops};
/// // The neuron fuses into a sigmoid gate: 5 forward operations (w0·x0, w1·x1, two
/// // additions, σ), 10 for the value and all partials (`u = …`, `σ(u)`, `d = σ'(u)`,
/// // then `x0·d`, `w0·d`, `x1·d`, `w1·d`).
/// let f = symgrad_grammar::parse("1/(1+e^-(w0x0+w1x1+w2))").unwrap();
/// let grad = Gradient::all(&f);
/// assert_eq!(count_ops(grad.graph(), &[grad.value()]), 5);
/// assert_eq!(count_ops(grad.graph(), &grad.roots()), 10);
/// ```
pub fn count_ops(g: &Graph, roots: &[NodeId]) -> usize {
    counted_block(&Context::new(g, &[], Float::F64), roots)
}

/// `ops.forward` and `ops.grad` of a gradient together: the operations of the generated
/// `f` and `f::grad` (one emitter context for both, which two [`count_ops`] calls would
/// each build anew).
///
/// ```
/// use symgrad_core::{Gradient, count_forward_and_grad};
/// let f = symgrad_grammar::parse("1/(1+e^-(w0x0+w1x1+w2))").unwrap();
/// assert_eq!(count_forward_and_grad(&Gradient::all(&f)), (5, 10));
/// ```
pub fn count_forward_and_grad(grad: &Gradient) -> (usize, usize) {
    let ctx = Context::new(grad.graph(), &[], Float::F64);
    let roots = grad.roots();
    (
        counted_block(&ctx, &roots[..1]),
        counted_block(&ctx, &roots),
    )
}

/// `ops.hessian` and `ops.hvp`: the operations of the generated `f::hessian` and `f::hvp`.
///
/// ```
/// use symgrad_core::{SecondOrder, count_second_order};
/// let f = symgrad_grammar::parse("x^2 y").unwrap();
/// let (hessian, hvp) = count_second_order(&SecondOrder::new(&f, &[0, 1]));
/// assert!(hessian > 0 && hvp > 0);
/// ```
pub fn count_second_order(second: &SecondOrder) -> (usize, usize) {
    (
        count_ops(second.hessian.graph(), &second.hessian.roots()),
        count_ops(second.hvp.graph(), &second.hvp.roots()),
    )
}

/// The operations of the generated items of a function with many outputs:
/// `(forward, jacobian, vjp, jvp)` (`fn f`, `f::jacobian`, `f::vjp`, `f::jvp`).
///
/// ```
/// use symgrad_core::{ManyOutputs, count_many};
/// let polar = symgrad_grammar::parse_outputs("r cos(t), r sin(t)").unwrap();
/// // cos, sin, two products; then -r·sin and r·cos, the negation one more.
/// let (forward, jacobian, _, _) = count_many(&ManyOutputs::new(&polar, &[0, 1]));
/// assert_eq!(forward, 4);
/// assert!(jacobian > forward);
/// ```
pub fn count_many(many: &ManyOutputs) -> (usize, usize, usize, usize) {
    let j = &many.jacobian;
    let ctx = Context::new(j.graph(), &[], Float::F64);
    (
        counted_block(&ctx, j.outputs()),
        counted_block(&ctx, &j.roots()),
        count_ops(many.vjp.graph(), &many.vjp.roots()),
        count_ops(many.jvp.graph(), &many.jvp.roots()),
    )
}

/// The operations of the block computing `roots`, emitted into nothing.
pub(crate) fn counted_block(ctx: &Context, roots: &[NodeId]) -> usize {
    ctx.block::<CountOnly>(roots, &[], &[], TokenStream::new())
        .ops
}

//! The items `#[derive_grad]` generates for a function `f`: `fn f`, and `mod f` with
//! `WRT`, the fused `grad`, `forward` with its `Tape` and `Tape::backward`, the gates
//! the formula uses, and the `test_at` checks; with second order, `hessian` and `hvp`
//! (written by `second_items.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::codegen::block::{Context, fresh};
use crate::codegen::rust_syntax::Prec;
use crate::codegen::{CodegenOptions, gates, second_items, test_at};
use crate::diff::pipeline::Gradient;
use crate::diff::second::{Hessian, HessianVectorProduct, SecondOrder};
use crate::ir::graph::{Graph, NodeId};
use crate::notation::surface::{value_operands, value_use_counts};

/// The Rust items for `grad` (see SPEC §3 for the API they form), written from its graph
/// as it is.
///
/// ```
/// use symgrad_core::{CodegenOptions, Gradient, generate};
/// let formula = symgrad_grammar::parse("x*y + sin(x)").unwrap();
/// let grad = Gradient::all(&formula);
/// let code = generate(&grad, &CodegenOptions::new("f", grad.vars()).unwrap()).to_string();
/// assert!(code.contains("pub fn grad (x : f64 , y : f64) -> (f64 , [f64 ; 2])"), "{code}");
/// ```
pub fn generate(grad: &Gradient, options: &CodegenOptions) -> TokenStream {
    generate_with(grad, None, options)
}

/// [`generate`], and with `second` also `f::hessian` and `f::hvp` in `mod f` (SPEC §6).
///
/// ```
/// use symgrad_core::{CodegenOptions, Gradient, SecondOrder, generate_with};
/// let formula = symgrad_grammar::parse("x*y + sin(x)").unwrap();
/// let grad = Gradient::all(&formula);
/// let second = SecondOrder::new(&formula, grad.wrt());
/// let options = CodegenOptions::new("f", grad.vars()).unwrap();
/// let code = generate_with(&grad, Some(&second), &options).to_string();
/// assert!(code.contains("pub fn hessian (x : f64 , y : f64) -> (f64 , [f64 ; 2] , [[f64 ; 2] ; 2])"), "{code}");
/// assert!(code.contains("pub fn hvp (x : f64 , y : f64 , v : [f64 ; 2])"), "{code}");
/// ```
pub fn generate_with(
    grad: &Gradient,
    second: Option<&SecondOrder>,
    options: &CodegenOptions,
) -> TokenStream {
    items(
        grad,
        second.map(|s| &s.hessian),
        second.map(|s| &s.hvp),
        options,
    )
}

/// [`generate`], and `f::hvp` alone in `mod f` (`#[derive_grad(hvp)]`): a Hessian-vector
/// product without the Hessian's O(k²) code, for many parameters.
///
/// ```
/// use symgrad_core::{CodegenOptions, Gradient, HessianVectorProduct, generate_with_hvp};
/// let formula = symgrad_grammar::parse("x*y + sin(x)").unwrap();
/// let grad = Gradient::all(&formula);
/// let hvp = HessianVectorProduct::new(&formula, grad.wrt());
/// let options = CodegenOptions::new("f", grad.vars()).unwrap();
/// let code = generate_with_hvp(&grad, &hvp, &options).to_string();
/// assert!(code.contains("pub fn hvp (x : f64 , y : f64 , v : [f64 ; 2])"), "{code}");
/// assert!(!code.contains("fn hessian"), "{code}");
/// ```
pub fn generate_with_hvp(
    grad: &Gradient,
    hvp: &HessianVectorProduct,
    options: &CodegenOptions,
) -> TokenStream {
    items(grad, None, Some(hvp), options)
}

fn items(
    grad: &Gradient,
    hessian: Option<&Hessian>,
    hvp: Option<&HessianVectorProduct>,
    options: &CodegenOptions,
) -> TokenStream {
    let g = grad.graph();
    let roots = grad.roots();
    let (value, partials) = (roots[0], &roots[1..]);
    let saved = tape_values(g, &[value], partials);
    let mut ctx = Context::new(g, &options.params, options.float);
    let named = [
        ctx.lets(&[value], &[], &[]),
        ctx.lets(&roots, &[], &[]),
        ctx.lets(&[value], &[], &saved),
        ctx.lets(partials, &saved, &[]),
        saved.clone(),
    ];
    ctx.number(named.concat());
    let (name, float, vis, attrs) = (&options.name, options.float, &options.vis, &options.attrs);
    let params = &options.params;
    let signature = quote!(#(#params: #float),*);
    let k = proc_macro2::Literal::usize_unsuffixed(partials.len());
    let wrt_names = grad.wrt().iter().map(|&i| grad.vars()[i as usize].as_str());

    let forward_only = ctx.block::<TokenStream>(&[value], &[], &[], quote!(#name::gates));
    let (f_lets, f_value) = (&forward_only.lets, &forward_only.roots[0].0);

    let fused = ctx.block::<TokenStream>(&roots, &[], &[], quote!(gates));
    let (grad_lets, grad_value) = (&fused.lets, &fused.roots[0].0);
    let grad_partials = fused.roots[1..].iter().map(|(t, _)| t);

    let fields: Vec<_> = saved.iter().map(|&id| ctx.node_name(id)).collect();
    let tape_struct = crate::codegen::tape::tape_struct(&fields, float);
    let tape = ctx.block::<TokenStream>(&[value], &[], &saved, quote!(gates));
    let (tape_lets, tape_value) = (&tape.lets, &tape.roots[0].0);
    let backward = ctx.block::<TokenStream>(partials, &saved, &[], quote!(gates));
    let backward_lets = &backward.lets;
    let dout = fresh("dout", params);
    let scaled = backward.roots.iter().map(|(t, prec)| {
        if *prec == Prec::Atom {
            quote!(#dout * #t)
        } else {
            quote!(#dout * (#t))
        }
    });

    let mut used = ops_used(g, &roots);
    if let Some(h) = hessian {
        used.extend(ops_used(h.graph(), &h.roots()));
    }
    if let Some(hvp) = hvp {
        used.extend(ops_used(hvp.graph(), &hvp.roots()));
    }
    used.sort();
    used.dedup();
    let second_items = second_items::items(hessian, hvp, params, float);
    let gates = gates::module(float, &used);
    let checks = test_at::tests(
        name,
        params,
        grad.wrt(),
        float,
        &options.test_points,
        test_at::Checked::Grad,
    );
    let optimizers = crate::optimizers::items(
        &crate::optimizers::Surface::scalar(
            options,
            grad.wrt(),
            crate::optimizers::Value::One {
                hessian: hessian.is_some(),
                arrays: false,
            },
        ),
        options.optimizers,
    );
    let mod_doc =
        format!(" The gradient of [`{name}`](fn@{name}), computed at compile time by symgrad.");
    // `#[inline]` on the generated functions (the user's attributes go on `fn f`): without
    // it a caller in another crate pays a call with every parameter and the whole gradient
    // array passed through memory: ~30 ns of a 101-input neuron's 130 ns gradient.
    quote! {
        #attrs
        #[allow(unused_variables, clippy::all, clippy::pedantic, clippy::nursery)]
        #vis fn #name(#signature) -> #float {
            #f_lets
            #f_value
        }

        #[doc = #mod_doc]
        #[allow(dead_code, unused_variables, clippy::all, clippy::pedantic, clippy::nursery)]
        #vis mod #name {
            /// The parameters the gradient is taken with respect to, in the gradient's order.
            pub const WRT: [&str; #k] = [#(#wrt_names),*];

            /// The value and the gradient (ordered as [`WRT`]), in one fused pass that
            /// computes each forward value once and reuses it in the backward part.
            #[inline]
            pub fn grad(#signature) -> (#float, [#float; #k]) {
                #grad_lets
                (#grad_value, [#(#grad_partials),*])
            }

            /// The value and the [`Tape`] of forward values the backward pass needs.
            #[inline]
            pub fn forward(#signature) -> (#float, Tape) {
                #tape_lets
                (#tape_value, Tape { #(#fields),* })
            }

            #tape_struct

            impl Tape {
                /// The gradient of the output times `dout`, the upstream gradient
                /// (ordered as [`WRT`]): a layer's backward pass.
                #[inline]
                pub fn backward(&self, #dout: #float) -> [#float; #k] {
                    let Self { #(#fields),* } = *self;
                    #backward_lets
                    [#(#scaled),*]
                }
            }

            #second_items
            #optimizers
            #gates
            #checks
        }
    }
}

/// The forward nodes (those `outputs` need) the backward pass reads: operands of
/// backward-only nodes, and partials that are forward nodes themselves. Constants are
/// written as literals instead.
pub(crate) fn tape_values(g: &Graph, outputs: &[NodeId], partials: &[NodeId]) -> Vec<NodeId> {
    let forward = value_use_counts(g, outputs);
    let all = value_use_counts(g, partials);
    let in_backward = |id: NodeId| {
        all.get(id.index()) > Some(&0) && forward.get(id.index()).is_none_or(|&u| u == 0)
    };
    let mut saved = vec![false; all.len().max(forward.len())];
    for id in g.ids().take(all.len()).filter(|&id| in_backward(id)) {
        for a in value_operands(g, id) {
            if !in_backward(a) {
                saved[a.index()] = true;
            }
        }
    }
    for &p in partials {
        if !in_backward(p) {
            saved[p.index()] = true;
        }
    }
    g.ids()
        .take(saved.len())
        .filter(|&id| saved[id.index()] && g.as_const(id).is_none())
        .collect()
}

/// Every operation applied in the nodes needed for `roots`.
pub(crate) fn ops_used(g: &Graph, roots: &[NodeId]) -> Vec<crate::ops::Op> {
    let needed = value_use_counts(g, roots);
    let mut ops: Vec<_> = g
        .ids()
        .take(needed.len())
        .filter(|id| needed[id.index()] > 0)
        .filter_map(|id| g.node(id).op())
        .collect();
    ops.sort();
    ops.dedup();
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counting runs the emitter that writes the code, so both agree on every block.
    #[test]
    fn counted_blocks_match_the_written_blocks() {
        // A gate, a net of gates, and a formula whose products share sub-products.
        for source in [
            "1/(1+e^-(w0x0+w1x1+w2))",
            "σ(v0 σ(w00 x0 + w01 x1 + b0) + v1 σ(w10 x0 + w11 x1 + b1) + c)",
            "-(y ln(σ(w x + b)) + (1 - y) ln(1 - σ(w x + b))) + x y z sin(x y)",
        ] {
            let name = source;
            let formula = symgrad_grammar::parse(source).expect("the formula parses");
            let grad = Gradient::all(&formula);
            let roots = grad.roots();
            let ctx = Context::new(grad.graph(), &[], crate::codegen::Float::F64);
            for roots in [&roots[..1], &roots[..]] {
                let written = ctx.block::<TokenStream>(roots, &[], &[], quote!(gates));
                assert_eq!(
                    written.roots.len(),
                    roots.len(),
                    "{name}: one expression a root"
                );
                assert!(
                    written.roots.iter().all(|(code, _)| !code.is_empty()),
                    "{name}"
                );
                assert_eq!(
                    crate::codegen::count::counted_block(&ctx, roots),
                    written.ops,
                    "{name}"
                );
            }
        }
    }
}

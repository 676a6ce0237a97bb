//! The second-order items of `#[derive_grad(hessian)]` (SPEC §6) and `hvp`: `f::hessian`, whose
//! matrix names each upper-triangle entry once and writes that name at `[i][j]` and
//! `[j][i]` (above `SPLIT_ENTRIES` entries, in parts: `hessian_rows.rs`), and `f::hvp`,
//! whose direction `v` enters as variables of its own graph.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::codegen::Float;
use crate::codegen::block::{Context, fresh};
use crate::codegen::hessian_rows;
use crate::diff::second::{Hessian, HessianVectorProduct, upper_index};

/// `fn hessian` and `fn hvp`, each if given, to go inside `mod f`.
pub(crate) fn items(
    hessian: Option<&Hessian>,
    hvp: Option<&HessianVectorProduct>,
    params: &[Ident],
    float: Float,
) -> TokenStream {
    let hessian = hessian.map(|h| hessian_fn(h, params, float));
    let hvp = hvp.map(|h| hvp_fn(h, params, float));
    quote!(#hessian #hvp)
}

fn hessian_fn(h: &Hessian, params: &[Ident], float: Float) -> TokenStream {
    if h.upper().len() > hessian_rows::SPLIT_ENTRIES {
        return hessian_rows::hessian_fn(h, params, float, hessian_rows::PART_ENTRIES);
    }
    let roots = h.roots();
    let k = h.wrt().len();
    let mut ctx = Context::new(h.graph(), params, float);
    // Every upper entry a `let` (unless a literal or a parameter): written twice, it is
    // computed once and both places hold the same bits.
    ctx.number(ctx.lets(&roots, &[], h.upper()));
    let block = ctx.block::<TokenStream>(&roots, &[], h.upper(), quote!(gates));
    let lets = &block.lets;
    let value = &block.roots[0].0;
    let gradient = block.roots[1..=k].iter().map(|(t, _)| t);
    let upper = &block.roots[k + 1..];
    let rows = (0..k).map(|i| {
        let row = (0..k).map(|j| &upper[upper_index(k, i.min(j), i.max(j))].0);
        quote!([#(#row),*])
    });
    let n = proc_macro2::Literal::usize_unsuffixed(k);
    quote! {
        /// The value, the gradient and the Hessian (rows and columns ordered as [`WRT`]),
        /// in one fused pass; `H[i][j]` and `H[j][i]` are one computed value.
        #[inline]
        pub fn hessian(#(#params: #float),*) -> (#float, [#float; #n], [[#float; #n]; #n]) {
            #lets
            (#value, [#(#gradient),*], [#(#rows),*])
        }
    }
}

fn hvp_fn(hvp: &HessianVectorProduct, params: &[Ident], float: Float) -> TokenStream {
    let roots = hvp.roots();
    let k = hvp.wrt().len();
    let v = fresh("v", params);
    let directions: Vec<Ident> = (0..k).map(|i| fresh(&format!("{v}{i}"), params)).collect();
    let all_params = [params, &directions].concat();
    let mut ctx = Context::new(hvp.graph(), &all_params, float);
    ctx.number(ctx.lets(&roots, &[], &[]));
    let block = ctx.block::<TokenStream>(&roots, &[], &[], quote!(gates));
    let lets = &block.lets;
    let value = &block.roots[0].0;
    // The result is written entry by entry, the gradient's and the product's `i`-th side by
    // side, rather than as two array literals: with both literals, rustc -O holds all 2k
    // entries before storing any, and at k = 401 spills most of them (`f::hvp` of the
    // 200-input neuron 1.9 -> 1.35 µs, no change at k = 11 or 101: bench/NOTES.md, stop 27).
    let out = fresh("out", &all_params);
    let entries = (0..k).map(|i| {
        let index = proc_macro2::Literal::usize_unsuffixed(i);
        let (gradient, product) = (&block.roots[1 + i].0, &block.roots[k + 1 + i].0);
        quote! {
            #out.1[#index] = #gradient;
            #out.2[#index] = #product;
        }
    });
    let n = proc_macro2::Literal::usize_unsuffixed(k);
    quote! {
        /// The value, the gradient and the Hessian times `v` (ordered as [`WRT`]), in one
        /// forward-over-reverse pass that never forms the Hessian.
        #[inline]
        pub fn hvp(#(#params: #float,)* #v: [#float; #n]) -> (#float, [#float; #n], [#float; #n]) {
            let [#(#directions),*] = #v;
            #lets
            let mut #out = (#value, [0.0; #n], [0.0; #n]);
            #(#entries)*
            #out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codegen::count::counted_block;
    use crate::diff::second::SecondOrder;

    /// `ops.hessian` and `ops.hvp` count what is written: naming every upper entry adds
    /// `let`s, not operations.
    #[test]
    fn counted_second_order_matches_the_written_blocks() {
        for source in ["1/(1+e^-(w0x0+w1x1+w2))", "x y z sin(x y) + relu(x - z)^2"] {
            let formula = symgrad_grammar::parse(source).expect("the formula parses");
            let wrt: Vec<u32> = (0..formula.vars.len() as u32).collect();
            let second = SecondOrder::new(&formula, &wrt);
            let (counted_hessian, counted_hvp) = crate::codegen::count_second_order(&second);
            let h = &second.hessian;
            let ctx = Context::new(h.graph(), &[], Float::F64);
            let written = ctx.block::<TokenStream>(&h.roots(), &[], h.upper(), quote!(gates));
            assert_eq!(written.ops, counted_hessian, "{source}");
            let hvp = &second.hvp;
            let ctx = Context::new(hvp.graph(), &[], Float::F64);
            assert_eq!(counted_block(&ctx, &hvp.roots()), counted_hvp, "{source}");
        }
    }
}

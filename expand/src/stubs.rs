//! What the macro emits when the input has errors: besides the `compile_error!`s, the
//! items the user calls (`f`, `f::grad`, `f::WRT`, `f::forward`, `f::Tape`, and with
//! `hessian` `f::hessian` and `f::hvp`; with many outputs `f::jacobian`, `f::vjp` and
//! `f::jvp` instead of `f::grad`), with the
//! user's parameters, so that one mistake gives one error and not a flood at every call.

use proc_macro2::TokenStream;
use quote::quote;
use symgrad_core::Float;
use syn::FnArg;

use crate::item::GradFn;

/// Stubs for `item` with many outputs (`m` of them): `f` with the return type written,
/// `f::jacobian`, `f::vjp`, `f::jvp`, `f::forward` and `f::Tape`.
pub(crate) fn many_stubs(item: &GradFn, float: Float, wrt: &[String], m: usize) -> TokenStream {
    let attrs = item.attr_tokens();
    let vis = &item.vis;
    let name = &item.sig.ident;
    let output = &item.sig.output;
    let params = typed_params(item);
    let k = proc_macro2::Literal::usize_unsuffixed(wrt.len());
    let m = proc_macro2::Literal::usize_unsuffixed(m);
    quote! {
        #attrs
        #[allow(unused_variables, clippy::all, clippy::pedantic, clippy::nursery)]
        #vis fn #name(#(#params),*) #output {
            ::core::unreachable!("`derive_grad` failed to expand")
        }

        #[allow(dead_code, unused_variables, clippy::all, clippy::pedantic, clippy::nursery)]
        #vis mod #name {
            pub const WRT: [&str; #k] = [#(#wrt),*];
            pub fn jacobian(#(#params),*) -> ([#float; #m], [[#float; #k]; #m]) {
                ::core::unreachable!("`derive_grad` failed to expand")
            }
            pub fn vjp(#(#params,)* __symgrad_dout: [#float; #m]) -> ([#float; #m], [#float; #k]) {
                ::core::unreachable!("`derive_grad` failed to expand")
            }
            pub fn jvp(#(#params,)* __symgrad_v: [#float; #k]) -> ([#float; #m], [#float; #m]) {
                ::core::unreachable!("`derive_grad` failed to expand")
            }
            pub fn forward(#(#params),*) -> ([#float; #m], Tape) {
                ::core::unreachable!("`derive_grad` failed to expand")
            }
            #[derive(Clone, Copy, Debug, PartialEq)]
            pub struct Tape;
            impl Tape {
                pub fn backward(&self, dout: [#float; #m]) -> [#float; #k] {
                    ::core::unreachable!("`derive_grad` failed to expand")
                }
            }
        }
    }
}

/// The typed parameters of `item` (a receiver is reported, and left out).
fn typed_params(item: &GradFn) -> Vec<&FnArg> {
    item.sig
        .inputs
        .iter()
        .filter(|a| matches!(a, FnArg::Typed(_)))
        .collect()
}

/// Stubs for `item` with `k` partials of type `float`; `hessian`: the second-order items too.
pub(crate) fn stubs(item: &GradFn, float: Float, wrt: &[String], hessian: bool) -> TokenStream {
    let attrs = item.attr_tokens();
    let vis = &item.vis;
    let name = &item.sig.ident;
    let params = typed_params(item);
    let k = proc_macro2::Literal::usize_unsuffixed(wrt.len());
    let second = hessian.then(|| {
        quote! {
            pub fn hessian(#(#params),*) -> (#float, [#float; #k], [[#float; #k]; #k]) {
                ::core::unreachable!("`derive_grad` failed to expand")
            }
            pub fn hvp(#(#params,)* __symgrad_v: [#float; #k]) -> (#float, [#float; #k], [#float; #k]) {
                ::core::unreachable!("`derive_grad` failed to expand")
            }
        }
    });
    quote! {
        #attrs
        #[allow(unused_variables, clippy::all, clippy::pedantic, clippy::nursery)]
        #vis fn #name(#(#params),*) -> #float {
            ::core::unreachable!("`derive_grad` failed to expand")
        }

        #[allow(dead_code, unused_variables, clippy::all, clippy::pedantic, clippy::nursery)]
        #vis mod #name {
            pub const WRT: [&str; #k] = [#(#wrt),*];
            pub fn grad(#(#params),*) -> (#float, [#float; #k]) {
                ::core::unreachable!("`derive_grad` failed to expand")
            }
            pub fn forward(#(#params),*) -> (#float, Tape) {
                ::core::unreachable!("`derive_grad` failed to expand")
            }
            #[derive(Clone, Copy, Debug, PartialEq)]
            pub struct Tape;
            impl Tape {
                pub fn backward(&self, dout: #float) -> [#float; #k] {
                    ::core::unreachable!("`derive_grad` failed to expand")
                }
            }
            #second
        }
    }
}

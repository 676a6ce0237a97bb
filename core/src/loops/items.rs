//! The items of a function with arrays (SPEC §8): `fn f`, and in `mod f` the gradient
//! struct `Grad`, `grad`, `grad_into` and the gates.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::codegen::gates;
use crate::loops::program::{LoopFn, ParamKind};
use crate::loops::sweep::Sweep;
use crate::loops::{bounds, inline};

/// The Rust items of `f`: the value, and the gradient in a struct with one field per
/// differentiated parameter, its loops kept as loops.
///
/// ```
/// use symgrad_core::loops::{Leaf, LoopFn, LoopParam, ParamKind, Rhs, Stmt, Update, generate_loops};
/// use quote::{format_ident, quote};
/// // fn dot(w: &[f64; 3], x: &[f64; 3]) -> f64 { let mut s = 0.0; for i in 0..3 { s += w[i] * x[i]; } s }
/// let rhs = |source: &str, leaves: Vec<Leaf>| {
///     let names: Vec<String> = (0..leaves.len()).map(|k| format!("v{k}")).collect();
///     let names: Vec<&str> = names.iter().map(String::as_str).collect();
///     Rhs { formula: symgrad_grammar::parse_with_vars(source, &names).unwrap(), leaves }
/// };
/// let element = |a: &str| Leaf::Element { array: format_ident!("{}", a), index: vec![quote!(i)] };
/// let f = LoopFn {
///     name: format_ident!("dot"),
///     vis: quote!(pub),
///     attrs: quote!(),
///     generics: quote!(),
///     generic_args: quote!(),
///     float: Default::default(),
///     params: ["w", "x"].map(|p| LoopParam {
///         name: format_ident!("{}", p),
///         ty: quote!(&[f64; 3]),
///         kind: ParamKind::Array(vec![quote!(3)]),
///         wrt: p == "w",
///     }).to_vec(),
///     body: vec![
///         Stmt::Acc { name: format_ident!("s"), init: rhs("0", vec![]) },
///         Stmt::For { var: format_ident!("i"), range: quote!(0..3), body: vec![Stmt::Update {
///             acc: format_ident!("s"),
///             how: Update::Add,
///             value: rhs("v0 v1", vec![element("w"), element("x")]),
///         }] },
///     ],
///     value: rhs("v0", vec![Leaf::Name(format_ident!("s"))]),
///     optimizers: Default::default(),
/// };
/// let code = generate_loops(&f).to_string();
/// assert!(code.contains("pub struct Grad"), "{code}");
/// assert!(code.contains("g . w [i] += d_s *"), "{code}");
/// ```
pub fn generate_loops(f: &LoopFn) -> TokenStream {
    let inlined = inline::single_use_lets(f);
    let f = &inlined;
    let sweep = Sweep::new(f);
    let taped = sweep.without_fusion();
    let (name, float, vis, attrs) = (&f.name, f.float, &f.vis, &f.attrs);
    let (generics, args) = (&f.generics, &f.generic_args);
    let params = f.params.iter().map(|p| {
        let (name, ty) = (&p.name, &p.ty);
        quote!(#name: #ty)
    });
    let signature = quote!(#(#params),*);
    let names: Vec<_> = f.params.iter().map(|p| &p.name).collect();
    let g = &sweep.g;

    let plain = sweep.plain(&f.body, &quote!(#name::gates));
    let value = sweep.value_plain(&quote!(#name::gates));

    let wrt: Vec<_> = f.params.iter().filter(|p| p.wrt).collect();
    let fields = wrt.iter().map(|p| {
        let name = &p.name;
        let ty = match &p.kind {
            ParamKind::Array(dims) => dims
                .iter()
                .rev()
                .fold(quote!(#float), |t, n| quote!([#t; #n])),
            _ => quote!(#float),
        };
        let doc = format!(" The derivative of the value with respect to `{name}`.");
        quote!(#[doc = #doc] pub #name: #ty)
    });
    let zeroed: Vec<TokenStream> = wrt
        .iter()
        .map(|p| {
            let name = &p.name;
            match &p.kind {
                ParamKind::Array(dims) => {
                    let zeros = sweep.zeros(dims);
                    quote!(#name: #zeros)
                }
                _ => {
                    let zeros = sweep.zeros(&[]);
                    quote!(#name: #zeros)
                }
            }
        })
        .collect();
    let zeroed_again = &zeroed;
    let zero_fields = wrt.iter().map(|p| {
        let name = &p.name;
        match &p.kind {
            ParamKind::Array(dims) if dims.len() == 1 => quote!(#g.#name.fill(0.0);),
            ParamKind::Array(dims) => {
                let flatten = (1..dims.len()).map(|_| quote!(.as_flattened_mut()));
                quote!(#g.#name #(#flatten)* .fill(0.0);)
            }
            _ => quote!(#g.#name = 0.0;),
        }
    });
    let zero_fields: Vec<TokenStream> = zero_fields.collect();
    let zero_fields_again = &zero_fields;
    let grad_body = sweep.grad_body();
    let dout = format_ident!("dout");
    let tape_name = format_ident!("Tape");
    let tape_forward = taped.tape_forward(&tape_name);
    let tape_backward = taped.tape_backward(&dout);
    let tape_fields = taped
        .tape_fields()
        .into_iter()
        .map(|(name, ty, _)| quote!(#name: #ty));
    let tape_signature = f.params.iter().map(|p| {
        let (name, ty) = (&p.name, crate::codegen::rust_syntax::with_lifetime(&p.ty));
        quote!(#name: #ty)
    });
    let tape_signature = quote!(#(#tape_signature),*);
    let (generic_params, generic_names) = generic_lists(generics);
    let bounds = bounds::checks(f);
    let (bound_items, bound_stmts) = if f.generics.is_empty() {
        (bounds, TokenStream::new())
    } else {
        (TokenStream::new(), bounds)
    };
    let gates = gates::module(float, &sweep.ops_used());
    let optimizers = crate::optimizers::items(
        &crate::optimizers::Surface::arrays(f, &generic_params, &generic_names),
        f.optimizers,
    );
    let grad_name = format_ident!("Grad");
    let mod_doc =
        format!(" The gradient of [`{name}`](fn@{name}), computed at compile time by symgrad.");
    quote! {
        #attrs
        #[allow(unused_variables, unused_mut, unused_assignments, clippy::all, clippy::pedantic, clippy::nursery)]
        #vis fn #name #generics (#signature) -> #float {
            #bound_stmts
            #plain
            #value
        }

        #[doc = #mod_doc]
        #[allow(dead_code, unused_variables, unused_mut, unused_assignments, clippy::all, clippy::pedantic, clippy::nursery)]
        #vis mod #name {
            use super::*;

            #bound_items

            /// The gradient: one field per differentiated parameter, of its shape.
            #[derive(Clone, Debug, PartialEq)]
            pub struct #grad_name #generics {
                #(#fields),*
            }

            impl #generics #grad_name #args {
                /// A zeroed gradient on the heap, for [`grad_into`]: never on the calling
                /// thread's stack, which a net's gradient can outgrow. Safe Rust cannot
                /// zero a struct in place, and the generated code has no `unsafe` (it
                /// compiles under `#![forbid(unsafe_code)]`), so the value is built on a
                /// short-lived thread whose stack holds it, then moved into the box.
                pub fn boxed() -> Box<Self> {
                    let zeroed = || Box::new(Self { #(#zeroed_again),* });
                    let size = std::mem::size_of::<Self>();
                    if size < 64 * 1024 {
                        return zeroed();
                    }
                    std::thread::scope(|s| {
                        std::thread::Builder::new()
                            .stack_size(2 * size + (1 << 20))
                            .spawn_scoped(s, zeroed)
                            .expect("a thread to build the gradient on")
                            .join()
                            .expect("building a zeroed gradient does not panic")
                    })
                }
            }

            /// The value and the [`Tape`] of what the backward pass reads: a layer's
            /// forward pass. The tape borrows the inputs passed by reference.
            #[inline]
            pub fn forward<'a, #generic_params> (#tape_signature) -> (#float, Tape<'a, #generic_names>) {
                #tape_forward
            }

            /// The inputs and the forward values saved by [`forward`].
            #[derive(Clone, Debug)]
            pub struct Tape<'a, #generic_params> {
                #(#tape_fields,)*
                _inputs: std::marker::PhantomData<&'a ()>,
            }

            impl<'a, #generic_params> Tape<'a, #generic_names> {
                /// The gradient of the value times `dout`, the upstream gradient, written
                /// into `g` (overwritten, not added to): a layer's backward pass.
                #[inline]
                pub fn backward(&self, #dout: #float, #g: &mut #grad_name #args) {
                    #(#zero_fields_again)*
                    #tape_backward
                }
            }

            #optimizers

            /// The value and the gradient.
            #[inline]
            pub fn grad #generics (#signature) -> (#float, #grad_name #args) {
                let mut #g = #grad_name { #(#zeroed),* };
                let value = grad_into(#(#names,)* &mut #g);
                (value, #g)
            }

            /// The value, with the gradient written into `g` (overwritten, not added to).
            #[inline]
            pub fn grad_into #generics (#signature, #g: &mut #grad_name #args) -> #float {
                #(#zero_fields)*
                #grad_body
            }

            #gates
        }
    }
}

/// The generic parameters inside `<…>` (`const N: usize`) and their names (`N`), each
/// with a trailing comma, to follow a lifetime.
fn generic_lists(generics: &TokenStream) -> (TokenStream, TokenStream) {
    use proc_macro2::TokenTree;
    let tokens: Vec<TokenTree> = generics.clone().into_iter().collect();
    if tokens.len() < 2 {
        return (TokenStream::new(), TokenStream::new());
    }
    let inner: TokenStream = tokens[1..tokens.len() - 1].iter().cloned().collect();
    let mut names = TokenStream::new();
    let mut after_const = false;
    for t in inner.clone() {
        match &t {
            TokenTree::Ident(i) if i == "const" => after_const = true,
            TokenTree::Ident(i) if after_const => {
                names.extend(quote!(#i,));
                after_const = false;
            }
            _ => {}
        }
    }
    (quote!(#inner,), names)
}

//! The items of a function with many outputs (SPEC §6): `fn f` returning the outputs as
//! written (`[F; m]` or a tuple), and in `mod f` `WRT`, `jacobian`, `vjp`, `jvp`, `forward`
//! with its `Tape` and `Tape::backward(dout: [F; m])`, the gates and no `grad` (a gradient
//! is of one output), and the `test_at` checks of every Jacobian row. `fn f` and `jacobian`
//! are written from the Jacobian's graph, `vjp`, `forward` and `backward` from the VJP's,
//! `jvp` from the JVP's.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use crate::codegen::block::{Context, fresh};
use crate::codegen::items::{ops_used, tape_values};
use crate::codegen::{CodegenOptions, Float, OutputShape, gates, test_at};
use crate::diff::many::{ManyOutputs, Outputs};

/// The Rust items for a function with many outputs, from `many`'s graphs.
///
/// ```
/// use symgrad_core::{CodegenOptions, ManyOutputs, OutputShape, generate_many};
/// let polar = symgrad_grammar::parse_outputs("r cos(t), r sin(t)").unwrap();
/// let many = ManyOutputs::new(&polar, &[0, 1]);
/// let options = CodegenOptions::new("f", &polar[0].vars).unwrap();
/// let code = generate_many(&many, OutputShape::Array, &options).to_string();
/// assert!(code.contains("pub fn jacobian (r : f64 , t : f64) -> ([f64 ; 2] , [[f64 ; 2] ; 2])"), "{code}");
/// assert!(!code.contains("fn grad"), "{code}");
/// ```
pub fn generate_many(
    many: &ManyOutputs,
    shape: OutputShape,
    options: &CodegenOptions,
) -> TokenStream {
    let (name, float, vis, attrs) = (&options.name, options.float, &options.vis, &options.attrs);
    let params = &options.params;
    let signature = quote!(#(#params: #float),*);
    let m = Literal::usize_unsuffixed(many.jacobian.outputs().len());
    let k = Literal::usize_unsuffixed(many.jacobian.wrt().len());
    let wrt_names = many
        .jacobian
        .wrt()
        .iter()
        .map(|&i| many.jacobian.vars()[i as usize].as_str());

    let (f_lets, f_outputs) = outputs_fn(&many.jacobian, params, float, quote!(#name::gates));
    let f_type = match shape {
        OutputShape::Array => quote!([#float; #m]),
        OutputShape::Tuple => {
            let each = (0..many.jacobian.outputs().len()).map(|_| float);
            quote!((#(#each,)*))
        }
    };
    let f_value = match shape {
        OutputShape::Array => quote!([#(#f_outputs),*]),
        OutputShape::Tuple => quote!((#(#f_outputs,)*)),
    };
    let jacobian = jacobian_fn(&many.jacobian, params, float);
    let vjp = vjp_items(&many.vjp, params, float);
    let jvp = jvp_fn(&many.jvp, params, float);

    let mut used = ops_used(many.jacobian.graph(), &many.jacobian.roots());
    used.extend(ops_used(many.vjp.graph(), &many.vjp.roots()));
    used.extend(ops_used(many.jvp.graph(), &many.jvp.roots()));
    used.sort();
    used.dedup();
    let gates = gates::module(float, &used);
    let checks = test_at::tests(
        name,
        params,
        many.jacobian.wrt(),
        float,
        &options.test_points,
        test_at::Checked::Jacobian {
            outputs: many.jacobian.outputs().len(),
            shape,
        },
    );
    let optimizers = crate::optimizers::items(
        &crate::optimizers::Surface::scalar(
            options,
            many.jacobian.wrt(),
            crate::optimizers::Value::Many {
                m: many.jacobian.outputs().len(),
                shape,
            },
        ),
        options.optimizers,
    );
    let mod_doc = format!(
        " The derivatives of [`{name}`](fn@{name})'s outputs, computed at compile time by \
         symgrad. With many outputs there is no `grad`: use `jacobian`, `vjp` or `jvp`."
    );
    quote! {
        #attrs
        #[allow(unused_variables, clippy::all, clippy::pedantic, clippy::nursery)]
        #vis fn #name(#signature) -> #f_type {
            #f_lets
            #f_value
        }

        #[doc = #mod_doc]
        #[allow(dead_code, unused_variables, clippy::all, clippy::pedantic, clippy::nursery)]
        #vis mod #name {
            /// The parameters the derivatives are taken with respect to, in their order.
            pub const WRT: [&str; #k] = [#(#wrt_names),*];

            #jacobian
            #vjp
            #jvp
            #optimizers
            #gates
            #checks
        }
    }
}

/// The `let`s and the output expressions of a block computing only the outputs.
fn outputs_fn(
    o: &Outputs,
    params: &[Ident],
    float: Float,
    gates: TokenStream,
) -> (TokenStream, Vec<TokenStream>) {
    let mut ctx = Context::new(o.graph(), params, float);
    ctx.number(ctx.lets(o.outputs(), &[], &[]));
    let block = ctx.block::<TokenStream>(o.outputs(), &[], &[], gates);
    (
        block.lets,
        block.roots.into_iter().map(|(t, _)| t).collect(),
    )
}

fn jacobian_fn(j: &Outputs, params: &[Ident], float: Float) -> TokenStream {
    let roots = j.roots();
    let (m, k) = (j.outputs().len(), j.wrt().len());
    let mut ctx = Context::new(j.graph(), params, float);
    ctx.number(ctx.lets(&roots, &[], &[]));
    let block = ctx.block::<TokenStream>(&roots, &[], &[], quote!(gates));
    let lets = &block.lets;
    let outputs = block.roots[..m].iter().map(|(t, _)| t);
    let entries = &block.roots[m..];
    let rows = (0..m).map(|i| {
        let row = entries[i * k..(i + 1) * k].iter().map(|(t, _)| t);
        quote!([#(#row),*])
    });
    let (m, k) = (Literal::usize_unsuffixed(m), Literal::usize_unsuffixed(k));
    quote! {
        /// The outputs and the Jacobian (a row per output, columns ordered as [`WRT`]), in
        /// one fused pass.
        #[inline]
        pub fn jacobian(#(#params: #float),*) -> ([#float; #m], [[#float; #k]; #m]) {
            #lets
            ([#(#outputs),*], [#(#rows),*])
        }
    }
}

/// `fn vjp`, `fn forward`, `struct Tape` and `Tape::backward`, from one graph.
fn vjp_items(vjp: &Outputs, params: &[Ident], float: Float) -> TokenStream {
    let roots = vjp.roots();
    let (m, k) = (vjp.outputs().len(), vjp.wrt().len());
    let (outputs, product) = (vjp.outputs(), vjp.derived());
    let dout = fresh("dout", params);
    let douts: Vec<Ident> = (0..m)
        .map(|i| fresh(&format!("{dout}{i}"), params))
        .collect();
    let all_params = [params, &douts].concat();
    let saved = tape_values(vjp.graph(), outputs, product);
    let mut ctx = Context::new(vjp.graph(), &all_params, float);
    let named = [
        ctx.lets(&roots, &[], &[]),
        ctx.lets(outputs, &[], &saved),
        ctx.lets(product, &saved, &[]),
        saved.clone(),
    ];
    ctx.number(named.concat());

    let fused = ctx.block::<TokenStream>(&roots, &[], &[], quote!(gates));
    let fused_lets = &fused.lets;
    let fused_outputs = fused.roots[..m].iter().map(|(t, _)| t);
    let fused_product = fused.roots[m..].iter().map(|(t, _)| t);

    let fields: Vec<_> = saved.iter().map(|&id| ctx.node_name(id)).collect();
    let tape_struct = crate::codegen::tape::tape_struct(&fields, float);
    let tape = ctx.block::<TokenStream>(outputs, &[], &saved, quote!(gates));
    let tape_lets = &tape.lets;
    let tape_outputs = tape.roots.iter().map(|(t, _)| t);
    let backward = ctx.block::<TokenStream>(product, &saved, &[], quote!(gates));
    let backward_lets = &backward.lets;
    let backward_product = backward.roots.iter().map(|(t, _)| t);
    let (m, k) = (Literal::usize_unsuffixed(m), Literal::usize_unsuffixed(k));
    quote! {
        /// The outputs and `doutᵀ·J`, the gradient of `Σ dout[i]·output[i]` (ordered as
        /// [`WRT`]), in one fused reverse pass.
        #[inline]
        pub fn vjp(#(#params: #float,)* #dout: [#float; #m]) -> ([#float; #m], [#float; #k]) {
            let [#(#douts),*] = #dout;
            #fused_lets
            ([#(#fused_outputs),*], [#(#fused_product),*])
        }

        /// The outputs and the [`Tape`] of forward values the backward pass needs.
        #[inline]
        pub fn forward(#(#params: #float),*) -> ([#float; #m], Tape) {
            #tape_lets
            ([#(#tape_outputs),*], Tape { #(#fields),* })
        }

        #tape_struct

        impl Tape {
            /// `doutᵀ·J` for the upstream gradients `dout` of the outputs (ordered as
            /// [`WRT`]): a layer's backward pass.
            #[inline]
            pub fn backward(&self, #dout: [#float; #m]) -> [#float; #k] {
                let Self { #(#fields),* } = *self;
                let [#(#douts),*] = #dout;
                #backward_lets
                [#(#backward_product),*]
            }
        }
    }
}

fn jvp_fn(jvp: &Outputs, params: &[Ident], float: Float) -> TokenStream {
    let roots = jvp.roots();
    let (m, k) = (jvp.outputs().len(), jvp.wrt().len());
    let v = fresh("v", params);
    let directions: Vec<Ident> = (0..k).map(|i| fresh(&format!("{v}{i}"), params)).collect();
    let all_params = [params, &directions].concat();
    let mut ctx = Context::new(jvp.graph(), &all_params, float);
    ctx.number(ctx.lets(&roots, &[], &[]));
    let block = ctx.block::<TokenStream>(&roots, &[], &[], quote!(gates));
    let lets = &block.lets;
    let outputs = block.roots[..m].iter().map(|(t, _)| t);
    let product = block.roots[m..].iter().map(|(t, _)| t);
    let (m, k) = (Literal::usize_unsuffixed(m), Literal::usize_unsuffixed(k));
    quote! {
        /// The outputs and `J·v` (`v` ordered as [`WRT`]), in one forward pass that never
        /// forms the Jacobian.
        #[inline]
        pub fn jvp(#(#params: #float,)* #v: [#float; #k]) -> ([#float; #m], [#float; #m]) {
            let [#(#directions),*] = #v;
            #lets
            ([#(#outputs),*], [#(#product),*])
        }
    }
}

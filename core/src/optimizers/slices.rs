//! The optimizer's point as one slice: the differentiated parameters flattened in order
//! (an array row-major), unpacked into `f`'s parameters without copying; `value_grad`,
//! and `fill`, which `Problem` calls to evaluate a point.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use crate::codegen::block::fresh;
use crate::optimizers::{Optimizers, Slot, Surface, Value};

/// Where one parameter starts in the point: a count of scalars plus array lengths.
#[derive(Clone, Default)]
struct Offset {
    scalars: usize,
    arrays: Vec<TokenStream>,
}

impl Offset {
    fn tokens(&self) -> TokenStream {
        let scalars = Literal::usize_unsuffixed(self.scalars);
        let arrays = &self.arrays;
        if arrays.is_empty() {
            quote!(#scalars)
        } else if self.scalars == 0 {
            quote!(#(#arrays)+*)
        } else {
            quote!(#scalars #(+ #arrays)*)
        }
    }

    fn advance(&mut self, dims: &[TokenStream]) {
        match dims {
            [] => self.scalars += 1,
            [first, rest @ ..] => self.arrays.push(quote!((#first #(* #rest)*))),
        }
    }
}

/// How many numbers the point holds.
pub(super) fn length(surface: &Surface) -> TokenStream {
    parts(surface)
        .pop()
        .map_or_else(|| quote!(0), |(_, _, end)| end)
}

/// Each differentiated parameter in the point's order: its index in `params`, and where
/// its numbers start and end in the point.
fn parts(surface: &Surface) -> Vec<(usize, TokenStream, TokenStream)> {
    let mut at = Offset::default();
    let mut parts = Vec::new();
    for &i in &surface.order {
        let start = at.tokens();
        at.advance(surface.params[i].dims.as_deref().unwrap_or_default());
        parts.push((i, start, at.tokens()));
    }
    parts
}

/// `[[F; N]; M]` of `dims` `[M, N]`.
fn array_type(surface: &Surface, dims: &[TokenStream]) -> TokenStream {
    let float = surface.float;
    dims.iter()
        .rev()
        .fold(quote!(#float), |t, n| quote!([#t; #n]))
}

/// Statements binding each differentiated parameter to its part of `point` (a scalar
/// copied, an array borrowed), and the arguments of a call of `f`'s items: those bindings,
/// and `data(slot)` for the others.
pub(super) fn unpack(
    surface: &Surface,
    point: &Ident,
    data: &dyn Fn(&Slot) -> TokenStream,
) -> (TokenStream, Vec<TokenStream>) {
    let mut lets = TokenStream::new();
    let mut from_point = vec![None; surface.params.len()];
    for (i, start, end) in parts(surface) {
        let slot = &surface.params[i];
        let name = &slot.name;
        let dims = slot.dims.as_deref().unwrap_or_default();
        if dims.is_empty() {
            lets.extend(quote!(let #name = #point[#start];));
            from_point[i] = Some(quote!(#name));
            continue;
        }
        // `as_chunks` views the flat slice as rows of the inner length, then the rows
        // as the array: no copy, so a large weight matrix never lands on the stack.
        let ty = array_type(surface, dims);
        let chunks = dims[1..]
            .iter()
            .rev()
            .map(|n| quote!(.as_chunks::<{ #n }>().0));
        lets.extend(quote! {
            let Ok(#name) = <&#ty>::try_from((&#point[#start..#end]) #(#chunks)*) else {
                unreachable!("the point's length is checked first")
            };
        });
        let by_reference = slot.ty.to_string().starts_with('&');
        from_point[i] = Some(if by_reference {
            quote!(#name)
        } else {
            quote!(*#name)
        });
    }
    let args = surface
        .params
        .iter()
        .zip(from_point)
        .map(|(slot, bound)| bound.unwrap_or_else(|| data(slot)))
        .collect();
    (lets, args)
}

/// Statements copying the fields of the gradient struct `grad` into the slice `out`, in
/// the point's order.
fn flatten(surface: &Surface, grad: &Ident, out: &Ident) -> TokenStream {
    let mut copies = TokenStream::new();
    for (i, start, end) in parts(surface) {
        let slot = &surface.params[i];
        let name = &slot.name;
        let dims = slot.dims.as_deref().unwrap_or_default();
        copies.extend(match dims.len() {
            0 => quote!(#out[#start] = #grad.#name;),
            n => {
                let flat = (1..n).map(|_| quote!(.as_flattened()));
                quote!(#out[#start..#end].copy_from_slice(&#grad.#name #(#flat)*);)
            }
        });
    }
    copies
}

/// A data parameter passed by its own name (inside a function taking the same parameters).
fn by_name(slot: &Slot) -> TokenStream {
    let name = &slot.name;
    quote!(#name)
}

/// The data parameters as `fn` parameters (`t: f64, y: &[f64]`), followed by a comma.
pub(super) fn data_params(surface: &Surface) -> TokenStream {
    let data = surface.data().map(|p| {
        let (name, ty) = (&p.name, &p.ty);
        quote!(#name: #ty,)
    });
    quote!(#(#data)*)
}

/// `value_grad` for one output; with argmin, `fill`, the evaluation `Problem` caches.
pub(super) fn items(surface: &Surface, optimizers: Optimizers) -> TokenStream {
    let Value::One { arrays, .. } = surface.value else {
        return match optimizers.argmin {
            Some(_) => many_fill(surface),
            None => TokenStream::new(),
        };
    };
    let names = surface.names();
    let [x, g, value, len] = ["x", "g", "value", "len"].map(|base| fresh(base, &names));
    let (float, generics) = (surface.float, &surface.generics);
    let data = data_params(surface);
    let (lets, args) = unpack(surface, &x, &by_name);
    let length = length(surface);
    let check = quote! {
        let #len = #length;
        assert!(
            #x.len() == #len && #g.len() == #len,
            "`value_grad` takes {} numbers in `x` and in `g`; got {} and {}",
            #len, #x.len(), #g.len(),
        );
    };
    let doc = quote! {
        /// The value, with the gradient written into `g`: the fused slice form C-style
        /// optimizers take. `x` holds the differentiated parameters in order (arrays
        /// row-major), the point; `g` receives the gradient in the same order. The other
        /// parameters, data, come first.
        ///
        /// # Panics
        ///
        /// If `x` or `g` does not hold one number per differentiated scalar.
    };
    let data_names: Vec<_> = surface.data().map(|p| &p.name).collect();
    if !arrays {
        let gradient = fresh("gradient", &names);
        return quote! {
            #doc
            #[inline]
            pub fn value_grad(#data #x: &[#float], #g: &mut [#float]) -> #float {
                #check
                #lets
                let (#value, #gradient) = self::grad(#(#args),*);
                #g.copy_from_slice(&#gradient);
                #value
            }
        };
    }
    let scratch = fresh("scratch", &names);
    let copies = flatten(surface, &scratch, &g);
    let grad = surface.generic_type("Grad", false);
    let turbofish = surface.turbofish();
    quote! {
        #doc
        pub fn value_grad #generics (#data #x: &[#float], #g: &mut [#float]) -> #float {
            let mut #scratch = Grad #turbofish::boxed();
            fill #turbofish(#(#data_names,)* #x, #g, &mut #scratch)
        }

        /// [`value_grad`] with the gradient struct to write into first.
        fn fill #generics (
            #data #x: &[#float],
            #g: &mut [#float],
            #scratch: &mut #grad,
        ) -> #float {
            #check
            #lets
            let #value = self::grad_into(#(#args,)* #scratch);
            #copies
            #value
        }
    }
}

/// `fill` for many outputs: the outputs into `values`, the Jacobian row-major into
/// `jacobian`.
fn many_fill(surface: &Surface) -> TokenStream {
    let names = surface.names();
    let [x, values, jacobian, outputs, rows] =
        ["x", "values", "jacobian", "outputs", "rows"].map(|base| fresh(base, &names));
    let float = surface.float;
    let data = data_params(surface);
    let (lets, args) = unpack(surface, &x, &by_name);
    quote! {
        /// The outputs and the Jacobian (row-major) at the point `x`, whose length the
        /// caller has checked.
        fn fill(#data #x: &[#float], #values: &mut [#float], #jacobian: &mut [#float]) {
            #lets
            let (#outputs, #rows) = self::jacobian(#(#args),*);
            #values.copy_from_slice(&#outputs);
            #jacobian.copy_from_slice(#rows.as_flattened());
        }
    }
}

/// The outputs of `f` at `args` as an array, whatever shape `fn f` returns.
pub(super) fn outputs_array(surface: &Surface, args: &[TokenStream]) -> TokenStream {
    let name = &surface.name;
    match surface.value {
        Value::Many {
            m,
            shape: crate::codegen::OutputShape::Tuple,
        } => {
            let parts: Vec<Ident> = (0..m).map(|i| quote::format_ident!("output_{i}")).collect();
            quote!({
                let (#(#parts,)*) = super::#name(#(#args),*);
                [#(#parts),*]
            })
        }
        _ => quote!(super::#name(#(#args),*)),
    }
}

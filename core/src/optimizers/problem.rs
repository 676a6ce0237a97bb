//! `f::Problem`: the data parameters as fields, the current point for
//! levenberg-marquardt, and for argmin the cache that makes a cost and a gradient at the
//! same point one fused pass.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::codegen::block::fresh;
use crate::codegen::rust_syntax::with_lifetime;
use crate::optimizers::{Optimizers, Surface, Value, slices};

/// The names `Problem`'s private fields and its methods' locals take, fresh against the
/// parameters' names (a data field may be called `point`).
pub(super) struct Names {
    pub point: Ident,
    pub cache: Ident,
    pub marker: Ident,
}

impl Names {
    pub fn of(surface: &Surface) -> Names {
        let names = surface.names();
        Names {
            point: fresh("point", &names),
            cache: fresh("cache", &names),
            marker: fresh("_data", &names),
        }
    }
}

/// The arguments that pass `Problem`'s data fields to `f`'s items.
pub(super) fn data_args(surface: &Surface) -> Vec<TokenStream> {
    surface
        .data()
        .map(|p| {
            let name = &p.name;
            quote!(self.#name)
        })
        .collect()
}

/// The struct, its constructor, `Debug`, and with argmin the cache and `Problem::at`.
pub(super) fn items(surface: &Surface, optimizers: Optimizers) -> TokenStream {
    let Names {
        point,
        cache,
        marker,
    } = Names::of(surface);
    let (name, float) = (&surface.name, surface.float);
    let (params, args) = (&surface.generic_params, &surface.generic_names);
    let per_row = surface.per_row(optimizers);
    let argmin = optimizers.argmin.is_some() && !per_row;
    let data: Vec<_> = surface.data().collect();
    let data_names: Vec<_> = data.iter().map(|p| &p.name).collect();
    let data_types: Vec<TokenStream> = data
        .iter()
        .map(|p| match per_row {
            true => quote!(&'a [#float]),
            false => with_lifetime(&p.ty),
        })
        .collect();
    let field_docs = data.iter().map(|p| match per_row {
        true => format!(" The parameter `{}`, one value per row.", p.name),
        false => format!(" The parameter `{}`, data held fixed.", p.name),
    });
    let length = slices::length(surface);

    let mut fields = TokenStream::new();
    let mut init = TokenStream::new();
    let mut shown = TokenStream::new();
    if optimizers.levenberg_marquardt {
        fields.extend(quote!(#point: Vec<#float>,));
        init.extend(quote!(#point: vec![0.0; #length],));
        shown.extend(quote!(.field("point", &self.#point)));
    }
    if argmin {
        let cache_type = surface.generic_type("Cache", false);
        fields.extend(quote!(#cache: std::sync::Mutex<#cache_type>,));
        init.extend(quote!(#cache: std::sync::Mutex::default(),));
    }
    let rows = fresh("rows", &surface.names());
    let rows_check = match (per_row, data_names.as_slice()) {
        (true, [first, rest @ ..]) if !rest.is_empty() => quote! {
            let #rows = #first.len();
            #(
                assert!(
                    #rest.len() == #rows,
                    "`{}::Problem::new`: `{}` has {} rows and `{}` has {}",
                    stringify!(#name), stringify!(#first), #rows, stringify!(#rest), #rest.len(),
                );
            )*
        },
        _ => TokenStream::new(),
    };
    let panics = if rows_check.is_empty() {
        ""
    } else {
        "\n\n # Panics\n\n If the data slices differ in length."
    };
    let new_doc = if data.is_empty() {
        format!(" The problem of minimizing [`{name}`](fn@{name}).")
    } else if per_row {
        format!(
            " The least-squares problem of [`{name}`](fn@{name})'s residual at each row of \
             the data (the slices are the data parameters' values, row by row).{panics}"
        )
    } else {
        " The problem over this data (the parameters that are not differentiated).".to_string()
    };
    let default = data.is_empty().then(|| {
        quote! {
            impl<'a, #params> Default for Problem<'a, #args> {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let struct_doc = format!(
        " [`{name}`](fn@{name}) as the problem optimizers take: its data parameters as \
         fields, the point being the differentiated parameters in order (arrays row-major). \
         See `Problem::new`."
    );
    let cache_items = argmin.then(|| cache_items(surface));
    quote! {
        #[doc = #struct_doc]
        pub struct Problem<'a, #params> {
            #( #[doc = #field_docs] pub #data_names: #data_types, )*
            #fields
            #marker: std::marker::PhantomData<&'a ()>,
        }

        impl<'a, #params> Problem<'a, #args> {
            #[doc = #new_doc]
            pub fn new(#(#data_names: #data_types),*) -> Self {
                #rows_check
                Self {
                    #(#data_names,)*
                    #init
                    #marker: std::marker::PhantomData,
                }
            }
        }

        #default

        impl<'a, #params> std::fmt::Debug for Problem<'a, #args> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Problem")
                    #( .field(stringify!(#data_names), &self.#data_names) )*
                    #shown
                    .finish_non_exhaustive()
            }
        }

        #cache_items
    }
}

/// The last point argmin asked about, with its values and derivatives, and `Problem::at`
/// that reads them, evaluating only at a new point.
fn cache_items(surface: &Surface) -> TokenStream {
    let Names { cache, .. } = Names::of(surface);
    let (name, float) = (&surface.name, surface.float);
    let (params, args) = (&surface.generic_params, &surface.generic_names);
    let length = slices::length(surface);
    let data = data_args(surface);
    let grad = surface.generic_type("Grad", false);
    let cache_struct = surface.generic_type("Cache", true);
    let turbofish = surface.turbofish();
    let (outputs, scratch_field, fill) = match surface.value {
        Value::One { arrays: false, .. } => (
            1,
            TokenStream::new(),
            quote!(c.values[0] = value_grad(#(#data,)* x, &mut c.derivative);),
        ),
        Value::One { arrays: true, .. } => (
            1,
            quote!(scratch: Option<Box<#grad>>,),
            quote! {
                let scratch = c.scratch.get_or_insert_with(Grad #turbofish::boxed);
                c.values[0] = fill #turbofish(#(#data,)* x, &mut c.derivative, scratch);
            },
        ),
        Value::Many { m, .. } => (
            m,
            TokenStream::new(),
            quote!(fill(#(#data,)* x, &mut c.values, &mut c.derivative);),
        ),
    };
    let outputs = proc_macro2::Literal::usize_unsuffixed(outputs);
    quote! {
        /// The last point evaluated, its values and its derivatives (row-major).
        #[derive(Default)]
        struct #cache_struct {
            x: Vec<#float>,
            values: Vec<#float>,
            derivative: Vec<#float>,
            filled: bool,
            #scratch_field
        }

        impl<'a, #params> Problem<'a, #args> {
            /// `read` of the values and the derivatives at `x`, evaluated in one fused pass
            /// unless `x` is the last point (bit for bit), so a cost and a gradient at the
            /// same point cost one pass in either order. The lock is uncontended unless
            /// threads share the problem.
            fn at<R>(
                &self,
                x: &[#float],
                read: impl FnOnce(&[#float], &[#float]) -> R,
            ) -> Result<R, ::argmin::core::Error> {
                let len = #length;
                if x.len() != len {
                    return Err(::argmin::core::ArgminError::InvalidParameter {
                        text: format!(
                            "`{}::Problem` takes points of {} numbers; got {}",
                            stringify!(#name), len, x.len(),
                        ),
                    }
                    .into());
                }
                let mut guard = self
                    .#cache
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let c = &mut *guard;
                let same = c.filled
                    && c.x.len() == len
                    && c.x.iter().zip(x).all(|(a, b)| a.to_bits() == b.to_bits());
                if !same {
                    c.filled = false;
                    c.x.clear();
                    c.x.extend_from_slice(x);
                    c.values.resize(#outputs, 0.0);
                    c.derivative.resize(#outputs * len, 0.0);
                    #fill
                    c.filled = true;
                }
                Ok(read(&c.values, &c.derivative))
            }
        }
    }
}

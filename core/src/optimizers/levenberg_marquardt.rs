//! levenberg-marquardt 0.15's `LeastSquaresProblem` on `f::Problem`: the residuals are
//! `f`'s outputs, or for one output its value at each row of the data; the Jacobian is
//! `f::jacobian`, or `f::grad` at each row. `Problem` holds the current point.

use proc_macro2::TokenStream;
use quote::quote;

use crate::codegen::block::fresh;
use crate::optimizers::problem::{Names, data_args};
use crate::optimizers::{Optimizers, Slot, Surface, Value, slices};

/// `starting_at`, `point` and the trait implementation.
pub(super) fn items(surface: &Surface, optimizers: Optimizers) -> TokenStream {
    let Names { point, .. } = Names::of(surface);
    let float = surface.float;
    let (params, args) = (&surface.generic_params, &surface.generic_names);
    let length = slices::length(surface);
    let names = surface.names();
    let [x, row, rows, entries] = ["x", "row", "rows", "entries"].map(|base| fresh(base, &names));
    let data = data_args(surface);
    let per_row = surface.per_row(optimizers);
    let data_at = |slot: &Slot| {
        let field = &slot.name;
        match per_row {
            true => quote!(self.#field[#row]),
            false => quote!(self.#field),
        }
    };
    let (lets, call_args) = slices::unpack(surface, &x, &data_at);
    let name = &surface.name;
    let (residuals, jacobian) = if per_row {
        let first = &data[0];
        (
            quote! {
                let #rows = #first.len();
                Some(::nalgebra::DVector::from_fn(#rows, |#row, _| super::#name(#(#call_args),*)))
            },
            quote! {
                let #rows = #first.len();
                let mut #entries = Vec::with_capacity(#rows * #length);
                for #row in 0..#rows {
                    #entries.extend_from_slice(&self::grad(#(#call_args),*).1);
                }
                Some(::nalgebra::DMatrix::from_row_slice(#rows, #length, &#entries))
            },
        )
    } else {
        let Value::Many { m, .. } = surface.value else {
            return TokenStream::new();
        };
        let outputs = slices::outputs_array(surface, &call_args);
        (
            quote!(Some(::nalgebra::DVector::from_column_slice(&#outputs))),
            quote! {
                let (_, #entries) = self::jacobian(#(#call_args),*);
                Some(::nalgebra::DMatrix::from_row_slice(#m, #length, #entries.as_flattened()))
            },
        )
    };
    let dynamic = quote!(::nalgebra::Dyn);
    let storage = quote!(::nalgebra::VecStorage<#float, #dynamic, ::nalgebra::U1>);
    quote! {
        impl<'a, #params> Problem<'a, #args> {
            /// The problem with the point, the differentiated parameters in order, set to
            /// `x` (zero until then): Levenberg–Marquardt starts there.
            pub fn starting_at(mut self, #x: [#float; #length]) -> Self {
                self.#point.copy_from_slice(&#x);
                self
            }

            /// The current point: where the solver left it, after `minimize`.
            pub fn point(&self) -> &[#float] {
                &self.#point
            }
        }

        impl<'a, #params> ::levenberg_marquardt::LeastSquaresProblem<#float, #dynamic, #dynamic>
            for Problem<'a, #args>
        {
            type ResidualStorage = #storage;
            type JacobianStorage = ::nalgebra::VecStorage<#float, #dynamic, #dynamic>;
            type ParameterStorage = #storage;

            fn set_params(&mut self, #x: &::nalgebra::DVector<#float>) {
                self.#point.copy_from_slice(#x.as_slice());
            }

            fn params(&self) -> ::nalgebra::DVector<#float> {
                ::nalgebra::DVector::from_column_slice(&self.#point)
            }

            fn residuals(&self) -> Option<::nalgebra::DVector<#float>> {
                let #x = self.#point.as_slice();
                #lets
                #residuals
            }

            fn jacobian(&self) -> Option<::nalgebra::DMatrix<#float>> {
                let #x = self.#point.as_slice();
                #lets
                #jacobian
            }
        }
    }
}

//! argmin 0.11's traits on `f::Problem`: `CostFunction` and `Gradient` (and `Hessian`)
//! for one output, `Operator` and `Jacobian` for many, read from the cache so that the
//! calls at one point share one fused pass.

use proc_macro2::TokenStream;
use quote::quote;

use crate::codegen::block::fresh;
use crate::optimizers::{ArgminTypes, Slot, Surface, Value, slices};

/// The spelling of argmin's vector and matrix types, and the conversions into them.
struct Types {
    vector: TokenStream,
    matrix: TokenStream,
}

impl Types {
    fn of(types: ArgminTypes, float: crate::codegen::Float) -> Types {
        match types {
            ArgminTypes::Vec => Types {
                vector: quote!(Vec<#float>),
                matrix: quote!(Vec<Vec<#float>>),
            },
            ArgminTypes::Nalgebra => Types {
                vector: quote!(::nalgebra::DVector<#float>),
                matrix: quote!(::nalgebra::DMatrix<#float>),
            },
        }
    }
}

/// A vector of type `types` from the slice `v`.
fn vector(types: ArgminTypes, v: TokenStream) -> TokenStream {
    match types {
        ArgminTypes::Vec => quote!(#v.to_vec()),
        ArgminTypes::Nalgebra => quote!(::nalgebra::DVector::from_column_slice(#v)),
    }
}

/// A `rows`×`columns` matrix of type `types` from the row-major slice `v`.
fn matrix(
    types: ArgminTypes,
    v: TokenStream,
    rows: TokenStream,
    columns: TokenStream,
) -> TokenStream {
    match types {
        ArgminTypes::Vec => quote!(#v.chunks(#columns).map(<[_]>::to_vec).collect()),
        ArgminTypes::Nalgebra => quote!(::nalgebra::DMatrix::from_row_slice(#rows, #columns, #v)),
    }
}

/// The trait implementations on `Problem`.
pub(super) fn items(surface: &Surface, types: ArgminTypes) -> TokenStream {
    let float = surface.float;
    let (params, args) = (&surface.generic_params, &surface.generic_names);
    let Types {
        vector: v,
        matrix: m,
    } = Types::of(types, float);
    let length = slices::length(surface);
    let header =
        |tr: TokenStream| quote!(impl<'a, #params> ::argmin::core::#tr for Problem<'a, #args>);
    let error = quote!(::argmin::core::Error);
    match surface.value {
        Value::One { hessian, .. } => {
            let cost = header(quote!(CostFunction));
            let gradient = header(quote!(Gradient));
            let gradient_value = vector(types, quote!(g));
            let hessian = hessian.then(|| hessian_impl(surface, types, &header));
            quote! {
                #cost {
                    type Param = #v;
                    type Output = #float;

                    /// The value at `param`, its gradient computed and kept in the same pass.
                    fn cost(&self, param: &#v) -> Result<#float, #error> {
                        self.at(param.as_slice(), |values, _| values[0])
                    }
                }

                #gradient {
                    type Param = #v;
                    type Gradient = #v;

                    /// The gradient at `param`, from the pass of the cost there if it ran last.
                    fn gradient(&self, param: &#v) -> Result<#v, #error> {
                        self.at(param.as_slice(), |_, g| #gradient_value)
                    }
                }

                #hessian
            }
        }
        Value::Many { m: outputs, .. } => {
            let operator = header(quote!(Operator));
            let jacobian = header(quote!(Jacobian));
            let outputs = proc_macro2::Literal::usize_unsuffixed(outputs);
            let values = vector(types, quote!(values));
            let rows = matrix(types, quote!(j), quote!(#outputs), quote!(#length));
            quote! {
                #operator {
                    type Param = #v;
                    type Output = #v;

                    /// The outputs at `param`, the Jacobian computed and kept in the same pass.
                    fn apply(&self, param: &#v) -> Result<#v, #error> {
                        self.at(param.as_slice(), |values, _| #values)
                    }
                }

                #jacobian {
                    type Param = #v;
                    type Jacobian = #m;

                    /// The Jacobian at `param` (a row per output), from the pass of
                    /// `apply` there if it ran last.
                    fn jacobian(&self, param: &#v) -> Result<#m, #error> {
                        self.at(param.as_slice(), |_, j| #rows)
                    }
                }
            }
        }
    }
}

/// `Hessian` from `f::hessian`, not cached: Newton asks for it once per point.
fn hessian_impl(
    surface: &Surface,
    types: ArgminTypes,
    header: &dyn Fn(TokenStream) -> TokenStream,
) -> TokenStream {
    let Types {
        vector: v,
        matrix: m,
    } = Types::of(types, surface.float);
    let length = slices::length(surface);
    let hessian = header(quote!(Hessian));
    let names = surface.names();
    let [point, h] = ["point", "h"].map(|base| fresh(base, &names));
    let data_of = |slot: &Slot| {
        let field = &slot.name;
        quote!(self.#field)
    };
    let (lets, call_args) = slices::unpack(surface, &point, &data_of);
    let entries = match types {
        ArgminTypes::Vec => quote!(#h.iter().map(|row| row.to_vec()).collect()),
        ArgminTypes::Nalgebra => {
            quote!(::nalgebra::DMatrix::from_fn(#length, #length, |i, j| #h[i][j]))
        }
    };
    quote! {
        #hessian {
            type Param = #v;
            type Hessian = #m;

            /// The Hessian at `param`, from `hessian`'s fused pass.
            fn hessian(&self, param: &#v) -> Result<#m, ::argmin::core::Error> {
                let #point = param.as_slice();
                let len = #length;
                if #point.len() != len {
                    return Err(::argmin::core::ArgminError::InvalidParameter {
                        text: format!("the Hessian takes points of {} numbers; got {}", len, #point.len()),
                    }
                    .into());
                }
                #lets
                let (_, _, #h) = self::hessian(#(#call_args),*);
                Ok(#entries)
            }
        }
    }
}

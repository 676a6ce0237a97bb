//! The items that hand a generated gradient to Rust's optimizers (SPEC §10): `value_grad`,
//! the fused slice form C-style optimizers take, and with the options `f::Problem`,
//! implementing argmin's traits and levenberg-marquardt's `LeastSquaresProblem`.
//!
//! They call the function's own generated items (`grad`, `grad_into`, `hessian`,
//! `jacobian`) and hold no derivative code of their own; the generated code names
//! `::argmin`, `::nalgebra` and `::levenberg_marquardt`, which the user's crate depends
//! on, so symgrad depends on none of them.
//!
//! - `slices.rs`: the optimizer's point as one slice, unpacked into the parameters;
//!   `value_grad`, and the private fillers `Problem` calls.
//! - `problem.rs`: the struct `Problem`, its constructor and its cache.
//! - `argmin.rs`, `levenberg_marquardt.rs`: the trait implementations.

mod argmin;
mod levenberg_marquardt;
mod problem;
mod slices;

use proc_macro2::{Ident, TokenStream};

use crate::codegen::{Float, OutputShape};

/// Which optimizer crates `f::Problem` serves (`#[derive_grad(argmin,
/// levenberg_marquardt)]`); by default none, and `mod f` has no `Problem`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Optimizers {
    /// argmin 0.11's `CostFunction`, `Gradient` (and `Hessian`), or `Operator` and
    /// `Jacobian` for many outputs, over the types chosen.
    pub argmin: Option<ArgminTypes>,
    /// levenberg-marquardt 0.15's `LeastSquaresProblem`, residuals being the outputs or,
    /// for one output, one residual per row of the data.
    pub levenberg_marquardt: bool,
}

/// The types argmin's traits take and return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgminTypes {
    /// `Vec<F>`, and `Vec<Vec<F>>` for matrices: argmin's `vec` math backend.
    Vec,
    /// nalgebra's `DVector<F>` and `DMatrix<F>`, which Newton's method needs (it inverts
    /// the Hessian).
    Nalgebra,
}

/// What the generated items of `f` offer the adapters: its parameters, which of them
/// the optimizer moves, and how its derivatives are called.
pub(crate) struct Surface {
    pub name: Ident,
    pub float: Float,
    /// `<const N: usize>` as written, or nothing.
    pub generics: TokenStream,
    /// The generic parameters and their names, each with a trailing comma, to follow a
    /// lifetime (`const N: usize,` and `N,`).
    pub generic_params: TokenStream,
    pub generic_names: TokenStream,
    /// The parameters in the function's order.
    pub params: Vec<Slot>,
    /// The differentiated parameters (indices into `params`) in the order the point and
    /// the gradient hold them.
    pub order: Vec<usize>,
    pub value: Value,
}

/// One parameter of `f`.
pub(crate) struct Slot {
    pub name: Ident,
    /// Its type as written in `fn f`.
    pub ty: TokenStream,
    /// For a differentiated parameter, its array lengths, outermost first (none for a
    /// scalar); `None` for data.
    pub dims: Option<Vec<TokenStream>>,
}

/// How `f`'s value and derivatives are called.
pub(crate) enum Value {
    /// One output: `grad(params) -> (F, [F; k])` (with `hessian`), or for arrays
    /// `grad_into(params, &mut Grad) -> F`.
    One { hessian: bool, arrays: bool },
    /// Many outputs: `fn f` returns them as written; `jacobian(params) -> ([F; m], [[F; k]; m])`.
    Many { m: usize, shape: OutputShape },
}

impl Surface {
    /// The surface of a function with arrays (SPEC §8): its gradient a `Grad` struct.
    pub(crate) fn arrays(
        f: &crate::loops::LoopFn,
        generic_params: &TokenStream,
        generic_names: &TokenStream,
    ) -> Surface {
        use crate::loops::ParamKind;
        Surface {
            name: f.name.clone(),
            float: f.float,
            generics: f.generics.clone(),
            generic_params: generic_params.clone(),
            generic_names: generic_names.clone(),
            params: f
                .params
                .iter()
                .map(|p| Slot {
                    name: p.name.clone(),
                    ty: p.ty.clone(),
                    dims: match &p.kind {
                        ParamKind::Array(dims) if p.wrt => Some(dims.clone()),
                        _ if p.wrt => Some(Vec::new()),
                        _ => None,
                    },
                })
                .collect(),
            order: (0..f.params.len()).filter(|&i| f.params[i].wrt).collect(),
            value: Value::One {
                hessian: false,
                arrays: true,
            },
        }
    }

    /// The surface of a function of scalars, `wrt` indexing its parameters.
    pub(crate) fn scalar(
        options: &crate::codegen::CodegenOptions,
        wrt: &[u32],
        value: Value,
    ) -> Surface {
        let float = options.float;
        Surface {
            name: options.name.clone(),
            float,
            generics: TokenStream::new(),
            generic_params: TokenStream::new(),
            generic_names: TokenStream::new(),
            params: options
                .params
                .iter()
                .enumerate()
                .map(|(i, name)| Slot {
                    name: name.clone(),
                    ty: quote::quote!(#float),
                    dims: wrt.contains(&(i as u32)).then(Vec::new),
                })
                .collect(),
            order: wrt.iter().map(|&i| i as usize).collect(),
            value,
        }
    }

    /// The generated type `name` with the function's generic arguments, if any
    /// (`Grad<N,>`), or their parameters with `declare` (`Cache<const N: usize,>`).
    fn generic_type(&self, name: &str, declare: bool) -> TokenStream {
        let name = quote::format_ident!("{name}");
        let generics = match declare {
            true => &self.generic_params,
            false => &self.generic_names,
        };
        match generics.is_empty() {
            true => quote::quote!(#name),
            false => quote::quote!(#name<#generics>),
        }
    }

    /// `::<N,>` naming the generic arguments in a path, or nothing.
    fn turbofish(&self) -> TokenStream {
        let names = &self.generic_names;
        match names.is_empty() {
            true => TokenStream::new(),
            false => quote::quote!(::<#names>),
        }
    }

    fn data(&self) -> impl Iterator<Item = &Slot> {
        self.params.iter().filter(|p| p.dims.is_none())
    }

    fn names(&self) -> Vec<Ident> {
        self.params.iter().map(|p| p.name.clone()).collect()
    }

    /// One output, data given row by row: levenberg-marquardt's residual per row.
    fn per_row(&self, optimizers: Optimizers) -> bool {
        optimizers.levenberg_marquardt
            && matches!(self.value, Value::One { arrays: false, .. })
            && self.data().next().is_some()
    }
}

/// The items in `mod f` that serve optimizers: `value_grad` for one output, and `Problem`
/// with the trait implementations `optimizers` asks for.
pub(crate) fn items(surface: &Surface, optimizers: Optimizers) -> TokenStream {
    // levenberg-marquardt's rows of data and argmin's fixed data cannot share one
    // `Problem`; the macro reports the pair, and the rows win here.
    let optimizers = Optimizers {
        argmin: optimizers.argmin.filter(|_| !surface.per_row(optimizers)),
        ..optimizers
    };
    let mut items = slices::items(surface, optimizers);
    if optimizers.argmin.is_some() || optimizers.levenberg_marquardt {
        items.extend(problem::items(surface, optimizers));
    }
    if let Some(types) = optimizers.argmin {
        items.extend(argmin::items(surface, types));
    }
    if optimizers.levenberg_marquardt {
        items.extend(levenberg_marquardt::items(surface, optimizers));
    }
    items
}

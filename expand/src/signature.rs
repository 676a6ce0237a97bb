//! The signature's checks: free, non-generic function; parameters `name: f64` (or all
//! `f32`) not named like a formula's constant or function; a float return type.

use symgrad_core::{Float, OutputShape};
use symgrad_grammar::{Func, is_reserved};
use syn::ext::IdentExt;
use syn::{FnArg, Ident, Pat, ReturnType, Signature, Type};

use crate::errors::Errors;

/// The checked parameters.
pub(crate) struct Params {
    /// The user's identifiers (spans kept for the generated code).
    pub idents: Vec<Ident>,
    /// Their names, without `r#`.
    pub names: Vec<String>,
    pub float: Float,
    /// With a return type of many outputs (SPEC §6), its shape, its arity and the type.
    pub outputs: Option<(OutputShape, usize, Type)>,
}

/// Checks `sig`, pushing one error per fault, and returns the parameters it could read.
pub(crate) fn check(sig: &Signature, errors: &mut Errors) -> Params {
    if let Some(c) = &sig.constness {
        errors.at(
            c,
            "`const fn` is not supported; float methods are not `const`",
        );
    }
    if let Some(a) = &sig.asyncness {
        errors.at(a, "`async fn` is not supported");
    }
    if let Some(abi) = &sig.abi {
        errors.at(abi, "`extern` functions are not supported");
    }
    if let syn::Safety::Unsafe(u) = &sig.safety {
        errors.at(
            u,
            "`unsafe fn` is not supported; the generated code is safe",
        );
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        errors.at(
            &sig.generics,
            "generic functions are not supported; use `f64` or `f32`",
        );
    }
    if let Some(v) = &sig.variadic {
        errors.at(v, "variadic functions are not supported");
    }
    let mut idents = Vec::new();
    let mut types: Vec<(&Type, Option<Float>)> = Vec::new();
    for arg in &sig.inputs {
        match arg {
            FnArg::Receiver(r) => errors.at(
                r,
                "methods are not supported; `derive_grad` goes on a free function",
            ),
            FnArg::Typed(typed) => {
                let float = float_type(&typed.ty);
                if float.is_none() {
                    let pat = &typed.pat;
                    let ty = &typed.ty;
                    errors.at(
                        ty,
                        format!(
                            "parameter `{}` must be `f64` or `f32` (or an array `[f64; N]`, a slice `&[f64]` or a `usize`), not `{}`",
                            quote::quote!(#pat),
                            quote::quote!(#ty).to_string().replace(' ', "")
                        ),
                    );
                }
                types.push((&typed.ty, float));
                match &*typed.pat {
                    Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => {
                        if let Some(m) = &p.mutability {
                            errors.at(m, "parameters cannot be `mut`; formulas do not mutate");
                        }
                        check_name(&p.ident, errors);
                        idents.push(p.ident.clone());
                    }
                    other => errors.at(other, "expected a parameter name such as `x`"),
                }
            }
        }
    }
    let mut outputs = None;
    let returns = match &sig.output {
        ReturnType::Default => {
            errors.push(syn::Error::new(
                sig.paren_token.span.close(),
                "missing return type; expected `-> f64` or `-> f32`",
            ));
            None
        }
        ReturnType::Type(_, ty) => {
            let float = float_type(ty).or_else(|| {
                let (shape, count, float) = many_outputs(ty, errors)?;
                outputs = Some((shape, count, (**ty).clone()));
                Some(float)
            });
            if float.is_none() {
                errors.at(
                    ty,
                    "the return type must be `f64` or `f32`, or for many outputs `[f64; m]` or `(f64, …, f64)`",
                );
            }
            float.map(|f| (&**ty, f))
        }
    };
    let reference = returns.or_else(|| types.iter().find_map(|(t, f)| f.map(|f| (*t, f))));
    let float = reference.map_or(Float::F64, |(_, f)| f);
    let mixed = types
        .iter()
        .filter(|(_, f)| f.is_some_and(|f| f != float))
        .map(|(t, _)| *t);
    for ty in mixed {
        let (this, other) = match float {
            Float::F64 => ("f32", "f64"),
            Float::F32 => ("f64", "f32"),
        };
        errors.at(
            ty,
            format!("mixed float types: `{this}` here, `{other}` elsewhere; use one float type for every parameter and the return type"),
        );
    }
    let names = idents.iter().map(|i| i.unraw().to_string()).collect();
    Params {
        idents,
        names,
        float,
        outputs,
    }
}

/// `[F; m]` with `m` a literal, or `(F, …, F)` with two or more `F`: the shape, `m` and
/// `F`; `None` (and no error) for any other type. Mixed floats are an error here.
fn many_outputs(ty: &Type, errors: &mut Errors) -> Option<(OutputShape, usize, Float)> {
    match ty {
        Type::Array(a) => {
            let float = float_type(&a.elem)?;
            let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(m),
                ..
            }) = &a.len
            else {
                errors.at(&a.len, "the number of outputs must be an integer literal");
                return Some((OutputShape::Array, 0, float));
            };
            let m = m.base10_parse::<usize>().unwrap_or(0);
            if m == 0 {
                errors.at(&a.len, "a function needs at least one output");
            }
            Some((OutputShape::Array, m, float))
        }
        Type::Tuple(t) if t.elems.len() >= 2 => {
            let floats: Option<Vec<Float>> = t.elems.iter().map(float_type).collect();
            let floats = floats?;
            if floats.iter().any(|&f| f != floats[0]) {
                errors.at(t, "mixed float types in the outputs; use one float type");
            }
            Some((OutputShape::Tuple, floats.len(), floats[0]))
        }
        _ => None,
    }
}

/// `Some` for exactly `f64` or `f32`.
pub(crate) fn float_type(ty: &Type) -> Option<Float> {
    let Type::Path(p) = ty else {
        return None;
    };
    if p.qself.is_some() {
        return None;
    }
    let ident = p.path.get_ident()?;
    if ident == "f64" {
        Some(Float::F64)
    } else if ident == "f32" {
        Some(Float::F32)
    } else {
        None
    }
}

/// A parameter may not take the name of a formula's constant or function.
fn check_name(ident: &Ident, errors: &mut Errors) {
    let name = ident.unraw().to_string();
    if !is_reserved(&name) {
        return;
    }
    let message = if Func::from_name(&name).is_some() {
        format!("parameter `{name}` has the name of the function `{name}` in formulas; rename it")
    } else {
        format!(
            "parameter `{name}` has the name of a constant in formulas (`e`, `pi`, `π`); rename it"
        )
    };
    errors.at(ident, message);
}

//! The gates as the generated code computes them: the stable forms of
//! [`crate::stable`], emitted as source for `mod gates` inside the generated `mod f`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::codegen::Float;
use crate::emitted::emit_module;
use crate::ops::{Op, stable};

/// Whether `op` is computed by a function of the generated `gates` module.
pub(crate) fn is_gate(op: Op) -> bool {
    matches!(
        op,
        Op::Sigmoid | Op::Softplus | Op::Relu | Op::Max | Op::Min | Op::Sign | Op::Ge | Op::Gt
    )
}

/// `pub(super) mod gates { … }` with the functions of the gates `ops`, or nothing.
pub(crate) fn module(float: Float, ops: &[Op]) -> TokenStream {
    let names: Vec<&str> = ops
        .iter()
        .filter(|op| is_gate(**op))
        .map(|&op| super::emit::gate_name(op))
        .collect();
    if names.is_empty() {
        return TokenStream::new();
    }
    emit_module(
        quote!(#[doc = " The gates, in their numerically stable forms."] pub(super) mod gates),
        float,
        stable::SOURCES,
        &names,
    )
}

//! The gates as the generated code computes them: the stable forms of
//! [`crate::stable`], emitted as source for `mod gates` inside the generated `mod f`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::codegen::Float;
use crate::emitted::emit_module;
use crate::ops::{Op, Rust, stable};

/// `pub(super) mod gates { … }` with the functions of the gates among `ops`, and of the
/// fused gates ([`Op::fused`]) whose two operations are both among them, or nothing.
pub(crate) fn module(float: Float, ops: &[Op]) -> TokenStream {
    let names: Vec<&str> = ops
        .iter()
        .flat_map(|op| {
            let gate = match op.rust() {
                Rust::Gate(name) => Some(name),
                Rust::Operator(_) | Rust::Method(_) | Rust::Branch => None,
            };
            let fused = op.fused().filter(|(partner, _)| ops.contains(partner));
            gate.into_iter().chain(fused.map(|(_, function)| function))
        })
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

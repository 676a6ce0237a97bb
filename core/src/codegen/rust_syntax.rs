//! Rust's side of the generated expressions: how tightly each kind of expression binds, and
//! how a float constant is spelled (a literal, a named constant of `core::f64::consts`,
//! `NAN`, `INFINITY`), and a borrowed type given a lifetime. The emitter, the token writer,
//! the `test_at` checks, the loops' tapes and `Problem` share it.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{ToTokens, quote};

use crate::codegen::Float;

/// How tightly an expression binds in Rust, loosest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Prec {
    /// `if c { a } else { b }`: parenthesized wherever it is an operand.
    Branch,
    Sum,
    Product,
    /// Unary minus (tighter than `*` in Rust).
    Neg,
    /// Names, literals, calls, method calls, parentheses.
    Atom,
}

/// A constant of type `float`: a literal, a named constant (`E`, `PI`, …) or
/// `NAN`/`INFINITY`, negated with `-` (so `Prec::Neg`, see [`literal_prec`]) when negative.
pub(crate) fn float_literal(float: Float, v: f64) -> (TokenStream, Prec) {
    let prec = literal_prec(float, v);
    let named = named_constant(v.abs());
    let v = float.round(v);
    let magnitude = if v.is_nan() {
        return (quote!(#float::NAN), prec);
    } else if let Some(name) = named {
        let name = Ident::new(name, Span::call_site());
        quote!(::core::#float::consts::#name)
    } else if v.is_infinite() {
        quote!(#float::INFINITY)
    } else {
        let text = match float {
            Float::F64 => format!("{:?}", v.abs()),
            Float::F32 => format!("{:?}", v.abs() as f32),
        };
        text.parse::<Literal>()
            .unwrap_or_else(|_| Literal::f64_unsuffixed(v.abs()))
            .into_token_stream()
    };
    match prec {
        Prec::Neg => (quote!(-#magnitude), prec),
        _ => (magnitude, prec),
    }
}

/// How tightly the literal of `v` binds: a negative number is written with `-`.
pub(crate) fn literal_prec(float: Float, v: f64) -> Prec {
    let v = float.round(v);
    if !v.is_nan() && v.is_sign_negative() {
        Prec::Neg
    } else {
        Prec::Atom
    }
}

/// The name of a constant of `core::f64::consts`, when `v` is exactly one.
fn named_constant(v: f64) -> Option<&'static str> {
    use std::f64::consts as c;
    [
        (c::E, "E"),
        (c::PI, "PI"),
        (c::TAU, "TAU"),
        (c::FRAC_PI_2, "FRAC_PI_2"),
        (c::FRAC_PI_3, "FRAC_PI_3"),
        (c::FRAC_PI_4, "FRAC_PI_4"),
        (c::FRAC_PI_6, "FRAC_PI_6"),
        (c::FRAC_PI_8, "FRAC_PI_8"),
        (c::FRAC_1_PI, "FRAC_1_PI"),
        (c::FRAC_2_PI, "FRAC_2_PI"),
        (c::FRAC_2_SQRT_PI, "FRAC_2_SQRT_PI"),
        (c::SQRT_2, "SQRT_2"),
        (c::FRAC_1_SQRT_2, "FRAC_1_SQRT_2"),
        (c::LN_2, "LN_2"),
        (c::LN_10, "LN_10"),
        (c::LOG2_E, "LOG2_E"),
        (c::LOG10_E, "LOG10_E"),
        (c::LOG2_10, "LOG2_10"),
        (c::LOG10_2, "LOG10_2"),
    ]
    .into_iter()
    .find(|(value, _)| *value == v)
    .map(|(_, name)| name)
}

/// `ty` with its leading reference given the lifetime `'a` (`&[f64; 3]` → `&'a [f64; 3]`).
pub(crate) fn with_lifetime(ty: &TokenStream) -> TokenStream {
    let mut tokens = ty.clone().into_iter();
    match tokens.next() {
        Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == '&' => {
            let rest: TokenStream = tokens.collect();
            quote!(&'a #rest)
        }
        Some(first) => {
            let rest: TokenStream = tokens.collect();
            quote!(#first #rest)
        }
        None => TokenStream::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_constants_are_named() {
        assert_eq!(
            float_literal(Float::F64, std::f64::consts::PI)
                .0
                .to_string(),
            ":: core :: f64 :: consts :: PI"
        );
        assert_eq!(
            float_literal(Float::F32, -f64::INFINITY).0.to_string(),
            "- f32 :: INFINITY"
        );
        assert_eq!(
            float_literal(Float::F32, 1e300).0.to_string(),
            "f32 :: INFINITY"
        );
        assert_eq!(
            float_literal(Float::F64, f64::NAN).0.to_string(),
            "f64 :: NAN"
        );
        assert_eq!(float_literal(Float::F64, 1e-300).0.to_string(), "1e-300");
    }
}

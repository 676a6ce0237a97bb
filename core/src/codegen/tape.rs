//! The `Tape` struct of the forward values a backward pass reads, shared by the items of
//! one output and of many.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::codegen::Float;

/// Tapes with more fields than this compare as arrays: the derived `PartialEq` is one
/// `&&` per field, an expression nested as deep as the tape is long, and rustc overflowed
/// its stack on the 14 585 fields of a 10⁵-node formula's tape. That `eq` is `#[inline]`:
/// a trait method of a plain struct is compiled in the user's crate whether called or not,
/// and this one, on the 2 205 fields of a 10⁴-node formula's tape, was 40% of the crate's
/// CPU time in a release build; `#[inline]` compiles it only where it is used.
const DERIVED_EQ_FIELDS: usize = 64;

/// `pub struct Tape { fields: F, … }` with `Clone, Copy, Debug, PartialEq`.
pub(crate) fn tape_struct(fields: &[Ident], float: Float) -> TokenStream {
    let doc = quote!(#[doc = " The forward values saved for [`Tape::backward`]."]);
    if fields.len() <= DERIVED_EQ_FIELDS {
        return quote! {
            #doc
            #[derive(Clone, Copy, Debug, PartialEq)]
            pub struct Tape {
                #(#fields: #float),*
            }
        };
    }
    quote! {
        #doc
        #[derive(Clone, Copy, Debug)]
        pub struct Tape {
            #(#fields: #float),*
        }

        impl PartialEq for Tape {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                [#(self.#fields),*] == [#(other.#fields),*]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::format_ident;

    #[test]
    fn a_long_tape_compares_as_arrays() {
        let fields: Vec<Ident> = (0..65usize).map(|i| format_ident!("t{}", i)).collect();
        let long = tape_struct(&fields, Float::F64).to_string();
        assert!(long.contains("impl PartialEq for Tape"), "{long}");
        assert!(long.contains("# [inline] fn eq"), "{long}");
        assert!(!long.contains("&&"), "{long}");
        let short = tape_struct(&fields[..64], Float::F64).to_string();
        assert!(short.contains("PartialEq)"), "{short}");
        assert!(!short.contains("impl PartialEq"), "{short}");
    }
}

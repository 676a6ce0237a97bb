//! Rust items written once in `core` and emitted verbatim into generated code: each is
//! compiled here too, for `f64` and for `f32`, so the unit tests run the very code the
//! macro writes into the user's crate.

/// Defines `$name::f64::*` and `$name::f32::*` (the items compiled with `type F = …`) and
/// `$name::SOURCES` (each item's name and source text, for emission).
macro_rules! emitted_items {
    ($(#[$doc:meta])* mod $module:ident { $($name:ident => $item:item)* }) => {
        $(#[$doc])*
        pub(crate) mod $module {
            #[allow(dead_code)]
            pub(crate) mod f64 {
                type F = f64;
                $($item)*
            }
            #[cfg(test)]
            #[allow(dead_code)]
            pub(crate) mod f32 {
                type F = f32;
                $($item)*
            }
            /// `(name, source)` of each item, in definition order.
            pub(crate) const SOURCES: &[(&str, &str)] = &[$((stringify!($name), stringify!($item))),*];
        }
    };
}

pub(crate) use emitted_items;

/// The source of the items named `names`, inside `mod $module { type F = $float; … }`.
pub(crate) fn emit_module(
    module: proc_macro2::TokenStream,
    float: impl quote::ToTokens,
    sources: &[(&str, &str)],
    names: &[&str],
) -> proc_macro2::TokenStream {
    let items = sources
        .iter()
        .filter(|(name, _)| names.contains(name))
        .map(|(_, source)| {
            source
                .parse::<proc_macro2::TokenStream>()
                .expect("the source of an item that compiles in core is valid Rust")
        });
    quote::quote! {
        #module {
            type F = #float;
            #(#items)*
        }
    }
}

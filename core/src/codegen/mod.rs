//! Code generation (SPEC §3): a [`Gradient`](crate::Gradient)'s DAG becomes the Rust items
//! of `#[derive_grad]` as a [`TokenStream`]. One generator serves the proc-macro and
//! `symgrad rust`.
//!
//! - `schedule.rs`: which nodes a function computes and which get a `let`.
//! - `emit.rs`: the forms of `notation/surface.rs` as Rust expressions with Rust's
//!   precedence (`a / b`, `a - b`, `powi`), gate calls; op counting.
//! - `rust_syntax.rs`: Rust's precedence levels and how float constants are spelled.
//! - `code.rs`: what the emitter writes into: tokens, or nothing when only counting.
//! - `block.rs`: one straight-line block; `items.rs`: `fn f` and `mod f`;
//!   `second_items.rs`: `f::hessian` and `f::hvp` in it (`hessian_rows.rs`: a large
//!   Hessian in parts); `many_items.rs`: the items of a
//!   function with many outputs.
//! - `tape.rs`: the `Tape` struct of a layer's forward values.
//! - `gates.rs`: the generated `mod gates`, from the sources in [`crate::stable`].
//! - `test_at.rs`: the `test_at` checks, written once in `core` (via [`crate::emitted`]),
//!   compiled and tested here, and emitted verbatim.
//! - `count.rs`: the operations the generated code runs, counted by the emitter.

pub(crate) mod block;
mod code;
mod count;
mod emit;
pub(crate) mod gates;
mod hessian_rows;
pub(crate) mod items;
mod many_items;
pub(crate) mod rust_syntax;
mod schedule;
mod second_items;
mod tape;
mod test_at;

/// The central difference for `f64`, compiled from the source `test_at` emits.
pub(crate) use test_at::check_items::f64::central_difference;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote};

pub use count::{count_forward_and_grad, count_many, count_ops, count_second_order};
pub use items::{generate, generate_with, generate_with_hvp};
pub use many_items::generate_many;

/// How `fn f` returns its outputs: as the user wrote the return type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutputShape {
    /// `[F; m]`.
    #[default]
    Array,
    /// `(F, …, F)`.
    Tuple,
}

/// The float type of the generated code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Float {
    /// `f64`, the default.
    #[default]
    F64,
    /// `f32`, when every parameter and the return type are `f32`.
    F32,
}

impl Float {
    /// `v` as this type would hold it.
    pub fn round(self, v: f64) -> f64 {
        match self {
            Float::F64 => v,
            Float::F32 => f64::from(v as f32),
        }
    }
}

impl ToTokens for Float {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(match self {
            Float::F64 => quote!(f64),
            Float::F32 => quote!(f32),
        });
    }
}

/// What to call the generated items and how to type them.
#[derive(Clone, Debug)]
pub struct CodegenOptions {
    /// The function's name (`f`); the module of its gradient has the same name.
    pub name: Ident,
    /// One parameter per variable of the gradient, in order (the user's identifiers, with
    /// their spans, in the macro).
    pub params: Vec<Ident>,
    /// The float type of the parameters, the value and the gradient.
    pub float: Float,
    /// Visibility of `fn f` and `mod f` (`pub`, `pub(crate)`, or nothing).
    pub vis: TokenStream,
    /// Attributes and doc comments of `fn f`.
    pub attrs: TokenStream,
    /// Points (one value per parameter) at which a `#[test]` compares `grad` with central
    /// differences.
    pub test_points: Vec<Vec<f64>>,
    /// The optimizer crates `f::Problem` serves (none by default).
    pub optimizers: crate::Optimizers,
}

impl CodegenOptions {
    /// Options for `fn name(vars…) -> f64` with no visibility, attributes or tests; an
    /// error names a name that cannot be a Rust identifier.
    ///
    /// ```
    /// use symgrad_core::CodegenOptions;
    /// assert!(CodegenOptions::new("f", &["x".to_string(), "type".to_string()]).is_ok());
    /// assert_eq!(
    ///     CodegenOptions::new("f", &["self".to_string()]).unwrap_err(),
    ///     "`self` cannot be a parameter name in Rust"
    /// );
    /// ```
    pub fn new(name: &str, vars: &[String]) -> Result<Self, String> {
        Ok(CodegenOptions {
            name: rust_ident(name)?,
            params: vars
                .iter()
                .map(|v| rust_ident(v))
                .collect::<Result<_, _>>()?,
            float: Float::F64,
            vis: TokenStream::new(),
            attrs: TokenStream::new(),
            test_points: Vec::new(),
            optimizers: crate::Optimizers::default(),
        })
    }
}

/// `name` as a Rust identifier: raw (`r#type`) for a keyword, an error for a name Rust
/// cannot use (`self`, `crate`, a name with characters identifiers may not contain).
pub fn rust_ident(name: &str) -> Result<Ident, String> {
    let mut chars = name.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
        && chars.all(unicode_ident::is_xid_continue)
        && name != "_";
    if !valid {
        return Err(format!("`{name}` is not a Rust identifier"));
    }
    if matches!(name, "self" | "Self" | "super" | "crate" | "_") {
        return Err(format!("`{name}` cannot be a parameter name in Rust"));
    }
    if is_keyword(name) {
        return Ok(Ident::new_raw(name, Span::call_site()));
    }
    Ok(Ident::new(name, Span::call_site()))
}

fn is_keyword(name: &str) -> bool {
    const KEYWORDS: [&str; 49] = [
        "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
        "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
        "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async",
        "await", "dyn", "abstract", "become", "box", "do", "final", "macro", "override", "priv",
        "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
    ];
    KEYWORDS.contains(&name)
}

//! What `#[derive_grad]` expands to (SPEC §3, §6–§8), as an ordinary library: the
//! proc-macro crate `symgrad` and the command line's `symgrad rust --file` both call
//! [`derive_grad`], so the code they show is the same code.
//!
//! ```
//! use quote::quote;
//!
//! let items = symgrad_expand::derive_grad(quote!("x^2 + y"), quote!(fn f(x: f64, y: f64) -> f64;));
//! let items = items.to_string();
//! assert!(items.contains("pub fn grad") && !items.contains("compile_error"));
//! ```
//!
//! - `item.rs`: the annotated `fn`, with or without a body; `options.rs`: the attribute's
//!   arguments (the formula, `wrt(…)`, `test_at(…)`).
//! - `signature.rs`: parameters and return type, the float type.
//! - `formula.rs`: the string form, through the pest grammar; `body.rs`: the Rust-body
//!   form, lowered into the DAG; `arrays.rs`: functions with arrays and loops, lowered
//!   into `core`'s loop IR; `depth.rs`: the nesting limit checked before syn parses.
//! - `expand.rs`: validate → differentiate → generate; `stubs.rs`: what is emitted on error;
//!   `errors.rs`: errors collected and combined.

mod arrays;
mod body;
mod depth;
mod errors;
mod expand;
mod formula;
mod item;
mod options;
mod signature;
mod stubs;

pub use expand::derive_grad;

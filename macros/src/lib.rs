//! `#[derive_grad]`: fused forward and backward Rust functions of a scalar formula,
//! generated at compile time (SPEC §3).
//!
//! ```
//! use symgrad::derive_grad;
//!
//! #[derive_grad("1/(1+e^-(w0x0+w1x1+w2))")]
//! fn neuron(w0: f64, x0: f64, w1: f64, x1: f64, w2: f64) -> f64;
//!
//! let (value, gradient) = neuron::grad(2.0, -1.0, -3.0, -2.0, -3.0);
//! assert!((value - 0.7310585786300049).abs() < 1e-15);
//! assert!((gradient[0] - -0.19661193324148185).abs() < 1e-15);
//! assert_eq!(neuron::WRT, ["w0", "x0", "w1", "x1", "w2"]);
//! ```
//!
//! The expansion itself lives in `symgrad-expand` (`expand/`), an ordinary library, so
//! that `symgrad rust --file` prints exactly what this attribute generates.

use proc_macro::TokenStream;

/// Generates `f`, `f::grad`, `f::WRT`, `f::forward`, `f::Tape` and `Tape::backward` for a
/// scalar formula given as a string (on a body-less `fn`) or as the function's Rust body.
///
/// Options: `wrt(a, b)` differentiates only those parameters; `test_at(a = 1.0, …)`
/// (repeatable) adds a `#[test]` checking `f::grad` (with many outputs, every row of
/// `f::jacobian`) against central differences.
#[proc_macro_attribute]
pub fn derive_grad(attr: TokenStream, item: TokenStream) -> TokenStream {
    symgrad_expand::derive_grad(attr.into(), item.into()).into()
}

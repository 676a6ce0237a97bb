//! Math notation: the DAG printed as formulas, with shared sub-expressions named once.
//!
//! - `surface.rs`: how sums, products and powers read (signs, divisors, roots), which the
//!   Rust emitter reads too;
//! - `math.rs`: those forms spelled as math, with math's precedence;
//! - `listing.rs`: several roots at once, each shared sub-expression named once.

pub(crate) mod listing;
pub(crate) mod math;
pub(crate) mod surface;

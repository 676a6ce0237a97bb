//! Functions with arrays and loops (SPEC §8): an IR that keeps the loops
//! ([`LoopFn`]), each statement's scalar expression differentiated by the scalar
//! pipeline, and a reverse sweep that walks the same loops, so the generated code's size
//! does not depend on the arrays' lengths.
//!
//! - `program.rs`: the IR;
//! - `rhs.rs`: one statement's expression, its value and partials as Rust blocks;
//! - `inline.rs`: a `let` read by one statement of its block, written into it;
//! - `sweep.rs`: the forward statements and the reverse sweep;
//! - `items.rs`: `fn f` and `mod f` (`Grad`, `grad`, `grad_into`).

mod bounds;
mod inline;
mod items;
mod program;
mod rhs;
pub(crate) mod sweep;

pub use items::generate_loops;
pub use program::{Leaf, LoopFn, LoopParam, ParamKind, Rhs, Stmt, Update};

#[cfg(test)]
mod tests;

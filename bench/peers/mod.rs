//! The contenders that need the peer crates (dev-dependencies), shared by
//! `benches/gradients.rs` and `tests/agree.rs` through `#[path]`, so both run exactly the
//! same code: the benchmark checks what the test checks before it times anything.
//!
//! - `real.rs`: the one scalar trait every peer's number type implements here.
//! - `bodies.rs`: each formula written once, generically, the way a user of a runtime
//!   autodiff crate writes it.
//! - `contenders.rs`: every contender of one formula, handed to a [`Visit`]or.
//! - `agree.rs`: the visitor that checks the contenders against each other.
//! - `second.rs`: the Hessian and HVP contenders and their check.
//! - `optimizers.rs`: an L-BFGS run handed each contender's gradient.

#![allow(dead_code, unused_imports)] // each includer uses a different part

pub mod agree;
pub mod bodies;
pub mod contenders;
pub mod optimizers;
pub mod real;
pub mod second;

pub use contenders::each_formula;

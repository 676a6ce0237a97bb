//! Benchmarks of symgrad (SPEC §5): generated gradients against hand-written ones, runtime
//! autodiff crates and the core interpreter, and the compiler pass as formulas grow.
//!
//! - `arrays.rs`: functions with arrays and loops (SPEC §8) at the lecture's sizes: the
//!   two-layer net and logistic regression over data rows, generated and by hand.
//! - `formulas.rs`: the benchmark formulas, each with its source, variables and a point.
//! - `generated.rs`: the same formulas through `#[derive_grad]`, the contender measured.
//! - `second.rs`: `#[derive_grad(hessian)]`'s `f::hessian`, `f::hvp` and `f::grad` of the
//!   second-order formulas.
//! - `hand.rs`: hand-written fused gradients of the same formulas (the practical limit).
//! - `interpreter.rs`: the core interpreter evaluating the gradient DAG.
//! - `random.rs`: deterministic random formulas of a given size, for the scale benchmark.
//! - `pipeline.rs`: the compiler pass the scale benchmark times.
//! - `fit.rs`: the growth exponent fitted to (size, time) pairs.
//!
//! The peers (`num-dual`, `echidna`, `ad_trait`) are dev-dependencies; their contenders live
//! in `peers/`, shared by `benches/gradients.rs` and `tests/agree.rs`.

pub mod arrays;
pub mod fit;
pub mod formulas;
pub mod generated;
pub mod hand;
pub mod interpreter;
pub mod pipeline;
pub mod random;
pub mod second;

pub use formulas::{Bench, deep, logistic, net, neuron, neuron50};
pub use interpreter::Interpreter;

//! Tests of core's pipeline, one binary (one link of the test harness instead of one per
//! file): lowering, rewriting, reverse mode, sharing, evaluation, code generation and the
//! lecture's tools, against hand-derived numbers, central differences, and the fuzzer's
//! own checks.

/// The fuzz target's checks (`fuzz/src/lib.rs`), run here on its seeds and findings.
#[path = "../../../fuzz/src/lib.rs"]
mod fuzz_target;

mod backward_table;
mod central_differences;
mod deep_formulas;
mod deep_graphs;
mod disguises;
mod extremes;
mod fuzz_regressions;
mod gate_tails;
mod generated_code;
mod hessian;
mod lecture;
mod many_outputs;
mod ops_ratio;
mod piecewise;
mod piecewise_builtins;
mod rules;
mod second_order;
mod softmax_tails;
mod soundness;

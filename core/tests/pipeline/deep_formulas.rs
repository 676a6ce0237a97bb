//! Formulas nested as deep as the grammar allows go through the whole pipeline (parse,
//! reverse mode, printing, evaluation) on the 2 MiB stack of a spawned thread, in a debug
//! build: the gradient graph is deeper than the formula (each level adds an adjoint
//! product), and the printer recurses over it.

use crate::fuzz_target as pipeline;

use symgrad_grammar::MAX_DEPTH;

/// `open` repeated `levels` times around `x`, each closed by `close`.
fn nest(open: &str, levels: usize, close: &str) -> String {
    format!("{}x{}", open.repeat(levels), close.repeat(levels))
}

/// Runs the fuzz target's checks on `source` in a thread with a 2 MiB stack.
fn passes_on_small_stack(source: String) {
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || pipeline::check_pipeline(&source))
        .expect("spawn a thread");
    let result = handle.join().expect("no panic, no stack overflow");
    assert_eq!(result, Ok(()));
}

#[test]
fn parentheses_at_the_limit() {
    passes_on_small_stack(nest("(1+x*", MAX_DEPTH, ")"));
}

#[test]
fn calls_at_the_limit() {
    passes_on_small_stack(nest("exp(", MAX_DEPTH, ")"));
}

#[test]
fn sigmoids_at_the_limit() {
    passes_on_small_stack(nest("1/(1+e^-", MAX_DEPTH / 2, ")"));
}

#[test]
fn negated_calls_at_the_limit() {
    passes_on_small_stack(nest("-sin(", MAX_DEPTH / 2, ")"));
}

#[test]
fn divisions_at_the_limit() {
    passes_on_small_stack(nest("1/(x-", MAX_DEPTH, ")"));
}

#[test]
fn power_tower_at_the_limit() {
    passes_on_small_stack(format!("x{}", "^x".repeat(MAX_DEPTH)));
}

#[test]
fn max_and_log_chains_at_the_limit() {
    passes_on_small_stack(nest("max(x, log(y, ", MAX_DEPTH / 2, "))"));
}

#[test]
fn two_variable_products_at_the_limit() {
    // Every level uses both variables, so both adjoint chains run the full depth.
    passes_on_small_stack(nest("y·tanh(x + ", MAX_DEPTH, ")"));
}

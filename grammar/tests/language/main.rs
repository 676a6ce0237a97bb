//! The expression language of SPEC §1, one fact per test.

mod conditions;
mod constructs;
mod errors;
mod limits;
mod never_panics;
mod render;

use symgrad_grammar::{ParseError, parse, parse_with_vars};

/// The formula as an s-expression; a parse error fails the test with the rendered error.
fn sexpr(source: &str) -> String {
    match parse(source) {
        Ok(formula) => formula.to_sexpr(),
        Err(error) => panic!("{}", error.render(source)),
    }
}

/// Like [`sexpr`], with declared variables.
fn sexpr_with(source: &str, vars: &[&str]) -> String {
    match parse_with_vars(source, vars) {
        Ok(formula) => formula.to_sexpr(),
        Err(error) => panic!("{}", error.render(source)),
    }
}

/// The error `source` must give.
fn error(source: &str) -> ParseError {
    match parse(source) {
        Ok(formula) => panic!("`{source}` parsed as {}", formula.to_sexpr()),
        Err(error) => error,
    }
}

/// The error `source` must give with declared variables.
fn error_with(source: &str, vars: &[&str]) -> ParseError {
    match parse_with_vars(source, vars) {
        Ok(formula) => panic!("`{source}` parsed as {}", formula.to_sexpr()),
        Err(error) => error,
    }
}

/// The source text an error points at.
fn pointed<'s>(source: &'s str, error: &ParseError) -> &'s str {
    &source[error.span.start..error.span.end]
}

/// Runs `f` in a thread with the default 2 MiB test stack, as `cargo test` does.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("spawn a thread");
    match handle.join() {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

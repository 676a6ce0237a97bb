//! Depth and size limits: errors, never stack overflows.

use symgrad_grammar::{
    ErrorKind, ExprKind, MAX_DEPTH, MAX_NAME_LEN, MAX_SOURCE_LEN, MAX_VARS, Span, parse,
    parse_with_vars,
};

use super::{error, error_with, on_small_stack, pointed};

const HUGE: usize = 100_000;

fn depth_error(source: String) -> (ErrorKind, String, Span) {
    on_small_stack(move || {
        let e = error(&source);
        (e.kind, e.message, e.span)
    })
}

fn parses_on_small_stack(source: String) -> bool {
    on_small_stack(move || parse(&source).is_ok())
}

#[test]
fn a_hundred_thousand_open_parentheses_are_too_deep() {
    let (kind, message, span) = depth_error("(".repeat(HUGE));
    assert_eq!(kind, ErrorKind::TooDeep);
    assert_eq!(
        message,
        "expression nested too deeply (more than 200 levels)"
    );
    assert_eq!(span, Span::new(MAX_DEPTH, MAX_DEPTH + 1));
}

#[test]
fn a_hundred_thousand_minus_signs_are_too_deep() {
    let (kind, _, span) = depth_error(format!("{}x", "-".repeat(HUGE)));
    assert_eq!((kind, span), (ErrorKind::TooDeep, Span::new(200, 201)));
}

#[test]
fn a_hundred_thousand_unicode_minus_signs_are_too_deep() {
    let (kind, _, span) = depth_error(format!("{}x", "−".repeat(HUGE)));
    assert_eq!((kind, span), (ErrorKind::TooDeep, Span::new(600, 603)));
}

#[test]
fn a_power_tower_of_a_hundred_thousand_is_too_deep() {
    let (kind, _, span) = depth_error(format!("x{}", "^x".repeat(HUGE)));
    // The 201st `^`, after `x` and 200 `^x`.
    assert_eq!((kind, span), (ErrorKind::TooDeep, Span::new(401, 402)));
}

#[test]
fn a_hundred_thousand_nested_calls_are_too_deep() {
    let (kind, _, span) = depth_error(format!("{}x", "exp(".repeat(HUGE)));
    assert_eq!((kind, span), (ErrorKind::TooDeep, Span::new(803, 804)));
}

#[test]
fn a_hundred_thousand_closing_parentheses_are_unbalanced() {
    let (kind, message, span) = depth_error(")".repeat(HUGE));
    assert_eq!(kind, ErrorKind::Syntax);
    assert_eq!(
        message,
        "unbalanced parentheses: this `)` has no matching `(`"
    );
    assert_eq!(span, Span::new(0, 1));
}

#[test]
fn max_depth_parentheses_parse_on_a_small_stack() {
    let source = format!("{}x{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert!(parses_on_small_stack(source));
}

#[test]
fn max_depth_parentheses_around_sums_and_products_parse_on_a_small_stack() {
    let source = format!("{}x{}", "(1+2*".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert!(parses_on_small_stack(source));
}

#[test]
fn max_depth_calls_parse_on_a_small_stack() {
    let source = format!("{}x{}", "max(1, ".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert!(parses_on_small_stack(source));
}

#[test]
fn max_depth_signs_parse_on_a_small_stack() {
    assert!(parses_on_small_stack(format!("{}x", "-".repeat(MAX_DEPTH))));
}

#[test]
fn max_depth_power_tower_parses_on_a_small_stack() {
    assert!(parses_on_small_stack(format!(
        "x{}",
        "^x".repeat(MAX_DEPTH)
    )));
}

#[test]
fn signs_and_parentheses_add_up() {
    let half = MAX_DEPTH / 2;
    let ok = format!("{}x{}", "-(".repeat(half), ")".repeat(half));
    let deep = format!("{}x{}", "-(".repeat(half + 1), ")".repeat(half + 1));
    assert!(parses_on_small_stack(ok));
    assert_eq!(depth_error(deep).2, Span::new(MAX_DEPTH, MAX_DEPTH + 1));
}

#[test]
fn powers_inside_parentheses_count_from_the_enclosing_depth() {
    let ok = format!(
        "{}x^y{}",
        "(".repeat(MAX_DEPTH - 1),
        ")".repeat(MAX_DEPTH - 1)
    );
    let deep = format!(
        "{}x^y^z{}",
        "(".repeat(MAX_DEPTH - 1),
        ")".repeat(MAX_DEPTH - 1)
    );
    assert!(parses_on_small_stack(ok));
    assert_eq!(depth_error(deep).2, Span::new(MAX_DEPTH + 2, MAX_DEPTH + 3));
}

#[test]
fn juxtaposition_ends_a_power_chain() {
    // 300 factors `x^x` side by side: each chain is one level deep.
    assert!(parses_on_small_stack("x^x ".repeat(300)));
}

#[test]
fn a_sum_of_a_hundred_thousand_terms_is_one_flat_node() {
    let source: String = (0..HUGE)
        .map(|i| format!("x{}*2 + ", i % 1000))
        .collect::<String>()
        + "1";
    let terms = on_small_stack(move || match parse(&source).map(|f| f.expr.kind) {
        Ok(ExprKind::Sum(terms)) => terms.len(),
        _ => 0,
    });
    assert_eq!(terms, HUGE + 1);
}

/// The contract: a sum of a million terms parses. Slow in an unoptimized build, so only
/// optimized test runs (`cargo test --release`) include it.
#[cfg(not(debug_assertions))]
#[test]
fn a_sum_of_a_million_terms_parses() {
    let source: String = (0..1_000_000)
        .map(|i| format!("x{i}*2 + "))
        .collect::<String>()
        + "1";
    let start = std::time::Instant::now();
    let formula = on_small_stack(move || parse(&source).map(|f| f.vars.len()));
    assert!(
        matches!(formula, Err(e) if e.kind == ErrorKind::TooLarge),
        "more than MAX_VARS"
    );
    let source: String = (0..1_000_000)
        .map(|i| format!("x{}*2 + ", i % 1000))
        .collect::<String>()
        + "1";
    let vars = on_small_stack(move || parse(&source).map(|f| f.vars.len()));
    assert_eq!(vars, Ok(1000));
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
}

#[test]
fn a_source_over_the_limit_is_too_large() {
    let e = error(&"x".repeat(MAX_SOURCE_LEN + 1));
    assert_eq!(e.kind, ErrorKind::TooLarge);
    assert_eq!(
        e.message,
        "formula too long (16777217 bytes; the limit is 16777216)"
    );
    assert_eq!(e.span, Span::new(MAX_SOURCE_LEN, MAX_SOURCE_LEN + 1));
}

#[test]
fn a_name_over_the_limit_is_too_large() {
    let source = format!("1 + {}", "x".repeat(MAX_NAME_LEN + 1));
    let e = error(&source);
    assert_eq!(e.kind, ErrorKind::TooLarge);
    assert_eq!(e.message, "name too long (257 bytes; the limit is 256)");
    assert_eq!(e.span, Span::new(4, source.len()));
}

#[test]
fn a_name_at_the_limit_is_fine() {
    assert!(parse(&"x".repeat(MAX_NAME_LEN)).is_ok());
}

#[test]
fn too_many_free_variables_are_too_large() {
    let names: Vec<String> = (0..=MAX_VARS).map(|i| format!("v{i}")).collect();
    let source = names.join("+");
    let e = error(&source);
    assert_eq!(e.kind, ErrorKind::TooLarge);
    assert_eq!(e.message, "too many variables (more than 65536)");
    assert_eq!(pointed(&source, &e), "v65536");
}

#[test]
fn too_many_declared_variables_are_too_large() {
    let names: Vec<String> = (0..=MAX_VARS).map(|i| format!("v{i}")).collect();
    let vars: Vec<&str> = names.iter().map(String::as_str).collect();
    let e = error_with("v0", &vars);
    assert_eq!(e.kind, ErrorKind::TooLarge);
    assert_eq!(
        e.message,
        "too many variables declared (65537; the limit is 65536)"
    );
}

#[test]
fn as_many_declared_variables_as_the_limit_are_fine() {
    let names: Vec<String> = (0..MAX_VARS).map(|i| format!("v{i}")).collect();
    let vars: Vec<&str> = names.iter().map(String::as_str).collect();
    assert!(parse_with_vars("v0 + v65535", &vars).is_ok());
}

/// A thread with less stack than a deep formula needs parses it on a stack grown for it
/// (`limits::with_stack`): no error, no overflow.
#[test]
fn a_small_stack_grows_for_a_deep_formula() {
    let sources = [
        format!("{}x{}", "max(1, ".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH)),
        // The deepest stack a level takes: a condition inside a condition.
        format!(
            "{}x{}",
            "if(x > ".repeat(MAX_DEPTH),
            ", 1, 2)".repeat(MAX_DEPTH)
        ),
        format!(
            "{}x{}",
            "if(not(x > ".repeat(MAX_DEPTH / 2),
            "), 1, 2)".repeat(MAX_DEPTH / 2)
        ),
    ];
    for source in sources {
        let handle = std::thread::Builder::new()
            .stack_size(96 << 10)
            .spawn(move || parse(&source).map(|_| ()).map_err(|e| e.message))
            .expect("spawn a thread");
        assert_eq!(handle.join().map_err(|_| "the parser panicked"), Ok(Ok(())));
    }
}

/// Once took 2^depth steps: a failed call `x(…` was retried as `x` times a group `(…`.
#[test]
fn an_unclosed_chain_of_calls_fails_at_once() {
    let source = "x(".repeat(MAX_DEPTH);
    let e = error(&source);
    assert_eq!(
        e.message,
        "unbalanced parentheses: this `(` is never closed"
    );
    assert_eq!(e.span, Span::new(2 * MAX_DEPTH - 1, 2 * MAX_DEPTH));
}

/// The same retry, with the fault inside balanced parentheses.
#[test]
fn a_fault_inside_a_deep_chain_of_calls_fails_at_once() {
    let depth = MAX_DEPTH / 2;
    let source = format!("{}2 3{}", "a(x(".repeat(depth / 2), "))".repeat(depth / 2));
    let e = error(&source);
    assert_eq!(e.message, "two numbers side by side: `2 3`");
}

#[test]
fn a_name_before_parentheses_is_still_a_product_or_a_call() {
    let vars = ["x", "y"];
    assert_eq!(
        super::sexpr_with("x (y + 1) + exp (x)", &vars),
        super::sexpr_with("x*(y + 1) + exp(x)", &vars)
    );
}

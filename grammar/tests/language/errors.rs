//! Every error case of SPEC §1: kind, message and the exact span.

use symgrad_grammar::{ErrorKind, MAX_DEPTH, Span};

use super::{error, error_with, pointed};

/// Asserts an error's kind, message and the span in bytes.
fn check(source: &str, kind: ErrorKind, message: &str, span: (usize, usize)) {
    let e = error(source);
    assert_eq!((e.kind, e.message.as_str()), (kind, message), "{source}");
    assert_eq!(e.span, Span::new(span.0, span.1), "{source}");
}

fn hint(source: &str) -> String {
    error(source).hint.unwrap_or_default()
}

// empty

#[test]
fn empty_string() {
    check("", ErrorKind::Empty, "empty expression", (0, 0));
}

#[test]
fn only_whitespace() {
    check(" \t\n", ErrorKind::Empty, "empty expression", (0, 3));
}

// parentheses

#[test]
fn open_parenthesis_never_closed() {
    let message = "unbalanced parentheses: this `(` is never closed";
    check("(x+1", ErrorKind::Syntax, message, (0, 1));
}

#[test]
fn innermost_unclosed_parenthesis() {
    let message = "unbalanced parentheses: this `(` is never closed";
    check("(a*(b+c)", ErrorKind::Syntax, message, (0, 1));
}

#[test]
fn call_never_closed() {
    let message = "unbalanced parentheses: this `(` is never closed";
    check("exp(", ErrorKind::Syntax, message, (3, 4));
}

#[test]
fn closing_parenthesis_without_opening() {
    let message = "unbalanced parentheses: this `)` has no matching `(`";
    check("x+1)", ErrorKind::Syntax, message, (3, 4));
}

#[test]
fn closing_parenthesis_first() {
    let message = "unbalanced parentheses: this `)` has no matching `(`";
    check(")x(", ErrorKind::Syntax, message, (0, 1));
}

#[test]
fn empty_parentheses() {
    check("2*()", ErrorKind::Syntax, "empty parentheses", (2, 4));
}

// dangling operators

#[test]
fn dangling_plus() {
    check(
        "x+",
        ErrorKind::Syntax,
        "expected an operand after `+`",
        (1, 2),
    );
}

#[test]
fn dangling_star_before_parenthesis() {
    check(
        "(x*)",
        ErrorKind::Syntax,
        "expected an operand after `*`",
        (2, 3),
    );
}

#[test]
fn dangling_caret() {
    check(
        "x^ ",
        ErrorKind::Syntax,
        "expected an operand after `^`",
        (1, 2),
    );
}

#[test]
fn dangling_double_star() {
    check(
        "x**",
        ErrorKind::Syntax,
        "expected an operand after `**`",
        (1, 3),
    );
}

#[test]
fn lone_minus() {
    check(
        "-",
        ErrorKind::Syntax,
        "expected an operand after `-`",
        (0, 1),
    );
}

#[test]
fn dangling_unicode_minus_spans_three_bytes() {
    check(
        "θ −",
        ErrorKind::Syntax,
        "expected an operand after `−`",
        (3, 6),
    );
}

#[test]
fn two_operators_in_a_row() {
    check(
        "x + * y",
        ErrorKind::Syntax,
        "expected an operand after `+`",
        (2, 3),
    );
}

#[test]
fn operator_without_left_operand() {
    check(
        "*x",
        ErrorKind::Syntax,
        "expected an operand before `*`",
        (0, 1),
    );
}

#[test]
fn dangling_operator_hint() {
    assert_eq!(hint("x+"), "an operator needs an operand on each side");
}

// numbers side by side

#[test]
fn two_numbers_side_by_side() {
    check(
        "2 3",
        ErrorKind::Syntax,
        "two numbers side by side: `2 3`",
        (0, 3),
    );
}

#[test]
fn two_numbers_side_by_side_hint() {
    assert_eq!(hint("2 3"), "write `2*3` for their product");
}

#[test]
fn two_decimals_run_together() {
    check(
        "1.5.5",
        ErrorKind::Syntax,
        "two numbers side by side: `1.5.5`",
        (0, 5),
    );
}

#[test]
fn number_after_a_name() {
    check(
        "x 2",
        ErrorKind::Syntax,
        "missing operator before the number `2`",
        (2, 3),
    );
}

// functions

#[test]
fn function_without_parentheses() {
    let message = "function `exp` needs parentheses: `exp(x)`";
    check("exp x", ErrorKind::MissingCallParens, message, (0, 3));
}

#[test]
fn two_argument_function_without_parentheses() {
    let message = "function `max` needs parentheses: `max(a, b)`";
    check("1 + max", ErrorKind::MissingCallParens, message, (4, 7));
}

#[test]
fn sigma_without_parentheses() {
    let message = "function `σ` needs parentheses: `σ(x)`";
    check("σx", ErrorKind::MissingCallParens, message, (0, 2));
}

#[test]
fn too_few_arguments() {
    let message = "function `max` takes 2 arguments but 1 was given";
    check("1 + max(x)", ErrorKind::Arity, message, (4, 10));
}

#[test]
fn too_many_arguments() {
    let message = "function `exp` takes 1 argument but 2 were given";
    check("exp(x, y)", ErrorKind::Arity, message, (0, 9));
}

#[test]
fn no_arguments() {
    let message = "function `sin` takes 1 argument but 0 were given";
    check("sin()", ErrorKind::Arity, message, (0, 5));
}

#[test]
fn hypot_with_one_argument() {
    let message = "function `hypot` takes 2 arguments but 1 was given";
    check("2 hypot(x)", ErrorKind::Arity, message, (2, 10));
    assert_eq!(hint("hypot(x)"), "call it as `hypot(a, b)`");
}

#[test]
fn piecewise_built_ins_with_the_wrong_number_of_arguments() {
    let message = "function `clamp` takes 3 arguments but 2 were given";
    check("clamp(x, 1)", ErrorKind::Arity, message, (0, 11));
    assert_eq!(hint("clamp(x)"), "call it as `clamp(x, lo, hi)`");
    let message = "function `elu` takes 1 or 2 arguments but 3 were given";
    check("1 + elu(x, 1, 2)", ErrorKind::Arity, message, (4, 16));
    assert_eq!(hint("elu()"), "call it as `elu(x)` or `elu(x, a)`");
    let message = "function `leaky_relu` takes 2 arguments but 1 was given";
    check("leaky_relu(x)", ErrorKind::Arity, message, (0, 13));
    assert_eq!(hint("leaky_relu(x)"), "call it as `leaky_relu(x, a)`");
    assert_eq!(hint("huber(x, 1, 2)"), "call it as `huber(x, d)`");
    for (source, name) in [
        ("gelu(x, 1)", "gelu"),
        ("silu()", "silu"),
        ("sign(x, y)", "sign"),
    ] {
        assert!(
            error(source)
                .message
                .starts_with(&format!("function `{name}` takes 1 argument")),
            "{source}"
        );
    }
}

#[test]
fn log1mexp_with_no_argument() {
    let message = "function `log1mexp` takes 1 argument but 0 were given";
    check("log1mexp() + x", ErrorKind::Arity, message, (0, 10));
}

#[test]
fn logsumexp_with_no_argument() {
    let message = "function `logsumexp` takes 1 or more arguments but 0 were given";
    check("2 + logsumexp()", ErrorKind::Arity, message, (4, 15));
    assert_eq!(hint("logsumexp()"), "call it as `logsumexp(a, b, …)`");
    for name in ["softmax", "log_softmax"] {
        assert_eq!(error(&format!("{name}()")).kind, ErrorKind::Arity, "{name}");
    }
}

#[test]
fn log_with_three_arguments() {
    let message = "function `log` takes 1 or 2 arguments but 3 were given";
    check("log(x, 2, 3)", ErrorKind::Arity, message, (0, 12));
}

#[test]
fn arity_hint() {
    assert_eq!(hint("max(x)"), "call it as `max(a, b)`");
}

#[test]
fn ln_takes_no_base() {
    let message = "function `ln` takes 1 argument but 2 were given";
    check("ln(x, 2)", ErrorKind::Arity, message, (0, 8));
}

#[test]
fn unknown_function() {
    check(
        "2 + f(x)",
        ErrorKind::UnknownFunction,
        "unknown function `f`",
        (4, 5),
    );
}

#[test]
fn unknown_function_hint_lists_functions_and_the_product() {
    let hint = hint("f(x)");
    assert!(
        hint.starts_with("expected one of `exp`, `ln`, `log`, "),
        "{hint}"
    );
    assert!(
        hint.ends_with("`logsumexp`, `softmax`, `log_softmax`; write `f*(x)` for a product"),
        "{hint}"
    );
}

#[test]
fn unknown_function_with_declared_variables_has_no_product_hint() {
    let e = error_with("g(x)", &["x"]);
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::UnknownFunction, "unknown function `g`")
    );
    assert!(!e.hint.unwrap_or_default().contains("product"));
}

#[test]
fn name_ending_in_a_function() {
    assert_eq!(hint("xsin(x)"), "did you mean `x*sin(x)`?");
}

#[test]
fn declared_variable_with_two_arguments() {
    let e = error_with("f(x, y)", &["f", "x", "y"]);
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::Syntax, "`f` is a variable, not a function")
    );
    assert_eq!(e.span, Span::new(0, 7));
}

// names

#[test]
fn unknown_name() {
    let e = error_with("2 + xy", &["x", "y"]);
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::UnknownName, "unknown variable `xy`")
    );
    assert_eq!(e.span, Span::new(4, 6));
}

#[test]
fn unknown_name_suggests_the_product() {
    let e = error_with("xy", &["x", "y"]);
    assert_eq!(
        e.hint.as_deref(),
        Some("the variables are `x`, `y`; did you mean `x*y`?")
    );
}

#[test]
fn unknown_name_tries_every_split() {
    let e = error_with("abc", &["ab", "a", "bc"]);
    assert!(e.hint.unwrap_or_default().ends_with("did you mean `a*bc`?"));
}

#[test]
fn unknown_name_may_split_into_a_constant() {
    let e = error_with("2ex", &["x"]);
    assert!(e.hint.unwrap_or_default().ends_with("did you mean `e*x`?"));
}

#[test]
fn unknown_name_without_split() {
    let e = error_with("z", &["x", "y"]);
    assert_eq!(e.hint.as_deref(), Some("the variables are `x`, `y`"));
}

#[test]
fn unknown_name_with_one_declared_variable() {
    let e = error_with("z", &["x"]);
    assert_eq!(e.hint.as_deref(), Some("the only variable is `x`"));
}

#[test]
fn unknown_name_with_no_declared_variable() {
    let e = error_with("z", &[]);
    assert_eq!(e.hint.as_deref(), Some("no variables are declared"));
}

#[test]
fn unknown_greek_name_span() {
    let e = error_with("x·θ", &["x"]);
    assert_eq!(pointed("x·θ", &e), "θ");
}

#[test]
fn name_too_long() {
    let source = format!("x + {}", "θ".repeat(129));
    let e = error(&source);
    assert_eq!(
        (e.kind, e.message.as_str()),
        (
            ErrorKind::TooLarge,
            "name too long (258 bytes; the limit is 256)"
        )
    );
    assert_eq!(e.span, Span::new(4, 262));
}

// depth

#[test]
fn too_deep() {
    let depth = MAX_DEPTH + 1;
    let source = format!("{}x{}", "(".repeat(depth), ")".repeat(depth));
    let message = "expression nested too deeply (more than 200 levels)";
    check(
        &source,
        ErrorKind::TooDeep,
        message,
        (MAX_DEPTH, MAX_DEPTH + 1),
    );
}

#[test]
fn too_deep_has_a_hint() {
    let source = format!("{}x", "-".repeat(MAX_DEPTH + 1));
    assert!(hint(&source).contains("level"));
}

// other characters

#[test]
fn unexpected_character() {
    check(
        "x $ y",
        ErrorKind::Syntax,
        "unexpected character `$`",
        (2, 3),
    );
}

#[test]
fn superscript_suggests_caret() {
    assert_eq!(hint("x²"), "write powers with `^`, as in `x^2`");
}

#[test]
fn underscore_without_suffix() {
    check(
        "x_ + 1",
        ErrorKind::Syntax,
        "unexpected character `_`",
        (1, 2),
    );
}

#[test]
fn comma_outside_a_call() {
    check("a, b", ErrorKind::Syntax, "unexpected `,`", (1, 2));
}

#[test]
fn missing_argument_after_comma() {
    check(
        "max(a, )",
        ErrorKind::Syntax,
        "expected an argument after `,`",
        (5, 6),
    );
}

#[test]
fn number_too_large() {
    check(
        "1e400",
        ErrorKind::TooLarge,
        "number `1e400` is too large for an f64",
        (0, 5),
    );
}

#[test]
fn alphabetic_non_letter_in_a_name() {
    // `Ⅻ` (a Roman numeral) is alphabetic for Rust but not a letter for the grammar.
    check("xⅫ", ErrorKind::Syntax, "unexpected character `Ⅻ`", (1, 4));
}

#[test]
fn a_list_of_outputs_reports_the_fault_after_a_comma() {
    let err = symgrad_grammar::parse_outputs("x, y +").expect_err("a bad list");
    assert_eq!(err.span.start, 5, "{err:?}");
    let err = symgrad_grammar::parse_outputs("x +, y").expect_err("a bad list");
    assert_eq!(err.message, "expected an operand after `+`");
    assert_eq!(err.span.start, 2, "{err:?}");
    let err = symgrad_grammar::parse_outputs("x,").expect_err("a bad list");
    assert_eq!(
        (err.message.as_str(), err.span.start),
        ("output 2 is empty", 2)
    );
    let err = symgrad_grammar::parse_outputs(", x").expect_err("a bad list");
    assert_eq!(
        (err.message.as_str(), err.span.start),
        ("output 1 is empty", 0)
    );
    let ok = symgrad_grammar::parse_outputs("max(x, y), min(x, y)").expect("a list");
    assert_eq!(ok.len(), 2);
    assert_eq!(ok[0].vars, ["x", "y"]);
}

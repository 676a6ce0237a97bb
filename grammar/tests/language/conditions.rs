//! `if(cond, a, b)` and its conditions (SPEC §7), one fact per test, as s-expressions; and
//! the errors of a comparison used as a number or a number used as a condition.

use symgrad_grammar::{CondKind, ErrorKind, ExprKind, Span, is_reserved, parse_with_vars};

use super::{error, sexpr};

// if_call

#[test]
fn if_with_a_comparison() {
    assert_eq!(sexpr("if(x > 0, ln(x), 0)"), "(if (> x 0) (ln x) 0)");
}

#[test]
fn if_spans_its_call_and_its_condition() {
    let f = symgrad_grammar::parse("2 + if(x < 1, x, 1)").expect("parses");
    let ExprKind::Sum(terms) = &f.expr.kind else {
        panic!("{:?}", f.expr)
    };
    let ExprKind::If(c, _, _) = &terms[1].1.kind else {
        panic!("{:?}", terms[1].1)
    };
    assert_eq!(terms[1].1.span, Span::new(4, 19));
    assert_eq!(c.span, Span::new(7, 12));
    assert!(matches!(c.kind, CondKind::Compare(..)));
}

#[test]
fn if_is_an_operand_of_a_product() {
    assert_eq!(sexpr("2if(x < 0, -x, x)"), "(* 2 (if (< x 0) (- x) x))");
}

#[test]
fn ifs_nest() {
    assert_eq!(
        sexpr("if(x > 0, if(x > 1, 2, 1), 0)"),
        "(if (> x 0) (if (> x 1) 2 1) 0)"
    );
}

#[test]
fn a_name_that_starts_with_if_is_a_name() {
    assert_eq!(sexpr("iffy + ifx"), "(+ iffy ifx)");
}

// cmp_op

#[test]
fn every_comparison_operator() {
    for (op, read) in [
        ("<", "<"),
        ("<=", "<="),
        ("≤", "<="),
        (">", ">"),
        (">=", ">="),
        ("≥", ">="),
    ] {
        assert_eq!(
            sexpr(&format!("if(x {op} y, 1, 2)")),
            format!("(if ({read} x y) 1 2)")
        );
    }
}

// comparison

#[test]
fn comparison_of_expressions() {
    assert_eq!(
        sexpr("if(x^2 + 1 <= 2y, 1, 0)"),
        "(if (<= (+ (^ x 2) 1) (* 2 y)) 1 0)"
    );
}

#[test]
fn comparison_of_a_parenthesized_expression() {
    assert_eq!(sexpr("if((x + 1) > 0, 1, 0)"), "(if (> (+ x 1) 0) 1 0)");
}

// conjunction, cond

#[test]
fn and_binds_tighter_than_or() {
    assert_eq!(
        sexpr("if(x > 0 or y > 0 and x < y, 1, 0)"),
        "(if (or (> x 0) (and (> y 0) (< x y))) 1 0)"
    );
}

#[test]
fn chains_are_flat() {
    assert_eq!(
        sexpr("if(x > 0 and y > 0 and x < 1, 1, 0)"),
        "(if (and (> x 0) (> y 0) (< x 1)) 1 0)"
    );
}

#[test]
fn names_that_start_with_and_or_or_are_names() {
    assert_eq!(sexpr("andy + or2 + notx"), "(+ andy or2 notx)");
}

// cond_group, not_cond, relation

#[test]
fn parentheses_around_a_whole_condition() {
    assert_eq!(sexpr("if(((x > 0)), 1, 0)"), "(if (> x 0) 1 0)");
}

#[test]
fn a_leading_group_continues_as_an_expression() {
    assert_eq!(
        sexpr("if(((x + 1))(y) - 2 >= 0, 1, 0)"),
        "(if (>= (+ (* (+ x 1) y) -2) 0) 1 0)"
    );
}

#[test]
fn parentheses_group_conditions() {
    assert_eq!(
        sexpr("if((x > 0 or y > 0) and x < y, 1, 0)"),
        "(if (and (or (> x 0) (> y 0)) (< x y)) 1 0)"
    );
}

#[test]
fn not_negates_a_condition() {
    assert_eq!(
        sexpr("if(not(x > 0 and y > 0), 1, 0)"),
        "(if (not (and (> x 0) (> y 0))) 1 0)"
    );
}

// reserved words

#[test]
fn condition_words_are_reserved() {
    for word in ["if", "and", "or", "not"] {
        assert!(is_reserved(word), "{word}");
    }
    let e = parse_with_vars("x", &["x", "if"]).map(|_| ());
    assert!(e.is_ok(), "declaring is the caller's check, as for `sin`");
}

// errors

/// Asserts an error's message, the span it points at (in bytes) and a part of its hint.
fn check(source: &str, message: &str, span: (usize, usize), hint: &str) {
    let e = error(source);
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::Syntax, message),
        "{source}"
    );
    assert_eq!(e.span, Span::new(span.0, span.1), "{source}");
    let given = e.hint.unwrap_or_default();
    assert!(given.contains(hint), "{source}: {given}");
}

const IF_ARGUMENTS: &str = "`if` takes a condition and two expressions: `if(cond, a, b)`";

#[test]
fn a_comparison_is_not_a_number() {
    let message = "a comparison is not a number: `>`";
    check("x > 0", message, (2, 3), "if(cond, a, b)");
}

#[test]
fn a_comparison_in_an_operand_is_not_a_number() {
    let message = "a comparison is not a number: `<`";
    check("(x <= 1) + 2", message, (3, 4), "if(x > 0, x, 0)");
}

#[test]
fn a_comparison_in_a_branch_is_not_a_number() {
    let message = "a comparison is not a number: `>`";
    check("if(x > 0, x > 1, 0)", message, (12, 13), "condition");
}

#[test]
fn a_number_is_not_a_condition() {
    check(
        "if(x, 1, 2)",
        IF_ARGUMENTS,
        // At the comma, where the comparison's operator was expected.
        (4, 5),
        "a number is not a condition",
    );
}

#[test]
fn if_needs_three_arguments() {
    check(
        "if(x > 0, 1)",
        IF_ARGUMENTS,
        (11, 12),
        "a comparison such as `x > 0`",
    );
}

#[test]
fn nested_if_openings_take_linear_time() {
    // Each `if(` that is not a well-formed `if` used to be retried as a call of a function
    // named `if`, parsing its arguments twice: 18 of them took 11 s, 60 would take centuries (found by the fuzzer).
    let source = format!("{}y", "if(x+".repeat(60));
    let e = error(&source);
    assert_eq!(
        (e.message.as_str(), e.span),
        (
            "unbalanced parentheses: this `(` is never closed",
            Span::new(297, 298)
        ),
        "{source}"
    );
}

#[test]
fn nested_parentheses_in_a_condition_take_linear_time() {
    // A `(` that starts a condition was tried as a parenthesized condition and, when that
    // failed, read again as an expression: each nested level doubled the work, and a
    // 138-byte input from the fuzzer took 72 s (`fuzz/regressions/pipeline/timeout-nested-
    // parentheses-in-a-condition`). 60 levels of both kinds would take longer than a life.
    let source = format!("{}x", "if((".repeat(30));
    let e = error(&source);
    assert_eq!(
        e.message,
        "unbalanced parentheses: this `(` is never closed"
    );
    let source = format!("if({}x + 1{} > 0, 1, 0)", "(".repeat(60), ")".repeat(60));
    assert_eq!(sexpr(&source), "(if (> (+ x 1) 0) 1 0)");
    let source = format!("if({}x > 0{}, 1, 0)", "not(".repeat(60), ")".repeat(60));
    assert!(sexpr(&source).starts_with("(if (not (not"), "{source}");
}

#[test]
fn a_parenthesized_comparison_is_not_a_number_in_a_condition() {
    let message = "a comparison is not a number: `>`";
    check(
        "if((x > 0) + 1 > 0, 1, 0)",
        message,
        (6, 7),
        "if(x > 0, x, 0)",
    );
}

#[test]
fn a_parenthesized_condition_is_not_a_number() {
    check(
        "if((not(x > 0)) * 2 > 0, 1, 0)",
        "a comparison is not a number: `>`",
        (10, 11),
        "if(x > 0, x, 0)",
    );
}

#[test]
fn a_parenthesized_number_is_not_a_condition() {
    // At the `)`, where the comparison's operator was expected.
    check(
        "if((x), 1, 2)",
        IF_ARGUMENTS,
        (5, 6),
        "a number is not a condition",
    );
    check(
        "if(x > 0 and y, 1, 2)",
        IF_ARGUMENTS,
        (14, 15),
        "a number is not a condition",
    );
}

#[test]
fn if_without_parentheses() {
    check(
        "if + 1",
        IF_ARGUMENTS,
        (0, 2),
        "a comparison such as `x > 0`",
    );
}

#[test]
fn and_between_numbers() {
    let message = "`and` joins conditions, not numbers";
    check("x and y", message, (2, 5), "if(x > 0 and y > 0, a, b)");
}

#[test]
fn not_of_a_number() {
    let message = "`not` is a word of conditions, not a number";
    check("not(x)", message, (0, 3), "negates a condition");
}

#[test]
fn or_alone_is_not_a_variable() {
    let message = "`or` is a word of conditions, not a number";
    check("or", message, (0, 2), "join conditions");
}

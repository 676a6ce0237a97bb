//! No input makes the parser (or the renderer) panic, and every span points into the source.

use proptest::prelude::*;
use symgrad_grammar::{CondKind, Expr, ExprKind, Span, parse, parse_with_vars};

fn valid_span(source: &str, span: Span) -> bool {
    span.start <= span.end
        && span.end <= source.len()
        && source.is_char_boundary(span.start)
        && source.is_char_boundary(span.end)
}

/// Every span in the tree is a valid range of `source` (iteratively: no recursion).
fn all_spans_valid(source: &str, expr: &Expr) -> bool {
    let mut todo = vec![expr];
    while let Some(e) = todo.pop() {
        if !valid_span(source, e.span) {
            return false;
        }
        match &e.kind {
            ExprKind::Neg(x) => todo.push(x),
            ExprKind::Pow(a, b) => todo.extend([&**a, &**b]),
            ExprKind::Sum(terms) => todo.extend(terms.iter().map(|(_, t)| t)),
            ExprKind::Product(factors) => todo.extend(factors.iter().map(|(_, f)| f)),
            ExprKind::Call(_, args) => todo.extend(args),
            ExprKind::If(c, a, b) => {
                todo.extend([&**a, &**b]);
                let mut conds = vec![&**c];
                while let Some(c) = conds.pop() {
                    if !valid_span(source, c.span) {
                        return false;
                    }
                    match &c.kind {
                        CondKind::Compare(_, a, b) => todo.extend([&**a, &**b]),
                        CondKind::And(parts) | CondKind::Or(parts) => conds.extend(parts),
                        CondKind::Not(c) => conds.push(c),
                    }
                }
            }
            ExprKind::Number(_)
            | ExprKind::Constant(_)
            | ExprKind::Var(_)
            | ExprKind::Binding(_) => {}
        }
    }
    true
}

fn check(source: &str) -> Result<(), TestCaseError> {
    for result in [
        parse(source),
        parse_with_vars(source, &["x", "y", "w0", "f"]),
    ] {
        match result {
            Ok(formula) => prop_assert!(all_spans_valid(source, &formula.expr)),
            Err(error) => {
                prop_assert!(valid_span(source, error.span), "{error:?}");
                let rendered = error.render(source);
                prop_assert!(rendered.starts_with("error: "), "{rendered}");
            }
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        check(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn random_formula_characters(source in "[-+*/^()., _0-9eExyw σπθ·×÷−²$]{0,48}") {
        check(&source)?;
    }

    #[test]
    fn random_formula_words(words in proptest::collection::vec(
        prop::sample::select(vec![
            "x", "y", "w0", "f", "e", "pi", "π", "σ", "exp", "log", "max", "2", ".5", "1e-3",
            "(", ")", ",", "+", "-", "−", "*", "/", "^", "**", "·", " ",
        ]),
        0..32,
    )) {
        check(&words.concat())?;
    }

    #[test]
    fn random_condition_words(words in proptest::collection::vec(
        prop::sample::select(vec![
            "if(", "x", "y", "2", "(", ")", ",", "+", "-", "*", " ", "<", "<=", ">", ">=", "≤",
            "≥", " and ", " or ", "not(", "and", "or", "not", "if",
        ]),
        0..32,
    )) {
        check(&words.concat())?;
    }
}

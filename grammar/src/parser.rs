//! The pipeline: limits and depth pre-scan, pest, then the AST builder with name resolution.

use pest::Parser as _;

use crate::ast::{Expr, ExprKind, Formula, Sign, Span};
use crate::builder::Builder;
use crate::diagnose;
use crate::error::{ErrorKind, ParseError};
use crate::grammar::{ExprParser, Rule};
use crate::lex::{self, Tok};
use crate::limits;
use crate::names::Names;

/// Sources at least this long are parsed a piece at a time ([`parse_in_pieces`]).
const PIECES_FROM: usize = 1 << 18;

/// About how long each piece is. Small, so that pest's queue of tokens for a piece (tens of
/// bytes per byte of source) is memory the allocator hands out again for the next piece:
/// pieces of 64 KB grew a queue of megabytes into freshly zeroed pages each time.
const PIECE: usize = 1 << 12;

/// Parses `source` with the variables `names` knows (or collects).
pub(crate) fn parse<'a>(source: &'a str, names: Names<'a>) -> Result<Formula, ParseError> {
    let depth = check(source)?;
    limits::with_stack(depth, || {
        if source.len() >= PIECES_FROM
            && let Some(formula) = parse_in_pieces(source, names.clone(), PIECE, depth)
        {
            return Ok(formula);
        }
        parse_whole(source, names)
    })
}

/// [`parse`] of a long sum, its terms parsed in runs of about `piece` bytes, each with
/// pest on its own, into one flat sum: the same tree as one parse of the whole, which pest
/// builds in a queue of tokens held whole (on a 4 MB formula a third of the parse went to
/// the kernel clearing the pages that queue grew into). The later half of the runs is read
/// on a second thread, with its own copy of `names`; its new variables then take the
/// numbers after the first half's, as one reading in order would give them. `None` when
/// the source is not a sum of several such runs, or a run fails: then the whole is parsed,
/// for its error.
fn parse_in_pieces<'a>(
    source: &'a str,
    names: Names<'a>,
    piece: usize,
    depth: usize,
) -> Option<Formula> {
    let runs = top_level_runs(source, piece);
    if runs.len() < 2 {
        return None;
    }
    let (front, back) = runs.split_at(runs.len() / 2);
    let (front, back) = std::thread::scope(|scope| {
        let back_names = names.clone();
        let worker = std::thread::Builder::new().spawn_scoped(scope, move || {
            limits::with_stack(depth, || parse_runs(source, back_names, back))
        });
        // Where no thread can be started, the later half is read after the first.
        let fallback_names = names.clone();
        let front = parse_runs(source, names, front);
        let back = match worker {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => parse_runs(source, fallback_names, back),
        };
        (front, back)
    });
    let (mut terms, mut names) = front?;
    let (back_terms, back_names) = back?;
    let renumbered = names.merge(&back_names)?;
    let first = terms.len();
    terms.extend(back_terms);
    if !renumbered.is_empty() {
        for (_, term) in &mut terms[first..] {
            term.relocate(0, &renumbered);
        }
    }
    let span = terms[0].1.span.join(terms[terms.len() - 1].1.span);
    Some(Formula {
        source: source.to_owned(),
        expr: Expr {
            kind: ExprKind::Sum(terms),
            span,
        },
        vars: names.into_vars(),
        bindings: Vec::new(),
    })
}

/// The terms of `runs` of `source`, each run parsed on its own, with the names they used.
fn parse_runs<'a>(
    source: &'a str,
    names: Names<'a>,
    runs: &[(Sign, usize, usize)],
) -> Option<(Vec<(Sign, Expr)>, Names<'a>)> {
    let mut builder = Builder::new(names);
    let mut terms = Vec::new();
    for &(sign, start, end) in runs {
        let mut pairs = ExprParser::parse(Rule::formula, &source[start..end]).ok()?;
        let mut expr = builder.formula(pairs.next()?).ok()?;
        expr.relocate(start, &[]);
        let first = terms.len();
        match expr.kind {
            ExprKind::Sum(run) => terms.extend(run),
            kind => terms.push((Sign::Plus, Expr { kind, ..expr })),
        }
        terms[first].0 = sign;
    }
    Some((terms, builder.names))
}

/// `source` cut at sum operators outside parentheses into runs of about `piece` bytes:
/// each run's sign (the operator before it) and byte range, the operator left out.
fn top_level_runs(source: &str, piece: usize) -> Vec<(Sign, usize, usize)> {
    let mut runs = Vec::new();
    let (mut sign, mut start) = (Sign::Plus, 0);
    let mut depth = 0usize;
    let mut prev: Option<Tok> = None;
    for (tok, span) in lex::tokens(source) {
        match tok {
            Tok::Open => depth += 1,
            Tok::Close => depth = depth.saturating_sub(1),
            Tok::AddSign
                if depth == 0
                    && prev.is_some_and(Tok::ends_operand)
                    && span.start - start >= piece =>
            {
                runs.push((sign, start, span.start));
                sign = if &source[span.start..span.end] == "+" {
                    Sign::Plus
                } else {
                    Sign::Minus
                };
                start = span.end;
            }
            _ => {}
        }
        prev = Some(tok);
    }
    runs.push((sign, start, source.len()));
    runs
}

/// [`parse`] in one piece.
fn parse_whole<'a>(source: &'a str, names: Names<'a>) -> Result<Formula, ParseError> {
    let mut pairs = ExprParser::parse(Rule::formula, source)
        .map_err(|error| diagnose::syntax_error(source, &error))?;
    let formula = pairs.next().ok_or_else(|| {
        ParseError::new(
            ErrorKind::Syntax,
            "internal error: no parse tree",
            Span::default(),
        )
    })?;
    let mut builder = Builder::new(names);
    let expr = builder.formula(formula)?;
    Ok(Formula {
        source: source.to_owned(),
        expr,
        vars: builder.names.into_vars(),
        bindings: Vec::new(),
    })
}

/// Parses `source` as comma-separated outputs (SPEC §6). One formula parses exactly as
/// [`parse`] does, with its errors; only where that fails is the list tried, and a list
/// that fails too reports its own error where the formula's is at a comma (the list's
/// fault is further on), else the formula's.
pub(crate) fn parse_outputs<'a>(
    source: &'a str,
    names: Names<'a>,
) -> Result<Vec<Formula>, ParseError> {
    let single_error = match parse(source, names.clone()) {
        Ok(formula) => return Ok(vec![formula]),
        Err(e) if e.kind != ErrorKind::Syntax => return Err(e),
        Err(e) => e,
    };
    let depth = check(source)?;
    limits::with_stack(depth, || outputs(source, names, single_error))
}

/// The rest of [`parse_outputs`]: the list, where the single formula failed with `single_error`.
fn outputs<'a>(
    source: &'a str,
    names: Names<'a>,
    single_error: ParseError,
) -> Result<Vec<Formula>, ParseError> {
    let at_comma = source
        .get(single_error.span.start..)
        .is_some_and(|rest| rest.starts_with(','));
    let mut pairs = match ExprParser::parse(Rule::formulas, source) {
        Ok(pairs) => pairs,
        // A fault after a top-level comma is the list's; before one, the formula's.
        Err(error) if at_comma => return Err(diagnose::syntax_error(source, &error)),
        Err(_) => return Err(single_error),
    };
    let Some(list) = pairs.next() else {
        return Err(single_error);
    };
    let mut builder = Builder::new(names);
    let exprs = builder.outputs(list)?;
    let vars = builder.names.into_vars();
    Ok(exprs
        .into_iter()
        .map(|expr| Formula {
            source: source.to_owned(),
            expr,
            vars: vars.clone(),
            bindings: Vec::new(),
        })
        .collect())
}

/// The limits, and the error for an empty string; the source's depth.
fn check(source: &str) -> Result<usize, ParseError> {
    let depth = limits::check(source)?;
    if source.trim().is_empty() {
        let span = Span::new(0, source.len());
        return Err(ParseError::new(ErrorKind::Empty, "empty expression", span)
            .with_hint("write a formula such as `x^2 + 1`"));
    }
    Ok(depth)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Formulas whose top level is a sum, with what can sit next to a cut: signs after
    /// operators, `−`, powers with signed exponents, numbers with exponents, juxtaposition,
    /// calls, groups, conditions, and names first seen late.
    const SUMS: &[&str] = &[
        "a + b - c + d",
        "-x^2 - -y + 2e-3x − z·w + sin(x - y) - (a - b)·c + x^-y^2",
        "w0x0 + w1x1 + w2 - 1/(1+e^-(w0x0+w1x1+w2)) + if(x > 0 and y <= 1, x - 1, -y) + late",
        "  x + y  +  z  ",
        "σ(x) + 2(x+1) + x y − 3 + logsumexp(a, b - c) + huber(y, 0.5) + 1e300 - .5",
        // The later half meets the earlier half's names in another order, and new ones.
        "a + b + c + d + d·c + b + e·a + f",
    ];

    #[test]
    fn pieces_with_declared_names_give_the_tree_of_the_whole() {
        let declared = ["f", "e2", "d", "c", "b", "a"];
        let source = "a + b + c + d + d·c + b + e2·a + f";
        let names = || Names::declared(&declared).expect("declarable");
        let whole = parse_whole(source, names()).expect("parses");
        for piece in [0, 3, 8] {
            assert_eq!(
                parse_in_pieces(source, names(), piece, 0),
                Some(whole.clone())
            );
        }
    }

    #[test]
    fn pieces_give_the_tree_of_the_whole() {
        for source in SUMS {
            let whole = parse_whole(source, Names::free()).expect("parses");
            assert!(
                parse_in_pieces(source, Names::free(), 0, 0).is_some(),
                "{source}"
            );
            for piece in [0, 1, 3, 8, 20] {
                if let Some(pieces) = parse_in_pieces(source, Names::free(), piece, 0) {
                    assert_eq!(pieces, whole, "`{source}` in pieces of {piece}");
                }
            }
        }
    }

    /// Every list of the tree has exactly the room its items take: a list grown by pushes
    /// has room for four, which made a 10⁶-node formula's tree 190 MB instead of 52 MB.
    #[test]
    fn the_tree_holds_no_spare_room() {
        fn spare(e: &Expr) -> usize {
            match &e.kind {
                ExprKind::Sum(terms) => {
                    terms.capacity() - terms.len()
                        + terms.iter().map(|(_, t)| spare(t)).sum::<usize>()
                }
                ExprKind::Product(factors) => {
                    factors.capacity() - factors.len()
                        + factors.iter().map(|(_, f)| spare(f)).sum::<usize>()
                }
                ExprKind::Call(_, args) => {
                    args.capacity() - args.len() + args.iter().map(spare).sum::<usize>()
                }
                ExprKind::Neg(x) => spare(x),
                ExprKind::Pow(a, b) => spare(a) + spare(b),
                _ => 0,
            }
        }
        for source in [
            "sin(cos(tanh(x + 2y)))",
            "a·b/c + d - max(a, b - c)·(x + y)^2 - sin(x)cos(y)z",
            "(x + y)·(x - y) + 3x y + logsumexp(a, b, c)",
        ] {
            let tree = parse_whole(source, Names::free()).expect("parses");
            assert_eq!(spare(&tree.expr), 0, "{source}");
        }
    }

    #[test]
    fn what_is_not_a_long_sum_is_parsed_whole() {
        for source in ["x·y·z", "(a + b + c)", "sin(a + b)", "x"] {
            assert!(
                parse_in_pieces(source, Names::free(), 0, 0).is_none(),
                "{source}"
            );
        }
    }

    #[test]
    fn a_bad_piece_leaves_the_error_to_the_whole() {
        for source in ["a + b + * c", "a + foo(b) + c", "a + b +", "a + (b + c"] {
            assert!(
                parse_in_pieces(source, Names::free(), 0, 0).is_none(),
                "{source}"
            );
            assert!(parse_whole(source, Names::free()).is_err(), "{source}");
        }
    }

    proptest::proptest! {
        /// Whatever a random sum of random words is, in pieces it is the whole's tree or
        /// left to the whole: never a tree the whole does not give.
        #[test]
        fn random_sums_in_pieces_are_the_whole_or_nothing(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "x", "y2", "-", "+", "−", "*", "/", "^", "(", ")", "2", "1e-3", ".5", "sin(",
                "max(", ",", "if(", ">", "and", "e", "σ", " ",
            ]), 1..40),
            piece in 0usize..6,
        ) {
            let source = words.concat();
            if let Some(pieces) = parse_in_pieces(&source, Names::free(), piece, 0) {
                proptest::prop_assert_eq!(Ok(pieces), parse_whole(&source, Names::free()));
            }
        }

        /// Sums of well-formed terms, signs and operators mixed: in pieces, the whole's tree.
        #[test]
        fn random_sums_of_terms_in_pieces_are_the_whole(
            terms in proptest::collection::vec((
                proptest::sample::select(vec![" + ", " - ", "−", "+-", "- -", "+"]),
                proptest::sample::select(vec![
                    "x", "2y", "-2e-3", "x^-y^2", "(a - b)·c", "sin(x - y)", "σ(x)/z",
                    "if(x > 0 and y <= 1, x - 1, -y)", "max(a, b - c)", "1e300", "w0x0",
                ]),
            ), 2..12),
            piece in 0usize..12,
        ) {
            let source: String = terms.iter().flat_map(|(op, t)| [*op, *t]).skip(1).collect();
            let whole = parse_whole(&source, Names::free());
            proptest::prop_assert!(whole.is_ok(), "{}", source);
            if let Some(pieces) = parse_in_pieces(&source, Names::free(), piece, 0) {
                proptest::prop_assert_eq!(Ok(pieces), whole);
            }
        }
    }

    #[test]
    fn a_long_sum_parses_in_pieces_like_the_whole() {
        let source: String = (0..40_000)
            .map(|i| format!("{}sin(x{} - {i})", ["+ ", "- ", "− "][i % 3], i % 7))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(source.len() >= PIECES_FROM);
        let formula = parse(&source, Names::free()).expect("parses");
        assert_eq!(Ok(formula), parse_whole(&source, Names::free()));
    }
}

//! The pipeline: limits and depth pre-scan, pest, then the AST builder with name resolution.

use pest::Parser as _;

use crate::ast::{Formula, Span};
use crate::builder::Builder;
use crate::diagnose;
use crate::error::{ErrorKind, ParseError};
use crate::grammar::{ExprParser, Rule};
use crate::limits;
use crate::names::Names;

/// Parses `source` with the variables `names` knows (or collects).
pub(crate) fn parse<'a>(source: &'a str, names: Names<'a>) -> Result<Formula, ParseError> {
    check(source)?;
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

/// The limits, and the error for an empty string.
fn check(source: &str) -> Result<(), ParseError> {
    limits::check(source)?;
    if source.trim().is_empty() {
        let span = Span::new(0, source.len());
        return Err(ParseError::new(ErrorKind::Empty, "empty expression", span)
            .with_hint("write a formula such as `x^2 + 1`"));
    }
    Ok(())
}

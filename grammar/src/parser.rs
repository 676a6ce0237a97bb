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
    limits::check(source)?;
    if source.trim().is_empty() {
        let span = Span::new(0, source.len());
        return Err(ParseError::new(ErrorKind::Empty, "empty expression", span)
            .with_hint("write a formula such as `x^2 + 1`"));
    }
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

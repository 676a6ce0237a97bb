//! The pest parser generated from `expr.pest`.

use pest_derive::Parser;

/// Parses [`Rule::formula`]; see `expr.pest` for the rules.
#[derive(Parser, Debug)]
#[grammar = "expr.pest"]
pub(crate) struct ExprParser;

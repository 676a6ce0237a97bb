//! From pest's flat pairs to the AST: precedence, associativity, spans, depth and names.
//!
//! One `expr` pair holds a parenthesis level's operands and operators in source order. Sums
//! and products are collected into flat vectors by iteration; a power chain `a^b^c` is
//! collected left to right and folded from the right. Groups and call arguments are levels
//! on an explicit stack, so nothing here recurses: the native stack stays flat however deep
//! the formula (the depth limit still holds, for pest and for the AST's users).

use std::iter::Peekable;

use pest::iterators::{Pair, Pairs};

use crate::MAX_DEPTH;
use crate::ast::{Cmp, Cond, CondKind, Expr, ExprKind, Func, MulOp, Sign, Span};
use crate::diagnose;
use crate::error::{ErrorKind, ParseError, excerpt};
use crate::grammar::Rule;
use crate::limits::too_deep;
use crate::names::{Callee, Names};

type Result<T> = std::result::Result<T, ParseError>;
type Stream<'a> = Peekable<Pairs<'a, Rule>>;

/// Builds the AST of one formula, resolving names as they appear.
#[derive(Debug)]
pub(crate) struct Builder<'a> {
    pub(crate) names: Names<'a>,
}

/// One `expr` pair being built: the formula, a parenthesized group or a call argument.
/// The builder keeps a stack of these instead of recursing, so its native stack use does
/// not grow with the nesting.
#[derive(Debug)]
struct Level<'a> {
    stream: Stream<'a>,
    /// Nesting depth of the level's contents.
    depth: usize,
    /// Depth of the operand being read: `depth` plus the signs and `^` before it.
    chain_depth: usize,
    close: Close<'a>,
    /// Finished terms, and the sign of the term in progress.
    terms: Vec<(Sign, Expr)>,
    sign: Sign,
    /// Finished factors of the term in progress, and the operator of the factor in progress.
    factors: Vec<(MulOp, Expr)>,
    op: MulOp,
    /// The power chain in progress: bases with their prefix signs, waiting for an exponent.
    links: Vec<(Signs, Expr)>,
    /// The prefix signs of the operand being read.
    signs: Signs,
}

/// Prefix signs with their start offsets.
type Signs = Vec<(Sign, usize)>;

/// What a finished level becomes.
#[derive(Debug)]
enum Close<'a> {
    Formula,
    Group(Span),
    Arg(Box<Call<'a>>),
}

/// A call whose arguments are being built.
#[derive(Debug)]
struct Call<'a> {
    name: &'a str,
    name_span: Span,
    span: Span,
    /// Offset of the `(`.
    open: usize,
    callee: Callee,
    args: Vec<Expr>,
    rest: Pairs<'a, Rule>,
    /// Nesting depth of the arguments.
    depth: usize,
}

/// An operand read from a level: ready, or a group/argument to build first.
#[derive(Debug)]
enum Operand<'a> {
    Ready(Expr),
    Open(Level<'a>),
}

impl<'a> Level<'a> {
    fn new(expr: Pair<'a, Rule>, depth: usize, close: Close<'a>) -> Self {
        Level {
            stream: expr.into_inner().peekable(),
            depth,
            chain_depth: depth,
            close,
            terms: Vec::new(),
            sign: Sign::Plus,
            factors: Vec::new(),
            op: MulOp::Mul,
            links: Vec::new(),
            signs: Vec::new(),
        }
    }
}

impl<'a> Builder<'a> {
    pub(crate) fn new(names: Names<'a>) -> Self {
        Builder { names }
    }

    /// Builds the `formula` pair's expression.
    pub(crate) fn formula(&mut self, formula: Pair<'a, Rule>) -> Result<Expr> {
        let span = span_of(&formula);
        let expr = formula
            .into_inner()
            .find(|p| p.as_rule() == Rule::expr)
            .ok_or_else(|| internal(span))?;
        self.expr(expr, 0)
    }

    /// Builds the `formulas` pair's expressions, one per output; an empty output is an
    /// error at the place it would be.
    pub(crate) fn outputs(&mut self, formulas: Pair<'a, Rule>) -> Result<Vec<Expr>> {
        let outputs = formulas
            .into_inner()
            .filter(|p| p.as_rule() == Rule::output);
        let mut exprs = Vec::new();
        for (i, output) in outputs.enumerate() {
            let span = span_of(&output);
            match output.into_inner().find(|p| p.as_rule() == Rule::expr) {
                Some(expr) => exprs.push(self.expr(expr, 0)?),
                None => {
                    let message = format!("output {} is empty", i + 1);
                    return Err(ParseError::new(ErrorKind::Syntax, message, span).with_hint(
                        "write a formula between the commas, or remove the extra comma",
                    ));
                }
            }
        }
        Ok(exprs)
    }

    /// Builds an `expr` pair whose contents are at nesting `depth`. It recurses only into
    /// the operands of an `if` ([`Builder::if_call`]), which are one parenthesis level
    /// deeper each, so the recursion is bounded by [`MAX_DEPTH`].
    fn expr(&mut self, expr: Pair<'a, Rule>, depth: usize) -> Result<Expr> {
        let span = span_of(&expr);
        let mut stack = vec![Level::new(expr, depth, Close::Formula)];
        let mut finished = None;
        loop {
            let level = stack.last_mut().ok_or_else(|| internal(span))?;
            let operand = match finished.take() {
                Some(operand) => operand,
                None => match self.next_operand(level)? {
                    Operand::Ready(operand) => operand,
                    Operand::Open(inner) => {
                        stack.push(inner);
                        continue;
                    }
                },
            };
            let Some(expr) = self.after_operand(level, operand)? else {
                continue;
            };
            let level = stack.pop().ok_or_else(|| internal(span))?;
            match level.close {
                Close::Formula => return Ok(expr),
                Close::Group(span) => finished = Some(Expr { span, ..expr }),
                Close::Arg(mut call) => {
                    call.args.push(expr);
                    match call.rest.next() {
                        Some(arg) => {
                            let depth = call.depth;
                            stack.push(Level::new(arg, depth, Close::Arg(call)));
                        }
                        None => finished = Some(self.finish_call(*call)?),
                    }
                }
            }
        }
    }

    /// Reads prefix signs and an operand: a number, a name, a group or a call.
    fn next_operand(&mut self, level: &mut Level<'a>) -> Result<Operand<'a>> {
        while let Some(sign) = level.stream.next_if(|p| p.as_rule() == Rule::sign) {
            let span = span_of(&sign);
            level.chain_depth += 1;
            if level.chain_depth > MAX_DEPTH {
                return Err(too_deep(span));
            }
            let sign = if sign.as_str() == "+" {
                Sign::Plus
            } else {
                Sign::Minus
            };
            level.signs.push((sign, span.start));
        }
        let operand = level
            .stream
            .next()
            .ok_or_else(|| internal(Span::default()))?;
        let span = span_of(&operand);
        Ok(match operand.as_rule() {
            Rule::number => Operand::Ready(number(operand.as_str(), span)?),
            Rule::name => match level.stream.next_if(|p| p.as_rule() == Rule::args) {
                Some(args) => self.open_call(operand, args, level.chain_depth + 1)?,
                None => Operand::Ready(Expr {
                    kind: self.names.resolve(operand.as_str(), span)?,
                    span,
                }),
            },
            Rule::if_call => Operand::Ready(self.if_call(operand, level.chain_depth + 1)?),
            Rule::group => {
                let depth = level.chain_depth + 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep(Span::new(span.start, span.start + 1)));
                }
                let inner = operand.into_inner().next().ok_or_else(|| internal(span))?;
                Operand::Open(Level::new(inner, depth, Close::Group(span)))
            }
            Rule::cond_group => {
                let depth = level.chain_depth + 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep(Span::new(span.start, span.start + 1)));
                }
                let cond = operand.into_inner().next().ok_or_else(|| internal(span))?;
                Operand::Open(Level::new(bare_expr(cond)?, depth, Close::Group(span)))
            }
            _ => return Err(internal(span)),
        })
    }

    /// `if(cond, a, b)`, whose operands are at `depth`.
    fn if_call(&mut self, pair: Pair<'a, Rule>, depth: usize) -> Result<Expr> {
        let span = span_of(&pair);
        if depth > MAX_DEPTH {
            return Err(too_deep(Span::new(span.start, span.start + 2)));
        }
        let mut inner = pair.into_inner();
        let (Some(cond), Some(then), Some(otherwise)) = (inner.next(), inner.next(), inner.next())
        else {
            return Err(internal(span));
        };
        let cond = self.cond(cond, depth)?;
        let then = self.expr(then, depth)?;
        let otherwise = self.expr(otherwise, depth)?;
        Ok(Expr {
            kind: ExprKind::If(Box::new(cond), Box::new(then), Box::new(otherwise)),
            span,
        })
    }

    /// A `cond`, `conjunction`, `not_cond`, `cond_group` or `relation` pair at `depth`.
    /// A disjunction or conjunction of one condition is that condition.
    fn cond(&mut self, pair: Pair<'a, Rule>, depth: usize) -> Result<Cond> {
        let span = span_of(&pair);
        let rule = pair.as_rule();
        let mut inner = pair.into_inner();
        let kind = match rule {
            Rule::cond | Rule::conjunction => {
                let mut parts = inner
                    .map(|p| self.cond(p, depth))
                    .collect::<Result<Vec<_>>>()?;
                if parts.len() == 1 {
                    return parts.pop().ok_or_else(|| internal(span));
                }
                if rule == Rule::cond {
                    CondKind::Or(parts)
                } else {
                    CondKind::And(parts)
                }
            }
            Rule::not_cond | Rule::cond_group => {
                let depth = depth + 1;
                if depth > MAX_DEPTH {
                    return Err(too_deep(Span::new(span.start, span.start + 1)));
                }
                let c = self.cond(inner.next().ok_or_else(|| internal(span))?, depth)?;
                if rule == Rule::cond_group {
                    return Ok(Cond { span, ..c });
                }
                CondKind::Not(Box::new(c))
            }
            Rule::relation => {
                let a = inner.next().ok_or_else(|| internal(span))?;
                let Some((op, b)) = inner.next().zip(inner.next()) else {
                    // No operator: the relation must be one parenthesized condition.
                    let after = char_after(&a);
                    let mut operands = a.into_inner();
                    return match (operands.next(), operands.next()) {
                        (Some(group), None) if group.as_rule() == Rule::cond_group => {
                            self.cond(group, depth)
                        }
                        _ => Err(diagnose::if_arguments(after)),
                    };
                };
                let op = match op.as_str() {
                    "<" => Cmp::Lt,
                    "<=" | "≤" => Cmp::Le,
                    ">" => Cmp::Gt,
                    _ => Cmp::Ge,
                };
                let a = self.expr(a, depth)?;
                let b = self.expr(b, depth)?;
                CondKind::Compare(op, Box::new(a), Box::new(b))
            }
            _ => return Err(internal(span)),
        };
        Ok(Cond { kind, span })
    }

    /// Resolves a call's name and opens its first argument (arguments at `depth`).
    fn open_call(
        &mut self,
        name: Pair<'a, Rule>,
        args: Pair<'a, Rule>,
        depth: usize,
    ) -> Result<Operand<'a>> {
        let name_span = span_of(&name);
        let args_span = span_of(&args);
        let (open, span) = (args_span.start, name_span.join(args_span));
        if depth > MAX_DEPTH {
            return Err(too_deep(Span::new(open, open + 1)));
        }
        let args_text = args.as_str();
        let callee = self.names.callee(name.as_str(), name_span, args_text)?;
        let mut rest = args.into_inner();
        let first = rest.next();
        // Room for exactly the arguments: most calls have one, and a list grown by a push
        // has room for four.
        let count = usize::from(first.is_some()) + rest.len();
        let call = Call {
            name: name.as_str(),
            name_span,
            span,
            open,
            callee,
            args: Vec::with_capacity(count),
            rest,
            depth,
        };
        Ok(match first {
            Some(arg) => Operand::Open(Level::new(arg, depth, Close::Arg(Box::new(call)))),
            None => Operand::Ready(self.finish_call(call)?),
        })
    }

    /// Continues a level after an operand: a power chain, a product, a sum, or the level's
    /// end, which returns the level's expression.
    fn after_operand(&mut self, level: &mut Level<'a>, operand: Expr) -> Result<Option<Expr>> {
        if let Some(pow) = level.stream.next_if(|p| p.as_rule() == Rule::pow_op) {
            level.chain_depth += 1;
            if level.chain_depth > MAX_DEPTH {
                return Err(too_deep(span_of(&pow)));
            }
            let signs = std::mem::take(&mut level.signs);
            level.links.push((signs, operand));
            return Ok(None);
        }
        let mut factor = apply(&std::mem::take(&mut level.signs), operand);
        while let Some((signs, base)) = level.links.pop() {
            let span = base.span.join(factor.span);
            let power = ExprKind::Pow(Box::new(base), Box::new(factor));
            factor = apply(&signs, Expr { kind: power, span });
        }
        level.chain_depth = level.depth;

        // `*`, `·` and `×` leave no pair: a factor right after a factor is a product.
        let op = match level.stream.peek().map(Pair::as_rule) {
            Some(Rule::divide) => MulOp::Div,
            Some(Rule::sign | Rule::number | Rule::name | Rule::group | Rule::if_call) => {
                MulOp::Mul
            }
            _ => {
                let term = if level.factors.is_empty() {
                    factor
                } else {
                    level.factors.push((level.op, factor));
                    n_ary(&mut level.factors, ExprKind::Product)
                };
                level.op = MulOp::Mul;
                return self.after_term(level, term);
            }
        };
        if op == MulOp::Div {
            level.stream.next();
        }
        level.factors.push((level.op, factor));
        level.op = op;
        Ok(None)
    }

    /// Continues a level after a term: another term, or the level's end.
    fn after_term(&mut self, level: &mut Level<'a>, term: Expr) -> Result<Option<Expr>> {
        match level.stream.next() {
            Some(op) if op.as_rule() == Rule::add_op => {
                level.terms.push((level.sign, term));
                level.sign = if op.as_str() == "+" {
                    Sign::Plus
                } else {
                    Sign::Minus
                };
                Ok(None)
            }
            Some(other) => Err(internal(span_of(&other))),
            None if level.terms.is_empty() => Ok(Some(term)),
            None => {
                level.terms.push((level.sign, term));
                Ok(Some(n_ary(&mut level.terms, ExprKind::Sum)))
            }
        }
    }

    /// `f(a, b)`: a function call, or `x·(a)` when `x` is a constant or declared variable.
    fn finish_call(&mut self, call: Call<'a>) -> Result<Expr> {
        let Call {
            name,
            name_span,
            span,
            open,
            callee,
            args,
            ..
        } = call;
        match callee {
            Callee::Func(f) => {
                let f = if name == "log" && args.len() == 2 {
                    Func::LogBase
                } else {
                    f
                };
                let mut args = args;
                if f == Func::Elu && args.len() == 1 {
                    // `elu(x)` is `elu(x, 1)`: one op, whose `a` is a constant here.
                    args.push(Expr {
                        kind: ExprKind::Number(1.0),
                        span,
                    });
                }
                if !f.accepts(args.len()) {
                    return Err(arity_error(name, f, args.len(), span));
                }
                Ok(Expr {
                    kind: ExprKind::Call(f, args),
                    span,
                })
            }
            Callee::Factor(kind) => {
                let [mut arg] = <[Expr; 1]>::try_from(args).map_err(|_| {
                    let what = if matches!(kind, ExprKind::Var(_)) {
                        "variable"
                    } else {
                        "constant"
                    };
                    ParseError::new(
                        ErrorKind::Syntax,
                        format!("`{name}` is a {what}, not a function"),
                        span,
                    )
                    .with_hint(format!(
                        "`{name}(x)` is the product `{name}*(x)`: one factor in parentheses"
                    ))
                })?;
                arg.span = Span::new(open, span.end);
                let factor = Expr {
                    kind,
                    span: name_span,
                };
                Ok(Expr {
                    kind: ExprKind::Product(vec![(MulOp::Mul, factor), (MulOp::Mul, arg)]),
                    span,
                })
            }
        }
    }
}

/// Wraps `expr` in its prefix signs, innermost last; `+` leaves no node.
fn apply(signs: &[(Sign, usize)], mut expr: Expr) -> Expr {
    for &(sign, start) in signs.iter().rev() {
        if sign == Sign::Minus {
            let span = Span::new(start, expr.span.end);
            expr = Expr {
                kind: ExprKind::Neg(Box::new(expr)),
                span,
            };
        }
    }
    expr
}

/// A sum or product node spanning its operands. The tree keeps `items` in a list of their
/// exact length, and `items` keeps its room for the level's next sum or product: a list
/// grown by pushes has room for four, and the tree of a 10⁶-node formula held 3.6 times
/// the memory its nodes need.
fn n_ary<Op>(items: &mut Vec<(Op, Expr)>, kind: fn(Vec<(Op, Expr)>) -> ExprKind) -> Expr {
    let mut exact = Vec::with_capacity(items.len());
    exact.append(items);
    let items = exact;
    let span = match (items.first(), items.last()) {
        (Some((_, first)), Some((_, last))) => first.span.join(last.span),
        _ => Span::default(),
    };
    Expr {
        kind: kind(items),
        span,
    }
}

/// A number literal; `−` may sign its exponent.
fn number(text: &str, span: Span) -> Result<Expr> {
    let value = if text.contains('−') {
        text.replace('−', "-").parse::<f64>()
    } else {
        text.parse::<f64>()
    }
    .map_err(|_| internal(span))?;
    if value.is_infinite() {
        return Err(ParseError::new(
            ErrorKind::TooLarge,
            format!("number `{}` is too large for an f64", excerpt(text)),
            span,
        ));
    }
    Ok(Expr {
        kind: ExprKind::Number(value),
        span,
    })
}

fn arity_error(name: &str, f: Func, given: usize, span: Span) -> ParseError {
    let (takes, usage) = match f {
        Func::Ln | Func::LogBase if name == "log" => {
            ("1 or 2 arguments", "`log(x)` or `log(x, b)`".to_owned())
        }
        Func::Elu => ("1 or 2 arguments", format!("`{name}(x)` or `{name}(x, a)`")),
        f => {
            let takes = match f.arity() {
                1 if f.is_variadic() => "1 or more arguments",
                1 => "1 argument",
                2 => "2 arguments",
                _ => "3 arguments",
            };
            (takes, format!("`{name}({})`", f.parameters()))
        }
    };
    let given = match given {
        1 => "1 was given".to_owned(),
        n => format!("{n} were given"),
    };
    ParseError::new(
        ErrorKind::Arity,
        format!("function `{name}` takes {takes} but {given}"),
        span,
    )
    .with_hint(format!("call it as {usage}"))
}

/// The `expr` of a parenthesized condition that leads a comparison (`(x + 1) > 0`): the
/// condition must be one relation without an operator; a comparison there is not a number.
fn bare_expr(cond: Pair<'_, Rule>) -> Result<Pair<'_, Rule>> {
    let span = span_of(&cond);
    let mut parts = cond.clone().into_inner();
    if let (Some(conjunction), None) = (parts.next(), parts.next()) {
        let mut atoms = conjunction.into_inner();
        if let (Some(relation), None) = (atoms.next(), atoms.next())
            && relation.as_rule() == Rule::relation
        {
            let mut sides = relation.into_inner();
            if let (Some(expr), None) = (sides.next(), sides.next()) {
                return Ok(expr);
            }
        }
    }
    Err(
        match cond
            .into_inner()
            .flatten()
            .find(|p| p.as_rule() == Rule::cmp_op)
        {
            Some(op) => diagnose::comparison_as_number(op.as_str(), span_of(&op)),
            None => ParseError::new(ErrorKind::Syntax, "a condition is not a number", span)
                .with_hint("conditions go in `if(cond, a, b)`, as in `if(x > 0, x, 0)`"),
        },
    )
}

/// The character after `pair`, where an operator or a separator was expected.
fn char_after(pair: &Pair<'_, Rule>) -> Span {
    let end = pair.as_span().end();
    let len = pair
        .get_input()
        .get(end..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8);
    Span::new(end, end + len)
}

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

/// A parse tree the grammar cannot produce; reported instead of panicking.
fn internal(span: Span) -> ParseError {
    ParseError::new(
        ErrorKind::Syntax,
        "internal error: unexpected parse tree (please report this formula)",
        span,
    )
}

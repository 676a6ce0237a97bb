//! pest's errors, said the way a user reads the formula.
//!
//! pest reports the furthest position it reached and the rules it tried there. The rule
//! names mean little to a user, so the message comes from what surrounds that position
//! instead: the token before it (an operator waiting for its operand, an unclosed `(`) and
//! the token found there (a stray `)`, a character no token starts with).

use pest::error::{Error, ErrorVariant, InputLocation};

use crate::ast::Span;
use crate::error::{ErrorKind, ParseError, excerpt};
use crate::grammar::Rule;
use crate::lex::{self, Tok};

/// The friendly form of a pest error on `source`.
pub(crate) fn syntax_error(source: &str, error: &Error<Rule>) -> ParseError {
    let pos = match error.location {
        InputLocation::Pos(pos) => pos,
        InputLocation::Span((start, _)) => start,
    };
    let cx = Context::at(source, pos);
    match &error.variant {
        // A call limit someone set process-wide (pest's stack guard is off: `limits.rs`
        // grows the stack once, before parsing).
        ErrorVariant::CustomError { .. } => cx.out_of_stack(),
        ErrorVariant::ParsingError { .. } => cx.describe(),
    }
}

/// The tokens around the failing position.
#[derive(Debug)]
struct Context<'s> {
    source: &'s str,
    pos: usize,
    /// The last token before the position.
    prev: Option<(Tok, Span)>,
    /// The token at (or containing) the position; `None` at the end.
    found: Option<(Tok, Span)>,
    /// The `(` still open before the position, each with the start of its call's name.
    open: Vec<(Span, Option<usize>)>,
    /// The last group or call closed before the position, from its name or `(` to its `)`.
    closed: Option<Span>,
}

impl<'s> Context<'s> {
    fn at(source: &'s str, pos: usize) -> Self {
        let mut cx = Context {
            source,
            pos,
            prev: None,
            found: None,
            open: Vec::new(),
            closed: None,
        };
        for (tok, span) in lex::tokens(source) {
            if span.end > pos {
                cx.found = Some((tok, span));
                if span.start < pos {
                    // pest stopped inside what the tokenizer took for one token (a character
                    // that is alphabetic but not a letter, like `Ⅻ`): blame that character.
                    cx.prev = Some((tok, Span::new(span.start, pos)));
                    let len = source
                        .get(pos..)
                        .and_then(|s| s.chars().next())
                        .map_or(0, char::len_utf8);
                    cx.found = Some((Tok::Other, Span::new(pos, pos + len)));
                }
                break;
            }
            match tok {
                Tok::Open => {
                    let name = match cx.prev {
                        Some((Tok::Name, name)) => Some(name.start),
                        _ => None,
                    };
                    cx.open.push((span, name));
                }
                Tok::Close => {
                    cx.closed = cx
                        .open
                        .pop()
                        .map(|(open, name)| Span::new(name.unwrap_or(open.start), span.end));
                }
                _ => {}
            }
            cx.prev = Some((tok, span));
        }
        cx
    }

    fn text(&self, span: Span) -> &'s str {
        self.source.get(span.start..span.end).unwrap_or("")
    }

    fn describe(&self) -> ParseError {
        let expecting_operand = self.prev.is_none_or(|(tok, _)| !tok.ends_operand());
        match (self.prev, self.found) {
            (_, Some((Tok::Other, found))) => self.unexpected_character(found, expecting_operand),
            (Some((before, prev)), Some((Tok::Number, number))) if before.ends_operand() => {
                self.number_after(before, prev, number)
            }
            (Some((Tok::AddSign | Tok::MulOp | Tok::PowOp, op)), _) => {
                syntax(format!("expected an operand after `{}`", self.text(op)), op)
                    .with_hint("an operator needs an operand on each side")
            }
            (Some((Tok::Open, open)), Some((Tok::Close, close))) => {
                syntax("empty parentheses", open.join(close))
                    .with_hint("write an expression between `(` and `)`")
            }
            (_, Some((Tok::Close | Tok::Comma, at))) if self.in_if() => if_arguments(at),
            (Some((Tok::Comma, comma)), _) => syntax("expected an argument after `,`", comma)
                .with_hint("arguments are separated by commas, as in `max(a, b)`"),
            (_, None) => match self.open.last() {
                Some(&(open, _)) => {
                    syntax("unbalanced parentheses: this `(` is never closed", open)
                        .with_hint("add a `)` to close it")
                }
                None => syntax("unexpected end of the formula", self.end_span()),
            },
            (_, Some((Tok::Close, close))) if self.open.is_empty() => syntax(
                "unbalanced parentheses: this `)` has no matching `(`",
                close,
            )
            .with_hint("remove it, or add a `(` before it"),
            (_, Some((Tok::MulOp | Tok::PowOp, op))) if expecting_operand => syntax(
                format!("expected an operand before `{}`", self.text(op)),
                op,
            )
            .with_hint("an operator needs an operand on each side"),
            (_, Some((Tok::Comma, comma)))
                if !self.open.last().is_some_and(|(_, name)| name.is_some()) =>
            {
                syntax("unexpected `,`", comma)
                    .with_hint("commas separate the arguments of a call, as in `max(a, b)`")
            }
            (_, Some((_, found))) if expecting_operand => syntax(
                format!("expected an expression, found `{}`", self.text(found)),
                found,
            ),
            (_, Some((Tok::Name, found))) if matches!(self.text(found), "and" | "or") => syntax(
                format!("`{}` joins conditions, not numbers", self.text(found)),
                found,
            )
            .with_hint("conditions go in `if(cond, a, b)`, as in `if(x > 0 and y > 0, a, b)`"),
            (_, Some((_, found))) => syntax(format!("unexpected `{}`", self.text(found)), found),
        }
    }

    /// Whether the innermost open parenthesis is an `if`'s.
    fn in_if(&self) -> bool {
        self.open.last().is_some_and(|&(open, name)| {
            name.is_some_and(|start| self.text(Span::new(start, open.start)) == "if")
        })
    }

    /// A number right after a factor: `2 3`, `x 2`. A juxtaposed factor cannot be a number.
    fn number_after(&self, before: Tok, prev: Span, number: Span) -> ParseError {
        let factor = match (before, self.closed) {
            (Tok::Close, Some(closed)) => closed,
            _ => prev,
        };
        let (a, b) = (excerpt(self.text(factor)), excerpt(self.text(number)));
        if before == Tok::Number {
            let both = prev.join(number);
            let message = format!("two numbers side by side: `{}`", excerpt(self.text(both)));
            syntax(message, both).with_hint(format!("write `{a}*{b}` for their product"))
        } else {
            syntax(format!("missing operator before the number `{b}`"), number)
                .with_hint(format!("write `{a}*{b}`, or put the number first"))
        }
    }

    /// pest stopped because too little native stack was left for the next level.
    fn out_of_stack(&self) -> ParseError {
        let span = self
            .open
            .last()
            .map_or_else(|| self.end_span(), |(open, _)| *open);
        ParseError::new(
            ErrorKind::TooDeep,
            "expression nested too deeply for the available stack",
            span,
        )
        .with_hint("parse on a thread with a larger stack, or nest less")
    }

    /// A character that starts no token: `$`, `_`, a lone `.`, `²`…
    fn unexpected_character(&self, at: Span, expecting_operand: bool) -> ParseError {
        let c = self.text(at);
        if matches!(c, "<" | ">" | "≤" | "≥") && !expecting_operand {
            return comparison_as_number(c, at);
        }
        let error = syntax(format!("unexpected character `{c}`"), at);
        match c {
            "_" => error.with_hint("a `_` in a name is followed by letters or digits, as in `x_1`"),
            "." => error.with_hint("a decimal point belongs in a number, as in `0.5` or `.5`"),
            "⁰" | "¹" | "²" | "³" | "⁴" | "⁵" | "⁶" | "⁷" | "⁸" | "⁹" => {
                error.with_hint("write powers with `^`, as in `x^2`")
            }
            _ if expecting_operand => error.with_hint("expected a number, a name or `(`"),
            _ => error.with_hint("expected an operator such as `+`, `*` or `^`"),
        }
    }

    /// An empty span at the end of the source (after trailing whitespace: at `pos`).
    fn end_span(&self) -> Span {
        let at = self.pos.min(self.source.len());
        Span::new(at, at)
    }
}

/// `if` without a condition and two expressions, or with a number where its condition goes.
pub(crate) fn if_arguments(at: Span) -> ParseError {
    syntax(
        "`if` takes a condition and two expressions: `if(cond, a, b)`",
        at,
    )
    .with_hint(
        "a condition is a comparison such as `x > 0` (a number is not a condition), \
         joined by `and`, `or` and `not(…)`",
    )
}

/// A comparison (its operator `op`, at `at`) where a number is expected.
pub(crate) fn comparison_as_number(op: &str, at: Span) -> ParseError {
    syntax(format!("a comparison is not a number: `{op}`"), at)
        .with_hint("comparisons go in the condition of `if(cond, a, b)`, as in `if(x > 0, x, 0)`")
}

fn syntax(message: impl Into<String>, span: Span) -> ParseError {
    ParseError::new(ErrorKind::Syntax, message, span)
}

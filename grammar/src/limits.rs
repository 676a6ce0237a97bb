//! The size and depth limits, checked in one linear pass before pest sees the source.
//!
//! pest recurses once per parenthesis, call or prefix sign, so a string of 100 000 `(` would
//! exhaust the stack before any rule failed, and the AST's users (lowering, `Drop`) recurse once
//! per node. The pre-scan computes the same nesting depth as the builder ([`crate::MAX_DEPTH`]
//! explains it) without recursion, and rejects the formula at the first token that goes too deep.

use crate::ast::Span;
use crate::error::{ErrorKind, ParseError};
use crate::lex::{self, Tok};
use crate::{MAX_DEPTH, MAX_SOURCE_LEN};

/// Rejects a source over [`MAX_SOURCE_LEN`] bytes or nested deeper than [`MAX_DEPTH`];
/// else its depth.
pub(crate) fn check(source: &str) -> Result<usize, ParseError> {
    if source.len() > MAX_SOURCE_LEN {
        let mut at = MAX_SOURCE_LEN;
        while !source.is_char_boundary(at) {
            at -= 1;
        }
        let end = source[at..]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8());
        return Err(ParseError::new(
            ErrorKind::TooLarge,
            format!(
                "formula too long ({} bytes; the limit is {MAX_SOURCE_LEN})",
                source.len()
            ),
            Span::new(at, end),
        ));
    }
    check_depth(source)
}

/// Stack a parse needs besides its levels' frames: what pest's own guard kept free.
const STACK_BASE: usize = 64 << 10;

/// Stack one level of nesting may take in pest's recursive descent, with a margin: in a debug
/// build a level of nested `if(x > …` took 30–40 KiB (100 levels overflowed 3 MiB, fit in
/// 4 MiB), a nested call about 5.6 KiB; far less in release.
const STACK_PER_LEVEL: usize = 48 << 10;

/// Runs `parse` (pest and the builder on a source of `depth` levels, as [`check`] found)
/// with enough stack for it: on this thread's stack when enough is left, else on a new one
/// (`stacker`), so no thread's stack size makes a formula within [`MAX_DEPTH`] fail or
/// overflow. pest's own guard checked the remaining stack at every rule it entered (the
/// parse of a 10⁶-node formula takes 0.85 of the time without it); it lives in pest's `std`
/// feature, which is off (the workspace's Cargo.toml).
pub(crate) fn with_stack<T>(depth: usize, parse: impl FnOnce() -> T) -> T {
    let needed = STACK_BASE + depth * STACK_PER_LEVEL;
    stacker::maybe_grow(needed, needed, parse)
}

/// One parenthesis level of the scan.
#[derive(Clone, Copy, Debug)]
struct Level {
    /// Depth of the level's contents: the enclosing levels plus their `(`.
    base: usize,
    /// Signs and power operators so far in the current power chain of this level.
    chain: usize,
}

/// The deepest level, or the error at the first token too deep.
fn check_depth(source: &str) -> Result<usize, ParseError> {
    let mut deepest = 0;
    let mut stack: Vec<Level> = Vec::new();
    let mut level = Level { base: 0, chain: 0 };
    let mut prev: Option<Tok> = None;
    for (tok, span) in lex::tokens(source) {
        let after_operand = prev.is_some_and(Tok::ends_operand);
        match tok {
            Tok::Number | Tok::Name | Tok::Other => {
                if after_operand {
                    level.chain = 0; // juxtaposition starts a new factor
                }
            }
            Tok::Open => {
                // After a name, `(` opens a call: the call is the chain's operand.
                if after_operand && prev != Some(Tok::Name) {
                    level.chain = 0;
                }
                let inner = level.base + level.chain + 1;
                if inner > MAX_DEPTH {
                    return Err(too_deep(span));
                }
                deepest = deepest.max(inner);
                stack.push(level);
                level = Level {
                    base: inner,
                    chain: 0,
                };
            }
            Tok::Close => {
                if let Some(outer) = stack.pop() {
                    level = outer;
                }
            }
            Tok::Comma | Tok::MulOp => level.chain = 0,
            Tok::AddSign if after_operand => level.chain = 0,
            Tok::AddSign | Tok::PowOp => {
                level.chain += 1;
                if level.base + level.chain > MAX_DEPTH {
                    return Err(too_deep(span));
                }
                deepest = deepest.max(level.base + level.chain);
            }
        }
        prev = Some(tok);
    }
    Ok(deepest)
}

/// The error for a token that nests deeper than [`MAX_DEPTH`].
pub(crate) fn too_deep(span: Span) -> ParseError {
    ParseError::new(
        ErrorKind::TooDeep,
        format!("expression nested too deeply (more than {MAX_DEPTH} levels)"),
        span,
    )
    .with_hint(
        "parentheses, calls, signs and `^` count as levels; \
         name intermediate results or split the formula",
    )
}

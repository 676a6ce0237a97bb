//! Parse errors: a message, the span of the fault, an optional hint; rendered like rustc.

use crate::ast::Span;

/// What kind of fault a [`ParseError`] reports (for callers that branch on it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The string is empty or only whitespace.
    Empty,
    /// Any grammar fault: unbalanced parentheses, a dangling operator, `2 3`, …
    Syntax,
    /// A function name without parentheses (`exp x`).
    MissingCallParens,
    /// A function called with the wrong number of arguments.
    Arity,
    /// `f(x)` where `f` is neither a function nor a declared variable.
    UnknownFunction,
    /// A name that is not a declared variable.
    UnknownName,
    /// Nesting deeper than [`crate::MAX_DEPTH`].
    TooDeep,
    /// A formula, a name or a variable list over its documented limit.
    TooLarge,
}

/// A fault in a formula, with the byte span it points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// What kind of fault it is.
    pub kind: ErrorKind,
    /// The message, lowercase and with the user's syntax in backticks.
    pub message: String,
    /// The bytes of the source it points at.
    pub span: Span,
    /// A `help:` line: what exists, or how to write what was meant.
    pub hint: Option<String>,
}

impl ParseError {
    /// An error without a hint.
    pub fn new(kind: ErrorKind, message: impl Into<String>, span: Span) -> Self {
        ParseError {
            kind,
            message: message.into(),
            span,
            hint: None,
        }
    }

    /// The same error with a `help:` line.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The message alone; [`ParseError::render`] adds the source line, the caret and the hint.
impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// `text` for quoting in a message: whole, or its first 40 characters and `…`.
pub(crate) fn excerpt(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

//! Rendering a [`ParseError`] like rustc: the message, the source line, a caret line under the
//! span, and the hint.

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use crate::error::ParseError;

impl ParseError {
    /// The error as plain text, for logs, tests and files:
    ///
    /// ```text
    /// error: unknown variable `xy`
    ///   |
    /// 1 | xy + 1
    ///   | ^^
    ///   |
    ///   = help: the variables are `x`, `y`; did you mean `x*y`?
    /// ```
    pub fn render(&self, source: &str) -> String {
        self.render_with(&Renderer::plain(), source)
    }

    /// The error in a few lines that fit inside another message (a compiler error on the
    /// string literal that holds the formula): the message, the span's line with carets
    /// under the span (one at least), and the hint.
    ///
    /// ```
    /// let err = symgrad_grammar::parse("x + 2 3").unwrap_err();
    /// assert_eq!(
    ///     err.render_compact("x + 2 3"),
    ///     "two numbers side by side: `2 3`\n  x + 2 3\n      ^^^\n  help: write `2*3` for their product"
    /// );
    /// ```
    pub fn render_compact(&self, source: &str) -> String {
        let start = floor(source, self.span.start);
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[line_start..]
            .find('\n')
            .map_or(source.len(), |i| line_start + i);
        let end = floor(source, self.span.end.clamp(start, line_end));
        let before = source[line_start..start].chars().count();
        let width = source[start..end].chars().count().max(1);
        let mut text = format!(
            "{}\n  {}\n  {}{}",
            self.message,
            &source[line_start..line_end],
            " ".repeat(before),
            "^".repeat(width)
        );
        if let Some(hint) = &self.hint {
            text.push_str(&format!("\n  help: {hint}"));
        }
        text
    }

    /// The error with terminal colors (ANSI escapes), for standard error on a terminal.
    pub fn render_styled(&self, source: &str) -> String {
        self.render_with(&Renderer::styled(), source)
    }

    fn render_with(&self, renderer: &Renderer, source: &str) -> String {
        let span = self.clamped_span(source);
        let snippet = Snippet::source(source).annotation(AnnotationKind::Primary.span(span));
        let mut group = Level::ERROR
            .primary_title(self.message.as_str())
            .element(snippet);
        if let Some(hint) = &self.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        renderer.render(&[group])
    }

    /// The span, moved inside `source` and onto character boundaries.
    fn clamped_span(&self, source: &str) -> std::ops::Range<usize> {
        let start = floor(source, self.span.start);
        let end = floor(source, self.span.end).max(start);
        start..end
    }
}

/// `i`, moved inside `s` and down to a character boundary.
fn floor(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

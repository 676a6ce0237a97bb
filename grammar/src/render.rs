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
        let floor = |mut i: usize| {
            i = i.min(source.len());
            while !source.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = floor(self.span.start);
        let end = floor(self.span.end).max(start);
        start..end
    }
}

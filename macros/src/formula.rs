//! The string form: the formula parsed by the pest grammar with the parameters as its
//! declared variables. A parse error points at the string and shows the fault with a
//! caret, since a span inside a string literal is not available on stable Rust.

use symgrad_grammar::{Formula, ParseError};
use syn::LitStr;

/// The parsed formula, or an error on the string literal.
pub(crate) fn parse(lit: &LitStr, params: &[String]) -> syn::Result<Formula> {
    let source = lit.value();
    let names: Vec<&str> = params.iter().map(String::as_str).collect();
    symgrad_grammar::parse_with_vars(&source, &names)
        .map_err(|e| syn::Error::new(lit.span(), describe(&e, &source)))
}

/// The message, the formula's line with a caret line under the fault, and the hint:
///
/// ```text
/// two numbers side by side: `2 3`
///   2 3 + x
///     ^
///   help: …
/// ```
fn describe(e: &ParseError, source: &str) -> String {
    let start = e.span.start.min(source.len());
    let line_start = source[..floor(source, start)]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line_end = source[line_start..]
        .find('\n')
        .map_or(source.len(), |i| line_start + i);
    let line = &source[line_start..line_end];
    let end = floor(source, e.span.end.clamp(start, line_end));
    let start = floor(source, start);
    let before = source[line_start..start].chars().count();
    let width = source[start..end].chars().count().max(1);
    let mut text = format!(
        "{}\n  {line}\n  {}{}",
        e.message,
        " ".repeat(before),
        "^".repeat(width)
    );
    if let Some(hint) = &e.hint {
        text.push_str(&format!("\n  help: {hint}"));
    }
    text
}

/// `i`, moved down to a character boundary of `s`.
fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(source: &str, params: &[&str]) -> String {
        let lit = LitStr::new(source, proc_macro2::Span::call_site());
        let params: Vec<String> = params.iter().map(|p| p.to_string()).collect();
        parse(&lit, &params)
            .expect_err("the formula is bad")
            .to_string()
    }

    #[test]
    fn the_caret_sits_under_the_fault() {
        assert_eq!(
            error("x + 2 3", &["x"]),
            "two numbers side by side: `2 3`\n  x + 2 3\n      ^^^\n  help: write `2*3` for their product"
        );
    }

    #[test]
    fn an_unknown_name_lists_the_parameters() {
        let e = error("x*q", &["x", "y"]);
        assert!(e.starts_with("unknown variable `q`\n  x*q\n    ^"), "{e}");
        assert!(e.contains("help:"), "{e}");
    }

    #[test]
    fn non_ascii_before_the_fault_keeps_the_caret_aligned() {
        let e = error("σ(x) + (", &["x"]);
        let lines: Vec<&str> = e.lines().collect();
        assert_eq!(lines[1], "  σ(x) + (");
        assert_eq!(lines[2].find('^'), Some(2 + 7), "{e}");
    }
}

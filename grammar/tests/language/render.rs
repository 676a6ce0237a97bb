//! Errors render like rustc: message, source line, caret line under the span, help.

use super::{error, error_with};

#[test]
fn caret_sits_under_the_unknown_name() {
    let source = "2·θy + 1";
    let rendered = error_with(source, &["θ", "y"]).render(source);
    let expected = "\
error: unknown variable `θy`
  |
1 | 2·θy + 1
  |   ^^
  |
  = help: the variables are `θ`, `y`; did you mean `θ*y`?";
    assert_eq!(rendered.trim_end(), expected);
}

#[test]
fn caret_sits_under_the_unclosed_parenthesis() {
    let source = "x*(y+1";
    let rendered = error(source).render(source);
    let caret_line = rendered.lines().nth(3).unwrap_or_default();
    assert_eq!(caret_line, "  |   ^");
}

#[test]
fn caret_on_the_right_line_of_a_multiline_formula() {
    let source = "x +\n  y $ 2";
    let rendered = error(source).render(source);
    let lines: Vec<&str> = rendered.lines().collect();
    assert_eq!(lines[2..4], ["2 |   y $ 2", "  |     ^"]);
}

#[test]
fn caret_covers_two_numbers_side_by_side() {
    let source = "1 + 2 3";
    let rendered = error(source).render(source);
    assert!(
        rendered.contains("1 | 1 + 2 3\n  |     ^^^\n"),
        "{rendered}"
    );
}

#[test]
fn empty_formula_renders() {
    let rendered = error("").render("");
    assert!(
        rendered.starts_with("error: empty expression\n"),
        "{rendered}"
    );
}

#[test]
fn display_is_the_message() {
    assert_eq!(error("x+").to_string(), "expected an operand after `+`");
}

#[test]
fn styled_rendering_has_colors() {
    let rendered = error("x+").render_styled("x+");
    assert!(rendered.contains("\u{1b}["), "{rendered:?}");
}

#[test]
fn rendering_against_another_source_clamps_the_span() {
    // A span past the end or inside a character is clamped: the message and the other
    // source's line are still shown, with the caret at its end.
    let e = error("x + θθθθθ $");
    let header = format!("error: {}\n", e.message);
    let shorter = e.render("θ");
    assert!(shorter.starts_with(&header), "{shorter}");
    assert!(shorter.contains("1 | θ\n"), "{shorter}");
    let empty = e.render("");
    assert!(empty.starts_with(&header), "{empty}");
}

#[test]
fn compact_rendering_puts_carets_under_the_span_on_its_line() {
    let source = "x +\n  σ(y) $ 2";
    let rendered = error(source).render_compact(source);
    let lines: Vec<&str> = rendered.lines().collect();
    assert_eq!(lines[1..3], ["    σ(y) $ 2", "         ^"], "{rendered}");
}

#[test]
fn compact_rendering_shows_one_caret_for_an_empty_span() {
    let rendered = error("").render_compact("");
    assert_eq!(rendered.lines().nth(2), Some("  ^"), "{rendered}");
}

//! The string form: the formula parsed by the pest grammar with the parameters as its
//! declared variables. A parse error points at the string and shows the fault with a
//! caret, since a span inside a string literal is not available on stable Rust.

use symgrad_grammar::Formula;
use syn::LitStr;

/// The parsed formulas (one per comma-separated output, SPEC §6), or an error on the
/// string literal.
pub(crate) fn parse(lit: &LitStr, params: &[String]) -> syn::Result<Vec<Formula>> {
    let source = lit.value();
    let names: Vec<&str> = params.iter().map(String::as_str).collect();
    symgrad_grammar::parse_outputs_with_vars(&source, &names)
        .map_err(|e| syn::Error::new(lit.span(), e.render_compact(&source)))
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
    fn an_empty_output_is_shown() {
        let e = error("x, , x^2", &["x"]);
        assert!(
            e.starts_with("output 2 is empty\n  x, , x^2\n     ^"),
            "{e}"
        );
    }

    #[test]
    fn non_ascii_before_the_fault_keeps_the_caret_aligned() {
        let e = error("σ(x) + (", &["x"]);
        let lines: Vec<&str> = e.lines().collect();
        assert_eq!(lines[1], "  σ(x) + (");
        assert_eq!(lines[2].find('^'), Some(2 + 7), "{e}");
    }
}

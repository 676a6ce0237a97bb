//! A token-level depth check that runs before syn parses the item.
//!
//! syn parses nested expressions recursively (and drops them recursively), so a body nested
//! a thousand parentheses deep overflowed rustc's stack inside the macro, where rustc on
//! its own copes. This scan descends into a group only while under the limit, so its own
//! recursion is bounded by it.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};

/// Deepest nesting of groups (parentheses, brackets, braces) and prefix `-`/`!` accepted
/// in the item. Above the body walk's own limit (`body::MAX_BODY_DEPTH`), whose error is
/// the one users meet; this one only keeps syn from recursing without bound.
pub(crate) const MAX_TOKEN_DEPTH: usize = 256;

/// The error for the first token nested deeper than [`MAX_TOKEN_DEPTH`], if any.
pub(crate) fn too_deep(tokens: &TokenStream) -> Option<syn::Error> {
    scan(tokens.clone(), 0).map(|span| {
        syn::Error::new(
            span,
            format!(
                "expression nested too deeply (more than {MAX_TOKEN_DEPTH} levels); \
                 name intermediate results with `let`"
            ),
        )
    })
}

fn scan(tokens: TokenStream, depth: usize) -> Option<Span> {
    // Prefix operators in a row (`- - -x`) nest like parentheses in syn's parser.
    let mut prefixes = 0;
    let mut after_operand = false;
    for token in tokens {
        match token {
            TokenTree::Group(group) => {
                let inner = depth + prefixes + usize::from(group.delimiter() != Delimiter::None);
                if inner > MAX_TOKEN_DEPTH {
                    return Some(group.span_open());
                }
                if let Some(span) = scan(group.stream(), inner) {
                    return Some(span);
                }
                prefixes = 0;
                after_operand = true;
            }
            TokenTree::Punct(p) if matches!(p.as_char(), '-' | '!') && !after_operand => {
                prefixes += 1;
                if depth + prefixes > MAX_TOKEN_DEPTH {
                    return Some(p.span());
                }
            }
            TokenTree::Punct(_) => {
                prefixes = 0;
                after_operand = false;
            }
            TokenTree::Ident(_) | TokenTree::Literal(_) => {
                prefixes = 0;
                after_operand = true;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(open: &str, levels: usize, close: &str) -> TokenStream {
        let body = format!("{}x{}", open.repeat(levels), close.repeat(levels));
        format!("fn f(x: f64) -> f64 {{ {body} }}")
            .parse()
            .expect("tokens")
    }

    #[test]
    fn a_thousand_parentheses_are_too_deep() {
        let e = too_deep(&nested("(", 1000, ")")).expect("an error");
        assert!(
            e.to_string().starts_with("expression nested too deeply"),
            "{e}"
        );
    }

    #[test]
    fn a_thousand_minus_signs_are_too_deep() {
        assert!(too_deep(&nested("-", 1000, "")).is_some());
    }

    #[test]
    fn the_body_limit_is_left_to_the_body_walk() {
        assert!(too_deep(&nested("(", 200, ")")).is_none());
        assert!(too_deep(&nested("-(", 100, ")")).is_none());
    }

    #[test]
    fn binary_minus_is_not_a_prefix() {
        let long: TokenStream = format!("fn f(x: f64) -> f64 {{ {} x }}", "x - ".repeat(5000))
            .parse()
            .expect("tokens");
        assert!(too_deep(&long).is_none());
    }
}

//! Generated items as `symgrad rust` prints them: parsed and laid out by prettyplease, or
//! past [`PRETTY_MAX_TOKENS`] a statement a line by [`plain`].

mod plain;

use proc_macro2::{TokenStream, TokenTree};

use crate::input::Failure;
use crate::progress::Progress;

/// Tokens above which the items are laid out by [`plain`]: prettyplease's memory grows to
/// about fifty times the text it writes, past a gigabyte here (a 10⁵-node formula's
/// items, some eight million tokens).
const PRETTY_MAX_TOKENS: usize = 2_000_000;

/// The generated items, formatted.
pub fn unparse(tokens: TokenStream, progress: Progress) -> Result<String, Failure> {
    progress.set_stage("formatting");
    if count(&tokens) > PRETTY_MAX_TOKENS {
        let text = plain::layout(tokens);
        progress.finish();
        return Ok(text);
    }
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Failure::new(
            format!("internal error: the generated code does not parse: {e}"),
            Some("please report this formula".to_string()),
        )
    })?;
    let formatted = prettyplease::unparse(&file);
    progress.finish();
    Ok(formatted)
}

/// The tokens of `tokens`, groups' delimiters and contents included, with no recursion.
fn count(tokens: &TokenStream) -> usize {
    let mut groups = vec![tokens.clone()];
    let mut n = 0;
    while let Some(stream) = groups.pop() {
        for tree in stream {
            n += 1;
            if let TokenTree::Group(group) = tree {
                groups.push(group.stream());
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use symgrad_core::{CodegenOptions, Gradient, ManyOutputs, OutputShape, SecondOrder};

    /// Generated items of several kinds: gates, a branch, a Hessian, a test point, many
    /// outputs, and a tape of more than 64 fields (compared as arrays).
    fn generated() -> Vec<TokenStream> {
        let long_sum: Vec<String> = (0..80).map(|i| format!("sin({i}x + y)")).collect();
        let mut items = Vec::new();
        for source in [
            "1/(1+e^-(w0x0 + w1x1 + w2))",
            "if(x > 0 and y <= 1, ln(1 + e^x), x^2) + huber(y, 0.5)",
            &long_sum.join(" + "),
        ] {
            let formula = symgrad_grammar::parse(source).expect("parses");
            let wrt: Vec<u32> = (0..formula.vars.len() as u32).collect();
            let grad = Gradient::new(&formula, &wrt);
            let mut options = CodegenOptions::new("f", grad.vars()).expect("a valid name");
            options.test_points.push(vec![0.5; formula.vars.len()]);
            let second = SecondOrder::new(&formula, &wrt);
            items.push(symgrad_core::generate_with(&grad, Some(&second), &options));
        }
        let outputs = symgrad_grammar::parse_outputs("r cos(t), r sin(t)").expect("parses");
        let options = CodegenOptions::new("polar", &outputs[0].vars).expect("a valid name");
        let many = ManyOutputs::new(&outputs, &[0, 1]);
        items.push(symgrad_core::generate_many(
            &many,
            OutputShape::Array,
            &options,
        ));
        items
    }

    #[test]
    fn the_plain_layout_parses_back_to_the_same_items() {
        for tokens in generated() {
            let text = plain::layout(tokens.clone());
            let reparsed: syn::File = syn::parse_str(&text).expect("the layout parses");
            let original: syn::File = syn::parse2(tokens).expect("the items parse");
            assert_eq!(
                quote::quote!(#reparsed).to_string(),
                quote::quote!(#original).to_string()
            );
            assert!(text.lines().count() > 10, "{text}");
        }
    }

    #[test]
    fn counting_reaches_into_groups() {
        assert_eq!(count(&quote::quote!(f(x, [y; 2]) { z })), 10);
    }
}

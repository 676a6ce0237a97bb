//! Constant indices checked against their arrays' lengths at compile time: an
//! out-of-range `x[3]` of a `[f64; 3]` is a compile error at the `3`, as SPEC §8 asks,
//! where rustc alone would let it panic at run time.

use std::collections::HashMap;

use proc_macro2::{Literal, TokenStream, TokenTree};
use quote::{quote, quote_spanned};

use crate::loops::program::{Leaf, LoopFn, ParamKind, Rhs, Stmt};

/// `const` assertions, one per constant index of an array of known length: items for a
/// function without generic parameters, statements (`const { … }`) for a generic one.
pub(crate) fn checks(f: &LoopFn) -> TokenStream {
    let mut dims: HashMap<String, Vec<TokenStream>> = f
        .params
        .iter()
        .filter_map(|p| match &p.kind {
            ParamKind::Array(d) => Some((p.name.to_string(), d.clone())),
            _ => None,
        })
        .collect();
    let mut found = Vec::new();
    walk(&f.body, &mut dims, &mut found);
    indices(&f.value, &dims, &mut found);
    let generic = !f.generics.is_empty();
    let mut seen = std::collections::HashSet::new();
    found
        .into_iter()
        .filter(|(array, k, literal, _, _)| seen.insert((array.clone(), *k, literal.to_string())))
        .map(|(array, _, literal, len, span)| {
            let message = format!("index {literal} is out of range for `{array}`");
            if generic {
                quote_spanned!(span=> const { assert!(#literal < #len, #message) };)
            } else {
                quote_spanned!(span=> const _: () = assert!(#literal < #len, #message);)
            }
        })
        .collect()
}

type Found = (String, usize, Literal, TokenStream, proc_macro2::Span);

fn walk(stmts: &[Stmt], dims: &mut HashMap<String, Vec<TokenStream>>, found: &mut Vec<Found>) {
    for stmt in stmts {
        match stmt {
            Stmt::Let { value, .. }
            | Stmt::Acc { init: value, .. }
            | Stmt::Update { value, .. } => {
                indices(value, dims, found);
            }
            Stmt::Store {
                array,
                index,
                value,
            } => {
                literal_indices(&array.to_string(), index, dims, found);
                indices(value, dims, found);
            }
            Stmt::Array { name, dims: d } => {
                dims.insert(name.to_string(), d.clone());
            }
            Stmt::For { body, .. } => walk(body, dims, found),
        }
    }
}

fn indices(rhs: &Rhs, dims: &HashMap<String, Vec<TokenStream>>, found: &mut Vec<Found>) {
    for leaf in &rhs.leaves {
        if let Leaf::Element { array, index } = leaf {
            literal_indices(&array.to_string(), index, dims, found);
        }
    }
}

fn literal_indices(
    array: &str,
    index: &[TokenStream],
    dims: &HashMap<String, Vec<TokenStream>>,
    found: &mut Vec<Found>,
) {
    let Some(lengths) = dims.get(array) else {
        return;
    };
    for (k, (i, len)) in index.iter().zip(lengths).enumerate() {
        let mut tokens = i.clone().into_iter();
        if let (Some(TokenTree::Literal(l)), None) = (tokens.next(), tokens.next())
            && l.to_string().parse::<usize>().is_ok()
        {
            let span = l.span();
            found.push((array.to_string(), k, l, quote!(#len), span));
        }
    }
}

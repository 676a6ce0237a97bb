//! Indices checked against their arrays' lengths at compile time, where both are known:
//! an out-of-range `x[3]` of a `[f64; 3]`, or `x[i]` in `for i in 0..4`, is a compile
//! error at the index, as SPEC §8 asks, where rustc alone would let it panic at run time.

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
    let indices_params: std::collections::HashSet<String> = f
        .params
        .iter()
        .filter(|p| matches!(p.kind, ParamKind::Index))
        .map(|p| p.name.to_string())
        .collect();
    let mut found = Vec::new();
    let mut walker = Walker {
        dims: &mut dims,
        loops: HashMap::new(),
        index_params: &indices_params,
        found: &mut found,
    };
    walker.walk(&f.body);
    walker.indices(&f.value);
    let generic = !f.generics.is_empty();
    let mut seen = std::collections::HashSet::new();
    found
        .into_iter()
        .filter(|(array, k, bound, _, _)| seen.insert((array.clone(), *k, bound.to_string())))
        .map(|(array, _, bound, len, span)| {
            let (check, message) = match bound {
                Bound::Index(literal) => (
                    quote!(#literal < #len),
                    format!("index {literal} is out of range for `{array}`"),
                ),
                Bound::Loop(var, end) => (
                    quote!(#end <= #len),
                    format!("the loop over `{var}` runs past the end of `{array}`"),
                ),
            };
            if generic {
                quote_spanned!(span=> const { assert!(#check, #message) };)
            } else {
                quote_spanned!(span=> const _: () = assert!(#check, #message);)
            }
        })
        .collect()
}

/// What must fit in an array's length: a literal index, or a loop's end.
enum Bound {
    Index(Literal),
    Loop(proc_macro2::Ident, TokenStream),
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bound::Index(l) => write!(f, "{l}"),
            Bound::Loop(v, end) => write!(f, "{v} < {end}"),
        }
    }
}

type Found = (String, usize, Bound, TokenStream, proc_macro2::Span);

struct Walker<'w> {
    dims: &'w mut HashMap<String, Vec<TokenStream>>,
    /// The loops around, by variable: their ends, when known at compile time.
    loops: HashMap<String, Option<TokenStream>>,
    index_params: &'w std::collections::HashSet<String>,
    found: &'w mut Vec<Found>,
}

impl Walker<'_> {
    fn walk(&mut self, stmts: &[Stmt]) {
        for stmt in stmts {
            match stmt {
                Stmt::Let { value, .. }
                | Stmt::Acc { init: value, .. }
                | Stmt::Update { value, .. } => self.indices(value),
                Stmt::Store {
                    array,
                    index,
                    value,
                } => {
                    self.check(&array.to_string(), index);
                    self.indices(value);
                }
                Stmt::Array { name, dims } => {
                    self.dims.insert(name.to_string(), dims.clone());
                }
                Stmt::For { var, range, body } => {
                    let lengths: HashMap<String, TokenStream> = self
                        .dims
                        .iter()
                        .map(|(k, v)| (k.clone(), v[0].clone()))
                        .collect();
                    let end = static_length(range, &lengths, self.index_params);
                    let outer = self.loops.insert(var.to_string(), end);
                    self.walk(body);
                    match outer {
                        Some(o) => self.loops.insert(var.to_string(), o),
                        None => self.loops.remove(&var.to_string()),
                    };
                }
            }
        }
    }

    fn indices(&mut self, rhs: &Rhs) {
        for leaf in &rhs.leaves {
            if let Leaf::Element { array, index } = leaf {
                self.check(&array.to_string(), index);
            }
        }
    }

    fn check(&mut self, array: &str, index: &[TokenStream]) {
        let Some(lengths) = self.dims.get(array) else {
            return;
        };
        for (k, (i, len)) in index.iter().zip(lengths).enumerate() {
            let mut tokens = i.clone().into_iter();
            match (tokens.next(), tokens.next()) {
                (Some(TokenTree::Literal(l)), None) if l.to_string().parse::<usize>().is_ok() => {
                    let span = l.span();
                    self.found
                        .push((array.to_string(), k, Bound::Index(l), quote!(#len), span));
                }
                (Some(TokenTree::Ident(v)), None) => {
                    if let Some(Some(end)) = self.loops.get(&v.to_string()) {
                        let span = v.span();
                        let bound = Bound::Loop(v, end.clone());
                        self.found
                            .push((array.to_string(), k, bound, quote!(#len), span));
                    }
                }
                _ => {}
            }
        }
    }
}

/// The end of the range `a..S` as a constant expression, when it has one: `S` a
/// literal, a constant (any name but a `usize` parameter), or `x.len()` of an array whose
/// length is known (`arrays`); `a` a literal.
pub(crate) fn static_length(
    range: &TokenStream,
    arrays: &HashMap<String, TokenStream>,
    indices: &std::collections::HashSet<String>,
) -> Option<TokenStream> {
    let tokens: Vec<TokenTree> = range.clone().into_iter().collect();
    let dots = tokens
        .iter()
        .position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == '.'))?;
    let (start, rest) = tokens.split_at(dots);
    let [TokenTree::Literal(_)] = start else {
        return None;
    };
    let end = match rest {
        [TokenTree::Punct(a), TokenTree::Punct(b), end @ ..]
            if a.as_char() == '.' && b.as_char() == '.' =>
        {
            end
        }
        _ => return None,
    };
    match end {
        [TokenTree::Literal(l)] => Some(quote!(#l)),
        [TokenTree::Ident(i)] if !indices.contains(&i.to_string()) => Some(quote!(#i)),
        [
            TokenTree::Ident(x),
            TokenTree::Punct(dot),
            TokenTree::Ident(len),
            TokenTree::Group(g),
        ] if dot.as_char() == '.' && *len == "len" && g.stream().is_empty() => {
            arrays.get(&x.to_string()).cloned()
        }
        _ => None,
    }
}

//! One scalar expression of a loop body through the scalar pipeline: its value and its
//! partials with respect to its differentiable leaves, written as Rust blocks by the
//! generator of the scalar form.

use std::collections::HashMap;

use proc_macro2::{Group, Ident, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote};

use crate::codegen::Float;
use crate::codegen::block::{Context, is_numbered};
use crate::codegen::items::ops_used;
use crate::diff::pipeline::Gradient;
use crate::loops::program::{Leaf, Rhs};
use crate::ops::Op;

/// An [`Rhs`] differentiated with respect to the leaves `wrt` says are differentiable.
#[derive(Clone, Debug)]
pub(crate) struct Compiled {
    grad: Gradient,
    leaves: Vec<Leaf>,
    /// The identifier of each leaf inside the blocks: a scalar's own name, else `l<k>`.
    idents: Vec<Ident>,
    /// The leaf of each partial, in order.
    pub wrt: Vec<usize>,
}

impl Compiled {
    pub fn new(rhs: &Rhs, differentiable: impl Fn(&Leaf) -> bool) -> Self {
        let wrt: Vec<usize> = (0..rhs.leaves.len())
            .filter(|&k| differentiable(&rhs.leaves[k]))
            .collect();
        let wrt_u32: Vec<u32> = wrt.iter().map(|&k| k as u32).collect();
        let grad = Gradient::new(&rhs.formula, &wrt_u32);
        let names: Vec<String> = rhs
            .leaves
            .iter()
            .filter_map(|leaf| match leaf {
                Leaf::Name(name) => Some(name.to_string()),
                _ => None,
            })
            .collect();
        let mut prefix = "l".to_string();
        while names.iter().any(|n| is_numbered(n, &prefix)) {
            prefix.push('_');
        }
        let idents = rhs
            .leaves
            .iter()
            .enumerate()
            .map(|(k, leaf)| match leaf {
                Leaf::Name(name) => name.clone(),
                _ => format_ident!("{}{}", prefix, k),
            })
            .collect();
        Compiled {
            grad,
            leaves: rhs.leaves.clone(),
            idents,
            wrt,
        }
    }

    /// The leaf a partial is taken with respect to.
    pub fn leaf(&self, partial: usize) -> &Leaf {
        &self.leaves[self.wrt[partial]]
    }

    /// The operations the value and the partials apply.
    pub fn ops_used(&self) -> Vec<Op> {
        ops_used(self.grad.graph(), &self.grad.roots())
    }

    /// An expression of the value.
    pub fn value(&self, float: Float, gates: &TokenStream) -> TokenStream {
        self.block(&[self.grad.value()], float, gates)
    }

    /// An expression of the tuple `(value, partial…)`, computed together.
    pub fn value_and_partials(&self, float: Float, gates: &TokenStream) -> TokenStream {
        self.block(&self.grad.roots(), float, gates)
    }

    /// An expression of the tuple `(partial…)`.
    pub fn partials(&self, float: Float, gates: &TokenStream) -> TokenStream {
        self.block(self.grad.partials(), float, gates)
    }

    /// An expression of partial `k` alone.
    pub fn partial(&self, k: usize, float: Float, gates: &TokenStream) -> TokenStream {
        self.block(&[self.grad.partials()[k]], float, gates)
    }

    /// The leaves partial `k` reads.
    pub fn partial_leaves(&self, k: usize) -> Vec<&Leaf> {
        used_vars(self.grad.graph(), &[self.grad.partials()[k]])
            .into_iter()
            .map(|v| &self.leaves[v])
            .collect()
    }

    /// The partial with respect to leaf `leaf`, if the expression has one.
    pub fn partial_of(&self, leaf: usize) -> Option<usize> {
        self.wrt.iter().position(|&l| l == leaf)
    }

    /// The leaves, in order.
    pub fn leaves(&self) -> &[Leaf] {
        &self.leaves
    }

    /// The scalar generator's block, its leaves written as what they read; one root is
    /// an expression, several a tuple.
    fn block(
        &self,
        roots: &[crate::ir::graph::NodeId],
        float: Float,
        gates: &TokenStream,
    ) -> TokenStream {
        let g = self.grad.graph();
        let mut ctx = Context::new(g, &self.idents, float);
        ctx.number(ctx.lets(roots, &[], &[]));
        let block = ctx.block::<TokenStream>(roots, &[], &[], gates.clone());
        // Each load is written where the expression reads it (`w[j][i] * x[i]`), as the
        // user wrote it: an element read only in a branch is read only when it is taken.
        let reads: HashMap<String, TokenStream> = self
            .leaves
            .iter()
            .zip(&self.idents)
            .filter_map(|(leaf, ident)| match leaf {
                Leaf::Name(_) => None,
                Leaf::Element { array, index } => {
                    Some((ident.to_string(), quote!(#array #([#index])*)))
                }
                Leaf::Count(count) => Some((ident.to_string(), quote!(((#count) as #float)))),
            })
            .collect();
        let lets = substitute(block.lets, &reads);
        let exprs: Vec<TokenStream> = block
            .roots
            .into_iter()
            .map(|(t, _)| substitute(t, &reads))
            .collect();
        let result = match exprs.as_slice() {
            [one] => quote!(#one),
            many => quote!((#(#many),*)),
        };
        if lets.is_empty() {
            result
        } else if let Some(only) = only_let(&lets, &result) {
            only
        } else {
            quote!({ #lets #result })
        }
    }
}

/// `e` when `lets` is `let t = e;` and `result` is `t`: the block `{ let t = e; t }`.
fn only_let(lets: &TokenStream, result: &TokenStream) -> Option<TokenStream> {
    let tokens: Vec<TokenTree> = lets.clone().into_iter().collect();
    let result: Vec<TokenTree> = result.clone().into_iter().collect();
    let semicolons = tokens
        .iter()
        .filter(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ';'))
        .count();
    match (tokens.as_slice(), result.as_slice()) {
        (
            [
                TokenTree::Ident(l),
                TokenTree::Ident(name),
                TokenTree::Punct(eq),
                e @ ..,
                TokenTree::Punct(semi),
            ],
            [TokenTree::Ident(r)],
        ) if *l == "let"
            && eq.as_char() == '='
            && semi.as_char() == ';'
            && semicolons == 1
            && name == r =>
        {
            Some(e.iter().cloned().collect())
        }
        _ => None,
    }
}

/// The positions of the variables the nodes of `roots` read.
fn used_vars(g: &crate::ir::graph::Graph, roots: &[crate::ir::graph::NodeId]) -> Vec<usize> {
    let mut seen = vec![false; g.len()];
    let mut stack: Vec<_> = roots.to_vec();
    let mut vars = Vec::new();
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut seen[id.index()], true) {
            continue;
        }
        match g.node(id) {
            crate::ir::graph::Node::Var(k) => vars.push(k as usize),
            node => stack.extend_from_slice(node.args()),
        }
    }
    vars
}

/// `tokens` with each identifier that `reads` names replaced by what it reads.
fn substitute(tokens: TokenStream, reads: &HashMap<String, TokenStream>) -> TokenStream {
    tokens
        .into_iter()
        .map(|t| match t {
            TokenTree::Ident(ref i) => match reads.get(&i.to_string()) {
                Some(read) => read.clone(),
                None => t.into_token_stream(),
            },
            TokenTree::Group(g) => {
                let mut inner = Group::new(g.delimiter(), substitute(g.stream(), reads));
                inner.set_span(g.span());
                TokenTree::Group(inner).into_token_stream()
            }
            other => other.into_token_stream(),
        })
        .collect()
}

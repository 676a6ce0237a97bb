//! One scalar expression of a loop body through the scalar pipeline: its value and its
//! partials with respect to its differentiable leaves, written as Rust blocks by the
//! generator of the scalar form.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::codegen::Float;
use crate::codegen::block::{Context, is_numbered};
use crate::codegen::items::ops_used;
use crate::diff::pipeline::Gradient;
use crate::loops::program::{Leaf, Rhs};
use crate::ops::Op;

/// An [`Rhs`] differentiated with respect to the leaves `wrt` says are differentiable.
#[derive(Debug)]
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

    /// The leaves read into their identifiers, then the scalar generator's block; one
    /// root is an expression, several a tuple.
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
        let used = used_vars(g, roots);
        // One pattern binds every load: an index may name a loop variable spelled like
        // a load (`l0`), which a load bound before it would shadow.
        let (names, reads): (Vec<&Ident>, Vec<TokenStream>) = self
            .leaves
            .iter()
            .zip(&self.idents)
            .enumerate()
            .filter(|(k, _)| used.contains(k))
            .filter_map(|(_, (leaf, ident))| match leaf {
                Leaf::Name(_) => None,
                Leaf::Element { array, index } => Some((ident, quote!(#array #([#index])*))),
                Leaf::Count(count) => Some((ident, quote!((#count) as #float))),
            })
            .unzip();
        let loads = match names.as_slice() {
            [] => TokenStream::new(),
            [one] => quote!(let #one = #(#reads)*;),
            many => quote!(let (#(#many),*) = (#(#reads),*);),
        };
        let lets = &block.lets;
        let exprs: Vec<&TokenStream> = block.roots.iter().map(|(t, _)| t).collect();
        let result = match exprs.as_slice() {
            [one] => quote!(#one),
            many => quote!((#(#many),*)),
        };
        if loads.is_empty() && lets.is_empty() {
            result
        } else {
            quote!({ #loads #lets #result })
        }
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
            crate::ir::graph::Node::Var(k) => vars.push(*k as usize),
            node => stack.extend_from_slice(node.args()),
        }
    }
    vars
}

//! A large `f::hessian` written in parts: the upper triangle's rows go into
//! `#[inline(never)]` functions of about [`PART_ENTRIES`] entries each, so that no function
//! LLVM optimizes grows with the Hessian. As one straight-line function, the n = 200
//! neuron's 80 601 entries did not compile in release in 20 minutes: LLVM's SLP vectorizer,
//! machine scheduler and register allocator are each superlinear in a block's length
//! (bench/NOTES.md). `hessian` itself computes the value, the gradient and every node more
//! than one part reads, and hands the parts those it reads in one array; each part computes
//! the nodes only it reads and returns its entries, row by row, in an array; `hessian`
//! copies them into the matrix and the upper triangle into the lower one. Every operation
//! is still written once, with the same operands, so the entries are the same bits as the
//! one-function form's.
//!
//! The price is the matrix: zeroed, filled, mirrored and moved out, where one function
//! writes it in place. For the 101-input neuron that is about 1.6× the one-function form's
//! time, against a fifth of its release compile (`-C opt-level=3`: 2.5 against 12.7 s);
//! parts writing both `[i][j]` and `[j][i]` themselves cost 1.2× the time but three times
//! the compile (bench/NOTES.md).

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use crate::codegen::Float;
use crate::codegen::block::{Context, fresh, fused_pairs};
use crate::codegen::schedule::{schedule, top_level_operands};
use crate::diff::second::{Hessian, upper_index};
use crate::ir::graph::{Graph, Node, NodeId};

/// Above this many upper entries, `f::hessian` is written in parts.
pub(crate) const SPLIT_ENTRIES: usize = 2048;

/// About how many upper entries one part writes (whole rows).
pub(crate) const PART_ENTRIES: usize = 512;

/// Names bound from the shared array in one pattern (one lexical scope each; see
/// `block.rs`'s `FLAT_LETS`).
const BOUND_PER_PATTERN: usize = 256;

/// Which node is computed where.
#[derive(Debug)]
pub(crate) struct Plan {
    /// Nodes `hessian` computes and hands to the parts, in id order: variables and
    /// operations, never constants.
    pub shared: Vec<NodeId>,
    pub parts: Vec<Part>,
    /// The roots of `hessian`'s own block: the value, the gradient, then the operations of
    /// `shared` (which it keeps by name).
    pub first_roots: Vec<NodeId>,
    computed: usize,
}

impl Plan {
    /// The operations of `shared`: what `hessian` must name besides its roots.
    pub fn computed(&self) -> &[NodeId] {
        &self.first_roots[self.first_roots.len() - self.computed..]
    }
}

/// One part: whole rows of the upper triangle.
#[derive(Debug)]
pub(crate) struct Part {
    pub rows: std::ops::Range<usize>,
    /// The part's entries, `H[i][j]` for `i` in `rows` and `j ≥ i`, row by row.
    pub entries: Vec<NodeId>,
    /// The nodes of `shared` the part reads, in id order.
    pub given: Vec<NodeId>,
}

const UNSEEN: u32 = u32::MAX;
const FIRST: u32 = u32::MAX - 1;
const SHARED: u32 = u32::MAX - 2;

/// Splits `h`'s upper triangle into parts of whole rows, about `part_entries` entries each,
/// and finds what each part reads from the nodes computed before the parts: those the value
/// and the gradient need and those two or more parts read (with what they need).
pub(crate) fn plan(h: &Hessian, part_entries: usize) -> Plan {
    let g = h.graph();
    let k = h.wrt().len();
    let roots = h.roots();
    let upper = &roots[k + 1..];
    let mut parts = Vec::new();
    let (mut start, mut count) = (0, 0);
    for i in 0..k {
        count += k - i;
        if count >= part_entries || i + 1 == k {
            let (first, last) = (upper_index(k, start, start), upper_index(k, i, k - 1));
            parts.push(Part {
                rows: start..i + 1,
                entries: upper[first..=last].to_vec(),
                given: Vec::new(),
            });
            (start, count) = (i + 1, 0);
        }
    }

    // Owner of each node: the one part that reads it, or SHARED.
    let mut owner = vec![UNSEEN; g.len()];
    for (o, reached) in owner.iter_mut().zip(reached_top_level(g, &roots[..=k])) {
        if reached {
            *o = FIRST;
        }
    }
    for (p, part) in parts.iter().enumerate() {
        let p = p as u32;
        let mut stack = part.entries.clone();
        while let Some(id) = stack.pop() {
            let o = &mut owner[id.index()];
            match *o {
                UNSEEN => {
                    *o = p;
                    stack.extend(top_level_operands(g, id));
                }
                FIRST | SHARED => {}
                q if q == p => {}
                _ => *o = SHARED,
            }
        }
    }
    // Top-level uses only, as the schedule counts them: a node only a select's branch
    // reads is computed in that branch, by each part whose branch reads it.
    let mut reached_first = roots[..=k].to_vec();
    reached_first.extend(g.ids().filter(|id| owner[id.index()] == SHARED));
    let mut computed_first = reached_top_level(g, &reached_first);
    // A gate and its partner on the same operands are computed by one fused call only when
    // both are in the same block: one computed first pulls the other along, so that each
    // keeps the bits of the one-function form.
    let lets = schedule(g, &roots, &[], h.upper()).lets;
    for (&a, &(value, partial, _)) in &fused_pairs(g, &lets) {
        if computed_first[a.index()] {
            computed_first[value.index()] = true;
            computed_first[partial.index()] = true;
        }
    }

    let mut seen = vec![UNSEEN; g.len()];
    let mut shared = Vec::new();
    for (p, part) in parts.iter_mut().enumerate() {
        let mut stack = part.entries.clone();
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut seen[id.index()], p as u32) == p as u32 {
                continue;
            }
            // Through a select's branches too: what they read from before the parts must be
            // handed over, though only the part computes them.
            match g.node(id) {
                Node::Const(_) => {}
                Node::Var(_) => part.given.push(id),
                Node::Apply(..) if computed_first[id.index()] => part.given.push(id),
                Node::Apply(_, args) => stack.extend(args.iter()),
            }
        }
        part.given.sort();
        shared.extend(&part.given);
    }
    shared.sort();
    shared.dedup();
    let mut first_roots = roots[..=k].to_vec();
    let operations = shared
        .iter()
        .filter(|&&id| !matches!(g.node(id), Node::Var(_)));
    first_roots.extend(operations);
    let computed = first_roots.len() - (k + 1);
    Plan {
        shared,
        parts,
        first_roots,
        computed,
    }
}

/// Which nodes computing `roots` computes outside any select's branch, indexed by node.
fn reached_top_level(g: &Graph, roots: &[NodeId]) -> Vec<bool> {
    let mut reached = vec![false; g.len()];
    for r in roots {
        reached[r.index()] = true;
    }
    for id in g.ids().rev() {
        if reached[id.index()] {
            for a in top_level_operands(g, id) {
                reached[a.index()] = true;
            }
        }
    }
    reached
}

/// `fn hessian` in parts (see the module's comment), with `part_entries` entries a part.
pub(crate) fn hessian_fn(
    h: &Hessian,
    params: &[Ident],
    float: Float,
    part_entries: usize,
) -> TokenStream {
    let g = h.graph();
    let k = h.wrt().len();
    let plan = plan(h, part_entries);
    let (first_roots, computed) = (&plan.first_roots, plan.computed());

    let mut ctx = Context::new(g, params, float);
    let mut named = ctx.lets(first_roots, &[], computed);
    for part in &plan.parts {
        named.extend(ctx.lets(&part.entries, &part.given, &part.entries));
    }
    ctx.number(named);

    let first = ctx.block::<TokenStream>(first_roots, &[], computed, quote!(gates));
    let first_lets = &first.lets;
    let value = &first.roots[0].0;
    let gradient = first.roots[1..=k].iter().map(|(t, _)| t);

    let shared_name = fresh("s", params);
    let matrix = fresh("h", params);
    let n = Literal::usize_unsuffixed(k);
    let shared_len = Literal::usize_unsuffixed(plan.shared.len());
    let shared_values = plan.shared.iter().map(|&id| ctx.node_name(id));
    let slot = |id: NodeId| plan.shared.binary_search(&id).expect("a shared node");

    // Functions a parameter's name would shadow in `hessian`'s body get other names.
    let place = fresh("hessian_rows", params);
    let mut part_fns = Vec::new();
    let mut calls = Vec::new();
    for (p, part) in plan.parts.iter().enumerate() {
        let name = fresh(&format!("hessian_rows_{p}"), params);
        let block =
            ctx.block::<TokenStream>(&part.entries, &part.given, &part.entries, quote!(gates));
        let lets = &block.lets;
        let bound = part.given.chunks(BOUND_PER_PATTERN).map(|chunk| {
            let names = chunk.iter().map(|&id| ctx.node_name(id));
            let types = chunk.iter().map(|_| float);
            let values = chunk.iter().map(|&id| Literal::usize_suffixed(slot(id)));
            quote!(let (#(#names,)*): (#(#types,)*) = (#(#shared_name[#values],)*);)
        });
        let entries = block.roots.iter().map(|(t, _)| t);
        let count = Literal::usize_unsuffixed(part.entries.len());
        part_fns.push(quote! {
            #[inline(never)]
            fn #name(#shared_name: &[#float; #shared_len]) -> [#float; #count] {
                #(#bound)*
                #lets
                [#(#entries),*]
            }
        });
        let row = Literal::usize_unsuffixed(part.rows.start);
        calls.push(quote!(#place(&mut #matrix, #row, &#name(&#shared_name));));
    }
    quote! {
        /// The value, the gradient and the Hessian (rows and columns ordered as [`WRT`]),
        /// in one fused pass; `H[i][j]` and `H[j][i]` are one computed value.
        #[inline]
        pub fn hessian(#(#params: #float),*) -> (#float, [#float; #n], [[#float; #n]; #n]) {
            #first_lets
            let #shared_name: [#float; #shared_len] = [#(#shared_values),*];
            let mut #matrix = [[0.0; #n]; #n];
            #(#calls)*
            for i in 1..#n {
                for j in 0..i {
                    #matrix[i][j] = #matrix[j][i];
                }
            }
            (#value, [#(#gradient),*], #matrix)
        }
        /// Writes `entries`, the upper triangle's rows from `row` on, into `h`.
        fn #place(h: &mut [[#float; #n]; #n], mut row: usize, entries: &[#float]) {
            let mut at = 0;
            while at < entries.len() {
                let len = #n - row;
                h[row][row..].copy_from_slice(&entries[at..at + len]);
                at += len;
                row += 1;
            }
        }
        #(#part_fns)*
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codegen::code::CountOnly;
    use crate::diff::second::SecondOrder;

    /// However the rows are cut, the parts write the upper triangle row by row, and
    /// `hessian` and its parts together run the operations the one-function form runs,
    /// each once (a fused gate and its partner stay together).
    #[test]
    fn parts_write_every_entry_and_compute_every_operation_once() {
        for source in [
            "1/(1+e^-(w0x0+w1x1+w2x2+w3x3+b))",
            "x y z sin(x y) + relu(x - z)^2 + softplus(x + y) σ(z y)",
            "logsumexp(x, y z, -y) + softmax(z, x, y) + tanh(x - y z)",
            "if(x > y, x^2 y ln(z^2 + 1), sin(x z) y^3) + if(y z < 1 and x > 0, e^(x y), x^3 z) + max(x, y z)",
        ] {
            let formula = symgrad_grammar::parse(source).expect("the formula parses");
            let wrt: Vec<u32> = (0..formula.vars.len() as u32).collect();
            let second = SecondOrder::new(&formula, &wrt);
            let h = &second.hessian;
            let (counted, _) = crate::codegen::count_second_order(&second);
            let k = wrt.len();
            for part_entries in [1, 3, 7, 1000] {
                let plan = plan(h, part_entries);
                let written: Vec<NodeId> =
                    plan.parts.iter().flat_map(|p| p.entries.clone()).collect();
                assert_eq!(written, h.upper(), "{source}, {part_entries} a part");
                let rows: Vec<usize> = plan.parts.iter().flat_map(|p| p.rows.clone()).collect();
                assert_eq!(rows, (0..k).collect::<Vec<_>>(), "{source}");
                let ctx = Context::new(h.graph(), &[], Float::F64);
                let first =
                    ctx.block::<CountOnly>(&plan.first_roots, &[], plan.computed(), quote!(gates));
                let parts: usize = plan
                    .parts
                    .iter()
                    .map(|p| {
                        ctx.block::<CountOnly>(&p.entries, &p.given, &p.entries, quote!(gates))
                            .ops
                    })
                    .sum();
                assert_eq!(
                    first.ops + parts,
                    counted,
                    "{source}, {part_entries} a part"
                );
                for part in &plan.parts {
                    assert!(
                        part.given
                            .iter()
                            .all(|id| plan.shared.binary_search(id).is_ok())
                    );
                }
            }
        }
    }
}

//! One straight-line block of a generated function: `let`s in topological order, then
//! the expressions of its roots.

use proc_macro2::{Ident, TokenStream};
use quote::format_ident;

use crate::codegen::Float;
use crate::codegen::code::Code;
use crate::codegen::emit::Emitter;
use crate::codegen::rust_syntax::Prec;
use crate::codegen::schedule::schedule;
use crate::ir::graph::{Graph, Node, NodeId};
use crate::ir::node_map::NodeMap;
use crate::ops::Op;

/// The most `let`s a block writes one by one; a longer block declares them together, this
/// many to a pattern.
const FLAT_LETS: usize = 256;

/// What every block of one generated item shares.
#[derive(Clone, Debug)]
pub(crate) struct Context<'a> {
    pub g: &'a Graph,
    pub params: &'a [Ident],
    pub float: Float,
    /// Prefix of the `let` names (`t` in `t12`), chosen not to clash with a parameter.
    prefix: String,
    /// The number in each node's name: nodes named anywhere in one item are numbered
    /// 1, 2, … in evaluation order, so the names do not depend on how the graph was built.
    numbers: NodeMap<usize>,
}

/// The `let`s of a block and its roots' expressions, written as `C`.
#[derive(Debug)]
pub(crate) struct Block<C> {
    pub lets: C,
    pub roots: Vec<(C, Prec)>,
    /// Operations the block computes (see [`Emitter::ops`]).
    pub ops: usize,
}

impl<'a> Context<'a> {
    pub fn new(g: &'a Graph, params: &'a [Ident], float: Float) -> Self {
        let mut prefix = "t".to_string();
        while params.iter().any(|p| is_numbered(&p.to_string(), &prefix)) {
            prefix.push('_');
        }
        Context {
            g,
            params,
            float,
            prefix,
            numbers: NodeMap::default(),
        }
    }

    /// Numbers `named` (the nodes that get a name in any block) 1, 2, … in id order.
    pub fn number(&mut self, mut named: Vec<NodeId>) {
        named.sort();
        named.dedup();
        named.retain(|id| !matches!(self.g.node(*id), Node::Var(_)));
        self.numbers = named.into_iter().zip(1..).collect();
    }

    /// The nodes the block computing `roots` binds with `let` (see [`Context::block`]),
    /// in its branches too.
    pub fn lets(&self, roots: &[NodeId], given: &[NodeId], keep: &[NodeId]) -> Vec<NodeId> {
        let plan = schedule(self.g, roots, given, keep);
        [plan.lets, plan.branch_lets].concat()
    }

    /// The name of a node: its parameter for a variable, else `t<id>`.
    pub fn node_name(&self, id: NodeId) -> Ident {
        match self.g.node(id) {
            Node::Var(i) if (i as usize) < self.params.len() => self.params[i as usize].clone(),
            _ => {
                let number = self.numbers.get(id).copied().unwrap_or(id.index());
                format_ident!("{}{}", self.prefix, number)
            }
        }
    }

    /// The block computing `roots`, where `given` nodes are available by their names and
    /// `keep` nodes must get a `let` of their own name. `gates` is the path of the gates
    /// module from where the block is. Written as [`CountOnly`](super::code::CountOnly),
    /// the block is only counted.
    pub fn block<C: Code>(
        &self,
        roots: &[NodeId],
        given: &[NodeId],
        keep: &[NodeId],
        gates: TokenStream,
    ) -> Block<C> {
        let plan = schedule(self.g, roots, given, keep);
        let namer = |id| self.node_name(id);
        let mut emitter =
            Emitter::<C>::new(self.g, self.params, self.float, gates).with_namer(&namer);
        for &id in given {
            emitter.name(id, C::name(|| self.node_name(id)));
        }
        let mut lets = C::empty();
        // Each `let` opens a lexical scope nested in the previous one, and rustc's and
        // LLVM's debug info recurse once per scope: a few thousand of them overflow rustc's
        // stack in the dev profile. A long block declares its names in patterns of
        // `FLAT_LETS` names (one scope each) and assigns each once; a short one keeps its
        // plain `let`s. One pattern of all the names costs rustc memory superlinear in
        // their number: 5.3 GB for the 20k of the n = 100 neuron's Hessian, 0.3 GB in
        // patterns of 256 (bench/NOTES.md).
        let flat = plan.lets.len() > FLAT_LETS;
        if flat {
            let names: Vec<C::Name> = plan
                .lets
                .iter()
                .map(|&id| C::name(|| self.node_name(id)))
                .collect();
            for chunk in names.chunks(FLAT_LETS) {
                lets.push_declarations(self.float, chunk);
            }
        }
        let fused = fused_pairs(self.g, &plan.lets);
        let mut written_with_partner = foldhash::HashSet::default();
        for &id in &plan.lets {
            if let Some(&(value, partial, function)) = fused.get(&id) {
                if written_with_partner.remove(&id) {
                    continue;
                }
                written_with_partner.insert(if id == value { partial } else { value });
                let definition = emitter.fused_gate(function, value);
                let names = [value, partial].map(|n| C::name(|| self.node_name(n)));
                if flat {
                    lets.push_assignment_tuple(&names, definition);
                } else {
                    lets.push_let_tuple(&names, definition);
                }
                let [value_name, partial_name] = names;
                emitter.name(value, value_name);
                emitter.name(partial, partial_name);
                continue;
            }
            let (definition, _) = emitter.define(id);
            let name = C::name(|| self.node_name(id));
            if flat {
                lets.push_assignment(&name, definition);
            } else {
                lets.push_let(&name, definition);
            }
            emitter.name(id, name);
        }
        let roots = roots.iter().map(|&r| emitter.expr(r)).collect();
        Block {
            lets,
            roots,
            ops: emitter.ops,
        }
    }
}

/// The `let`s computed together by a fused gate ([`Op::fused`]): a gate and its partner on
/// the same operands, both bound in `lets`. Each of the two maps to `(value, partial,
/// fused function)`; the first of them in `lets` writes `let (value, partial) = …`.
pub(crate) fn fused_pairs(
    g: &Graph,
    lets: &[NodeId],
) -> foldhash::HashMap<NodeId, (NodeId, NodeId, &'static str)> {
    let mut pairs = foldhash::HashMap::default();
    let fusable = lets.iter().filter_map(|&id| match g.node(id) {
        Node::Apply(op, args) => op
            .fused()
            .map(|(partner, function)| (id, args, partner, function)),
        _ => None,
    });
    let fusable: Vec<_> = fusable.collect();
    if fusable.is_empty() {
        return pairs;
    }
    let by_operation: foldhash::HashMap<(Op, &[NodeId]), NodeId> = lets
        .iter()
        .filter_map(|&id| match g.node(id) {
            Node::Apply(op, args) => Some(((op, args), id)),
            _ => None,
        })
        .collect();
    for (value, args, partner, function) in fusable {
        if let Some(&partial) = by_operation.get(&(partner, args)) {
            pairs.insert(value, (value, partial, function));
            pairs.insert(partial, (value, partial, function));
        }
    }
    pairs
}

/// Whether `name` is `prefix` followed by digits only.
pub(crate) fn is_numbered(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix)
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
}

/// A name like `base` that no parameter has.
pub(crate) fn fresh(base: &str, params: &[Ident]) -> Ident {
    let mut name = base.to_string();
    while params.iter().any(|p| *p == name) {
        name.push('_');
    }
    format_ident!("{}", name)
}

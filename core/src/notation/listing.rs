//! Several roots in math notation with the sub-expressions used more than once named once
//! (`t1 = …`), so the text stays linear in the size of the graph.

use crate::ir::graph::{Graph, Node, NodeId};
use crate::ir::node_map::NodeMap;
use crate::notation::math::Printer;
use crate::notation::surface;
use crate::ops::Op;

/// Roots printed in math notation, with the shared sub-expressions they refer to. The
/// first root is printed with names only for what it shares within itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    /// `(name, definition)` in evaluation order: `("t1", "σ(x + y)")`.
    pub shared: Vec<(String, String)>,
    /// Each root's expression; a root is printed in full even when it is shared.
    pub roots: Vec<String>,
}

/// Prints `roots` of `g`, naming variable `i` by `var_names[i]`.
///
/// ```
/// use symgrad_core::{listing, Graph, Op};
/// let mut g = Graph::new();
/// let x = g.var(0);
/// let s = g.apply(Op::Sigmoid, &[x]);
/// let one = g.constant(1.0);
/// let ns = g.neg(s);
/// let d = g.add(&[one, ns]);
/// let d = g.mul(&[s, d]);
/// let l = listing(&g, &["x".to_string()], &[s, d]);
/// assert_eq!(l.shared, vec![("t1".to_string(), "σ(x)".to_string())]);
/// assert_eq!(l.roots, vec!["σ(x)", "t1·(1 - t1)"]);
/// ```
pub fn listing(g: &Graph, var_names: &[String], roots: &[NodeId]) -> Listing {
    let mut printer = Printer::new(g, var_names, NodeMap::default());
    let mut shared = Vec::new();
    for id in shared_nodes(g, roots) {
        let text = printer.text(id);
        let number = u32::try_from(shared.len() + 1).expect("fewer than 2^32 shared nodes");
        printer.names.insert(id, number);
        shared.push((format!("t{number}"), text));
    }
    // The first root (the formula's value) reads on its own: only what it shares within
    // itself stays named.
    let Some((&first, rest)) = roots.split_first() else {
        return Listing {
            shared,
            roots: Vec::new(),
        };
    };
    let local: NodeMap<u32> = shared_nodes(g, &[first])
        .into_iter()
        .filter_map(|id| printer.names.get(id).map(|&n| (id, n)))
        .collect();
    let value = Printer::new(g, var_names, local).text(first);
    let roots = std::iter::once(value)
        .chain(rest.iter().map(|&r| printer.text(r)))
        .collect();
    Listing { shared, roots }
}

/// Non-trivial nodes used more than once, in topological order.
fn shared_nodes(g: &Graph, roots: &[NodeId]) -> Vec<NodeId> {
    let uses = surface::value_use_counts(g, roots);
    g.ids()
        .take(uses.len())
        .filter(|id| uses[id.index()] > 1 && !is_trivial(g, *id))
        .collect()
}

/// Small enough to repeat: leaves, and sums, products and powers of two leaves.
fn is_trivial(g: &Graph, id: NodeId) -> bool {
    match g.node(id) {
        Node::Apply(Op::Add | Op::Mul | Op::Pow, args) => {
            args.len() <= 2 && args.iter().all(|a| g.node(*a).args().is_empty())
        }
        Node::Apply(..) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_subexpressions_are_named_once() {
        let mut g = Graph::new();
        let x = g.var(0);
        let s = g.apply(Op::Sin, &[x]);
        let a = g.mul(&[s, s]);
        let e = g.apply(Op::Exp, &[s]);
        let l = listing(&g, &["x", "y", "z"].map(String::from), &[a, e]);
        assert_eq!(l.shared, vec![("t1".to_string(), "sin(x)".to_string())]);
        assert_eq!(l.roots, vec!["t1·t1", "exp(t1)"]);
    }
}

//! The hash-consed DAG: a flat arena in topological order (operands always have lower
//! ids than the nodes using them), one node per distinct sub-expression.

pub use super::node::{Const, Node, NodeId};
use super::node_index::NodeIndex;
use super::node_list::NodeList;
use crate::ops::{Build, Op};

/// A nested sum or product with more operands than this stays one operand: reverse
/// mode multiplies each adjoint by a local partial, and flattening a long adjoint
/// product into every such step would make a chain of n gates cost n² operands.
pub const FLATTEN_LIMIT: usize = 16;

/// The DAG. Build it with the constructor methods, which hash-cons, flatten nested sums
/// and products, order commutative operands canonically and fold constant operations.
///
/// ```
/// use symgrad_core::{Graph, Op};
/// let mut g = Graph::new();
/// let (x, one) = (g.var(0), g.constant(1.0));
/// let e = g.apply(Op::Exp, &[x]);
/// let a = g.add(&[one, e]);
/// let b = g.add(&[e, one]);
/// assert_eq!(a, b); // one node, whatever the operand order
/// ```
#[derive(Clone, Debug, Default)]
pub struct Graph {
    nodes: NodeList,
    /// The id of each node, found by the node's hash and compared in `nodes`: a map
    /// keyed by `Node` would hold a second copy of every node (sums of 10⁴ operands).
    index: NodeIndex,
    /// `nodes[..indexed]` are in `index`; the nodes after them were appended by
    /// [`Graph::push_distinct`] and are indexed when [`Graph::intern`] next runs, so a
    /// graph copied once and then only read (the shared gradient) never builds its index:
    /// on millions of nodes each entry is a cache miss and the table's pages are zeroed.
    indexed: usize,
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Self {
        Graph::default()
    }

    /// An empty graph with room for `nodes` nodes (for a copy of a graph of known size).
    pub fn with_capacity(nodes: usize) -> Self {
        Graph {
            nodes: NodeList::with_capacity(nodes),
            ..Graph::default()
        }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the graph has no node yet.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The node `id` names.
    #[inline]
    pub fn node(&self, id: NodeId) -> Node<'_> {
        self.nodes.get(id.index())
    }

    /// All ids, in topological order.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = NodeId> + ExactSizeIterator + use<> {
        (0..self.nodes.len() as u32).map(NodeId::from_word)
    }

    /// The value of `id` when it is a constant.
    #[inline]
    pub fn as_const(&self, id: NodeId) -> Option<f64> {
        self.node(id).as_const()
    }

    /// Whether `id` is the constant `value`.
    pub fn is_const(&self, id: NodeId, value: f64) -> bool {
        self.as_const(id) == Some(value)
    }

    /// The node, creating it if it does not exist yet. No rewriting happens here.
    pub fn intern(&mut self, node: Node<'_>) -> NodeId {
        self.index_appended();
        let hash = self.index.hash(node);
        let nodes = &self.nodes;
        if let Some(id) = self.index.find(hash, node, |id| nodes.get(id.index())) {
            return id;
        }
        let id = self.push_distinct(node);
        self.index.insert(hash, id);
        self.indexed = self.nodes.len();
        id
    }

    /// Appends `node`, which the caller knows is not in the graph (a copy of distinct
    /// nodes with distinct operands), without looking it up or indexing it now.
    pub(crate) fn push_distinct(&mut self, node: Node<'_>) -> NodeId {
        debug_assert!(node.args().iter().all(|a| a.index() < self.nodes.len()));
        let id = NodeId::from_index(self.nodes.len());
        self.nodes.push(node);
        id
    }

    /// Indexes the nodes [`Graph::push_distinct`] appended since the last interning.
    fn index_appended(&mut self) {
        if self.indexed == self.nodes.len() {
            return;
        }
        self.index.reserve(self.nodes.len() - self.indexed);
        for i in self.indexed..self.nodes.len() {
            let hash = self.index.hash(self.nodes.get(i));
            self.index.insert(hash, NodeId::from_index(i));
        }
        self.indexed = self.nodes.len();
    }

    /// The constant `value` (`-0.0` and each NaN payload are nodes of their own).
    pub fn constant(&mut self, value: f64) -> NodeId {
        self.intern(Node::Const(Const::new(value)))
    }

    /// The variable at position `index` of the formula's variable list.
    pub fn var(&mut self, index: u32) -> NodeId {
        self.intern(Node::Var(index))
    }

    /// `op(args…)`: sums and products go through [`Graph::add`] and [`Graph::mul`];
    /// an operation on constants only is folded to its IEEE value.
    pub fn apply(&mut self, op: Op, args: &[NodeId]) -> NodeId {
        match op {
            Op::Add => return self.add(args),
            Op::Mul => return self.mul(args),
            Op::Pow => return self.pow(args[0], args[1]),
            Op::Logsumexp => return self.logsumexp(args),
            _ => {}
        }
        debug_assert_eq!(args.len(), op.arity());
        if op == Op::Select {
            // A known condition picks its branch; equal branches need no condition.
            match self.as_const(args[0]) {
                Some(c) => return if c > 0.0 { args[1] } else { args[2] },
                None if args[1] == args[2] => return args[1],
                None => {}
            }
            // A branch that selects on the same condition again takes the same side.
            let [c, mut a, mut b] = [args[0], args[1], args[2]];
            if let Node::Apply(Op::Select, inner) = self.node(a)
                && inner[0] == c
            {
                a = inner[1];
            }
            if let Node::Apply(Op::Select, inner) = self.node(b)
                && inner[0] == c
            {
                b = inner[2];
            }
            if [a, b] != [args[1], args[2]] {
                return self.apply(Op::Select, &[c, a, b]);
            }
        }
        if let Some(values) = self.const_values(args) {
            return self.constant(op.eval(&values));
        }
        self.intern(Node::Apply(op, args))
    }

    /// The sum of `terms`: nested sums are flattened, constants merged, `+0` dropped.
    pub fn add(&mut self, terms: &[NodeId]) -> NodeId {
        self.associative(Op::Add, terms, 0.0)
    }

    /// The product of `factors`: nested products are flattened, constants merged,
    /// `·1` dropped.
    pub fn mul(&mut self, factors: &[NodeId]) -> NodeId {
        self.associative(Op::Mul, factors, 1.0)
    }

    /// `logsumexp(args…)`: nested ones flattened (`lse(a, lse(b, c))` is `lse(a, b, c)`),
    /// `-∞` operands dropped (each adds `e^-∞ = 0`), the rest in canonical order; of one
    /// operand that operand, of none `-∞`, of constants only their IEEE value.
    pub fn logsumexp(&mut self, args: &[NodeId]) -> NodeId {
        let mut flat = Vec::with_capacity(args.len());
        for &a in args {
            match self.node(a) {
                Node::Apply(Op::Logsumexp, inner) if inner.len() <= FLATTEN_LIMIT => {
                    flat.extend_from_slice(inner)
                }
                _ => flat.push(a),
            }
        }
        flat.retain(|&a| !self.is_const(a, f64::NEG_INFINITY));
        flat.sort();
        match flat[..] {
            [] => self.constant(f64::NEG_INFINITY),
            [only] => only,
            _ => match self.const_values(&flat) {
                Some(values) => self.constant(Op::Logsumexp.eval(&values)),
                None => self.intern(Node::Apply(Op::Logsumexp, &flat)),
            },
        }
    }

    /// `-x`, which is `(-1)·x` (so `--x` is `x`).
    pub fn neg(&mut self, x: NodeId) -> NodeId {
        let minus_one = self.constant(-1.0);
        self.mul(&[minus_one, x])
    }

    /// `a - b`, which is `a + (-1)·b`.
    pub fn sub(&mut self, a: NodeId, b: NodeId) -> NodeId {
        let nb = self.neg(b);
        self.add(&[a, nb])
    }

    /// `a / b` is `a · b^-1`.
    pub fn div(&mut self, a: NodeId, b: NodeId) -> NodeId {
        let minus_one = self.constant(-1.0);
        let inv = self.pow(b, minus_one);
        self.mul(&[a, inv])
    }

    /// `base ^ exponent`; `x^1` is `x`, `x^0` is `1` (as IEEE `pow` says, even for NaN).
    pub fn pow(&mut self, base: NodeId, exponent: NodeId) -> NodeId {
        match (self.as_const(base), self.as_const(exponent)) {
            (Some(b), Some(p)) => return self.constant(Op::Pow.eval(&[b, p])),
            (_, Some(1.0)) => return base,
            (_, Some(0.0)) => return self.constant(1.0),
            _ => {}
        }
        self.intern(Node::Apply(Op::Pow, &[base, exponent]))
    }

    /// How often each node is used on the way from `roots`, indexed by [`NodeId::index`]
    /// up to the last of `roots` and `stop`: a root counts once per time it is listed, and
    /// every node counted once or more counts once more for each of its operands. The walk
    /// does not go through `stop` nodes (values already at hand: a tape's fields), whose
    /// operands are then not counted for them. One loop in reverse id order, the order in
    /// which every user of a node comes before it.
    ///
    /// ```
    /// use symgrad_core::{Graph, Op};
    /// let mut g = Graph::new();
    /// let x = g.var(0);
    /// let e = g.apply(Op::Exp, &[x]);
    /// let f = g.mul(&[e, e, x]);
    /// let uses = g.use_counts(&[f], &[]);
    /// assert_eq!((uses[x.index()], uses[e.index()], uses[f.index()]), (2, 2, 1));
    /// assert_eq!(g.use_counts(&[f], &[e])[x.index()], 1);
    /// ```
    pub fn use_counts(&self, roots: &[NodeId], stop: &[NodeId]) -> Vec<u32> {
        let n = roots.iter().chain(stop).max().map_or(0, |m| m.index() + 1);
        let mut uses = vec![0u32; n];
        let mut stopped = vec![false; n];
        for s in stop {
            stopped[s.index()] = true;
        }
        for r in roots {
            uses[r.index()] += 1;
        }
        for id in self.ids().take(n).rev() {
            if uses[id.index()] > 0 && !stopped[id.index()] {
                for a in self.node(id).args() {
                    uses[a.index()] += 1;
                }
            }
        }
        uses
    }

    /// Which nodes `roots` depend on (themselves included), not looking past `stop` nodes,
    /// indexed like [`Graph::use_counts`].
    pub fn reachable(&self, roots: &[NodeId], stop: &[NodeId]) -> Vec<bool> {
        self.use_counts(roots, stop)
            .into_iter()
            .map(|uses| uses > 0)
            .collect()
    }

    fn const_values(&self, args: &[NodeId]) -> Option<Vec<f64>> {
        args.iter().map(|&a| self.as_const(a)).collect()
    }

    /// `self.add(args)` for the canonical sum of `old` after some of its terms were replaced
    /// (`args`): when no new term is a constant or a sum the constructor would flatten, the
    /// terms kept are still in canonical order and merging the new ones in gives that order,
    /// without looking up and sorting a 10⁵-term sum again in every round. `None` otherwise.
    pub(crate) fn add_replacing(&mut self, old: &[NodeId], args: &[NodeId]) -> Option<NodeId> {
        let mut kept = Vec::with_capacity(args.len());
        let mut new = Vec::new();
        for (&before, &now) in old.iter().zip(args) {
            if before == now {
                kept.push(now);
                continue;
            }
            match self.node(now) {
                Node::Const(_) => return None,
                Node::Apply(Op::Add, terms) if terms.len() <= FLATTEN_LIMIT => return None,
                _ => new.push(now),
            }
        }
        // A sum's constant is its last term (canonical order) and stays last.
        let constant = kept.pop_if(|&mut k| self.as_const(k).is_some());
        if !kept.is_sorted() {
            return None;
        }
        new.sort_unstable();
        let mut merged = Vec::with_capacity(args.len());
        let (mut i, mut j) = (0, 0);
        while i < kept.len() && j < new.len() {
            if kept[i] <= new[j] {
                merged.push(kept[i]);
                i += 1;
            } else {
                merged.push(new[j]);
                j += 1;
            }
        }
        merged.extend_from_slice(&kept[i..]);
        merged.extend_from_slice(&new[j..]);
        merged.extend(constant);
        Some(self.intern(Node::Apply(Op::Add, &merged)))
    }

    fn associative(&mut self, op: Op, operands: &[NodeId], neutral: f64) -> NodeId {
        let flat = self.flat_operands(op, operands, neutral);
        self.built(op, flat)
    }

    /// The node `flat` stands for: itself, or the `op` of its operands.
    fn built(&mut self, op: Op, flat: Flat) -> NodeId {
        match flat {
            Flat::One(node) => node,
            Flat::Many(operands) => self.intern(Node::Apply(op, &operands)),
        }
    }

    /// The product of `factors` as [`Graph::mul`] would build it, short of interning the
    /// product node: a node when the product is one, else its operands in canonical order
    /// (which [`Graph::mul`] takes back unchanged, flattening them again into nothing).
    /// Reverse mode holds a chain's adjoint this way, as each step flattens it into the
    /// next and the node would never be used.
    pub(crate) fn mul_operands(&mut self, factors: &[NodeId]) -> Flat {
        self.flat_operands(Op::Mul, factors, 1.0)
    }

    /// The product `factors` stand for, as [`Graph::mul_operands`] returned them.
    pub(crate) fn product(&mut self, factors: Flat) -> NodeId {
        self.built(Op::Mul, factors)
    }

    fn flat_operands(&mut self, op: Op, operands: &[NodeId], neutral: f64) -> Flat {
        let mut flat = Vec::with_capacity(operands.len());
        let mut folded: Option<f64> = None;
        for &a in operands {
            match self.node(a) {
                Node::Apply(o, inner) if o == op && inner.len() <= FLATTEN_LIMIT => {
                    flat.extend_from_slice(inner)
                }
                Node::Const(c) => {
                    let v = c.value();
                    folded = Some(folded.map_or(v, |acc| op.eval(&[acc, v])));
                }
                _ => flat.push(a),
            }
        }
        // Constants met inside flattened operands are merged too.
        flat.retain(|&a| match self.as_const(a) {
            Some(v) => {
                folded = Some(folded.map_or(v, |acc| op.eval(&[acc, v])));
                false
            }
            None => true,
        });
        // Canonical order: by id, with the constant first in a product (`2·x`) and last in
        // a sum (`x + 1`), which is also how they read. `flat` holds no constant yet, so
        // the ids sort as plain numbers, without looking a node up per comparison (and a
        // stable sort finds the sorted runs of a rebuilt node whose few operands changed).
        flat.sort();
        if let Some(c) = folded {
            // x + (-0.0) = x exactly; x + 0.0 differs only at x = -0.0.
            if c != neutral || flat.is_empty() {
                let c = self.constant(c);
                if op == Op::Mul {
                    flat.insert(0, c);
                } else {
                    flat.push(c);
                }
            }
        }
        match flat[..] {
            [] => Flat::One(self.constant(neutral)),
            [only] => Flat::One(only),
            _ => Flat::Many(flat),
        }
    }
}

/// What an associative constructor builds, before interning: one node, or the operands,
/// in canonical order, of a new sum or product.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Flat {
    One(NodeId),
    Many(Vec<NodeId>),
}

/// The op table's partials build their nodes here, through the constructors above.
impl Build for Graph {
    type Node = NodeId;

    fn constant(&mut self, v: f64) -> NodeId {
        Graph::constant(self, v)
    }

    fn add(&mut self, terms: &[NodeId]) -> NodeId {
        Graph::add(self, terms)
    }

    fn mul(&mut self, factors: &[NodeId]) -> NodeId {
        Graph::mul(self, factors)
    }

    fn neg(&mut self, x: NodeId) -> NodeId {
        Graph::neg(self, x)
    }

    fn pow(&mut self, base: NodeId, exponent: NodeId) -> NodeId {
        Graph::pow(self, base, exponent)
    }

    fn apply(&mut self, op: Op, args: &[NodeId]) -> NodeId {
        Graph::apply(self, op, args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_subexpressions_are_one_node() {
        let mut g = Graph::new();
        let x = g.var(0);
        let a = g.apply(Op::Exp, &[x]);
        let b = g.apply(Op::Exp, &[x]);
        assert_eq!(a, b);
        assert_eq!(g.len(), 2);
    }

    /// A copy appended without its index still finds its nodes when interning resumes.
    #[test]
    fn nodes_pushed_unindexed_are_found_by_interning() {
        let mut g = Graph::with_capacity(3);
        let x = g.push_distinct(Node::Var(0));
        let e = g.push_distinct(Node::Apply(Op::Exp, &[x]));
        assert_eq!(g.apply(Op::Exp, &[x]), e);
        let s = g.apply(Op::Sin, &[e]);
        let late = g.push_distinct(Node::Apply(Op::Cos, &[s]));
        assert_eq!((g.var(0), g.apply(Op::Cos, &[s])), (x, late));
        assert_eq!(g.len(), 4);
    }

    #[test]
    fn commutative_operands_have_one_order() {
        let mut g = Graph::new();
        let (x, y) = (g.var(0), g.var(1));
        assert_eq!(g.add(&[x, y]), g.add(&[y, x]));
        assert_eq!(g.mul(&[x, y]), g.mul(&[y, x]));
    }

    #[test]
    fn nested_sums_are_flattened() {
        let mut g = Graph::new();
        let (x, y, z) = (g.var(0), g.var(1), g.var(2));
        let xy = g.add(&[x, y]);
        let s = g.add(&[xy, z]);
        assert_eq!(g.node(s).args(), &[x, y, z]);
    }

    #[test]
    fn constants_in_a_product_are_merged_and_come_first() {
        let mut g = Graph::new();
        let x = g.var(0);
        let (two, three) = (g.constant(2.0), g.constant(3.0));
        let p = g.mul(&[x, two, three]);
        let six = g.constant(6.0);
        assert_eq!(g.node(p).args(), &[six, x]);
    }

    #[test]
    fn constants_in_a_sum_come_last() {
        let mut g = Graph::new();
        let x = g.var(0);
        let one = g.constant(1.0);
        let s = g.add(&[one, x]);
        assert_eq!(g.node(s).args(), &[x, one]);
    }

    #[test]
    fn double_negation_cancels() {
        let mut g = Graph::new();
        let x = g.var(0);
        let n = g.neg(x);
        assert_eq!(g.neg(n), x);
    }

    #[test]
    fn constant_operations_fold_with_ieee_semantics() {
        let mut g = Graph::new();
        let zero = g.constant(0.0);
        let ln0 = g.apply(Op::Ln, &[zero]);
        assert_eq!(g.as_const(ln0), Some(f64::NEG_INFINITY));
        let q = g.div(zero, zero);
        assert!(g.as_const(q).is_some_and(f64::is_nan));
    }

    #[test]
    fn logsumexp_is_flattened_ordered_and_trimmed() {
        let mut g = Graph::new();
        let (x, y, z) = (g.var(0), g.var(1), g.var(2));
        let yz = g.logsumexp(&[z, y]);
        let nested = g.logsumexp(&[yz, x]);
        assert_eq!(g.node(nested).args(), &[x, y, z]);
        let minus_inf = g.constant(f64::NEG_INFINITY);
        assert_eq!(g.logsumexp(&[x, minus_inf]), x);
        let none = g.logsumexp(&[]);
        assert!(g.is_const(none, f64::NEG_INFINITY));
        let (a, b) = (g.constant(800.0), g.constant(800.0));
        let folded = g.logsumexp(&[a, b]);
        assert_eq!(g.as_const(folded), Some(800.0 + std::f64::consts::LN_2));
    }

    #[test]
    fn power_of_one_and_zero() {
        let mut g = Graph::new();
        let x = g.var(0);
        let (zero, one) = (g.constant(0.0), g.constant(1.0));
        assert_eq!(g.pow(x, one), x);
        assert_eq!(g.pow(x, zero), one);
    }

    #[test]
    fn a_merged_sum_is_the_sum_the_constructor_builds() {
        let mut g = Graph::new();
        let [a, b, c, d] = [0, 1, 2, 3].map(|i| g.var(i));
        let two = g.constant(2.0);
        let (ab, cd) = (g.mul(&[a, b]), g.mul(&[c, d]));
        let sin_a = g.apply(Op::Sin, &[a]);
        let old = g.add(&[ab, sin_a, cd, two]);
        let old_args = g.node(old).args().to_vec();
        // Replace `a·b` and `c·d` by new (larger) nodes, as a round does.
        let (ab2, cd2) = (g.apply(Op::Tanh, &[a]), g.apply(Op::Cos, &[c]));
        let replace = |x: NodeId| match x {
            x if x == ab => ab2,
            x if x == cd => cd2,
            x => x,
        };
        let args: Vec<NodeId> = old_args.iter().map(|&x| replace(x)).collect();
        let merged = g
            .add_replacing(&old_args, &args)
            .expect("no term to flatten");
        assert_eq!(merged, g.add(&args));
        assert_eq!(
            g.as_const(*g.node(merged).args().last().expect("terms")),
            Some(2.0)
        );
        // A new term the constructor would flatten or fold takes the constructor's path.
        let small_sum = g.add(&[c, d]);
        let args: Vec<NodeId> = old_args
            .iter()
            .map(|&x| if x == ab { small_sum } else { x })
            .collect();
        assert_eq!(g.add_replacing(&old_args, &args), None);
    }
}

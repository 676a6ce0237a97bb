//! What the graph is made of: node ids, constants, and the node a graph reads out.

use std::hash::{Hash, Hasher};

use crate::ops::Op;

/// Index of a node in a [`Graph`](super::graph::Graph).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct NodeId(u32);

impl Hash for NodeId {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u32(self.0);
    }

    /// Four ids per write: interning hashes every operand list built, and a sum can have
    /// 10⁵ operands (one write per id was most of `Graph::intern`).
    fn hash_slice<H: Hasher>(ids: &[Self], state: &mut H) {
        let mut fours = ids.chunks_exact(4);
        for four in &mut fours {
            let word = four
                .iter()
                .rev()
                .fold(0u128, |word, id| word << 32 | u128::from(id.0));
            state.write_u128(word);
        }
        for id in fours.remainder() {
            state.write_u32(id.0);
        }
    }
}

impl NodeId {
    /// The node's position in the arena, for side tables indexed by node.
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The id at position `index`, for side tables indexed by node.
    pub(crate) fn from_index(index: usize) -> NodeId {
        NodeId(u32::try_from(index).expect("graph exceeds 2^32 nodes"))
    }

    /// The id as a plain word, for the node list's packed fields.
    #[inline]
    pub(super) fn word(self) -> u32 {
        self.0
    }

    /// The id whose word is `word`.
    #[inline]
    pub(super) fn from_word(word: u32) -> NodeId {
        NodeId(word)
    }
}

/// A constant, compared and hashed by its bits so that `-0.0` and `NaN` are nodes too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Const(u64);

impl Const {
    /// The constant `value`, kept by its bits.
    pub fn new(value: f64) -> Self {
        Const(value.to_bits())
    }

    /// The value it holds.
    pub fn value(self) -> f64 {
        f64::from_bits(self.0)
    }

    pub(super) fn bits(self) -> u64 {
        self.0
    }

    pub(super) fn from_bits(bits: u64) -> Self {
        Const(bits)
    }
}

/// One node of the DAG, as [`Graph::node`](super::graph::Graph::node) reads it and [`Graph::intern`](super::graph::Graph::intern) takes it: the
/// operands are borrowed (from the graph, or from the caller building a node).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Node<'g> {
    /// A number.
    Const(Const),
    /// The variable at this position of the formula's variable list.
    Var(u32),
    /// An operation applied to operands (`Op::arity` of them, or two or more for the
    /// variadic `Add`, `Mul` and `Logsumexp`, whose operands are kept in canonical order).
    Apply(Op, &'g [NodeId]),
}

impl<'g> Node<'g> {
    /// The value of a constant node, `None` for any other.
    #[inline]
    pub fn as_const(self) -> Option<f64> {
        match self {
            Node::Const(c) => Some(c.value()),
            _ => None,
        }
    }

    /// The operands (empty for leaves).
    #[inline]
    pub fn args(self) -> &'g [NodeId] {
        match self {
            Node::Apply(_, args) => args,
            _ => &[],
        }
    }

    /// The operation of an `Apply` node, `None` for a leaf.
    #[inline]
    pub fn op(self) -> Option<Op> {
        match self {
            Node::Apply(op, _) => Some(op),
            _ => None,
        }
    }
}

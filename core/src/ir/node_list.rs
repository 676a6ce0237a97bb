//! The graph's nodes, twelve bytes each: the operands of an operation with at most two
//! are kept in the node, longer operand lists in shared chunks, so a node costs no
//! allocation of its own. On 10⁶-node formulas the graphs are most of the memory a run
//! touches, and on a machine that clears every page it hands out, memory touched is time
//! (bench/NOTES.md, stops 29 and 30).

use super::node::{Const, Node, NodeId};
use crate::ops::Op;

/// What a stored node is, and where its operands are.
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// `ids` hold the constant's bits, low word first.
    Const,
    /// `ids[0]` holds the variable's position.
    Var,
    /// The operation's operands are the first `len` (at most two) of `ids`.
    Short(Op, u8),
    /// The operation's `ids[1]` operands are in the chunk and at the offset `ids[0]` packs
    /// ([`Place`]).
    Long(Op),
}

#[derive(Clone, Copy, Debug)]
struct Stored {
    kind: Kind,
    ids: [NodeId; 2],
}

const _: () = assert!(std::mem::size_of::<Stored>() == 12);

/// Operand lists of up to this many ids share chunks of this size; a longer one (a sum of
/// 10⁵ terms) is a chunk of its own. Chunks, not one list, because a list of all operands
/// doubling as it grows would hold twice its length at the moment it moves, and the
/// sharing stage rebuilds long sums round after round.
const CHUNK_BITS: u32 = 16;
const CHUNK: usize = 1 << CHUNK_BITS;

/// Where a long operand list starts: its chunk in the high bits, its offset in the low
/// `CHUNK_BITS` (a chunk of its own starts at 0).
struct Place;

impl Place {
    fn pack(chunk: usize, offset: usize) -> NodeId {
        let chunk = u32::try_from(chunk)
            .ok()
            .filter(|&c| c < 1 << (32 - CHUNK_BITS))
            .expect("graph exceeds 2^16 chunks of operands");
        NodeId::from_word(chunk << CHUNK_BITS | offset as u32)
    }

    #[inline]
    fn unpack(start: NodeId) -> (usize, usize) {
        let word = start.word();
        (
            (word >> CHUNK_BITS) as usize,
            (word & (CHUNK as u32 - 1)) as usize,
        )
    }
}

/// The nodes of a graph, in the order they were pushed.
#[derive(Clone, Debug, Default)]
pub(crate) struct NodeList {
    nodes: Vec<Stored>,
    /// The operands of every node with more than two: lists of at most `CHUNK` ids one
    /// after the other in chunks of at most `CHUNK`, longer lists alone.
    chunks: Vec<Vec<NodeId>>,
}

impl NodeList {
    pub(crate) fn with_capacity(nodes: usize) -> Self {
        NodeList {
            nodes: Vec::with_capacity(nodes),
            chunks: Vec::new(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The node at `index`.
    #[inline]
    pub(crate) fn get(&self, index: usize) -> Node<'_> {
        let Stored { kind, ids } = &self.nodes[index];
        match *kind {
            Kind::Const => {
                let bits = u64::from(ids[0].word()) | u64::from(ids[1].word()) << 32;
                Node::Const(Const::from_bits(bits))
            }
            Kind::Var => Node::Var(ids[0].word()),
            Kind::Short(op, len) => Node::Apply(op, &ids[..usize::from(len)]),
            Kind::Long(op) => {
                let (chunk, offset) = Place::unpack(ids[0]);
                Node::Apply(op, &self.chunks[chunk][offset..offset + ids[1].index()])
            }
        }
    }

    /// Appends `node`.
    pub(crate) fn push(&mut self, node: Node<'_>) {
        let word = NodeId::from_word;
        let stored = match node {
            Node::Const(c) => {
                let bits = c.bits();
                Stored {
                    kind: Kind::Const,
                    ids: [word(bits as u32), word((bits >> 32) as u32)],
                }
            }
            Node::Var(v) => Stored {
                kind: Kind::Var,
                ids: [word(v), word(0)],
            },
            Node::Apply(op, args) => match *args {
                [] => Stored {
                    kind: Kind::Short(op, 0),
                    ids: [word(0), word(0)],
                },
                [a] => Stored {
                    kind: Kind::Short(op, 1),
                    ids: [a, word(0)],
                },
                [a, b] => Stored {
                    kind: Kind::Short(op, 2),
                    ids: [a, b],
                },
                _ => {
                    let start = self.place(args);
                    Stored {
                        kind: Kind::Long(op),
                        ids: [start, NodeId::from_index(args.len())],
                    }
                }
            },
        };
        self.nodes.push(stored);
    }

    /// Stores `args` in a chunk and says where.
    fn place(&mut self, args: &[NodeId]) -> NodeId {
        if args.len() > CHUNK {
            self.chunks.push(args.to_vec());
            return Place::pack(self.chunks.len() - 1, 0);
        }
        // A chunk of its own is longer than CHUNK, so it never takes more.
        if self
            .chunks
            .last()
            .is_none_or(|c| c.len() + args.len() > CHUNK)
        {
            self.chunks.push(Vec::new());
        }
        let chunk = self.chunks.len() - 1;
        let last = &mut self.chunks[chunk];
        let offset = last.len();
        last.extend_from_slice(args);
        Place::pack(chunk, offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind of node comes back as it went in, whatever the number of operands.
    #[test]
    fn nodes_come_back_as_pushed() {
        let ids: Vec<NodeId> = (0..5).map(NodeId::from_index).collect();
        let nodes = [
            Node::Const(Const::new(-0.0)),
            Node::Const(Const::new(f64::from_bits(0x7ff8_0000_dead_beef))),
            Node::Const(Const::new(1e300)),
            Node::Var(7),
            Node::Apply(Op::Exp, &ids[..1]),
            Node::Apply(Op::Pow, &ids[..2]),
            Node::Apply(Op::Select, &ids[..3]),
            Node::Apply(Op::Add, &ids),
            Node::Apply(Op::Mul, &ids[1..3]),
        ];
        let mut list = NodeList::default();
        for node in nodes {
            list.push(node);
        }
        assert_eq!(list.len(), nodes.len());
        for (i, node) in nodes.iter().enumerate() {
            assert_eq!(list.get(i), *node);
        }
    }

    /// Lists that fill a chunk, cross its end, or exceed a chunk all come back whole.
    #[test]
    fn long_lists_fill_chunks_and_overflow_them() {
        let ids: Vec<NodeId> = (0..CHUNK + 10).map(NodeId::from_index).collect();
        let lengths = [3, CHUNK - 3, 3, 5, CHUNK, CHUNK + 1, 4, CHUNK + 10, 7];
        let mut list = NodeList::default();
        for &n in &lengths {
            list.push(Node::Apply(Op::Add, &ids[..n]));
        }
        for (i, &n) in lengths.iter().enumerate() {
            assert_eq!(list.get(i), Node::Apply(Op::Add, &ids[..n]), "list {i}");
        }
        assert!(
            list.chunks
                .iter()
                .all(|c| c.len() <= CHUNK || c.capacity() == c.len())
        );
    }
}

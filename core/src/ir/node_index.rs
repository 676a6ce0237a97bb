//! Finding a node by its hash: the graph's index of all its nodes, and the sharing
//! stage's of the products it builds.

use std::hash::BuildHasher;

use super::node::{Node, NodeId};

/// A node's hash in 32 bits, kept beside its id: growing the table re-hashes no node, a
/// lookup compares nodes only when their hashes are equal, and an entry is 8 bytes, not
/// 16 (on millions of nodes a table of 64-bit hashes outweighed the twelve-byte nodes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NodeHash(u32);

impl NodeHash {
    /// The hash a `hashbrown` table takes: the 32 bits twice, since the table picks a
    /// bucket by the low bits and tells entries apart by the top seven.
    #[inline]
    fn spread(self) -> u64 {
        u64::from(self.0) << 32 | u64::from(self.0)
    }
}

/// Ids of nodes, found by the nodes themselves.
#[derive(Clone, Debug, Default)]
pub(crate) struct NodeIndex {
    table: hashbrown::HashTable<(NodeHash, NodeId)>,
    /// foldhash, not SipHash: interning hashes every node built, and SipHash was ~13% of
    /// a 10⁶-node formula's time.
    hasher: foldhash::fast::RandomState,
}

impl NodeIndex {
    /// The hash of `node`, its 64 bits folded into 32.
    #[inline]
    pub(crate) fn hash(&self, node: Node<'_>) -> NodeHash {
        let h = self.hasher.hash_one(node);
        NodeHash((h ^ h >> 32) as u32)
    }

    /// The id of the indexed node equal to `node` (whose hash is `hash`), reading indexed
    /// nodes with `node_of`.
    #[inline]
    pub(crate) fn find<'g>(
        &self,
        hash: NodeHash,
        node: Node<'_>,
        node_of: impl Fn(NodeId) -> Node<'g>,
    ) -> Option<NodeId> {
        self.table
            .find(hash.spread(), |&(h, id)| h == hash && node_of(id) == node)
            .map(|&(_, id)| id)
    }

    /// Indexes `id`, whose node is not indexed yet and has the hash `hash`.
    #[inline]
    pub(crate) fn insert(&mut self, hash: NodeHash, id: NodeId) {
        self.table
            .insert_unique(hash.spread(), (hash, id), |(h, _)| h.spread());
    }

    /// Room for `more` entries.
    pub(crate) fn reserve(&mut self, more: usize) {
        self.table.reserve(more, |(h, _)| h.spread());
    }
}

//! A map keyed by [`NodeId`], stored densely by index.
//!
//! Printers and code generators look up, for every operand they write, whether the node
//! already has a name. Ids are small consecutive integers, and nodes near each other in
//! the graph are written near each other in time, so a vector indexed by id hits the same
//! cache lines again where a hash table's scattered buckets missed: on a 10⁶-node
//! gradient the hash table's probe was the hottest instruction of the listing and the op
//! count.

use crate::ir::graph::NodeId;

/// Values for some nodes of one graph.
#[derive(Clone, Debug)]
pub(crate) struct NodeMap<V> {
    slots: Vec<Option<V>>,
    len: usize,
}

impl<V> Default for NodeMap<V> {
    fn default() -> Self {
        NodeMap {
            slots: Vec::new(),
            len: 0,
        }
    }
}

impl<V> NodeMap<V> {
    /// Sets `id`'s value, returning the one it replaces.
    pub(crate) fn insert(&mut self, id: NodeId, value: V) -> Option<V> {
        let i = id.index();
        if self.slots.len() <= i {
            self.slots.resize_with(i + 1, || None);
        }
        let old = self.slots[i].replace(value);
        if old.is_none() {
            self.len += 1;
        }
        old
    }

    /// `id`'s value, if it has one.
    pub(crate) fn get(&self, id: NodeId) -> Option<&V> {
        self.slots.get(id.index())?.as_ref()
    }

    /// Whether `id` has a value.
    pub(crate) fn contains(&self, id: NodeId) -> bool {
        self.get(id).is_some()
    }

    /// Removes `id`'s value, returning it.
    pub(crate) fn remove(&mut self, id: NodeId) -> Option<V> {
        let old = self.slots.get_mut(id.index())?.take();
        if old.is_some() {
            self.len -= 1;
        }
        old
    }

    /// The nodes with a value, in id order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_some())
            .map(|(i, _)| NodeId::from_index(i))
    }

    /// How many nodes have a value.
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

impl<V> FromIterator<(NodeId, V)> for NodeMap<V> {
    fn from_iter<I: IntoIterator<Item = (NodeId, V)>>(iter: I) -> Self {
        let mut map = NodeMap::default();
        for (id, value) in iter {
            map.insert(id, value);
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_replace_and_removes_keep_the_count() {
        let mut map = NodeMap::default();
        let (a, b) = (NodeId::from_index(3), NodeId::from_index(0));
        assert_eq!(map.insert(a, "a"), None);
        assert_eq!(map.insert(b, "b"), None);
        assert_eq!(map.insert(a, "A"), Some("a"));
        assert_eq!(
            (map.len(), map.get(a), map.get(NodeId::from_index(9))),
            (2, Some(&"A"), None)
        );
        assert_eq!(map.keys().collect::<Vec<_>>(), [b, a]);
        assert_eq!(map.remove(a), Some("A"));
        assert_eq!(map.remove(a), None);
        assert!(!map.contains(a) && map.contains(b));
        assert_eq!(map.len(), 1);
    }
}

//! What `share_pairs` keeps up to date between its rounds instead of recomputing it
//! from the whole graph each round: which nodes the roots reach (reference counts), who
//! uses each reachable node, and how many reachable products hold each pair of factors.
//! A round then costs what it changes, not the size of the graph (recounting every pair
//! of every product each of 64 rounds was a third of a 10⁶-node formula's time).
//!
//! Users are recorded by slot, not by node: a slot is a place in the evolving graph, and
//! when a round rebuilds a node (a partial's sum of 10⁴ terms, say), the new node takes
//! over the old one's slot, so its operands' user lists stay valid without a new entry
//! each. When two rebuilt nodes become one (hash-consing), their slots are united.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::ir::graph::{Graph, Node, NodeId};
use crate::ops::Op;
use crate::share::user_lists::UserLists;

/// Products with more factors are not counted: pairs grow quadratically with them.
pub(crate) const MAX_COUNTED_FACTORS: usize = 16;

const NO_SLOT: u32 = u32::MAX;

type Pair = (NodeId, NodeId);

/// `list` extended with `fill` to `len` items. Where it must grow, it makes room for an
/// eighth more at once: the rounds add a few nodes each, and growing a list of millions by
/// five doubled it, copying everything into fresh pages.
pub(crate) fn grow_to<T: Clone>(list: &mut Vec<T>, len: usize, fill: T) {
    if list.capacity() < len {
        list.reserve_exact(len + len / 8 - list.len());
    }
    list.resize(len, fill);
}

/// Reachability, users and pair counts of the part of a graph some roots reach.
#[derive(Debug, Default)]
pub(crate) struct Live {
    /// Uses of each node by the roots and by reachable nodes; reachable iff positive.
    refs: Vec<u32>,
    /// Each reachable node's slot (possibly united with others: see `find`).
    slot_of: Vec<u32>,
    /// Whether a reachable node's slot is recorded in its operands' user lists.
    registered: Vec<bool>,
    /// Per slot: the node in it, its union-find parent, the slots of its users.
    slot_node: Vec<NodeId>,
    slot_parent: Vec<u32>,
    slot_users: UserLists,
    /// Per pair of factors: reachable counted products holding it, and how many of
    /// those have a third factor.
    counts: foldhash::HashMap<Pair, (u32, u32)>,
    /// Candidates for the most shared pair, largest first; an entry whose count is
    /// out of date is dropped when it comes up.
    heap: BinaryHeap<(u32, Reverse<Pair>)>,
    /// Whether count changes go to the heap (off while the first counts are built).
    heap_live: bool,
}

impl Live {
    /// The state for what `roots` reach in `g`.
    pub fn new(g: &Graph, roots: &[NodeId]) -> Self {
        let mut live = Live::default();
        live.grow(g);
        // What `inc` from each root would count, in one pass in id order instead of a walk
        // from the roots: millions of nodes read in order, not at random.
        let uses = g.use_counts(roots, &[]);
        live.refs[..uses.len()].copy_from_slice(&uses);
        // A slot for each reachable node, and an eighth more for the rounds' new nodes:
        // grown by pushes, the slot lists of millions doubled past that, copying
        // themselves into fresh pages.
        let reachable = uses.iter().filter(|&&n| n > 0).count();
        let room = reachable + reachable / 8;
        live.slot_node.reserve_exact(room);
        live.slot_parent.reserve_exact(room);
        live.slot_users.reserve_exact(room);
        for id in g.ids().take(uses.len()) {
            if live.refs[id.index()] > 0 {
                live.count_pairs(g, id, true);
                live.register(g, id);
            }
        }
        live.heap = live
            .counts
            .iter()
            .filter(|(_, (n, _))| *n >= 2)
            .map(|(&pair, &(n, _))| (n, Reverse(pair)))
            .collect();
        live.heap_live = true;
        live
    }

    /// Room for the nodes added to `g` since the last call.
    pub fn grow(&mut self, g: &Graph) {
        grow_to(&mut self.refs, g.len(), 0);
        grow_to(&mut self.slot_of, g.len(), NO_SLOT);
        grow_to(&mut self.registered, g.len(), false);
    }

    pub fn is_reachable(&self, id: NodeId) -> bool {
        self.refs[id.index()] > 0
    }

    /// The pair of factors that the most reachable products (at least two, one of them
    /// with a third factor) have in common; ties go to the smallest pair.
    pub fn most_shared_pair(&mut self) -> Option<Pair> {
        while let Some(&(n, Reverse(pair))) = self.heap.peek() {
            let current = self.counts.get(&pair);
            if current.is_some_and(|&(now, longer)| now == n && n >= 2 && longer > 0) {
                return Some(pair);
            }
            self.heap.pop();
        }
        None
    }

    /// The reachable nodes using `id` (and possibly a few that no longer do).
    pub fn users(&mut self, id: NodeId) -> Vec<NodeId> {
        let Some(s) = self.slot(id) else {
            return Vec::new();
        };
        let mut users = Vec::with_capacity(self.slot_users.len(s));
        for k in 0..self.slot_users.len(s) {
            let u = self.find(self.slot_users.get(s, k));
            let node = self.slot_node[u as usize];
            if self.is_reachable(node) {
                users.push(node);
            }
        }
        users
    }

    /// Records that a round rebuilt the reachable node `old` as `new`, whose operands are
    /// `old`'s operands each replaced by its rebuilt node, except for `added` ones.
    pub fn rebuilt(&mut self, g: &Graph, old: NodeId, new: NodeId, added: &[NodeId]) {
        self.grow(g);
        let s = self.find(self.slot_of[old.index()]);
        let s = match self.slot(new) {
            Some(t) if t != s => self.unite(s, t),
            Some(t) => t,
            None => {
                self.slot_of[new.index()] = s;
                self.registered[new.index()] = true;
                s
            }
        };
        self.slot_node[s as usize] = new;
        for &a in added {
            let t = self.slot_or_new(a);
            self.slot_users.push(t, s);
        }
    }

    /// Moves the roots from `old` to `new`, updating reachability and counts.
    pub fn reroot(&mut self, g: &Graph, old: &[NodeId], new: &[NodeId]) {
        self.grow(g);
        // Increments first, so that nodes both sets reach are not dropped and re-added.
        for &r in new {
            self.inc(g, r);
        }
        for &r in old {
            self.dec(g, r);
        }
    }

    fn inc(&mut self, g: &Graph, root: NodeId) {
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            self.refs[id.index()] += 1;
            if self.refs[id.index()] > 1 {
                continue;
            }
            self.count_pairs(g, id, true);
            if !self.registered[id.index()] {
                self.register(g, id);
            }
            stack.extend_from_slice(g.node(id).args());
        }
    }

    fn dec(&mut self, g: &Graph, root: NodeId) {
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            self.refs[id.index()] -= 1;
            if self.refs[id.index()] > 0 {
                continue;
            }
            self.count_pairs(g, id, false);
            self.slot_of[id.index()] = NO_SLOT;
            self.registered[id.index()] = false;
            stack.extend_from_slice(g.node(id).args());
        }
    }

    /// Records `id`'s slot in the user list of each of its operands.
    fn register(&mut self, g: &Graph, id: NodeId) {
        let s = self.slot_or_new(id);
        for &a in g.node(id).args() {
            let t = self.slot_or_new(a);
            // An operand used twice is listed once: its list ends with `s` already.
            if self.slot_users.last(t) != Some(s) {
                self.slot_users.push(t, s);
            }
        }
        self.registered[id.index()] = true;
    }

    /// Adds (or removes) `id`'s pairs of factors to the counts, if it is a counted product.
    fn count_pairs(&mut self, g: &Graph, id: NodeId, add: bool) {
        let Node::Apply(Op::Mul, factors) = g.node(id) else {
            return;
        };
        if factors.len() > MAX_COUNTED_FACTORS {
            return;
        }
        let longer = u32::from(factors.len() > 2);
        for pair in distinct_pairs(factors) {
            let entry = self.counts.entry(pair).or_insert((0, 0));
            if add {
                entry.0 += 1;
                entry.1 += longer;
            } else {
                entry.0 -= 1;
                entry.1 -= longer;
            }
            let n = entry.0;
            if self.heap_live && n >= 2 {
                self.heap.push((n, Reverse(pair)));
            }
        }
    }

    /// The slot of `id`, if it has one.
    fn slot(&mut self, id: NodeId) -> Option<u32> {
        let s = *self.slot_of.get(id.index())?;
        (s != NO_SLOT).then(|| self.find(s))
    }

    /// The slot of `id`, a new empty one if it has none yet.
    fn slot_or_new(&mut self, id: NodeId) -> u32 {
        if let Some(s) = self.slot(id) {
            return s;
        }
        let s = u32::try_from(self.slot_node.len()).expect("fewer than 2^32 slots");
        self.slot_node.push(id);
        self.slot_parent.push(s);
        self.slot_users.add_slot();
        self.slot_of[id.index()] = s;
        s
    }

    fn find(&mut self, mut s: u32) -> u32 {
        while self.slot_parent[s as usize] != s {
            let grandparent = self.slot_parent[self.slot_parent[s as usize] as usize];
            self.slot_parent[s as usize] = grandparent;
            s = grandparent;
        }
        s
    }

    /// One slot for two (both roots of their sets), keeping both user lists.
    fn unite(&mut self, s: u32, t: u32) -> u32 {
        let (keep, gone) = if self.slot_users.len(s) >= self.slot_users.len(t) {
            (s, t)
        } else {
            (t, s)
        };
        for user in self.slot_users.take(gone) {
            self.slot_users.push(keep, user);
        }
        self.slot_parent[gone as usize] = keep;
        keep
    }
}

/// Each pair of positions' factors once, as `(smaller, larger)`.
fn distinct_pairs(factors: &[NodeId]) -> Vec<Pair> {
    let mut pairs = Vec::with_capacity(factors.len() * (factors.len() - 1) / 2);
    for i in 0..factors.len() {
        for j in i + 1..factors.len() {
            pairs.push((factors[i].min(factors[j]), factors[i].max(factors[j])));
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

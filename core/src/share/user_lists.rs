//! The sharing index's lists of each slot's users. Most slots have one user or two (on
//! the bench's 10⁶-node formulas, 99% of the deep chains' 2.7M slots and 88% of the flat
//! random formula's): those two are held in place, eight bytes a slot, and longer lists
//! continue in a map. A list held in place for each slot (a small vector of four) was
//! 24 bytes a slot, the largest part of the sharing stage's peak.

const NONE: u32 = u32::MAX;

/// A list of user slots for each slot, numbered from 0 as they are added.
#[derive(Debug, Default)]
pub(crate) struct UserLists {
    /// Each slot's first two users, `NONE` where it has fewer.
    first: Vec<[u32; 2]>,
    /// The users after the first two, for the slots that have more.
    rest: foldhash::HashMap<u32, Vec<u32>>,
}

impl UserLists {
    /// Room for `more` slots.
    pub(crate) fn reserve_exact(&mut self, more: usize) {
        self.first.reserve_exact(more);
    }

    /// A new slot with no users.
    pub(crate) fn add_slot(&mut self) {
        self.first.push([NONE; 2]);
    }

    /// How many users `slot` has.
    pub(crate) fn len(&self, slot: u32) -> usize {
        match self.first[slot as usize] {
            [NONE, _] => 0,
            [_, NONE] => 1,
            _ => 2 + self.rest.get(&slot).map_or(0, Vec::len),
        }
    }

    /// The `k`th user of `slot`.
    pub(crate) fn get(&self, slot: u32, k: usize) -> u32 {
        match k {
            0 | 1 => self.first[slot as usize][k],
            _ => self.rest[&slot][k - 2],
        }
    }

    /// The last user of `slot`, if it has any.
    pub(crate) fn last(&self, slot: u32) -> Option<u32> {
        self.len(slot).checked_sub(1).map(|k| self.get(slot, k))
    }

    /// Adds `user` at the end of `slot`'s list.
    pub(crate) fn push(&mut self, slot: u32, user: u32) {
        let first = &mut self.first[slot as usize];
        match first {
            [NONE, _] => first[0] = user,
            [_, NONE] => first[1] = user,
            _ => self.rest.entry(slot).or_default().push(user),
        }
    }

    /// Empties `slot`'s list and returns what it held.
    pub(crate) fn take(&mut self, slot: u32) -> Vec<u32> {
        let mut list: Vec<u32> = std::mem::replace(&mut self.first[slot as usize], [NONE; 2])
            .into_iter()
            .filter(|&u| u != NONE)
            .collect();
        list.extend(self.rest.remove(&slot).unwrap_or_default());
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lists of every length keep their order, and a taken list leaves its slot empty.
    #[test]
    fn lists_keep_their_order_whatever_their_length() {
        let mut lists = UserLists::default();
        for slot in 0..5u32 {
            lists.add_slot();
            for user in 0..slot {
                lists.push(slot, 10 * slot + user);
            }
        }
        for slot in 0..5u32 {
            assert_eq!(lists.len(slot), slot as usize);
            let list: Vec<u32> = (0..lists.len(slot)).map(|k| lists.get(slot, k)).collect();
            assert_eq!(list, (0..slot).map(|u| 10 * slot + u).collect::<Vec<_>>());
            assert_eq!(lists.last(slot), slot.checked_sub(1).map(|u| 10 * slot + u));
        }
        assert_eq!(lists.take(4), [40, 41, 42, 43]);
        assert_eq!((lists.len(4), lists.last(4)), (0, None));
        lists.push(4, 7);
        assert_eq!(lists.take(4), [7]);
    }
}

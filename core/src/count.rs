//! Counting arithmetic operations and function calls, each shared node once.
//!
//! This counts on the DAG: an n-ary sum or product is n-1 operations, every other
//! operation (a gate included) is one. Code generation prints `a·b^-1` as `a / b` and
//! `a + (-1)·b` as `a - b`, so its own count can be lower; see `codegen`.

use crate::graph::{Graph, NodeId};

/// Operations needed to compute all `roots`, shared nodes counted once.
pub fn count_ops(g: &Graph, roots: &[NodeId]) -> usize {
    let Some(last) = roots.iter().max() else {
        return 0;
    };
    let mut needed = vec![false; last.index() + 1];
    for r in roots {
        needed[r.index()] = true;
    }
    let mut total = 0;
    for id in g.ids().take(needed.len()).rev() {
        if !needed[id.index()] {
            continue;
        }
        let args = g.node(id).args();
        if !args.is_empty() {
            total += args.len().saturating_sub(1).max(1);
        }
        for a in args {
            needed[a.index()] = true;
        }
    }
    total
}

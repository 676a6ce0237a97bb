//! Sharing products, so that what reverse mode multiplies out in every partial is
//! computed once. One stage, [`products`], the last the pipeline runs: common pairs of
//! factors become nodes (`pairs`, with the index it keeps in `pair_index`), then products
//! reuse needed sub-products (`sub_products`). What it builds is not in the flat canonical
//! form the graph's constructors make, so code generation, counting and printing read it
//! as it is, and nothing rebuilds it afterwards.

mod pair_index;
mod pairs;
mod sub_products;
mod user_lists;

use crate::ir::graph::{Graph, NodeId};

use pairs::share_pairs;
use sub_products::reuse_sub_products;

/// `roots` with products shared: a new graph holding exactly what they need, in the same
/// order, and their ids in it.
///
/// ```
/// use symgrad_core::{Graph, count_ops, share};
/// let mut g = Graph::new();
/// let (a, b, x, y) = (g.var(0), g.var(1), g.var(2), g.var(3));
/// let abx = g.mul(&[a, b, x]);
/// let aby = g.mul(&[a, b, y]);
/// let xaby = g.mul(&[x, a, b, y]);
/// assert_eq!(count_ops(&g, &[abx, aby, xaby]), 7);
/// let (shared, roots) = share::products(g, &[abx, aby, xaby]);
/// // `p = a·b` once, then `p·x`, `p·y` and `x·(p·y)`.
/// assert_eq!(count_ops(&shared, &roots), 4);
/// assert_eq!(shared.len(), 8);
/// ```
pub fn products(mut graph: Graph, roots: &[NodeId]) -> (Graph, Vec<NodeId>) {
    let roots = share_pairs(&mut graph, roots);
    reuse_sub_products(&graph, &roots)
}

//! Products reusing needed sub-products, the second half of the sharing stage. Reverse mode multiplies each adjoint by a local
//! partial and the DAG flattens products, so `∂/∂w0 = x0·t·(1-t)` does not reuse the node
//! `t·(1-t)` (the adjoint of the sum, itself `∂/∂w2`). Here a product whose operands are one
//! factor plus all the operands of another needed product becomes `factor · product`, so the
//! generated code computes `t·(1-t)` once: the neuron's fused gradient costs 11 operations.

use crate::ir::graph::{Graph, Node, NodeId};
use crate::ir::node_index::NodeIndex;
use crate::ops::Op;

/// Longest product searched for a sub-product, and most candidates looked at per operand.
/// Adjoint chains do make long products: along k weighted gates (`σ(w·h + b)`) the adjoint
/// is a flat product of about 3k factors, so 16 layers need more than 16 (issue 7's `deep`
/// benchmark: 818 operations at a limit of 16, 112 at 256). The limit bounds the search on
/// products of thousands of factors written in a formula.
const MAX_SEARCHED_FACTORS: usize = 256;
const MAX_CANDIDATES: usize = 64;

/// A new graph holding what `roots` need, in the same order, with products shared, and
/// the ids of `roots` in it. A rewritten product keeps every operand reachable (the ones
/// it drops are the reused product's), so nothing in the new graph is left unused.
pub(crate) fn reuse_sub_products(g: &Graph, roots: &[NodeId]) -> (Graph, Vec<NodeId>) {
    let needed = g.reachable(roots, &[]);
    let containing = Containing::new(g, &needed);
    let mut out = Graph::with_capacity(needed.iter().filter(|&&n| n).count());
    let mut products = Products::default();
    let mut map: Vec<Option<NodeId>> = vec![None; needed.len()];
    let new = |map: &[Option<NodeId>], a: &NodeId| {
        map[a.index()].expect("operands come before their users")
    };
    let mut operands = Vec::new();
    for id in g.ids().take(needed.len()) {
        if !needed[id.index()] {
            continue;
        }
        let node = match g.node(id) {
            Node::Apply(op, args) => {
                operands.clear();
                let searched = op == Op::Mul && (3..=MAX_SEARCHED_FACTORS).contains(&args.len());
                match searched
                    .then(|| largest_sub_product(g, id, args, &containing))
                    .flatten()
                {
                    Some((product, rest)) => {
                        operands.extend(rest.iter().map(|a| new(&map, a)));
                        operands.push(new(&map, &product));
                    }
                    None => operands.extend(args.iter().map(|a| new(&map, a))),
                }
                Node::Apply(op, &operands[..])
            }
            leaf => leaf,
        };
        map[id.index()] = Some(products.add(&mut out, node));
    }
    let roots = roots.iter().map(|r| new(&map, r)).collect();
    (out, roots)
}

/// The products of the new graph, found by their operands. Only a product can be a node
/// built before (a rewritten one, `factor · product`, can be one written so in the graph),
/// so the other nodes are appended unindexed ([`Graph::push_distinct`]): their operands
/// are distinct as long as no product was found again. After one is (none in the bench's
/// formulas), every node is interned, the graph's index then taking in all of them.
#[derive(Default)]
struct Products {
    index: NodeIndex,
    found_again: bool,
}

impl Products {
    fn add(&mut self, out: &mut Graph, node: Node) -> NodeId {
        if self.found_again {
            return out.intern(node);
        }
        let Node::Apply(Op::Mul, _) = node else {
            return out.push_distinct(node);
        };
        let hash = self.index.hash(node);
        if let Some(id) = self.index.find(hash, node, |id| out.node(id)) {
            self.found_again = true;
            return id;
        }
        let id = out.push_distinct(node);
        self.index.insert(hash, id);
        id
    }
}

/// The needed products containing each operand, in id order (a product listed once per
/// occurrence of the operand), each with its number of operands and the [`operand_bits`]
/// of its operands: one flat array sliced per operand, so the search rules most candidates
/// out without visiting their nodes (each visit a likely cache miss on a large graph).
struct Containing {
    /// `products[start[i]..start[i + 1]]` contain the node of index `i`.
    start: Vec<u32>,
    products: Vec<Candidate>,
}

#[derive(Clone, Copy)]
struct Candidate {
    product: NodeId,
    len: u32,
    bits: u64,
}

/// One bit for each operand, by a hash of its id: a product whose bits are not all among
/// another's bits cannot be a sub-product of it.
fn operand_bits(args: &[NodeId]) -> u64 {
    args.iter().fold(0, |bits, a| {
        bits | 1 << ((a.index() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58)
    })
}

impl Containing {
    fn new(g: &Graph, needed: &[bool]) -> Self {
        let products = || {
            g.ids()
                .take(needed.len())
                .filter(|id| needed[id.index()])
                .filter_map(|id| match g.node(id) {
                    Node::Apply(Op::Mul, args) => Some((id, args)),
                    _ => None,
                })
        };
        let mut start = vec![0u32; needed.len() + 1];
        for (_, args) in products() {
            for a in args.iter() {
                start[a.index() + 1] += 1;
            }
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut filled = start.clone();
        let total = start.last().map_or(0, |&n| n as usize);
        // Every slot is overwritten below; the first product only fills them until then.
        let filler = products().next().map(|(product, _)| Candidate {
            product,
            len: 0,
            bits: 0,
        });
        let mut list = filler.map_or_else(Vec::new, |filler| vec![filler; total]);
        for (product, args) in products() {
            let len = u32::try_from(args.len()).unwrap_or(u32::MAX);
            let candidate = Candidate {
                product,
                len,
                bits: operand_bits(args),
            };
            for a in args.iter() {
                let slot = &mut filled[a.index()];
                list[*slot as usize] = candidate;
                *slot += 1;
            }
        }
        Containing {
            start,
            products: list,
        }
    }

    /// The needed products containing `a`, in id order.
    fn of(&self, a: NodeId) -> &[Candidate] {
        let i = a.index();
        &self.products[self.start[i] as usize..self.start[i + 1] as usize]
    }
}

/// The needed product built before `id` with the most of its operands `args` (at least two,
/// not all), and the operands left over.
fn largest_sub_product(
    g: &Graph,
    id: NodeId,
    args: &[NodeId],
    containing: &Containing,
) -> Option<(NodeId, Vec<NodeId>)> {
    let mut best: Option<(NodeId, usize)> = None;
    let bits = operand_bits(args);
    let candidates = args.iter().flat_map(|&a| {
        containing
            .of(a)
            .iter()
            .take(MAX_CANDIDATES)
            .take_while(|c| c.product < id)
    });
    for c in candidates {
        let (p, len) = (c.product, c.len as usize);
        if len >= args.len() || best.is_some_and(|(_, longest)| len <= longest) {
            continue;
        }
        if c.bits & !bits != 0 {
            continue;
        }
        if contains_in_order(args, g.node(p).args()) {
            best = Some((p, len));
        }
    }
    best.map(|(p, _)| (p, remove_all(args, g.node(p).args())))
}

/// Whether `inner` is a sub-multiset of `args` (both in the same order).
fn contains_in_order(args: &[NodeId], inner: &[NodeId]) -> bool {
    let mut wanted = inner.iter().peekable();
    for a in args {
        if wanted.peek() == Some(&a) {
            wanted.next();
        }
    }
    wanted.peek().is_none()
}

/// `args` without the elements of `inner`, a sub-multiset of it in the same order.
fn remove_all(args: &[NodeId], inner: &[NodeId]) -> Vec<NodeId> {
    let mut rest = Vec::with_capacity(args.len().saturating_sub(inner.len()));
    let mut wanted = inner.iter().peekable();
    for &a in args {
        if wanted.peek() == Some(&&a) {
            wanted.next();
        } else {
            rest.push(a);
        }
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::evaluate;

    #[test]
    fn a_product_reuses_a_needed_sub_product() {
        let mut g = Graph::new();
        let (x, t, u) = (g.var(0), g.var(1), g.var(2));
        let tu = g.mul(&[t, u]);
        let xtu = g.mul(&[x, t, u]);
        let (shared, roots) = reuse_sub_products(&g, &[tu, xtu]);
        assert_eq!(
            shared.node(roots[1]).args(),
            &[shared.node(roots[1]).args()[0], roots[0]]
        );
        let point = [2.0, 3.0, 5.0];
        assert_eq!(
            evaluate(&shared, &roots, &point),
            evaluate(&g, &[tu, xtu], &point)
        );
    }

    #[test]
    fn the_largest_needed_sub_product_is_reused() {
        let mut g = Graph::new();
        let [a, b, c, d, e] = [0, 1, 2, 3, 4].map(|i| g.var(i));
        let cd = g.mul(&[c, d]);
        let bcd = g.mul(&[b, c, d]);
        let abcde = g.mul(&[a, b, c, d, e]);
        let (shared, roots) = reuse_sub_products(&g, &[cd, bcd, abcde]);
        let operands = shared.node(roots[2]).args();
        assert_eq!(operands.len(), 3, "a · e · (b·c·d)");
        assert_eq!(operands[2], roots[1]);
        let point = [2.0, 3.0, 5.0, 7.0, 11.0];
        assert_eq!(
            evaluate(&shared, &roots, &point),
            evaluate(&g, &[cd, bcd, abcde], &point)
        );
    }

    #[test]
    fn a_repeated_factor_is_matched_as_often_as_it_occurs() {
        let mut g = Graph::new();
        let (x, y) = (g.var(0), g.var(1));
        let xx = g.mul(&[x, x]);
        let xy = g.mul(&[x, y]);
        let xxy = g.mul(&[x, x, y]);
        let (shared, roots) = reuse_sub_products(&g, &[xx, xy, xxy]);
        let operands = shared.node(roots[2]).args();
        assert_eq!(operands.len(), 2, "x · (x·y) or y · (x·x)");
        assert!(contains_in_order(&[x, x, y], &[x, x]));
        assert!(!contains_in_order(&[x, y], &[x, x]));
        assert_eq!(remove_all(&[x, x, y], &[x, y]), vec![x]);
    }

    /// The operand bits only rule out: a sub-multiset's bits are among the whole's.
    #[test]
    fn operand_bits_never_rule_out_a_sub_product() {
        let mut g = Graph::new();
        let vars: Vec<NodeId> = (0..200).map(|i| g.var(i)).collect();
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..2_000 {
            let mut pick = || {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                vars[(state % 200) as usize]
            };
            let mut args: Vec<NodeId> = (0..12).map(|_| pick()).collect();
            args.sort();
            let inner: Vec<NodeId> = args.iter().copied().step_by(3).collect();
            assert!(contains_in_order(&args, &inner));
            assert_eq!(operand_bits(&inner) & !operand_bits(&args), 0);
        }
    }

    /// A rewritten product can be a node the graph already holds nested (`x·(t·u)` beside
    /// `x·t·u`): it is found, not built twice, and the nodes after it are interned.
    #[test]
    fn a_rewritten_product_built_before_is_found_again() {
        let mut g = Graph::new();
        let (x, t, u) = (g.var(0), g.var(1), g.var(2));
        let tu = g.mul(&[t, u]);
        let nested = g.intern(Node::Apply(Op::Mul, &[x, tu]));
        let flat = g.mul(&[x, t, u]);
        let after = g.apply(Op::Sin, &[flat]);
        let roots = [tu, nested, flat, after];
        let (shared, new_roots) = reuse_sub_products(&g, &roots);
        assert_eq!(new_roots[1], new_roots[2]);
        assert_eq!(shared.len(), 6, "x, t, u, t·u, x·(t·u), sin");
        let mut again = shared.clone();
        assert_eq!(again.apply(Op::Sin, &[new_roots[2]]), new_roots[3]);
        let point = [2.0, 3.0, 5.0];
        assert_eq!(
            evaluate(&shared, &new_roots, &point),
            evaluate(&g, &roots, &point)
        );
    }

    #[test]
    fn a_product_not_needed_is_not_introduced() {
        let mut g = Graph::new();
        let (x, t, u) = (g.var(0), g.var(1), g.var(2));
        let _unused = g.mul(&[t, u]);
        let xtu = g.mul(&[x, t, u]);
        let (shared, roots) = reuse_sub_products(&g, &[xtu]);
        assert_eq!(shared.node(roots[0]).args().len(), 3);
    }

    /// The pipeline runs no compaction after sharing: the stage's graph must hold only
    /// what the roots need.
    #[test]
    fn the_shared_graph_holds_only_what_the_roots_need() {
        let mut g = Graph::new();
        let [x, t, u, v] = [0, 1, 2, 3].map(|i| g.var(i));
        let _unused = g.apply(Op::Sin, &[v]);
        let tu = g.mul(&[t, u]);
        let xtu = g.mul(&[x, t, u]);
        let (shared, roots) = reuse_sub_products(&g, &[tu, xtu]);
        assert_eq!(
            crate::rewrite::compact(&shared, &roots).0.len(),
            shared.len()
        );
        assert_eq!(shared.len(), 5, "x, t, u, t·u, x·(t·u)");
    }
}

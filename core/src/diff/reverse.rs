//! Reverse-mode accumulation on the DAG: adjoints flow from the output in reverse
//! topological order, and the gradient nodes are added to the same graph, so they share
//! every forward sub-expression they use.
//!
//! Selects (SPEC §7): a contribution to an adjoint is a *guarded* term `(c, t)`, worth
//! `select(c, t, 0)`: `t` where the condition `c` holds, else 0 — `t` is then never
//! evaluated, so a NaN or an infinity of the branch not taken never reaches a derivative
//! (`1/x` of `if(x > 0, ln(x), 0)` at `x = -1`), and no dead adjoint is multiplied by 0.
//! A select passes its adjoint to the branch taken with its condition added to the
//! guard. A node whose contributions all have one guard passes that guard on with
//! `adjoint·local`, so a chain inside one branch is guarded once, where it ends; where
//! guards differ they are applied (`select(c, t, u)` for a branch and its complement)
//! and the node's own contributions are guarded by its *liveness*, the disjunction of
//! theirs. Without selects every guard is "always" and the result is as before.

use crate::diff::partials::LocalPartials;
use crate::ir::graph::{FLATTEN_LIMIT, Flat, Graph, Node, NodeId};
use crate::ir::lower::{connect, not};
use crate::ops::Op;

/// Adds `∂output/∂var` for each variable index in `wrt` to `g` and returns those nodes,
/// in `wrt` order. A variable the output does not depend on gets the constant `0`.
///
/// ```
/// use symgrad_core::{evaluate, reverse_mode, Graph};
/// let mut g = Graph::new();
/// let (x, y) = (g.var(0), g.var(1));
/// let f = g.mul(&[x, y]);
/// let grad = reverse_mode(&mut g, f, &[0, 1]);
/// assert_eq!(evaluate(&g, &grad, &[3.0, 4.0]), vec![4.0, 3.0]);
/// ```
pub fn reverse_mode(g: &mut Graph, output: NodeId, wrt: &[u32]) -> Vec<NodeId> {
    let n = output.index() + 1;
    let active = active_nodes(g, output, wrt);
    // Guarded contributions to each node's adjoint; summed once all its users are done,
    // which reverse topological order guarantees.
    let mut contributions: Vec<Vec<Guarded>> = vec![Vec::new(); n];
    let mut adjoint_of_var: Vec<Option<NodeId>> = vec![None; wrt.len()];
    let slots = wrt_slots(wrt);
    let one = g.constant(1.0);
    contributions[output.index()].push((None, Flat::One(one)));
    let mut args = Vec::new();

    for id in g.ids().take(n).rev() {
        if !active[id.index()] || contributions[id.index()].is_empty() {
            continue;
        }
        let terms = std::mem::take(&mut contributions[id.index()]);
        let (guard, adjoint) = combine(g, terms);
        let op = match g.node(id) {
            Node::Var(v) => {
                let v = v as usize;
                let adjoint = g.product(adjoint);
                let adjoint = guarded(g, guard, adjoint);
                for &slot in slots.get(v).map_or(&[][..], Vec::as_slice) {
                    adjoint_of_var[slot] = Some(adjoint);
                }
                continue;
            }
            Node::Const(_) => continue,
            Node::Apply(op, operands) => {
                args.clear();
                args.extend_from_slice(operands);
                op
            }
        };
        if op == Op::Select {
            let c = args[0];
            for (k, &arg) in args[1..].iter().enumerate() {
                if active[arg.index()] {
                    let taken = if k == 0 { c } else { not(g, c) };
                    let guard = Some(guard.map_or(taken, |outer| connect(g, outer, taken, true)));
                    contributions[arg.index()].push((guard, adjoint.clone()));
                }
            }
            continue;
        }
        if op.is_piecewise_constant() {
            continue;
        }
        // A product of more factors than a product flattens stays one factor: built once
        // for every operand.
        let adjoint = match adjoint {
            Flat::Many(factors) if factors.len() > FLATTEN_LIMIT => {
                Flat::One(g.product(Flat::Many(factors)))
            }
            adjoint => adjoint,
        };
        let partials = LocalPartials::new(g, op, &args, id);
        for (i, &arg) in args.iter().enumerate() {
            if !active[arg.index()] {
                continue;
            }
            let local = partials.get(g, i);
            if g.is_const(local, 0.0) {
                continue;
            }
            let c = match &adjoint {
                Flat::One(a) => g.mul_operands(&[*a, local]),
                Flat::Many(factors) => {
                    let mut operands = Vec::with_capacity(factors.len() + 1);
                    operands.extend_from_slice(factors);
                    operands.push(local);
                    g.mul_operands(&operands)
                }
            };
            contributions[arg.index()].push((guard, c));
        }
    }
    adjoint_of_var
        .into_iter()
        .map(|a| a.unwrap_or_else(|| g.constant(0.0)))
        .collect()
}

/// Whether `d` is `not(c)`, `select(c, 0, 1)`.
fn is_negation_of(g: &Graph, d: NodeId, c: NodeId) -> bool {
    matches!(g.node(d), Node::Apply(Op::Select, args)
        if args[0] == c && g.is_const(args[1], 0.0) && g.is_const(args[2], 1.0))
}

/// A term of an adjoint and the condition under which it counts (`None`: always). The
/// term is a product not built yet where it is one ([`Graph::mul_operands`]): a node
/// with a single contribution passes it on, and the next step's product flattens it.
type Guarded = (Option<NodeId>, Flat);

/// `select(guard, t, 0)`, or `t` when unguarded.
fn guarded(g: &mut Graph, guard: Option<NodeId>, t: NodeId) -> NodeId {
    match guard {
        Some(c) => {
            let zero = g.constant(0.0);
            g.apply(Op::Select, &[c, t, zero])
        }
        None => t,
    }
}

/// The sum of guarded terms as one guarded term: their sum under their common guard, or,
/// where guards differ, the guarded terms summed (a term and one under the complement of
/// its guard as one select) under the disjunction of the guards.
fn combine(g: &mut Graph, mut terms: Vec<Guarded>) -> Guarded {
    if terms.len() == 1 {
        return terms.pop().expect("one term");
    }
    let terms: Vec<(Option<NodeId>, NodeId)> =
        terms.into_iter().map(|(c, t)| (c, g.product(t))).collect();
    let guard = terms[0].0;
    if terms.iter().all(|(c, _)| *c == guard) {
        let sum: Vec<NodeId> = terms.iter().map(|(_, t)| *t).collect();
        return (guard, Flat::One(g.add(&sum)));
    }
    // The disjunction of the guards so far (`None`: always).
    let mut live = guard;
    let mut sum = Vec::with_capacity(terms.len());
    let mut rest = terms;
    while let Some((c, t)) = rest.pop() {
        live = live
            .zip(c)
            .map(|(l, c)| if l == c { l } else { connect(g, l, c, false) });
        let Some(c) = c else {
            sum.push(t);
            continue;
        };
        let complement = rest.iter().position(|(d, _)| {
            d.is_some_and(|d| is_negation_of(g, d, c) || is_negation_of(g, c, d))
        });
        match complement {
            Some(k) => {
                let (d, u) = rest.swap_remove(k);
                let d = d.unwrap_or(c);
                let merged = if is_negation_of(g, d, c) {
                    [c, t, u]
                } else {
                    [d, u, t]
                };
                sum.push(g.apply(Op::Select, &merged));
                live = None;
            }
            None => sum.push(guarded(g, Some(c), t)),
        }
    }
    (live, Flat::One(g.add(&sum)))
}

/// Nodes up to `output` that depend on a variable in `wrt`.
fn active_nodes(g: &Graph, output: NodeId, wrt: &[u32]) -> Vec<bool> {
    let slots = wrt_slots(wrt);
    let mut active = vec![false; output.index() + 1];
    for id in g.ids().take(output.index() + 1) {
        active[id.index()] = match g.node(id) {
            Node::Var(v) => slots.get(v as usize).is_some_and(|s| !s.is_empty()),
            Node::Const(_) => false,
            Node::Apply(op, args) => {
                !op.is_piecewise_constant() && args.iter().any(|a| active[a.index()])
            }
        };
    }
    active
}

/// For each variable index, the positions in `wrt` that name it: a lookup in O(1) instead
/// of a scan of `wrt` per variable, which made formulas with many variables quadratic.
fn wrt_slots(wrt: &[u32]) -> Vec<Vec<usize>> {
    let len = wrt.iter().max().map_or(0, |&m| m as usize + 1);
    let mut slots = vec![Vec::new(); len];
    for (slot, &v) in wrt.iter().enumerate() {
        slots[v as usize].push(slot);
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::evaluate;

    /// Each link's adjoint is flattened into the next link's product, so reverse mode
    /// builds the product only where it stops flattening (every `FLATTEN_LIMIT` links)
    /// and at the variable: a chain of n links adds its n local partials and about n/16
    /// products, not 2n nodes.
    #[test]
    fn a_chain_builds_its_adjoint_products_only_where_they_are_used() {
        let mut g = Graph::new();
        let x = g.var(0);
        let links = 64;
        let mut chain = x;
        for _ in 0..links {
            chain = g.apply(Op::Sin, &[chain]);
        }
        let before = g.len();
        let grad = reverse_mode(&mut g, chain, &[0]);
        let added = g.len() - before;
        assert!(
            added <= links + links / FLATTEN_LIMIT + 2,
            "{added} nodes added"
        );

        let at = 0.7_f64;
        let (mut value, mut derivative) = (at, 1.0);
        for _ in 0..links {
            derivative *= value.cos();
            value = value.sin();
        }
        let got = evaluate(&g, &grad, &[at])[0];
        assert!(
            (got - derivative).abs() <= 1e-13 * derivative.abs(),
            "{got} {derivative}"
        );
    }
}

//! How sums, products and powers of the DAG read, before any spelling: `1 - t` rather than
//! `-t + 1`, `-2·x` as a negation, `a·b^-2` as `a/b^2`, `x^0.5` as a square root. The math
//! printer and the Rust emitter render the same forms, each with its own precedence and
//! spelling, so both read a formula alike.
//!
//! A node that already has a name (a shared sub-expression, a `let`) is an atom to both
//! renderers: the classifications take that as a predicate, `named`.

use crate::ir::graph::{Graph, Node, NodeId};
use crate::ops::Op;

/// A term of a sum with the sign it reads with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Signed<N> {
    /// Added as it is.
    Plus(NodeId),
    /// Subtracted: the term is the negation of `N`.
    Minus(N),
}

/// A term that reads as the negation of something.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Negation<'g> {
    /// A negative constant, `-v` for this positive `v`.
    Constant(f64),
    /// A product with a negative coefficient, `-(c·factors)` for this positive `c`.
    Product(f64, &'g [NodeId]),
}

/// A product as it reads: `coefficient · numerator / denominator`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Quotient {
    /// The constant factor, `None` when it is 1 (and so not written).
    pub coefficient: Option<f64>,
    /// The factors that multiply, in the product's order.
    pub numerator: Vec<NodeId>,
    /// The factors `b^-k`, each read as the divisor `b^k`.
    pub denominator: Vec<Raised>,
}

/// `base^k` for a constant `k`, as it reads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Raised {
    pub base: NodeId,
    pub exponent: Exponent,
}

/// A constant exponent: the two that read differently, and the others.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Exponent {
    /// `b^1` is `b`.
    One,
    /// `b^0.5` is a square root.
    Half,
    Other(f64),
}

/// A power as it reads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Power {
    /// `1/b^k`, from a constant exponent `-k < 0`.
    Reciprocal(Raised),
    /// `b^k` for a constant exponent that is not negative.
    Constant(Raised),
    /// `b^e` for an exponent that is not a constant.
    General(NodeId, NodeId),
}

/// The terms of a sum with their signs, led by the first one that is not negated: `1 - t`
/// reads better than `-t + 1`. `negation` tells how a term reads negated (see [`negation`];
/// a renderer may read more terms as negations).
pub(crate) fn sum<N>(
    terms: &[NodeId],
    mut negation: impl FnMut(NodeId) -> Option<N>,
) -> Vec<Signed<N>> {
    let mut signed: Vec<Signed<N>> = terms
        .iter()
        .map(|&t| match negation(t) {
            Some(n) => Signed::Minus(n),
            None => Signed::Plus(t),
        })
        .collect();
    if let Some(p) = signed.iter().position(|s| matches!(s, Signed::Plus(_))) {
        signed[..=p].rotate_right(1);
    }
    signed
}

/// How `t` reads as a negation: a negative constant, or a product with a negative
/// coefficient. `None` for a named node.
pub(crate) fn negation(
    g: &Graph,
    t: NodeId,
    named: impl Fn(NodeId) -> bool,
) -> Option<Negation<'_>> {
    if named(t) {
        return None;
    }
    match g.node(t) {
        Node::Const(c) if c.value() < 0.0 => Some(Negation::Constant(-c.value())),
        Node::Apply(Op::Mul, args) => {
            let c = g.as_const(args[0]).filter(|c| *c < 0.0)?;
            Some(Negation::Product(-c, &args[1..]))
        }
        _ => None,
    }
}

/// A product's constant factor (1 when it has none) and its other factors.
pub(crate) fn coefficient<'g>(g: &Graph, factors: &'g [NodeId]) -> (f64, &'g [NodeId]) {
    match g.as_const(factors[0]) {
        Some(c) => (c, &factors[1..]),
        None => (1.0, factors),
    }
}

/// `coefficient · factors` as a quotient: factors `b^-k` become divisors.
pub(crate) fn quotient(
    g: &Graph,
    coefficient: f64,
    factors: &[NodeId],
    named: impl Fn(NodeId) -> bool,
) -> Quotient {
    let mut numerator = Vec::new();
    let mut denominator = Vec::new();
    for &f in factors {
        match divisor(g, f, &named) {
            Some(d) => denominator.push(d),
            None => numerator.push(f),
        }
    }
    Quotient {
        coefficient: (coefficient != 1.0).then_some(coefficient),
        numerator,
        denominator,
    }
}

/// `Some(b^k)` when the factor `f` is `b^-k` for a constant `k > 0`.
fn divisor(g: &Graph, f: NodeId, named: impl Fn(NodeId) -> bool) -> Option<Raised> {
    if named(f) {
        return None;
    }
    let Node::Apply(Op::Pow, args) = g.node(f) else {
        return None;
    };
    let k = g.as_const(args[1]).filter(|k| *k < 0.0)?;
    Some(raised(args[0], -k))
}

/// How `base^exponent` reads.
pub(crate) fn power(g: &Graph, base: NodeId, exponent: NodeId) -> Power {
    match g.as_const(exponent) {
        Some(k) if k < 0.0 => Power::Reciprocal(raised(base, -k)),
        Some(k) => Power::Constant(raised(base, k)),
        None => Power::General(base, exponent),
    }
}

fn raised(base: NodeId, k: f64) -> Raised {
    let exponent = if k == 1.0 {
        Exponent::One
    } else if k == 0.5 {
        Exponent::Half
    } else {
        Exponent::Other(k)
    };
    Raised { base, exponent }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sum_leads_with_its_first_term_not_negated() {
        let mut g = Graph::new();
        let (x, y) = (g.var(0), g.var(1));
        let nx = g.neg(x);
        let signed = sum(&[nx, y], |t| negation(&g, t, |_| false));
        assert_eq!(
            signed,
            [Signed::Plus(y), Signed::Minus(Negation::Product(1.0, &[x]))]
        );
    }

    #[test]
    fn a_named_node_is_an_atom() {
        let mut g = Graph::new();
        let x = g.var(0);
        let nx = g.neg(x);
        assert_eq!(negation(&g, nx, |t| t == nx), None);
        let m = g.constant(-2.0);
        let p = g.pow(x, m);
        let q = quotient(&g, 1.0, &[p], |_| false);
        assert_eq!(q.denominator, [raised(x, 2.0)]);
        let q = quotient(&g, 1.0, &[p], |t| t == p);
        assert_eq!((q.numerator, q.denominator), (vec![p], vec![]));
    }

    #[test]
    fn half_and_negative_exponents_read_as_roots_and_divisors() {
        let mut g = Graph::new();
        let x = g.var(0);
        let (h, m) = (g.constant(0.5), g.constant(-1.0));
        assert_eq!(
            power(&g, x, h),
            Power::Constant(Raised {
                base: x,
                exponent: Exponent::Half
            })
        );
        assert_eq!(
            power(&g, x, m),
            Power::Reciprocal(Raised {
                base: x,
                exponent: Exponent::One
            })
        );
    }
}

/// How a select's condition `c` reads: a comparison, a connective of
/// conditions (see [`Op::Select`]), or any other node, tested as `c > 0`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Condition {
    /// `a > b` (`strict`) or `a >= b`.
    Compare { a: NodeId, b: NodeId, strict: bool },
    /// `c && d`.
    And(NodeId, NodeId),
    /// `c || d`.
    Or(NodeId, NodeId),
    /// `!c`.
    Not(NodeId),
    /// `v > 0`.
    Positive(NodeId),
}

/// How the condition `c` reads.
pub(crate) fn condition(g: &Graph, c: NodeId) -> Condition {
    match g.node(c) {
        Node::Apply(op @ (Op::Gt | Op::Ge), args) => Condition::Compare {
            a: args[0],
            b: args[1],
            strict: op == Op::Gt,
        },
        Node::Apply(Op::Select, args) => {
            let (x, y, z) = (args[0], args[1], args[2]);
            let is_condition = |id| is_condition(g, id);
            match (g.as_const(y), g.as_const(z)) {
                (Some(0.0), Some(1.0)) if is_condition(x) => Condition::Not(x),
                (_, Some(0.0)) if is_condition(x) && is_condition(y) => Condition::And(x, y),
                (Some(1.0), _) if is_condition(x) && is_condition(z) => Condition::Or(x, z),
                _ => Condition::Positive(c),
            }
        }
        _ => Condition::Positive(c),
    }
}

/// Whether `c` is a comparison or a connective of conditions (worth 0 or 1). Connectives
/// are nested as balanced trees and liveness conditions as deep as the formula's `if`s,
/// so the recursion is shallow.
fn is_condition(g: &Graph, c: NodeId) -> bool {
    match g.node(c) {
        Node::Apply(Op::Gt | Op::Ge, _) => true,
        Node::Apply(Op::Select, _) => condition(g, c) != Condition::Positive(c),
        _ => false,
    }
}

/// The value nodes the condition `c` compares, in the order the code reads them.
pub(crate) fn condition_operands(g: &Graph, c: NodeId) -> Vec<NodeId> {
    let mut out = Vec::new();
    let mut stack = vec![c];
    while let Some(c) = stack.pop() {
        match condition(g, c) {
            Condition::Compare { a, b, .. } => out.extend([a, b]),
            Condition::And(x, y) | Condition::Or(x, y) => stack.extend([y, x]),
            Condition::Not(x) => stack.push(x),
            Condition::Positive(v) => out.push(v),
        }
    }
    out
}

/// The nodes whose values `id` reads as written: its operands, except that a select reads
/// the operands of its condition's comparisons (see [`condition_operands`]) and its
/// branches, not the condition's comparison and connective nodes themselves.
pub(crate) fn value_operands(g: &Graph, id: NodeId) -> Vec<NodeId> {
    match g.node(id) {
        Node::Apply(Op::Select, args) => {
            let mut operands = condition_operands(g, args[0]);
            operands.extend(&args[1..]);
            operands
        }
        node => node.args().to_vec(),
    }
}

/// [`Graph::use_counts`] of the values as written (see [`value_operands`]): a
/// comparison used only as a condition is not used as a value.
pub(crate) fn value_use_counts(g: &Graph, roots: &[NodeId]) -> Vec<u32> {
    let n = roots.iter().max().map_or(0, |m| m.index() + 1);
    let mut uses = vec![0u32; n];
    for r in roots {
        uses[r.index()] += 1;
    }
    for id in g.ids().take(n).rev() {
        if uses[id.index()] > 0 {
            for a in value_operands(g, id) {
                uses[a.index()] += 1;
            }
        }
    }
    uses
}

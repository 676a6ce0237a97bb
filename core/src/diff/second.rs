//! Second order (SPEC §6), built from the [`Pipeline`]'s stages: the [`Hessian`] is reverse
//! mode on each first partial (the upper triangle only), the [`HessianVectorProduct`] is
//! reverse mode on one scalar `s = Σ v_i ∂f/∂x_i`, with the direction `v` as extra
//! variables that are not differentiated. Each has a graph of its own, simplified and
//! shared like a gradient's, so counting one counts only what its generated function runs.

use symgrad_grammar::Formula;

use crate::diff::pipeline::{Gradient, Pipeline};
use crate::ir::graph::{Graph, NodeId};
use crate::ir::lower::lower;
use crate::rewrite::{Pass, RuleTable};

/// A formula's value, gradient and Hessian over its `wrt` variables as nodes of one DAG:
/// a [`Gradient`] (which it dereferences to: `graph`, `vars`, `wrt`, `value`, `partials`)
/// with more roots. Only the upper triangle `H[i][j]`, `i ≤ j`, is a node: `H[j][i]` is
/// the same node.
#[derive(Clone, Debug)]
pub struct Hessian {
    first: Gradient,
    /// `H[i][j]` for `i ≤ j`, row by row.
    upper: Vec<NodeId>,
}

impl Hessian {
    /// The Hessian of `formula` over the variables at the positions `wrt`.
    ///
    /// ```
    /// use symgrad_core::Hessian;
    /// let f = symgrad_grammar::parse("x^2 y").unwrap();
    /// let h = Hessian::new(&f, &[0, 1]);
    /// let (value, gradient, hessian) = h.evaluate(&[3.0, 2.0]);
    /// assert_eq!((value, gradient), (18.0, vec![12.0, 9.0]));
    /// assert_eq!(hessian, vec![vec![4.0, 6.0], vec![6.0, 0.0]]);
    /// ```
    pub fn new(formula: &Formula, wrt: &[u32]) -> Self {
        Hessian::with_rules(formula, wrt, RuleTable::standard())
    }

    /// Like [`Hessian::new`], simplifying with `rules`.
    pub fn with_rules(formula: &Formula, wrt: &[u32], rules: &RuleTable) -> Self {
        let (mut p, value, gradient) = first_order(formula, wrt, rules);
        let mut upper = Vec::with_capacity(wrt.len() * (wrt.len() + 1) / 2);
        for (i, &partial) in gradient.iter().enumerate() {
            upper.extend(p.reverse(partial, &wrt[i..]));
        }
        let (first, upper) = finish(p, formula, wrt, value, &gradient, &upper);
        Hessian { first, upper }
    }

    /// `H[i][j]` for `i ≤ j`, row by row (`∂²f/∂a∂b` with `a` before `b` in `wrt`).
    pub fn upper(&self) -> &[NodeId] {
        &self.upper
    }

    /// `H[i][j]` for any `i`, `j` below `wrt.len()`: the same node as `H[j][i]`.
    pub fn entry(&self, i: usize, j: usize) -> NodeId {
        self.upper[upper_index(self.wrt().len(), i.min(j), i.max(j))]
    }

    /// The value, the gradient and the upper triangle, in that order.
    pub fn roots(&self) -> Vec<NodeId> {
        [self.first.roots(), self.upper.clone()].concat()
    }

    /// Value, gradient and the full Hessian at `point` (indexed like `self.vars`).
    pub fn evaluate(&self, point: &[f64]) -> (f64, Vec<f64>, Vec<Vec<f64>>) {
        let all = crate::eval::evaluate(self.graph(), &self.roots(), point);
        let k = self.wrt().len();
        let upper = &all[k + 1..];
        let matrix = (0..k)
            .map(|i| {
                (0..k)
                    .map(|j| upper[upper_index(k, i.min(j), i.max(j))])
                    .collect()
            })
            .collect();
        (all[0], all[1..=k].to_vec(), matrix)
    }
}

/// Where `H[i][j]`, `i ≤ j`, is in the row-by-row upper triangle of a `k × k` matrix.
pub(crate) fn upper_index(k: usize, i: usize, j: usize) -> usize {
    debug_assert!(i <= j && j < k);
    i * k - i * (i + 1) / 2 + j
}

/// A formula's value, gradient and `H·v` as nodes of one DAG, `v` being the variables
/// `vars.len() .. vars.len() + k` (see [`HessianVectorProduct::direction`]).
/// Like [`Hessian`], it dereferences to the [`Gradient`] it extends.
#[derive(Clone, Debug)]
pub struct HessianVectorProduct {
    first: Gradient,
    product: Vec<NodeId>,
}

impl HessianVectorProduct {
    /// `H·v` of `formula` over the variables at the positions `wrt`, as `∇(∇f · v)`.
    ///
    /// ```
    /// use symgrad_core::HessianVectorProduct;
    /// let f = symgrad_grammar::parse("x^2 y").unwrap();
    /// let hvp = HessianVectorProduct::new(&f, &[0, 1]);
    /// // H = [[2y, 2x], [2x, 0]] at (3, 2), v = (1, -1): H·v = (4 - 6, 6).
    /// let (_, _, hv) = hvp.evaluate(&[3.0, 2.0], &[1.0, -1.0]);
    /// assert_eq!(hv, vec![-2.0, 6.0]);
    /// ```
    pub fn new(formula: &Formula, wrt: &[u32]) -> Self {
        HessianVectorProduct::with_rules(formula, wrt, RuleTable::standard())
    }

    /// Like [`HessianVectorProduct::new`], simplifying with `rules`.
    pub fn with_rules(formula: &Formula, wrt: &[u32], rules: &RuleTable) -> Self {
        let (mut p, value, gradient) = first_order(formula, wrt, rules);
        let first_direction = formula.vars.len() as u32;
        let s = p.dot(&gradient, first_direction);
        let product = p.reverse(s, wrt);
        let (first, product) = finish(p, formula, wrt, value, &gradient, &product);
        HessianVectorProduct { first, product }
    }

    /// The variable index of `v[i]`: `vars.len() + i` (the direction's variables are not
    /// named in `vars`).
    pub fn direction(&self, i: usize) -> u32 {
        (self.vars().len() + i) as u32
    }

    /// `(H·v)[i]`, in `wrt` order.
    pub fn product(&self) -> &[NodeId] {
        &self.product
    }

    /// The value, the gradient and `H·v`, in that order.
    pub fn roots(&self) -> Vec<NodeId> {
        [self.first.roots(), self.product.clone()].concat()
    }

    /// Value, gradient and `H·v` at `point` (indexed like `self.vars`) along `v` (one
    /// number per `wrt` variable).
    pub fn evaluate(&self, point: &[f64], v: &[f64]) -> (f64, Vec<f64>, Vec<f64>) {
        let full = [point, v].concat();
        let all = crate::eval::evaluate(self.graph(), &self.roots(), &full);
        let k = self.wrt().len();
        (all[0], all[1..=k].to_vec(), all[k + 1..].to_vec())
    }
}

/// What `#[derive_grad(hessian)]` adds to a gradient: `f::hessian` and `f::hvp`, each
/// from its own graph.
#[derive(Clone, Debug)]
pub struct SecondOrder {
    /// Value, gradient and Hessian, for `f::hessian`.
    pub hessian: Hessian,
    /// Value, gradient and `H·v`, for `f::hvp`.
    pub hvp: HessianVectorProduct,
}

impl SecondOrder {
    /// Both, for `formula` over the variables at the positions `wrt`.
    pub fn new(formula: &Formula, wrt: &[u32]) -> Self {
        SecondOrder {
            hessian: Hessian::new(formula, wrt),
            hvp: HessianVectorProduct::new(formula, wrt),
        }
    }
}

impl std::ops::Deref for Hessian {
    type Target = Gradient;

    fn deref(&self) -> &Gradient {
        &self.first
    }
}

impl std::ops::Deref for HessianVectorProduct {
    type Target = Gradient;

    fn deref(&self) -> &Gradient {
        &self.first
    }
}

/// The last stages both share: simplify every root, share products, and split the roots
/// into the gradient and the second-order ones.
fn finish(
    mut p: Pipeline,
    formula: &Formula,
    wrt: &[u32],
    value: NodeId,
    gradient: &[NodeId],
    second: &[NodeId],
) -> (Gradient, Vec<NodeId>) {
    let all = [&[value][..], gradient, second].concat();
    let all = p.simplify(&all, Pass::Gradient);
    let all = p.share(&all);
    let k = wrt.len();
    let second = all[k + 1..].to_vec();
    (
        p.into_gradient(formula.vars.clone(), wrt, all[0], &all[1..=k]),
        second,
    )
}

/// The first stages both share: the lowered formula's simplified value and its
/// simplified gradient.
fn first_order<'r>(
    formula: &Formula,
    wrt: &[u32],
    rules: &'r RuleTable,
) -> (Pipeline<'r>, NodeId, Vec<NodeId>) {
    let mut graph = Graph::new();
    let root = lower(&mut graph, formula);
    let mut p = Pipeline::new(graph, rules);
    let value = p.simplify(&[root], Pass::Forward)[0];
    let gradient = p.reverse(value, wrt);
    let gradient = p.simplify(&gradient, Pass::Gradient);
    (p, value, gradient)
}

#[cfg(test)]
mod tests {
    use super::upper_index;

    #[test]
    fn the_upper_triangle_is_numbered_row_by_row() {
        let k = 4;
        let mut expected = 0;
        for i in 0..k {
            for j in i..k {
                assert_eq!(upper_index(k, i, j), expected, "({i}, {j})");
                expected += 1;
            }
        }
        assert_eq!(expected, k * (k + 1) / 2);
    }
}

//! Many outputs (SPEC §6): m formulas over the same variables lowered into one DAG, so
//! what they have in common is one node, and three derivatives of them, each on a graph
//! of its own (simplified, then products shared once, last) so that counting one counts
//! only what its generated function runs:
//!
//! - the [`Outputs::jacobian`]: reverse mode once per output, every row in one graph, where
//!   hash-consing shares the adjoints the rows have in common;
//! - the [`Outputs::vjp`]: `doutᵀ·J` as reverse mode on the one scalar `Σ dout_i · y_i`,
//!   `dout` being variables that are not differentiated;
//! - the [`Outputs::jvp`]: `J·v` as one forward (tangent) pass ([`forward_mode`]).

use symgrad_grammar::Formula;

use crate::diff::forward::forward_mode;
use crate::diff::pipeline::Pipeline;
use crate::ir::graph::{Graph, NodeId};
use crate::ir::lower::lower;
use crate::rewrite::{Pass, RuleTable};

/// The outputs of m formulas and nodes derived from them, on one DAG.
#[derive(Clone, Debug)]
pub struct Outputs {
    graph: Graph,
    vars: Vec<String>,
    wrt: Vec<u32>,
    outputs: Vec<NodeId>,
    derived: Vec<NodeId>,
    rules: Vec<&'static str>,
}

impl Outputs {
    /// The outputs and their Jacobian over the variables at the positions `wrt`: the
    /// derived nodes are `J[i][j] = ∂y_i/∂x_wrt[j]`, row by row.
    ///
    /// ```
    /// use symgrad_core::Outputs;
    /// let polar = symgrad_grammar::parse_outputs("r cos(t), r sin(t)").unwrap();
    /// let j = Outputs::jacobian(&polar, &[0, 1]);
    /// let (xy, rows) = j.evaluate(&[2.0, 0.0]);
    /// assert_eq!(xy, vec![2.0, 0.0]);
    /// assert_eq!(rows, vec![1.0, -0.0, 0.0, 2.0]); // [[cos t, -r sin t], [sin t, r cos t]]
    /// ```
    pub fn jacobian(formulas: &[Formula], wrt: &[u32]) -> Self {
        Outputs::jacobian_with(formulas, wrt, RuleTable::standard())
    }

    /// Like [`Outputs::jacobian`], simplifying with `rules`.
    pub fn jacobian_with(formulas: &[Formula], wrt: &[u32], rules: &RuleTable) -> Self {
        let (mut p, outputs) = lowered(formulas, rules);
        let rows: Vec<NodeId> = outputs.iter().flat_map(|&y| p.reverse(y, wrt)).collect();
        finish(p, formulas, wrt, &outputs, &rows)
    }

    /// The outputs and `doutᵀ·J` (k nodes, in `wrt` order), `dout[i]` being the variable
    /// [`Outputs::extra`]`(i)`.
    ///
    /// ```
    /// use symgrad_core::Outputs;
    /// let polar = symgrad_grammar::parse_outputs("r cos(t), r sin(t)").unwrap();
    /// let vjp = Outputs::vjp(&polar, &[0, 1]);
    /// let (_, product) = vjp.evaluate(&[2.0, 0.0, 1.0, 1.0]); // (r, t, dout0, dout1)
    /// assert_eq!(product, vec![1.0, 2.0]);
    /// ```
    pub fn vjp(formulas: &[Formula], wrt: &[u32]) -> Self {
        Outputs::vjp_with(formulas, wrt, RuleTable::standard())
    }

    /// Like [`Outputs::vjp`], simplifying with `rules`.
    pub fn vjp_with(formulas: &[Formula], wrt: &[u32], rules: &RuleTable) -> Self {
        let (mut p, outputs) = lowered(formulas, rules);
        let s = p.dot(&outputs, first_extra(formulas));
        let product = p.reverse(s, wrt);
        finish(p, formulas, wrt, &outputs, &product)
    }

    /// The outputs and `J·v` (m nodes), `v[j]` being the variable [`Outputs::extra`]`(j)`.
    ///
    /// ```
    /// use symgrad_core::Outputs;
    /// let polar = symgrad_grammar::parse_outputs("r cos(t), r sin(t)").unwrap();
    /// let jvp = Outputs::jvp(&polar, &[0, 1]);
    /// let (_, product) = jvp.evaluate(&[2.0, 0.0, 1.0, 1.0]); // (r, t, v0, v1)
    /// assert_eq!(product, vec![1.0, 2.0]);
    /// ```
    pub fn jvp(formulas: &[Formula], wrt: &[u32]) -> Self {
        Outputs::jvp_with(formulas, wrt, RuleTable::standard())
    }

    /// Like [`Outputs::jvp`], simplifying with `rules`.
    pub fn jvp_with(formulas: &[Formula], wrt: &[u32], rules: &RuleTable) -> Self {
        let (mut p, outputs) = lowered(formulas, rules);
        let first = first_extra(formulas);
        let tangents = p.with_graph(|g| forward_mode(g, &outputs, wrt, first));
        finish(p, formulas, wrt, &outputs, &tangents)
    }

    /// The graph every node is in.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// Every variable of the formulas, indexed like `Node::Var` (the extra variables of a
    /// VJP or JVP come after them, unnamed).
    pub fn vars(&self) -> &[String] {
        &self.vars
    }

    /// The variables differentiated, as indices into [`Outputs::vars`].
    pub fn wrt(&self) -> &[u32] {
        &self.wrt
    }

    /// The outputs, one per formula.
    pub fn outputs(&self) -> &[NodeId] {
        &self.outputs
    }

    /// The derived nodes: the Jacobian row by row, `doutᵀ·J` or `J·v`.
    pub fn derived(&self) -> &[NodeId] {
        &self.derived
    }

    /// The variable index of the `i`-th extra input (`dout[i]` or `v[i]`).
    pub fn extra(&self, i: usize) -> u32 {
        (self.vars.len() + i) as u32
    }

    /// The rewrite rules that fired, each once, in the order they first fired.
    pub fn rules(&self) -> &[&'static str] {
        &self.rules
    }

    /// The outputs, then the derived nodes.
    pub fn roots(&self) -> Vec<NodeId> {
        [self.outputs.clone(), self.derived.clone()].concat()
    }

    /// The outputs and the derived values at `point` (the variables, then any extra ones).
    pub fn evaluate(&self, point: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let mut all = crate::eval::evaluate(&self.graph, &self.roots(), point);
        let derived = all.split_off(self.outputs.len());
        (all, derived)
    }
}

/// What a function with many outputs generates from: `f::jacobian`'s graph (also `fn f`'s),
/// `f::vjp`'s (also `f::forward`'s and `Tape::backward`'s) and `f::jvp`'s.
#[derive(Clone, Debug)]
pub struct ManyOutputs {
    /// The outputs and the Jacobian.
    pub jacobian: Outputs,
    /// The outputs and `doutᵀ·J`.
    pub vjp: Outputs,
    /// The outputs and `J·v`.
    pub jvp: Outputs,
}

impl ManyOutputs {
    /// All three, for `formulas` over the variables at the positions `wrt`.
    pub fn new(formulas: &[Formula], wrt: &[u32]) -> Self {
        ManyOutputs {
            jacobian: Outputs::jacobian(formulas, wrt),
            vjp: Outputs::vjp(formulas, wrt),
            jvp: Outputs::jvp(formulas, wrt),
        }
    }
}

/// The first variable index after the formulas' own.
fn first_extra(formulas: &[Formula]) -> u32 {
    formulas.first().map_or(0, |f| f.vars.len() as u32)
}

/// Every formula lowered into one graph (its bindings too: equal ones are one node), and
/// the outputs simplified together.
fn lowered<'r>(formulas: &[Formula], rules: &'r RuleTable) -> (Pipeline<'r>, Vec<NodeId>) {
    let mut graph = Graph::new();
    let roots: Vec<NodeId> = formulas.iter().map(|f| lower(&mut graph, f)).collect();
    let mut p = Pipeline::new(graph, rules);
    let outputs = p.simplify(&roots, Pass::Forward);
    (p, outputs)
}

/// Simplify every root, share products, and split the roots again.
fn finish(
    mut p: Pipeline,
    formulas: &[Formula],
    wrt: &[u32],
    outputs: &[NodeId],
    derived: &[NodeId],
) -> Outputs {
    let all = [outputs, derived].concat();
    let all = p.simplify(&all, Pass::Gradient);
    let mut all = p.share(&all);
    let derived = all.split_off(outputs.len());
    let (graph, rules) = p.into_parts();
    Outputs {
        graph,
        vars: formulas.first().map_or_else(Vec::new, |f| f.vars.clone()),
        wrt: wrt.to_vec(),
        outputs: all,
        derived,
        rules,
    }
}

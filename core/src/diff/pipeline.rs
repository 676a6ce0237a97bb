//! The pipeline every front end shares: formula → DAG → gradient nodes.

use symgrad_grammar::Formula;

use crate::diff::reverse::reverse_mode;
use crate::ir::graph::{Graph, NodeId};
use crate::ir::lower::lower;
use crate::rewrite::{Pass, RuleTable, Settled, compact, simplify_settled};

/// A formula's value and partial derivatives, as nodes of one DAG.
#[derive(Clone, Debug)]
pub struct Gradient {
    /// The DAG holding the value and the partials.
    pub graph: Graph,
    /// Every variable of the formula, indexed like `Node::Var`.
    pub vars: Vec<String>,
    /// The variables differentiated, as indices into `vars`.
    pub wrt: Vec<u32>,
    /// The formula's value.
    pub value: NodeId,
    /// `∂value/∂vars[wrt[i]]`, in `wrt` order.
    pub partials: Vec<NodeId>,
    /// The rewrite rules that fired, each once, in the order they first fired.
    pub rules: Vec<&'static str>,
}

impl Gradient {
    /// Differentiates `formula` with respect to the variables at the positions `wrt`.
    ///
    /// ```
    /// use symgrad_core::Gradient;
    /// let f = symgrad_grammar::parse("(x+y)z").unwrap();
    /// let grad = Gradient::new(&f, &[0, 1, 2]);
    /// assert_eq!(grad.evaluate(&[-2.0, 5.0, -4.0]), (-12.0, vec![-4.0, -4.0, 3.0]));
    /// ```
    pub fn new(formula: &Formula, wrt: &[u32]) -> Self {
        Gradient::with_rules(formula, wrt, RuleTable::standard())
    }

    /// Like [`Gradient::new`], simplifying with `rules` ([`RuleTable::empty`] for none).
    pub fn with_rules(formula: &Formula, wrt: &[u32], rules: &RuleTable) -> Self {
        let mut graph = Graph::new();
        let value = lower(&mut graph, formula);
        Gradient::from_graph_with(graph, formula.vars.clone(), value, wrt, rules)
    }

    /// The pipeline from a lowered formula: simplify, differentiate in reverse mode,
    /// simplify the gradient nodes, share common sub-products, and keep only the nodes
    /// the roots need.
    pub fn from_graph_with(
        mut graph: Graph,
        vars: Vec<String>,
        value: NodeId,
        wrt: &[u32],
        rules: &RuleTable,
    ) -> Self {
        // The gradient pass skips the forward nodes the forward pass left in normal form.
        let mut settled = Settled::default();
        let forward = simplify_settled(&mut graph, &[value], rules, Pass::Forward, &mut settled);
        let partials = reverse_mode(&mut graph, forward.roots[0], wrt);
        let all: Vec<NodeId> = std::iter::once(forward.roots[0]).chain(partials).collect();
        let backward = simplify_settled(&mut graph, &all, rules, Pass::Gradient, &mut settled);
        let roots = crate::share::share_pairs(&mut graph, &backward.roots);
        let (graph, roots) = compact(&graph, &roots);
        let mut fired: Vec<&'static str> = Vec::new();
        for rule in forward.fired.into_iter().chain(backward.fired) {
            if !fired.contains(&rule) {
                fired.push(rule);
            }
        }
        Gradient {
            graph,
            vars,
            wrt: wrt.to_vec(),
            value: roots[0],
            partials: roots[1..].to_vec(),
            rules: fired,
        }
    }

    /// With respect to every variable, in order.
    pub fn all(formula: &Formula) -> Self {
        let wrt: Vec<u32> = (0..formula.vars.len() as u32).collect();
        Gradient::new(formula, &wrt)
    }

    /// The value and every root node (value first, then the partials).
    pub fn roots(&self) -> Vec<NodeId> {
        std::iter::once(self.value)
            .chain(self.partials.iter().copied())
            .collect()
    }

    /// Value and partials at the point `vars` (indexed like `self.vars`).
    pub fn evaluate(&self, point: &[f64]) -> (f64, Vec<f64>) {
        let all = crate::eval::evaluate(&self.graph, &self.roots(), point);
        (all[0], all[1..].to_vec())
    }
}

//! The pipeline every front end shares: formula → DAG → gradient nodes, as stages on one
//! graph ([`Pipeline`]) that [`Gradient`] runs in order: simplify, reverse mode, simplify
//! the gradient nodes, share products.

use symgrad_grammar::Formula;

use crate::diff::reverse::reverse_mode;
use crate::ir::graph::{Graph, NodeId};
use crate::ir::lower::lower;
use crate::rewrite::{Pass, RuleTable, Settled, compact, simplify_settled};

/// A stage of [`Gradient`]'s pipeline, as [`Gradient::observed`] reports it starting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Lowering the parsed formula into the DAG.
    Lower,
    /// Simplifying the formula by the forward rules.
    Simplify,
    /// Reverse mode: the partials as nodes of the same DAG.
    Differentiate,
    /// Simplifying the value and the partials by the gradient rules.
    SimplifyGradient,
    /// Sharing products so that adjoints are computed once.
    Share,
}

impl Stage {
    /// The stages [`Gradient::from_graph_observed`] reports, in order.
    pub const GRADIENT: [Stage; 4] = [
        Stage::Simplify,
        Stage::Differentiate,
        Stage::SimplifyGradient,
        Stage::Share,
    ];

    /// A short lowercase name for a progress line.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Lower => "lowering",
            Stage::Simplify => "simplifying",
            Stage::Differentiate => "differentiating",
            Stage::SimplifyGradient => "simplifying the gradient",
            Stage::Share => "sharing products",
        }
    }
}

/// A formula's value and partial derivatives, as nodes of one DAG: the graph code
/// generation writes, counting counts and `symgrad grad` prints, products shared.
#[derive(Clone, Debug)]
pub struct Gradient {
    graph: Graph,
    vars: Vec<String>,
    wrt: Vec<u32>,
    value: NodeId,
    partials: Vec<NodeId>,
    rules: Vec<&'static str>,
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

    /// Like [`Gradient::new`], calling `on_stage` as each stage starts (lowering first).
    pub fn observed(formula: &Formula, wrt: &[u32], on_stage: &mut dyn FnMut(Stage)) -> Self {
        on_stage(Stage::Lower);
        let mut graph = Graph::new();
        let value = lower(&mut graph, formula);
        let (vars, rules) = (formula.vars.clone(), RuleTable::standard());
        Gradient::from_graph_observed(graph, vars, value, wrt, rules, on_stage)
    }

    /// The pipeline from a lowered formula: simplify, differentiate in reverse mode,
    /// simplify the value and the gradient nodes, then share products, once, last (the
    /// stage keeps only what the roots need, so no compaction follows it).
    pub fn from_graph_with(
        graph: Graph,
        vars: Vec<String>,
        value: NodeId,
        wrt: &[u32],
        rules: &RuleTable,
    ) -> Self {
        Gradient::from_graph_observed(graph, vars, value, wrt, rules, &mut |_| {})
    }

    /// Like [`Gradient::from_graph_with`], calling `on_stage` as each stage starts, so a
    /// front end can show where a long run is (the library itself prints nothing).
    ///
    /// ```
    /// use symgrad_core::rewrite::RuleTable;
    /// use symgrad_core::{Gradient, Graph, Stage};
    /// let mut g = Graph::new();
    /// let x = g.var(0);
    /// let square = g.mul(&[x, x]);
    /// let mut seen = Vec::new();
    /// let rules = RuleTable::standard();
    /// let vars = vec!["x".to_string()];
    /// Gradient::from_graph_observed(g, vars, square, &[0], rules, &mut |s| seen.push(s));
    /// assert_eq!(seen, Stage::GRADIENT);
    /// ```
    pub fn from_graph_observed(
        graph: Graph,
        vars: Vec<String>,
        value: NodeId,
        wrt: &[u32],
        rules: &RuleTable,
        on_stage: &mut dyn FnMut(Stage),
    ) -> Self {
        let mut pipeline = Pipeline::new(graph, rules);
        on_stage(Stage::Simplify);
        let value = pipeline.simplify(&[value], Pass::Forward)[0];
        on_stage(Stage::Differentiate);
        let partials = pipeline.reverse(value, wrt);
        let all: Vec<NodeId> = std::iter::once(value).chain(partials).collect();
        on_stage(Stage::SimplifyGradient);
        let all = pipeline.simplify(&all, Pass::Gradient);
        on_stage(Stage::Share);
        let all = pipeline.share(&all);
        pipeline.into_gradient(vars, wrt, all[0], &all[1..])
    }

    /// With respect to every variable, in order.
    pub fn all(formula: &Formula) -> Self {
        let wrt: Vec<u32> = (0..formula.vars.len() as u32).collect();
        Gradient::new(formula, &wrt)
    }

    /// The graph the value and the partials are nodes of.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// Every variable of the formula, indexed like `Node::Var`.
    pub fn vars(&self) -> &[String] {
        &self.vars
    }

    /// The variables differentiated, as indices into [`Gradient::vars`].
    pub fn wrt(&self) -> &[u32] {
        &self.wrt
    }

    /// The formula's value.
    pub fn value(&self) -> NodeId {
        self.value
    }

    /// `∂value/∂vars[wrt[i]]`, in [`Gradient::wrt`] order.
    pub fn partials(&self) -> &[NodeId] {
        &self.partials
    }

    /// The rewrite rules that fired, each once, in the order they first fired.
    pub fn rules(&self) -> &[&'static str] {
        &self.rules
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

/// The stages of differentiation on one graph, each callable again on what an earlier
/// one returned: a second derivative is reverse mode on a first partial. Each stage takes
/// roots and returns them rebuilt; nodes are added to the graph, so ids stay valid until
/// [`Pipeline::share`] or [`Pipeline::compact`] renumber them.
///
/// ```
/// use symgrad_core::rewrite::{Pass, RuleTable};
/// use symgrad_core::{Graph, Pipeline, evaluate};
/// let mut g = Graph::new();
/// let x = g.var(0);
/// let three = g.constant(3.0);
/// let cube = g.apply(symgrad_core::Op::Pow, &[x, three]);
/// let mut p = Pipeline::new(g, RuleTable::standard());
/// let f = p.simplify(&[cube], Pass::Forward)[0];
/// let df = p.reverse(f, &[0]);
/// let df = p.simplify(&df, Pass::Gradient);
/// let ddf = p.reverse(df[0], &[0]);
/// let roots = p.simplify(&[df[0], ddf[0]], Pass::Gradient);
/// assert_eq!(evaluate(p.graph(), &roots, &[2.0]), vec![12.0, 12.0]); // 3x², 6x
/// ```
#[derive(Debug)]
pub struct Pipeline<'r> {
    graph: Graph,
    rules: &'r RuleTable,
    /// What simplification knows is in normal form: the gradient pass skips the forward
    /// nodes the forward pass settled (a measured saving on large formulas).
    settled: Settled,
    fired: Vec<&'static str>,
}

impl<'r> Pipeline<'r> {
    /// The stages on `graph`, simplifying with `rules`.
    pub fn new(graph: Graph, rules: &'r RuleTable) -> Self {
        Pipeline {
            graph,
            rules,
            settled: Settled::default(),
            fired: Vec::new(),
        }
    }

    /// The graph as the stages so far left it.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// `roots` rewritten to a fixed point by the rules that run in `pass`.
    pub fn simplify(&mut self, roots: &[NodeId], pass: Pass) -> Vec<NodeId> {
        let out = simplify_settled(&mut self.graph, roots, self.rules, pass, &mut self.settled);
        for rule in out.fired {
            if !self.fired.contains(&rule) {
                self.fired.push(rule);
            }
        }
        out.roots
    }

    /// `∂output/∂var` for each variable index in `wrt`, by [`reverse_mode`].
    pub fn reverse(&mut self, output: NodeId, wrt: &[u32]) -> Vec<NodeId> {
        reverse_mode(&mut self.graph, output, wrt)
    }

    /// The scalar `Σ v_i · partials[i]`, `v_i` being the variable `first_var + i`: the
    /// directional derivative whose reverse mode is a Hessian-vector product.
    pub fn dot(&mut self, partials: &[NodeId], first_var: u32) -> NodeId {
        let terms: Vec<NodeId> = (first_var..)
            .zip(partials)
            .map(|(v, &partial)| {
                let v = self.graph.var(v);
                self.graph.mul(&[v, partial])
            })
            .collect();
        self.graph.add(&terms)
    }

    /// Runs `stage` on the graph: a differentiation the pipeline has no stage for (forward
    /// mode). The graph only grows, so ids stay valid.
    pub fn with_graph<T>(&mut self, stage: impl FnOnce(&mut Graph) -> T) -> T {
        stage(&mut self.graph)
    }

    /// The graph and the rules that fired in every simplification.
    pub fn into_parts(self) -> (Graph, Vec<&'static str>) {
        (self.graph, self.fired)
    }

    /// `roots` with products shared ([`crate::share::products`]), in a graph holding only
    /// what they need. Run it last: later rewriting would flatten the shared products.
    pub fn share(&mut self, roots: &[NodeId]) -> Vec<NodeId> {
        let (graph, roots) = crate::share::products(std::mem::take(&mut self.graph), roots);
        self.renumbered(graph);
        roots
    }

    /// `roots` in a graph holding only what they need ([`compact`]).
    pub fn compact(&mut self, roots: &[NodeId]) -> Vec<NodeId> {
        let (graph, roots) = compact(&self.graph, roots);
        self.renumbered(graph);
        roots
    }

    /// The gradient made of the stages' graph, `value` and its `partials` (in `wrt` order,
    /// `wrt` indexing `vars`), with the rules that fired in every simplification.
    pub fn into_gradient(
        self,
        vars: Vec<String>,
        wrt: &[u32],
        value: NodeId,
        partials: &[NodeId],
    ) -> Gradient {
        assert_eq!(
            wrt.len(),
            partials.len(),
            "one partial per variable of `wrt`"
        );
        Gradient {
            graph: self.graph,
            vars,
            wrt: wrt.to_vec(),
            value,
            partials: partials.to_vec(),
            rules: self.fired,
        }
    }

    /// Ids of the old graph mean nothing in `graph`, so what was settled is forgotten.
    fn renumbered(&mut self, graph: Graph) {
        self.graph = graph;
        self.settled = Settled::default();
    }
}

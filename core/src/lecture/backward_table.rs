//! The lecture's backward pass at a point, as numbers: for every node of the
//! [`ComputationalGraph`], its forward value, the local gradient with respect to each
//! input, the upstream gradient arriving from the output, and what it passes on to each
//! input (upstream × local). Adjoints are summed where a node feeds several gates, so the
//! numbers are the chain rule applied one gate at a time, as on the lecture's slides.
//! A select evaluates its condition and the branch it takes only (SPEC §7): a node only
//! the other branch needs is not evaluated, and passes nothing back.

use crate::eval::Program;
use crate::lecture::computational_graph::{ComputationalGraph, Input, NodeKind};
use crate::ops::Op;

/// The forward and backward numbers of every node, in the graph's evaluation order.
///
/// ```
/// use symgrad_core::{BackwardTable, ComputationalGraph, Gradient};
/// let f = symgrad_grammar::parse("(x+y)z").unwrap();
/// let graph = ComputationalGraph::new(&Gradient::all(&f));
/// let table = BackwardTable::new(&graph, &[-2.0, 5.0, -4.0]);
/// assert_eq!(table.value, -12.0);
/// assert_eq!(table.rows[2].forward, 3.0); // q = x + y
/// assert_eq!(table.rows[2].upstream, -4.0); // ∂f/∂q = z
/// assert_eq!(table.gradient, [-4.0, -4.0, 3.0]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct BackwardTable {
    /// One row per node of [`ComputationalGraph::nodes`], in the same order.
    pub rows: Vec<Row>,
    /// The formula's value.
    pub value: f64,
    /// `∂f/∂x` for each variable of [`ComputationalGraph::wrt`], in that order; `0` for a
    /// variable the formula does not use.
    pub gradient: Vec<f64>,
}

/// One node's numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The node's value in the forward pass.
    pub forward: f64,
    /// `∂node/∂input` for each input of the gate (`None` for a constant input).
    pub local: Vec<Option<f64>>,
    /// `∂f/∂node`: the gradient arriving from the output (`1` at the output itself).
    pub upstream: f64,
    /// `upstream · local` for each input: the gradient the gate passes back to it.
    pub passed: Vec<Option<f64>>,
    /// Whether the forward pass evaluates the node: not when only a select's branch not
    /// taken needs it (then its numbers mean nothing, and it passes nothing back).
    pub evaluated: bool,
    /// For a select, the position in its inputs of the branch it takes (1 or 2).
    pub taken: Option<usize>,
}

impl BackwardTable {
    /// Runs `graph` forwards and backwards at `point` (one value per variable).
    pub fn new(graph: &ComputationalGraph, point: &[f64]) -> Self {
        let nodes = graph.nodes();
        let mut roots: Vec<_> = nodes.iter().map(|n| n.id).collect();
        for k in 0..nodes.len() {
            roots.extend(graph.local_partials(k).iter().flatten());
        }
        let values = Program::new(graph.graph(), &roots).run(point);
        let (forward, mut local_values) = values.split_at(nodes.len());

        let mut rows: Vec<Row> = (0..nodes.len())
            .map(|k| {
                let local: Vec<Option<f64>> = graph
                    .local_partials(k)
                    .iter()
                    .map(|l| {
                        l.map(|_| {
                            let (first, rest) = local_values.split_first().expect(
                                "one evaluated root per local partial node, in the same order",
                            );
                            local_values = rest;
                            *first
                        })
                    })
                    .collect();
                Row {
                    forward: forward[k],
                    passed: vec![None; local.len()],
                    local,
                    upstream: 0.0,
                    evaluated: false,
                    taken: None,
                }
            })
            .collect();

        // Reverse evaluation order: every user of a node is done before the node itself.
        if let Some(last) = rows.last_mut() {
            last.upstream = 1.0;
            last.evaluated = true;
        }
        for k in (0..rows.len()).rev() {
            if !rows[k].evaluated {
                continue;
            }
            let inputs = &nodes[k].inputs;
            let needed: Vec<usize> = match (&nodes[k].kind, inputs.first()) {
                (NodeKind::Gate(Op::Select, _), Some(&Input::Node(c))) => {
                    let taken = if rows[c].forward > 0.0 { 1 } else { 2 };
                    rows[k].taken = Some(taken);
                    vec![0, taken]
                }
                _ => (0..inputs.len()).collect(),
            };
            for i in needed {
                if let Input::Node(j) = inputs[i] {
                    rows[j].evaluated = true;
                }
            }
            let upstream = rows[k].upstream;
            for (i, input) in nodes[k].inputs.iter().enumerate() {
                let (Input::Node(j), Some(local)) = (*input, rows[k].local[i]) else {
                    continue;
                };
                let passed = upstream * local;
                rows[k].passed[i] = Some(passed);
                rows[j].upstream += passed;
            }
        }

        let mut row_of_var = vec![None; graph.vars().len()];
        for (k, n) in nodes.iter().enumerate() {
            if let NodeKind::Input(v) = n.kind {
                row_of_var[v as usize] = Some(k);
            }
        }
        let gradient = graph
            .wrt()
            .iter()
            .map(|&w| row_of_var[w as usize].map_or(0.0, |k| rows[k].upstream))
            .collect();
        let value = rows.last().map_or_else(
            || crate::eval::evaluate(graph.graph(), &[graph.output()], point)[0],
            |r| r.forward,
        );
        BackwardTable {
            rows,
            value,
            gradient,
        }
    }
}

//! The forward graph as the lecture draws it: the inputs and gates that compute a
//! formula's value, in evaluation order, each gate with its lecture name and the local
//! partial derivative of its output with respect to each input.
//!
//! The local partials are nodes built by [`Op::partial`], the one place derivatives are
//! stated, so the table the lecture draws and the gradient symgrad emits cannot disagree.

use crate::diff::partials::LocalPartials;
use crate::diff::pipeline::Gradient;
use crate::ir::graph::{Graph, Node, NodeId};
use crate::lecture::gate_label::GateLabel;
use crate::notation::math::number;
use crate::ops::{Lecture, Op, Operator};

/// The forward graph of a [`Gradient`], ready to be drawn or run backwards at a point.
///
/// ```
/// use symgrad_core::{ComputationalGraph, Gradient};
/// let f = symgrad_grammar::parse("(x+y)z").unwrap();
/// let graph = ComputationalGraph::new(&Gradient::all(&f));
/// let lines: Vec<String> = (0..graph.nodes().len()).map(|k| graph.definition(k)).collect();
/// assert_eq!(lines, ["x", "y", "q = x + y", "z", "f = q·z"]);
/// ```
#[derive(Clone, Debug)]
pub struct ComputationalGraph {
    /// The gradient's graph with the local partial nodes added.
    graph: Graph,
    vars: Vec<String>,
    wrt: Vec<u32>,
    output: NodeId,
    nodes: Vec<GraphNode>,
    /// `locals[k][i]`: the node of `∂nodes[k]/∂input i`, `None` for a constant input.
    locals: Vec<Vec<Option<NodeId>>>,
}

/// An input or a gate of the forward graph.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphNode {
    /// The node in the gradient's DAG.
    pub id: NodeId,
    /// How the table refers to it: the variable's name, `f` for the output, `q`, `t1`, …
    pub name: String,
    /// An input, or a gate with its operation and label.
    pub kind: NodeKind,
    /// The operands, in the DAG's order (empty for an input).
    pub inputs: Vec<Input>,
}

/// Whether a node is one of the formula's variables or a gate.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// The variable at this position of the formula's variable list.
    Input(u32),
    /// An operation, with the lecture's name for it.
    Gate(Op, GateLabel),
}

/// An operand of a gate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Input {
    /// Another node of the graph, by its position in [`ComputationalGraph::nodes`].
    Node(usize),
    /// A constant, drawn inside the gate (the lecture's `+1`, `*-1`).
    Constant(f64),
}

impl ComputationalGraph {
    /// The inputs and gates that compute `grad.value()`, with their local partials.
    pub fn new(grad: &Gradient) -> Self {
        let mut graph = grad.graph().clone();
        let order = forward_nodes(&graph, grad.value());
        let position = |id: NodeId| order.binary_search(&id).ok();
        let gates = order
            .iter()
            .filter(|&&id| matches!(graph.node(id), Node::Apply(..)))
            .count();
        let mut namer = Namer::new(grad.vars(), gates);
        let mut nodes = Vec::with_capacity(order.len());
        let mut locals = Vec::with_capacity(order.len());
        for &id in &order {
            let is_output = id == grad.value();
            let node = graph.node(id);
            // The operands, copied out of the graph the partials add to.
            let args: Vec<NodeId> = node.args().to_vec();
            match node {
                Node::Var(v) => {
                    nodes.push(GraphNode {
                        id,
                        name: grad.vars()[v as usize].clone(),
                        kind: NodeKind::Input(v),
                        inputs: Vec::new(),
                    });
                    locals.push(Vec::new());
                }
                Node::Apply(op, _) => {
                    let inputs: Vec<Input> = args
                        .iter()
                        .map(|&a| match (graph.as_const(a), position(a)) {
                            (Some(c), _) => Input::Constant(c),
                            (None, Some(k)) => Input::Node(k),
                            (None, None) => unreachable!("operands come before their users"),
                        })
                        .collect();
                    let partials = LocalPartials::new(&mut graph, op, &args, id);
                    let local = (0..args.len())
                        .map(|i| match inputs[i] {
                            Input::Constant(_) => None,
                            Input::Node(_) => Some(partials.get(&mut graph, i)),
                        })
                        .collect();
                    let constants: Vec<Option<f64>> = inputs
                        .iter()
                        .map(|i| match i {
                            Input::Constant(c) => Some(*c),
                            Input::Node(_) => None,
                        })
                        .collect();
                    nodes.push(GraphNode {
                        id,
                        name: namer.gate(is_output),
                        kind: NodeKind::Gate(op, GateLabel::new(op, &constants)),
                        inputs,
                    });
                    locals.push(local);
                }
                // A formula that is a constant has no inputs or gates to draw.
                Node::Const(_) => {}
            }
        }
        ComputationalGraph {
            graph,
            vars: grad.vars().to_vec(),
            wrt: grad.wrt().to_vec(),
            output: grad.value(),
            nodes,
            locals,
        }
    }

    /// Inputs and gates in evaluation order; the output, if it is not a constant, is last.
    pub fn nodes(&self) -> &[GraphNode] {
        &self.nodes
    }

    /// The formula's variables, indexed like [`NodeKind::Input`].
    pub fn vars(&self) -> &[String] {
        &self.vars
    }

    /// The variables differentiated, as indices into [`ComputationalGraph::vars`].
    pub fn wrt(&self) -> &[u32] {
        &self.wrt
    }

    pub(crate) fn output(&self) -> NodeId {
        self.output
    }

    pub(crate) fn graph(&self) -> &Graph {
        &self.graph
    }

    pub(crate) fn local_partials(&self, node: usize) -> &[Option<NodeId>] {
        &self.locals[node]
    }

    /// `x` for an input, `q = x + y` for a gate.
    pub fn definition(&self, node: usize) -> String {
        let n = &self.nodes[node];
        match n.kind {
            NodeKind::Input(_) => n.name.clone(),
            NodeKind::Gate(..) => format!("{} = {}", n.name, self.expression(node)),
        }
    }

    /// A gate's operation on its inputs' names: `x + y`, `-1·q`, `1/t4`, `σ(t3)`; an
    /// input's name.
    pub fn expression(&self, node: usize) -> String {
        let n = &self.nodes[node];
        let NodeKind::Gate(op, _) = n.kind else {
            return n.name.clone();
        };
        let names: Vec<String> = n.inputs.iter().map(|&i| self.input_name(i)).collect();
        expression(op, &n.inputs, &names)
    }

    /// How a gate's input reads: its node's name, or the constant.
    pub fn input_name(&self, input: Input) -> String {
        match input {
            Input::Node(k) => self.nodes[k].name.clone(),
            Input::Constant(c) => number(c),
        }
    }
}

impl GraphNode {
    /// The gate's operation, `None` for an input.
    pub fn op(&self) -> Option<Op> {
        match &self.kind {
            NodeKind::Gate(op, _) => Some(*op),
            NodeKind::Input(_) => None,
        }
    }

    /// How the lecture names and draws the gate, `None` for an input.
    pub fn label(&self) -> Option<&GateLabel> {
        match &self.kind {
            NodeKind::Gate(_, label) => Some(label),
            NodeKind::Input(_) => None,
        }
    }
}

/// One gate's operation in math notation, given its inputs' names.
fn expression(op: Op, inputs: &[Input], names: &[String]) -> String {
    match op.lecture() {
        Lecture::Operator(Operator::Sum) => {
            let mut text = names[0].clone();
            for (input, name) in inputs.iter().zip(names).skip(1) {
                match input {
                    Input::Constant(c) if *c < 0.0 => text.push_str(&format!(" - {}", number(-c))),
                    _ => text.push_str(&format!(" + {name}")),
                }
            }
            text
        }
        Lecture::Operator(Operator::Product) => names.join("·"),
        Lecture::Operator(Operator::Power) if inputs[1] == Input::Constant(-1.0) => {
            format!("1/{}", names[0])
        }
        Lecture::Operator(Operator::Power) => format!("{}^{}", names[0], names[1]),
        Lecture::Gate(..) => format!("{}({})", op.name(), names.join(", ")),
    }
}

/// The nodes `output` depends on, itself included, constants excluded, in id order
/// (which is evaluation order).
fn forward_nodes(g: &Graph, output: NodeId) -> Vec<NodeId> {
    let needed = g.reachable(&[output], &[]);
    g.ids()
        .take(needed.len())
        .filter(|&id| needed[id.index()] && g.as_const(id).is_none())
        .collect()
}

/// Names for gates: `f` for the output, and for the others the lecture's `q` when there
/// is exactly one, else `t1`, `t2`, … — avoiding every variable's name.
struct Namer<'a> {
    vars: &'a [String],
    single: bool,
    prefix: String,
    next: usize,
}

impl<'a> Namer<'a> {
    fn new(vars: &'a [String], gates: usize) -> Self {
        let inner = gates.saturating_sub(1);
        let prefix = ["t", "u", "g", "n", "tmp"]
            .into_iter()
            .find(|p| (1..=gates).all(|k| !vars.contains(&format!("{p}{k}"))))
            .unwrap_or("node_")
            .to_string();
        Namer {
            vars,
            single: inner == 1,
            prefix,
            next: 1,
        }
    }

    fn gate(&mut self, is_output: bool) -> String {
        let free = |n: &str| !self.vars.iter().any(|v| v == n);
        if is_output && free("f") {
            return "f".to_string();
        }
        if self.single && free("q") {
            return "q".to_string();
        }
        let name = format!("{}{}", self.prefix, self.next);
        self.next += 1;
        name
    }
}

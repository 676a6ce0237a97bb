//! The computational graph as a picture: boxes for the inputs and the output, circles for
//! the gates (an `if` is a branch node, its edges marked `cond`, `then`, `else`), and the
//! edges between them with their numbers. One model, two writers:
//! Graphviz DOT (`dot.rs`) and SVG laid out in-process (`svg.rs`).

use symgrad_core::{BackwardTable, ComputationalGraph, Input, NodeKind, Op};

use crate::table::short;

/// The forward value's color on the slides, and the gradient's.
pub const VALUE_COLOR: &str = "#1b8a1b";
pub const GRADIENT_COLOR: &str = "#d01c1c";

/// What is drawn: boxes for the inputs and the output, circles for the gates, and the
/// edges between them, each with its numbers when a point was given.
#[derive(Debug)]
pub struct Picture {
    pub nodes: Vec<Shape>,
    pub edges: Vec<Edge>,
}

#[derive(Debug)]
pub struct Shape {
    /// The DOT id: `n3`, or `out` for the output.
    pub id: String,
    /// The text in the shape: a variable's name, a gate's symbol (`+`, `*-1`, `σ`), `f`.
    pub label: String,
    /// What the node is, for a tooltip: `q = x + y (add gate)`.
    pub title: String,
    /// A circle (gate) or a box (input, output).
    pub is_gate: bool,
    /// A select, `if(c, a, b)`: DOT draws it as a diamond.
    pub is_branch: bool,
    /// Whether the point's forward pass evaluates it: not when only a branch not taken
    /// needs it (DOT draws it dashed); always without a point.
    pub evaluated: bool,
}

#[derive(Debug)]
pub struct Edge {
    /// Positions in [`Picture::nodes`].
    pub from: usize,
    pub to: usize,
    /// The forward value along the edge and the gradient of `f` with respect to it; none
    /// from a node that is not evaluated.
    pub numbers: Option<(f64, f64)>,
    /// Into a select: `cond`, `then` or `else`.
    pub role: Option<&'static str>,
}

impl Edge {
    /// `2` over `-0.2`: the value's line, then the gradient's.
    pub fn label_lines(&self) -> Option<[String; 2]> {
        self.numbers.map(|(v, g)| [short(v), short(g)])
    }
}

impl Picture {
    pub fn new(graph: &ComputationalGraph, table: Option<&BackwardTable>) -> Self {
        let mut nodes: Vec<Shape> = graph
            .nodes()
            .iter()
            .enumerate()
            .map(|(k, n)| Shape {
                id: format!("n{k}"),
                label: match n.label() {
                    Some(label) => label.symbol.clone(),
                    None => n.name.clone(),
                },
                title: match &n.kind {
                    NodeKind::Input(_) => format!("input {}", n.name),
                    NodeKind::Gate(_, label) => format!("{} ({})", graph.definition(k), label.name),
                },
                is_gate: n.label().is_some(),
                is_branch: is_select(&n.kind),
                evaluated: table.is_none_or(|t| t.rows[k].evaluated),
            })
            .collect();
        for shape in nodes.iter_mut().filter(|s| s.is_branch) {
            shape.label = "if".to_string();
        }
        let mut edges = Vec::new();
        for (k, n) in graph.nodes().iter().enumerate() {
            for (i, input) in n.inputs.iter().enumerate() {
                let Input::Node(j) = *input else { continue };
                let numbers = table.and_then(|t| {
                    let passed = t.rows[k].passed[i].filter(|_| t.rows[j].evaluated)?;
                    Some((t.rows[j].forward, passed))
                });
                let role = is_select(&n.kind).then(|| ["cond", "then", "else"][i]);
                edges.push(Edge {
                    from: j,
                    to: k,
                    numbers,
                    role,
                });
            }
        }
        // The output leaves the last gate towards `f`, with gradient 1 (∂f/∂f); a constant
        // formula is the output alone.
        nodes.push(Shape {
            id: "out".to_string(),
            label: "f".to_string(),
            title: "the output".to_string(),
            is_gate: false,
            is_branch: false,
            evaluated: true,
        });
        if let Some(last) = graph.nodes().len().checked_sub(1) {
            edges.push(Edge {
                from: last,
                to: nodes.len() - 1,
                numbers: table.map(|t| (t.value, 1.0)),
                role: None,
            });
        }
        Picture { nodes, edges }
    }
}

fn is_select(kind: &NodeKind) -> bool {
    matches!(kind, NodeKind::Gate(Op::Select, _))
}

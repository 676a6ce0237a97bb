//! The computational graph as a picture: boxes for the inputs and the output, circles for
//! the gates, and the edges between them with their numbers. One model, two writers:
//! Graphviz DOT (`dot.rs`) and SVG laid out in-process (`svg.rs`).

use symgrad_core::{BackwardTable, ComputationalGraph, Input, NodeKind};

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
}

#[derive(Debug)]
pub struct Edge {
    /// Positions in [`Picture::nodes`].
    pub from: usize,
    pub to: usize,
    /// The forward value along the edge and the gradient of `f` with respect to it.
    pub numbers: Option<(f64, f64)>,
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
            })
            .collect();
        let mut edges = Vec::new();
        for (k, n) in graph.nodes().iter().enumerate() {
            for (i, input) in n.inputs.iter().enumerate() {
                let Input::Node(j) = *input else { continue };
                let numbers = table.map(|t| {
                    let passed = t.rows[k].passed[i].expect("node inputs have gradients");
                    (t.rows[j].forward, passed)
                });
                edges.push(Edge {
                    from: j,
                    to: k,
                    numbers,
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
        });
        if let Some(last) = graph.nodes().len().checked_sub(1) {
            edges.push(Edge {
                from: last,
                to: nodes.len() - 1,
                numbers: table.map(|t| (t.value, 1.0)),
            });
        }
        Picture { nodes, edges }
    }
}

//! `symgrad dot`: the computational graph as the lecture draws it — inputs on the left,
//! gates as circles, the output on the right; with `--at`, every edge carries its forward
//! value (green) above its gradient (red). Graphviz DOT on standard output or in a
//! `.dot` file, or SVG laid out in-process (see `svg.rs`) for a `.svg` file.

use std::path::Path;

use symgrad_core::{BackwardTable, ComputationalGraph, Gradient, Input, NodeKind};

use crate::explain::point_text;
use crate::input::{Failure, FormulaArgs};
use crate::svg;
use crate::table::short;

/// The forward value's color on the slides, and the gradient's.
pub const VALUE_COLOR: &str = "#1b8a1b";
pub const GRADIENT_COLOR: &str = "#d01c1c";

pub fn run(args: &FormulaArgs, output: Option<&Path>) -> Result<String, Failure> {
    let problem = args.problem()?;
    let grad = Gradient::new(&problem.formula, &problem.wrt);
    let graph = ComputationalGraph::new(&grad);
    let table = problem
        .at
        .as_deref()
        .map(|at| BackwardTable::new(&graph, at));
    let title = match &problem.at {
        Some(at) => format!(
            "{} at {}",
            problem.formula.source,
            point_text(grad.vars(), at)
        ),
        None => problem.formula.source.clone(),
    };
    let picture = Picture::new(&graph, table.as_ref());
    let Some(path) = output else {
        return Ok(picture.dot(&title));
    };
    let text = match path.extension().and_then(|e| e.to_str()) {
        Some("dot" | "gv") => picture.dot(&title),
        Some("svg") => svg::render(&picture)?,
        _ => {
            return Err(Failure::new(
                format!("`-o {}`: unknown output format", path.display()),
                Some("name the file `….dot` for Graphviz DOT or `….svg` for a picture".into()),
            ));
        }
    };
    std::fs::write(path, text)
        .map_err(|e| Failure::new(format!("cannot write `{}`: {e}", path.display()), None))?;
    Ok(String::new())
}

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

    /// Graphviz DOT, left to right; edge labels use Graphviz's HTML-like labels for the
    /// two colors.
    pub fn dot(&self, title: &str) -> String {
        let mut out = String::from("digraph symgrad {\n");
        out.push_str(&format!("  label=\"{}\";\n", escape(title)));
        out.push_str("  labelloc=t;\n  rankdir=LR;\n");
        out.push_str("  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\"];\n");
        for n in &self.nodes {
            let shape = if n.is_gate { "circle" } else { "box" };
            out.push_str(&format!(
                "  {} [label=\"{}\", shape={shape}, tooltip=\"{}\"];\n",
                n.id,
                escape(&n.label),
                escape(&n.title)
            ));
        }
        for e in &self.edges {
            let (from, to) = (&self.nodes[e.from].id, &self.nodes[e.to].id);
            match e.label_lines() {
                Some([value, gradient]) => out.push_str(&format!(
                    "  {from} -> {to} [label=<<font color=\"{VALUE_COLOR}\">{value}</font><br/><font color=\"{GRADIENT_COLOR}\">{gradient}</font>>];\n"
                )),
                None => out.push_str(&format!("  {from} -> {to};\n")),
            }
        }
        out.push_str("}\n");
        out
    }
}

/// A DOT double-quoted string's contents.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

//! `symgrad dot`: the computational graph as the lecture draws it — inputs on the left,
//! gates as circles, the output on the right; with `--at`, every edge carries its forward
//! value (green) above its gradient (red). Graphviz DOT on standard output or in a
//! `.dot` file, or SVG laid out in-process (see `svg.rs`) for a `.svg` file; both write
//! the one model of `picture.rs`.

use std::path::Path;

use symgrad_core::{BackwardTable, ComputationalGraph, Gradient};

use crate::explain::point_text;
use crate::input::{Failure, FormulaArgs};
use crate::picture::{GRADIENT_COLOR, Picture, VALUE_COLOR};
use crate::svg;

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

impl Picture {
    /// Graphviz DOT, left to right; edge labels use Graphviz's HTML-like labels for the
    /// two colors.
    pub fn dot(&self, title: &str) -> String {
        let mut out = String::from("digraph symgrad {\n");
        out.push_str(&format!("  label=\"{}\";\n", escape(title)));
        out.push_str("  labelloc=t;\n  rankdir=LR;\n");
        out.push_str("  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\"];\n");
        for n in &self.nodes {
            let shape = match (n.is_branch, n.is_gate) {
                (true, _) => "diamond",
                (false, true) => "circle",
                (false, false) => "box",
            };
            let dashed = if n.evaluated { "" } else { ", style=dashed" };
            out.push_str(&format!(
                "  {} [label=\"{}\", shape={shape}{dashed}, tooltip=\"{}\"];\n",
                n.id,
                escape(&n.label),
                escape(&n.title)
            ));
        }
        for e in &self.edges {
            let (from, to) = (&self.nodes[e.from].id, &self.nodes[e.to].id);
            let role = e
                .role
                .map_or_else(String::new, |r| format!("headlabel=\"{r}\""));
            match (e.label_lines(), role.is_empty()) {
                (Some([value, gradient]), _) => {
                    let role = if role.is_empty() {
                        role
                    } else {
                        format!(", {role}")
                    };
                    out.push_str(&format!(
                        "  {from} -> {to} [label=<<font color=\"{VALUE_COLOR}\">{value}</font><br/><font color=\"{GRADIENT_COLOR}\">{gradient}</font>>{role}];\n"
                    ));
                }
                (None, false) => out.push_str(&format!("  {from} -> {to} [{role}];\n")),
                (None, true) => out.push_str(&format!("  {from} -> {to};\n")),
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

//! `symgrad explain`: the lecture's backward table. One row per node in evaluation order —
//! the node, its gate, forward value, local gradients, upstream gradient and what it
//! passes back to each input — then the gradient per variable.

use serde_json::{Map, Value, json};
use symgrad_core::{BackwardTable, ComputationalGraph, Gradient, Input, NodeKind, number};

use crate::input::{Failure, FormulaArgs, Problem};
use crate::json;
use crate::table::{render, short};

pub fn run(args: &FormulaArgs, as_json: bool) -> Result<String, Failure> {
    let problem = args.problem()?;
    let at = required_point(&problem, "explain")?;
    let grad = Gradient::new(&problem.formula, &problem.wrt);
    let graph = ComputationalGraph::new(&grad);
    let table = BackwardTable::new(&graph, at);
    Ok(if as_json {
        to_json(&problem, at, &graph, &table)
    } else {
        to_text(&problem, at, &graph, &table)
    })
}

/// The point of `--at`, which `command` cannot do without.
pub fn required_point<'a>(problem: &'a Problem, command: &str) -> Result<&'a [f64], Failure> {
    problem.at.as_deref().ok_or_else(|| {
        let example: Vec<String> = problem
            .formula
            .vars
            .iter()
            .map(|v| format!("{v}=1"))
            .collect();
        Failure::new(
            format!("`{command}` needs a point to evaluate at"),
            Some(format!("add `--at {}`", example.join(","))),
        )
    })
}

/// `x=-2, y=5`
pub fn point_text(vars: &[String], at: &[f64]) -> String {
    point_text_with(vars, at, "=", number)
}

/// The point with each number spelled by `number`, `separator` between name and value.
pub fn point_text_with(
    vars: &[String],
    at: &[f64],
    separator: &str,
    number: impl Fn(f64) -> String,
) -> String {
    let items: Vec<String> = vars
        .iter()
        .zip(at)
        .map(|(n, v)| format!("{n}{separator}{}", number(*v)))
        .collect();
    items.join(", ")
}

fn to_text(
    problem: &Problem,
    at: &[f64],
    graph: &ComputationalGraph,
    table: &BackwardTable,
) -> String {
    let mut out = format!(
        "{} at {}\n",
        problem.formula.source,
        point_text(graph.vars(), at)
    );
    if graph.nodes().is_empty() {
        out.push_str("the formula is a constant: there are no gates to backpropagate through\n");
    } else {
        out.push_str(
            "forward pass top to bottom; backward pass bottom to top (upstream = ∂f/∂node)\n\n",
        );
        let rows: Vec<Vec<String>> = (0..graph.nodes().len())
            .map(|k| text_row(graph, table, k))
            .collect();
        out.push_str(&render(
            &[
                "node",
                "gate",
                "value",
                "local gradient",
                "upstream",
                "passes back",
            ],
            &rows,
            &[false, false, true, false, true, false],
        ));
    }
    out.push('\n');
    out.push_str(&format!("f = {}\n", number(table.value)));
    for (&w, g) in graph.wrt().iter().zip(&table.gradient) {
        out.push_str(&format!(
            "∂f/∂{} = {}\n",
            graph.vars()[w as usize],
            number(*g)
        ));
    }
    out
}

fn text_row(graph: &ComputationalGraph, table: &BackwardTable, k: usize) -> Vec<String> {
    let node = &graph.nodes()[k];
    let row = &table.rows[k];
    let gate = match &node.kind {
        NodeKind::Input(_) => "input".to_string(),
        NodeKind::Gate(_, label) => match label.role {
            Some(role) => format!("{} ({role})", label.name),
            None => label.name.clone(),
        },
    };
    if !row.evaluated {
        let blank = String::new;
        let value = "not evaluated".to_string();
        return vec![graph.definition(k), gate, value, blank(), blank(), blank()];
    }
    let gate = match row.taken {
        Some(i) => format!(
            "{gate}: took the {} branch, {}",
            branch(i),
            graph.input_name(node.inputs[i])
        ),
        None => gate,
    };
    let per_input = |values: &[Option<f64>], cell: &dyn Fn(&str, f64) -> String| {
        node.inputs
            .iter()
            .zip(values)
            .filter_map(|(&input, v)| v.map(|v| cell(&graph.input_name(input), v)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![
        graph.definition(k),
        gate,
        short(row.forward),
        per_input(&row.local, &|name, v| format!("∂/∂{name} = {}", short(v))),
        short(row.upstream),
        per_input(&row.passed, &|name, v| format!("{name} ← {}", short(v))),
    ]
}

fn to_json(
    problem: &Problem,
    at: &[f64],
    graph: &ComputationalGraph,
    table: &BackwardTable,
) -> String {
    let rows: Vec<Value> = (0..graph.nodes().len())
        .map(|k| json_row(graph, table, k))
        .collect();
    let wrt: Vec<&String> = graph
        .wrt()
        .iter()
        .map(|&w| &graph.vars()[w as usize])
        .collect();
    let mut obj = Map::new();
    obj.insert("input".into(), json!(problem.formula.source));
    obj.insert("vars".into(), json!(graph.vars()));
    obj.insert("wrt".into(), json!(wrt));
    obj.insert("at".into(), json::numbers_by_name(graph.vars(), at));
    obj.insert("rows".into(), Value::Array(rows));
    obj.insert("value".into(), json::number(table.value));
    obj.insert(
        "gradient".into(),
        json::numbers_by_name(&wrt, &table.gradient),
    );
    let mut text = Value::Object(obj).to_string();
    text.push('\n');
    text
}

fn json_row(graph: &ComputationalGraph, table: &BackwardTable, k: usize) -> Value {
    let node = &graph.nodes()[k];
    let row = &table.rows[k];
    let optional = |v: Option<f64>| v.map_or(Value::Null, json::number);
    let inputs: Vec<Value> = node
        .inputs
        .iter()
        .enumerate()
        .map(|(i, &input)| match input {
            Input::Constant(c) => json!({ "constant": json::number(c) }),
            Input::Node(_) => json!({
                "node": graph.input_name(input),
                "local": optional(row.local[i]),
                "passed": optional(row.passed[i]),
            }),
        })
        .collect();
    let label = node.label();
    let mut out = json!({
        "node": node.name,
        "definition": graph.definition(k),
        "gate": label.map(|l| l.name.clone()),
        "symbol": label.map(|l| l.symbol.clone()),
        "role": label.and_then(|l| l.role),
        "value": json::number(row.forward),
        "inputs": inputs,
        "upstream": json::number(row.upstream),
    });
    // Only formulas with `if` have these keys: a branch's node not evaluated, and the
    // branch a select took.
    if let Value::Object(fields) = &mut out {
        if !row.evaluated {
            fields.insert("evaluated".into(), json!(false));
        }
        if let Some(i) = row.taken {
            fields.insert("taken".into(), json!(branch(i)));
        }
    }
    out
}

/// A select's branch by its input's position: `then` (1) or `else` (2).
fn branch(input: usize) -> &'static str {
    if input == 1 { "then" } else { "else" }
}

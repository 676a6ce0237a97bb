//! The lecture's backward table (CS231n lecture 4): forward values, local gradients,
//! upstream gradients and the gradients each gate passes on, checked against the numbers
//! derived by hand on the slides and against the symbolic gradient.

use symgrad_core::rewrite::RuleTable;
use symgrad_core::{BackwardTable, ComputationalGraph, Gradient, Pipeline, lower};

const LECTURE_POINT: [f64; 5] = [2.0, -1.0, -3.0, -2.0, -3.0];

fn table(src: &str, point: &[f64]) -> (ComputationalGraph, BackwardTable) {
    let formula = symgrad_grammar::parse(src).expect("formula parses");
    let graph = ComputationalGraph::new(&Gradient::all(&formula));
    let table = BackwardTable::new(&graph, point);
    (graph, table)
}

/// The formula exactly as written, whatever simplification `Gradient::new` does: reverse
/// mode alone of the pipeline's stages.
fn unfused(src: &str) -> Gradient {
    let formula = symgrad_grammar::parse(src).expect("formula parses");
    let mut graph = symgrad_core::Graph::new();
    let value = lower(&mut graph, &formula);
    let wrt: Vec<u32> = (0..formula.vars.len() as u32).collect();
    let rules = RuleTable::empty();
    let mut pipeline = Pipeline::new(graph, &rules);
    let partials = pipeline.reverse(value, &wrt);
    pipeline.into_gradient(formula.vars.clone(), &wrt, value, &partials)
}

fn row_named<'a>(
    graph: &ComputationalGraph,
    table: &'a BackwardTable,
    name: &str,
) -> &'a symgrad_core::Row {
    let k = graph
        .nodes()
        .iter()
        .position(|n| n.name == name)
        .unwrap_or_else(|| panic!("no node named {name}"));
    &table.rows[k]
}

fn rows_of_gate<'a>(
    graph: &ComputationalGraph,
    table: &'a BackwardTable,
    gate: &str,
) -> Vec<&'a symgrad_core::Row> {
    graph
        .nodes()
        .iter()
        .zip(&table.rows)
        .filter(|(n, _)| n.label().is_some_and(|l| l.name == gate))
        .map(|(_, r)| r)
        .collect()
}

fn assert_close(actual: f64, expected: f64, tol: f64) {
    assert!(
        (actual - expected).abs() <= tol,
        "{actual} is not within {tol} of {expected}"
    );
}

fn sigmoid_derivative_at_one() -> f64 {
    let s = 1.0 / (1.0 + (-1.0f64).exp());
    s * (1.0 - s)
}

/// At the lecture's point the neuron's input is 1, so its gradient is σ'(1) times the
/// other factor of each product: (x0, w0, x1, w1, 1).
fn assert_exact_neuron_gradient(gradient: &[f64]) {
    let d = sigmoid_derivative_at_one();
    for (g, e) in gradient.iter().zip([-d, 2.0 * d, -2.0 * d, -3.0 * d, d]) {
        assert_close(*g, e, 1e-15);
    }
}

#[test]
fn add_then_multiply_reproduces_the_lecture() {
    let (graph, table) = table("(x+y)z", &[-2.0, 5.0, -4.0]);
    let names: Vec<String> = (0..graph.nodes().len())
        .map(|k| graph.definition(k))
        .collect();
    assert_eq!(names, ["x", "y", "q = x + y", "z", "f = q·z"]);
    let q = row_named(&graph, &table, "q");
    assert_eq!(q.forward, 3.0);
    assert_eq!(q.upstream, -4.0, "∂f/∂q = z");
    assert_eq!(
        q.local,
        [Some(1.0), Some(1.0)],
        "the add gate's local gradients"
    );
    assert_eq!(
        q.passed,
        [Some(-4.0), Some(-4.0)],
        "the add gate distributes"
    );
    let f = row_named(&graph, &table, "f");
    assert_eq!(f.forward, -12.0);
    assert_eq!(f.upstream, 1.0);
    assert_eq!(
        f.local,
        [Some(-4.0), Some(3.0)],
        "the mul gate swaps: ∂f/∂q = z, ∂f/∂z = q"
    );
    assert_eq!(row_named(&graph, &table, "z").upstream, 3.0);
    assert_eq!(table.value, -12.0);
    assert_eq!(table.gradient, [-4.0, -4.0, 3.0]);
}

#[test]
fn sigmoid_neuron_reproduces_the_lecture() {
    let (graph, table) = table("σ(w0x0+w1x1+w2)", &LECTURE_POINT);
    assert_eq!(table.value, 0.7310585786300049);
    let sigmoid = rows_of_gate(&graph, &table, "sigmoid gate");
    assert_eq!(sigmoid.len(), 1);
    // The lecture: (1 - 0.73)·0.73 = 0.20.
    assert_close(sigmoid[0].forward, 0.73, 5e-3);
    assert_close(
        sigmoid[0].local[0].expect("σ's input is a node"),
        0.20,
        5e-3,
    );
    assert_close(
        sigmoid[0].local[0].expect("σ's input is a node"),
        sigmoid_derivative_at_one(),
        1e-15,
    );
    let expected = [-0.20, 0.39, -0.39, -0.59, 0.20];
    for (g, e) in table.gradient.iter().zip(expected) {
        assert_close(*g, e, 5e-3);
    }
    assert_exact_neuron_gradient(&table.gradient);
}

#[test]
fn neuron_as_written_gives_the_same_gradient_as_the_sigmoid_gate() {
    let (_, gated) = table("σ(w0x0+w1x1+w2)", &LECTURE_POINT);
    let (_, written) = table("1/(1+e^-(w0x0+w1x1+w2))", &LECTURE_POINT);
    assert_close(written.value, gated.value, 1e-15);
    for (w, g) in written.gradient.iter().zip(&gated.gradient) {
        assert_close(*w, *g, 1e-15);
    }
}

#[test]
fn unfused_neuron_shows_the_lectures_gates_and_numbers() {
    let graph = ComputationalGraph::new(&unfused("1/(1+e^-(w0x0+w1x1+w2))"));
    let table = BackwardTable::new(&graph, &LECTURE_POINT);
    let symbols: Vec<&str> = graph
        .nodes()
        .iter()
        .filter_map(|n| n.label().map(|l| l.symbol.as_str()))
        .collect();
    assert_eq!(symbols, ["*", "*", "+", "*-1", "exp", "+1", "1/x"]);
    let one = |gate: &str| {
        let rows = rows_of_gate(&graph, &table, gate);
        assert_eq!(rows.len(), 1, "one {gate}");
        rows[0].clone()
    };
    // The slide: exp gate 0.37 with upstream -0.53, +1 gate 1.37, 1/x gate 0.73 with local
    // gradient -1/1.37² = -0.53, and the add gate receiving 0.20.
    let exp = one("exp gate");
    assert_close(exp.forward, 0.37, 5e-3);
    assert_close(exp.upstream, -0.53, 5e-3);
    let inverse = one("1/x gate");
    assert_close(inverse.forward, 0.73, 5e-3);
    assert_close(
        inverse.local[0].expect("1/x's input is a node"),
        -0.53,
        5e-3,
    );
    let adds = rows_of_gate(&graph, &table, "add gate");
    assert_close(adds[0].upstream, 0.20, 5e-3);
    assert_close(adds[1].forward, 1.37, 5e-3);
    assert_exact_neuron_gradient(&table.gradient);
}

#[test]
fn max_gate_routes_and_is_named_a_router() {
    let (graph, table) = table("2(x y + max(z,w))", &[3.0, -4.0, 2.0, 5.0]);
    let max = graph
        .nodes()
        .iter()
        .position(|n| n.label().is_some_and(|l| l.name == "max gate"))
        .expect("a max gate");
    assert_eq!(
        graph.nodes()[max].label().and_then(|l| l.role),
        Some("router")
    );
    assert_eq!(table.rows[max].local, [Some(0.0), Some(1.0)]);
    assert_eq!(table.rows[max].passed, [Some(0.0), Some(2.0)]);
    assert_eq!(table.gradient, [-8.0, 6.0, 0.0, 2.0]);
}

#[test]
fn gates_are_named_like_the_lecture() {
    let (graph, _) = table("(x+y)z", &[-2.0, 5.0, -4.0]);
    let labels: Vec<(String, Option<&str>)> = graph
        .nodes()
        .iter()
        .filter_map(|n| n.label().map(|l| (l.name.clone(), l.role)))
        .collect();
    assert_eq!(
        labels,
        [
            ("add gate".to_string(), Some("distributor")),
            ("mul gate".to_string(), Some("swaps inputs"))
        ]
    );
}

#[test]
fn a_node_used_twice_collects_both_gradients() {
    // x feeds the product twice and the sine once.
    let (graph, table) = table("x·x + sin(x)·y", &[0.5, 3.0]);
    let x = row_named(&graph, &table, "x");
    let expected = 2.0 * 0.5 + 0.5f64.cos() * 3.0;
    assert_close(x.upstream, expected, 1e-15);
}

#[test]
fn table_gradient_agrees_with_the_symbolic_gradient() {
    let cases: [(&str, &[f64]); 6] = [
        ("1/(1+e^-(w0x0+w1x1+w2))", &LECTURE_POINT),
        ("x·x + sin(x)·y", &[0.5, 3.0]),
        ("ln(1 + x^2)·tanh(y) - sqrt(x·y)", &[1.5, 0.7]),
        ("max(x, y)·min(x, z) + relu(z - y)", &[1.0, -2.0, 3.0]),
        ("softplus(a b c) / (1 + abs(a - c))", &[0.3, -1.2, 2.0]),
        ("2^x + x^y + pow(y, 3)", &[1.3, 0.4]),
    ];
    for (src, point) in cases {
        let formula = symgrad_grammar::parse(src).expect("formula parses");
        let grad = Gradient::all(&formula);
        let (value, symbolic) = grad.evaluate(point);
        let table = BackwardTable::new(&ComputationalGraph::new(&grad), point);
        assert_eq!(table.value, value, "{src}");
        for (t, s) in table.gradient.iter().zip(&symbolic) {
            assert_close(*t, *s, 1e-12 * s.abs().max(1.0));
        }
    }
}

#[test]
fn only_the_requested_variables_are_in_the_gradient() {
    let formula = symgrad_grammar::parse("x y + z").expect("formula parses");
    let graph = ComputationalGraph::new(&Gradient::new(&formula, &[2, 0]));
    let table = BackwardTable::new(&graph, &[2.0, 3.0, 4.0]);
    assert_eq!(table.gradient, [1.0, 3.0]);
}

#[test]
fn a_constant_formula_has_no_rows() {
    let (graph, table) = table("2·π", &[]);
    assert!(graph.nodes().is_empty());
    assert!(table.rows.is_empty());
    assert_eq!(table.value, 2.0 * std::f64::consts::PI);
}

#[test]
fn gate_names_avoid_variable_names() {
    let (graph, _) = table("(f + q) t1", &[1.0, 2.0, 3.0]);
    let names: Vec<&str> = graph.nodes().iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names.len(), 5);
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "{names:?}");
}

//! The lecture's tools end to end: `explain` reproduces CS231n lecture 4's numbers,
//! `check` exits 1 exactly when the analytic gradient disagrees with central differences,
//! `dot` writes a graph that parses and an SVG that is well-formed and fully labelled.

mod support;

use support::{json, stdout, symgrad};

use serde_json::Value;

const NEURON: &str = "1/(1+e^-(w0x0+w1x1+w2))";
const SIGMOID_NEURON: &str = "σ(w0x0+w1x1+w2)";
const LECTURE_POINT: &str = "w0=2,x0=-1,w1=-3,x1=-2,w2=-3";

/// Standard error of a run that must fail with exit status 2 (bad input).
fn bad_input(args: &[&str]) -> String {
    let out = symgrad(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json_of(args: &[&str]) -> Value {
    json(&symgrad(args))
}

fn number(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is a number"))
}

fn assert_close(actual: f64, expected: f64, tol: f64) {
    assert!(
        (actual - expected).abs() <= tol,
        "{actual} is not within {tol} of {expected}"
    );
}

fn row<'a>(v: &'a Value, node: &str) -> &'a Value {
    v["rows"]
        .as_array()
        .expect("rows is an array")
        .iter()
        .find(|r| r["node"] == node)
        .unwrap_or_else(|| panic!("a row for {node}"))
}

/// The lecture's gradient, rounded to two decimals as on the slide.
fn assert_lecture_gradient(v: &Value) {
    let expected = [
        ("w0", -0.20),
        ("x0", 0.39),
        ("w1", -0.39),
        ("x1", -0.59),
        ("w2", 0.20),
    ];
    for (name, e) in expected {
        assert_close(number(&v["gradient"][name]), e, 5e-3);
    }
}

#[test]
fn explain_add_then_multiply_shows_q_and_f() {
    let v = json_of(&["explain", "(x+y)z", "--at", "x=-2,y=5,z=-4", "--json"]);
    let q = row(&v, "q");
    assert_eq!(q["definition"], "q = x + y");
    assert_eq!(q["gate"], "add gate");
    assert_eq!(q["role"], "distributor");
    assert_eq!(q["value"], 3);
    assert_eq!(q["upstream"], -4, "∂f/∂q = z = -4");
    let f = row(&v, "f");
    assert_eq!(f["gate"], "mul gate");
    assert_eq!(f["value"], -12);
    assert_eq!(f["inputs"][0]["node"], "q");
    assert_eq!(f["inputs"][0]["local"], -4, "the mul gate swaps: ∂f/∂q = z");
    assert_eq!(f["inputs"][1]["node"], "z");
    assert_eq!(f["inputs"][1]["local"], 3, "∂f/∂z = q");
    assert_eq!(v["value"], -12);
    assert_eq!(v["gradient"], serde_json::json!({"x": -4, "y": -4, "z": 3}));
}

#[test]
fn explain_table_reads_like_the_lecture() {
    let text = stdout(&symgrad(&["explain", "(x+y)z", "--at", "x=-2,y=5,z=-4"]));
    let line = |start: &str| {
        text.lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("a line starting with {start:?} in\n{text}"))
            .to_string()
    };
    let header = line("node");
    for column in ["gate", "value", "local gradient", "upstream", "passes back"] {
        assert!(header.contains(column), "{header}");
    }
    let q = line("q = x + y");
    assert!(q.contains("add gate (distributor)"), "{q}");
    assert!(q.contains("x ← -4, y ← -4"), "{q}");
    let f = line("f = q·z");
    assert!(f.contains("mul gate (swaps inputs)"), "{f}");
    assert!(f.contains("∂/∂q = -4, ∂/∂z = 3"), "{f}");
    // Columns are aligned: every row's value column ends where the header's does.
    let end = header.find("value").expect("value column") + "value".len();
    for l in [&q, &f] {
        let before: String = l.chars().take(end).collect();
        assert!(before.ends_with(|c: char| c.is_ascii_digit()), "{l}");
    }
    assert!(text.contains("\n∂f/∂z = 3\n"), "{text}");
}

#[test]
fn explain_sigmoid_neuron_reproduces_the_lecture() {
    let v = json_of(&["explain", SIGMOID_NEURON, "--at", LECTURE_POINT, "--json"]);
    assert_eq!(v["value"], 0.7310585786300049);
    let sigmoid: Vec<&Value> = v["rows"]
        .as_array()
        .expect("rows is an array")
        .iter()
        .filter(|r| r["gate"] == "sigmoid gate")
        .collect();
    assert_eq!(sigmoid.len(), 1);
    // The slide: (1 - 0.73)·0.73 = 0.20.
    assert_close(number(&sigmoid[0]["value"]), 0.73, 5e-3);
    assert_close(number(&sigmoid[0]["inputs"][0]["local"]), 0.20, 5e-3);
    assert_lecture_gradient(&v);
    // The n-ary sum is one add gate with three inputs, each receiving the same 0.20.
    let add = v["rows"]
        .as_array()
        .expect("rows is an array")
        .iter()
        .find(|r| r["gate"] == "add gate")
        .expect("an add gate");
    let inputs = add["inputs"].as_array().expect("inputs is an array");
    assert_eq!(inputs.len(), 3, "{add}");
    for input in inputs {
        assert_close(number(&input["passed"]), 0.20, 5e-3);
    }
    let text = stdout(&symgrad(&[
        "explain",
        SIGMOID_NEURON,
        "--at",
        LECTURE_POINT,
    ]));
    assert!(text.contains("sigmoid gate"), "{text}");
    assert!(text.contains("0.7311"), "{text}");
}

#[test]
fn explain_neuron_as_written_has_the_same_gradient() {
    let written = json_of(&["explain", NEURON, "--at", LECTURE_POINT, "--json"]);
    let gated = json_of(&["explain", SIGMOID_NEURON, "--at", LECTURE_POINT, "--json"]);
    assert_lecture_gradient(&written);
    for name in ["w0", "x0", "w1", "x1", "w2"] {
        assert_close(
            number(&written["gradient"][name]),
            number(&gated["gradient"][name]),
            1e-15,
        );
    }
}

#[test]
fn explain_needs_a_point() {
    let err = bad_input(&["explain", "(x+y)z"]);
    assert!(err.contains("needs a point"), "{err}");
    assert!(err.contains("--at x=1,y=1,z=1"), "{err}");
}

#[test]
fn explain_reports_bad_input_with_a_caret() {
    assert!(bad_input(&["explain", "(x+", "--at", "x=1"]).contains('^'));
}

#[test]
fn check_passes_on_correct_formulas() {
    for (expr, at) in [
        (NEURON, LECTURE_POINT),
        ("(x+y)z", "x=-2,y=5,z=-4"),
        ("ln(1 + x^2)·tanh(y) - sqrt(x·y)", "x=1.5,y=0.7"),
        ("ln(e^a + e^b + e^c) + softmax(c, a, b)", "a=0.3,b=-1.2,c=2"),
        ("logsumexp(a, b, c) + e^a/(e^a + e^b)", "a=40,b=39.5,c=-40"),
        (
            "log_softmax(a, b, c) - ln(e^b/(e^a + e^b))",
            "a=-40,b=-39,c=-41",
        ),
    ] {
        let text = stdout(&symgrad(&["check", expr, "--at", at]));
        assert!(text.contains("ok: the gradient agrees"), "{text}");
        assert!(!text.contains("FAIL"), "{text}");
    }
}

#[test]
fn check_fails_at_a_kink_the_subgradient_hides() {
    // relu'(0) = 0 by convention, central differences see 1/2.
    let out = symgrad(&["check", "relu(x)", "--at", "x=0"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("FAIL"), "{err}");
    assert!(
        err.contains("disagrees with central differences for `x`"),
        "{err}"
    );
    // The max gate routes a tie to its first input; differences split it.
    let out = symgrad(&["check", "max(x, y)", "--at", "x=1,y=1"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn check_uses_the_given_step() {
    let text = stdout(&symgrad(&["check", "x^3", "--at", "x=2", "--eps", "1e-3"]));
    assert!(text.contains("1.0e-3"), "{text}");
    // (x+h)³-(x-h)³ over 2h is 3x² + h² = 12.000001.
    assert!(text.contains("12.000001"), "{text}");
}

#[test]
fn check_rejects_a_step_that_is_not_positive() {
    for eps in ["0", "-1e-5", "inf", "NaN"] {
        let err = bad_input(&["check", "x", "--at", "x=1", "--eps", eps]);
        assert!(err.contains("`--eps`"), "{err}");
    }
}

/// A DOT graph's statements, checked for the shape `dot` writes: one `digraph { … }`,
/// node statements `id [attrs];`, edges `a -> b [attrs];` between declared nodes.
/// Returns (node ids, edges).
fn parse_dot(dot: &str) -> (Vec<String>, Vec<(String, String, String)>) {
    let body = dot
        .trim()
        .strip_prefix("digraph symgrad {")
        .and_then(|b| b.strip_suffix('}'))
        .expect("one digraph");
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let statement = line
            .strip_suffix(';')
            .unwrap_or_else(|| panic!("{line} ends with ;"));
        let (head, attrs) = match statement.split_once(" [") {
            Some((head, attrs)) => (head, attrs.strip_suffix(']').expect("attributes close")),
            None => (statement, ""),
        };
        assert_eq!(
            attrs.matches('"').count() % 2,
            0,
            "quotes balance in {line}"
        );
        assert_eq!(
            attrs.matches('<').count(),
            attrs.matches('>').count(),
            "{line}"
        );
        if let Some((from, to)) = head.split_once(" -> ") {
            edges.push((from.to_string(), to.to_string(), attrs.to_string()));
        } else if !head.contains('=') && !["node", "edge"].contains(&head) {
            assert!(
                head.chars().all(|c| c.is_ascii_alphanumeric()),
                "node id {head}"
            );
            nodes.push(head.to_string());
        }
    }
    for (from, to, _) in &edges {
        assert!(
            nodes.contains(from) && nodes.contains(to),
            "{from} -> {to} are declared"
        );
    }
    (nodes, edges)
}

#[test]
fn dot_draws_the_graph_with_values_and_gradients() {
    let dot = stdout(&symgrad(&["dot", "(x+y)z", "--at", "x=-2,y=5,z=-4"]));
    assert!(dot.contains("rankdir=LR"), "inputs left, output right");
    let (nodes, edges) = parse_dot(&dot);
    // x, y, +, z, *, and the output f.
    assert_eq!(nodes.len(), 6, "{dot}");
    assert_eq!(edges.len(), 5, "{dot}");
    let (_, _, q_to_f) = edges
        .iter()
        .find(|(from, to, _)| from == "n2" && to == "n4")
        .expect("an edge from the add gate to the mul gate");
    assert!(q_to_f.contains(">3</font>"), "value 3: {q_to_f}");
    assert!(q_to_f.contains(">-4</font>"), "gradient -4: {q_to_f}");
    assert!(q_to_f.contains("#1b8a1b") && q_to_f.contains("#d01c1c"));
    assert!(dot.contains("label=\"+\", shape=circle"), "{dot}");
}

#[test]
fn dot_without_a_point_has_unlabelled_edges() {
    let dot = stdout(&symgrad(&["dot", NEURON]));
    let (nodes, edges) = parse_dot(&dot);
    assert!(nodes.len() >= 8, "{dot}");
    assert!(edges.iter().all(|(_, _, attrs)| attrs.is_empty()), "{dot}");
}

#[test]
fn dot_writes_a_well_formed_svg_with_every_label() {
    let dir = std::env::temp_dir().join(format!("symgrad-dot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("neuron.svg");
    let path_arg = path.to_str().expect("temp path is UTF-8");
    stdout(&symgrad(&[
        "dot",
        NEURON,
        "--at",
        LECTURE_POINT,
        "-o",
        path_arg,
    ]));
    let svg = std::fs::read_to_string(&path).expect("the SVG was written");
    let doc = roxmltree::Document::parse(&svg).expect("the SVG is well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("tspan"))
        .filter_map(|n| n.text())
        .collect();
    let dot = stdout(&symgrad(&["dot", NEURON]));
    for label in dot.lines().filter_map(|l| l.split("label=\"").nth(1)) {
        let label = label.split('"').next().expect("label closes");
        if !label.contains(" at ") && label != NEURON {
            assert!(texts.contains(&label), "{label} is drawn; texts: {texts:?}");
        }
    }
    for number in ["0.7311", "-0.1966", "0.3932", "-0.5898", "0.1966"] {
        assert!(texts.contains(&number), "{number} is drawn");
    }
    let colored = |color: &str| {
        doc.descendants()
            .filter(|n| n.attribute("fill") == Some(color))
            .count()
    };
    assert_eq!(
        colored("#1b8a1b"),
        colored("#d01c1c"),
        "a value and a gradient per edge"
    );
    assert!(colored("#1b8a1b") >= 8);
    std::fs::remove_dir_all(&dir).expect("temp dir is removed");
}

#[test]
fn dot_rejects_an_unknown_output_format() {
    let err = bad_input(&["dot", "x", "-o", "graph.png"]);
    assert!(err.contains("unknown output format"), "{err}");
}

#[test]
fn dot_draws_a_constant_formula_as_its_output_alone() {
    let path = std::env::temp_dir().join(format!("symgrad-constant-{}.svg", std::process::id()));
    let path_arg = path.to_str().expect("temp path is UTF-8");
    stdout(&symgrad(&["dot", "2·π", "-o", path_arg]));
    let svg = std::fs::read_to_string(&path).expect("the SVG was written");
    let doc = roxmltree::Document::parse(&svg).expect("the SVG is well-formed XML");
    let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(texts.contains(&"f"), "{texts:?}");
    std::fs::remove_file(&path).expect("temp file is removed");
}

#[test]
fn dot_refuses_to_lay_out_a_huge_graph_and_points_to_graphviz() {
    let terms: Vec<String> = (0..250).map(|i| format!("sin(x{i})")).collect();
    let err = bad_input(&["dot", &terms.join(" + "), "-o", "huge.svg"]);
    assert!(err.contains("more than the 400"), "{err}");
    assert!(err.contains("-o graph.dot"), "{err}");
    assert!(!std::path::Path::new("huge.svg").exists());
}

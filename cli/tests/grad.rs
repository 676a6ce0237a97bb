//! `symgrad grad` end to end: text, JSON, standard input, exit codes and diagnostics.

mod support;

use support::{json, stderr, symgrad, symgrad_stdin};

const NEURON: &str = "1/(1+e^-(w0x0+w1x1+w2))";
const LECTURE_POINT: &str = "w0=2,x0=-1,w1=-3,x1=-2,w2=-3";

#[test]
fn neuron_json_has_the_lecture_numbers() {
    let v = json(&symgrad(&["grad", NEURON, "--at", LECTURE_POINT, "--json"]));
    assert_eq!(v["input"], NEURON);
    assert_eq!(v["vars"], serde_json::json!(["w0", "x0", "w1", "x1", "w2"]));
    assert_eq!(v["wrt"], v["vars"]);
    assert_eq!(
        v["at"],
        serde_json::json!({"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3})
    );
    assert_eq!(v["value"], 0.7310585786300049);
    let g = &v["gradient"];
    let expected = [
        ("w0", -0.1966),
        ("x0", 0.3932),
        ("w1", -0.3932),
        ("x1", -0.5898),
        ("w2", 0.1966),
    ];
    for (name, e) in expected {
        let got = g[name].as_f64().expect("gradient entries are numbers");
        assert!((got - e).abs() < 1e-4, "∂f/∂{name} = {got}, expected {e}");
    }
    assert!(v["forward"].as_str().is_some_and(|f| f.contains("w0·x0")));
    for name in ["w0", "x0", "w1", "x1", "w2"] {
        assert!(
            v["derivatives"][name].is_string(),
            "derivative of {name} is listed"
        );
    }
    assert!(v["ops"]["forward"].as_u64().is_some_and(|n| n > 0));
    assert!(v["ops"]["grad"].as_u64() >= v["ops"]["forward"].as_u64());
}

#[test]
fn json_keys_come_in_the_documented_order() {
    let v = json(&symgrad(&["grad", "x*y", "--at", "x=1,y=2", "--json"]));
    let keys: Vec<&String> = v.as_object().expect("an object").keys().collect();
    assert_eq!(
        keys,
        [
            "input",
            "vars",
            "wrt",
            "forward",
            "shared",
            "derivatives",
            "ops",
            "rules",
            "at",
            "value",
            "gradient"
        ]
    );
}

#[test]
fn without_at_there_are_no_numbers() {
    let v = json(&symgrad(&["grad", "x*y", "--json"]));
    assert!(v.get("value").is_none() && v.get("gradient").is_none() && v.get("at").is_none());
    assert_eq!(v["derivatives"], serde_json::json!({"x": "y", "y": "x"}));
}

#[test]
fn non_finite_numbers_are_strings() {
    let v = json(&symgrad(&["grad", "ln(x)", "--at", "x=0", "--json"]));
    assert_eq!(v["value"], "-inf");
    assert_eq!(v["gradient"]["x"], "inf");
    let v = json(&symgrad(&["grad", "sqrt(x)", "--at", "x=-1", "--json"]));
    assert_eq!(v["value"], "NaN");
}

#[test]
fn wrt_selects_and_orders_partials() {
    let v = json(&symgrad(&[
        "grad",
        "(x+y)z",
        "--wrt",
        "z,x",
        "--at",
        "x=-2,y=5,z=-4",
        "--json",
    ]));
    assert_eq!(v["wrt"], serde_json::json!(["z", "x"]));
    assert_eq!(v["gradient"], serde_json::json!({"z": 3, "x": -4}));
    assert_eq!(v["value"], -12);
}

#[test]
fn declared_vars_fix_the_order() {
    let v = json(&symgrad(&[
        "grad", "x*y", "--vars", "y,x", "--at", "x=3,y=5", "--json",
    ]));
    assert_eq!(v["vars"], serde_json::json!(["y", "x"]));
    assert_eq!(v["gradient"], serde_json::json!({"y": 3, "x": 5}));
}

#[test]
fn text_output_names_every_partial() {
    let out = symgrad(&["grad", NEURON, "--at", LECTURE_POINT]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for name in ["w0", "x0", "w1", "x1", "w2"] {
        assert!(text.contains(&format!("∂f/∂{name} = ")), "{text}");
    }
    assert!(text.contains("f = 0.7310585786300049"), "{text}");
}

#[test]
fn standard_input_is_read_for_dash() {
    let out = symgrad_stdin(
        &["grad", "-", "--at", "x=-2,y=5,z=-4", "--json"],
        b"(x+y)z\n",
    );
    let v = json(&out);
    assert_eq!(v["input"], "(x+y)z");
    assert_eq!(v["gradient"], serde_json::json!({"x": -4, "y": -4, "z": 3}));
}

#[test]
fn a_formula_starting_with_minus_is_not_a_flag() {
    let v = json(&symgrad(&["grad", "-x^2", "--at", "x=3", "--json"]));
    assert_eq!(v["value"], -9);
    assert_eq!(v["gradient"]["x"], -6);
}

#[test]
fn bad_formula_exits_2_with_a_caret_under_the_fault() {
    let out = symgrad(&["grad", "1 + * 2"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("error"), "{err}");
    assert!(err.contains("1 + * 2"), "the source line is shown: {err}");
    let caret_line = err.lines().find(|l| l.contains('^')).expect("a caret line");
    let source_line = err
        .lines()
        .find(|l| l.contains("1 + * 2"))
        .expect("the source line");
    let col = |l: &str, c: char| l.chars().position(|x| x == c);
    assert_eq!(
        col(caret_line, '^'),
        col(source_line, '+'),
        "caret under the dangling `+`:\n{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn unknown_declared_name_suggests_a_product() {
    let out = symgrad(&["grad", "xy", "--vars", "x,y"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("x*y"), "{}", stderr(&out));
}

#[test]
fn bad_points_exit_2_with_a_message() {
    for (at, needle) in [
        ("x=1", "no value for `y`"),
        ("x=1,y=2,x=3", "given twice"),
        ("x=1,y=2,z=3", "unknown variable `z`"),
        ("x=1,y=abc", "not a number"),
        ("x1", "expected `name=value`"),
    ] {
        let out = symgrad(&["grad", "x*y", "--at", at]);
        assert_eq!(out.status.code(), Some(2), "--at {at}");
        assert!(stderr(&out).contains(needle), "--at {at}: {}", stderr(&out));
    }
}

#[test]
fn unknown_wrt_exits_2() {
    let out = symgrad(&["grad", "x*y", "--wrt", "q"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown variable `q`"));
}

#[test]
fn invalid_utf8_on_standard_input_exits_2() {
    let out = symgrad_stdin(&["grad", "-"], b"x + \xff");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not UTF-8"));
}

#[test]
fn neuron_prints_one_sigmoid_gate_and_the_fused_op_counts() {
    let v = json(&symgrad(&["grad", NEURON, "--json"]));
    assert_eq!(v["forward"], "σ(w0·x0 + w1·x1 + w2)");
    // σ'(u) is one gate, where σ·(1-σ) was a subtraction and a product.
    assert_eq!(v["ops"], serde_json::json!({"forward": 5, "grad": 10}));
    assert_eq!(v["rules"], serde_json::json!(["sigmoid"]));
}

#[test]
fn explain_rules_lists_each_fired_rule_with_its_pattern() {
    let out = symgrad(&["grad", "1 - 1/(1+e^x)", "--explain-rules"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("f(x) = σ(x)"), "{text}");
    assert!(
        text.contains("sigmoid  ") && text.contains("(pow (+ 1 (exp (neg ?u))) -1) => (σ ?u)"),
        "{text}"
    );
    assert!(text.contains("one-minus-sigmoid"), "{text}");
}

#[test]
fn without_explain_rules_no_rules_are_listed() {
    let out = symgrad(&["grad", "1/(1+e^-x)"]);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("rules:"));
}

//! Formulas of many outputs on `grad`, `rust` and `check` (SPEC §6): each output's
//! partials, JSON `outputs`, `value` as a list and the m×k `jacobian` (against the closed
//! form and central differences), `rust` printing the macro's items, and the errors.

mod support;

use support::{json, stderr, symgrad};

const POLAR: &str = "r cos(t), r sin(t)";

/// Five-point central differences of output `i` of the evaluated `outputs` in coordinate
/// `j` of `point`, from `grad --json --at` runs.
fn differenced(source: &str, vars: &[&str], point: &[f64], i: usize, j: usize) -> f64 {
    let h = 1e-3 * point[j].abs().max(1.0);
    let at = |k: f64| {
        let mut p = point.to_vec();
        p[j] += k * h;
        let at: Vec<String> = vars
            .iter()
            .zip(&p)
            .map(|(n, v)| format!("{n}={v:e}"))
            .collect();
        let v = json(&symgrad(&["grad", source, "--json", "--at", &at.join(",")]));
        v["value"][i].as_f64().expect("a number")
    };
    (-at(2.0) + 8.0 * at(1.0) - 8.0 * at(-1.0) + at(-2.0)) / (12.0 * h)
}

#[test]
fn json_has_outputs_values_and_the_jacobian() {
    let v = json(&symgrad(&["grad", POLAR, "--json", "--at", "r=2,t=0.5"]));
    assert_eq!(v["outputs"].as_array().map(Vec::len), Some(2), "{v}");
    assert_eq!(v["vars"], serde_json::json!(["r", "t"]));
    let (r, t) = (2.0_f64, 0.5_f64);
    assert_eq!(v["value"], serde_json::json!([r * t.cos(), r * t.sin()]));
    let closed = [[t.cos(), -r * t.sin()], [t.sin(), r * t.cos()]];
    for i in 0..2 {
        for j in 0..2 {
            let entry = v["jacobian"][i][j].as_f64().expect("a number");
            assert!(
                (entry - closed[i][j]).abs() <= 1e-15 * closed[i][j].abs(),
                "{v}"
            );
        }
    }
    for key in ["forward", "jacobian", "vjp", "jvp"] {
        assert!(v["ops"][key].as_u64().is_some_and(|n| n > 0), "{key}: {v}");
    }
    assert!(
        v.get("gradient").is_none(),
        "no gradient for many outputs: {v}"
    );
}

#[test]
fn the_jacobian_of_gates_agrees_with_central_differences() {
    let source = "σ(w x + b), softplus(x - w) b, tanh(w) x^2";
    let vars = ["w", "x", "b"];
    let point = [0.7, -1.2, 0.4];
    let at = "w=0.7,x=-1.2,b=0.4";
    let v = json(&symgrad(&["grad", source, "--json", "--at", at]));
    for i in 0..3 {
        for j in 0..3 {
            let entry = v["jacobian"][i][j].as_f64().expect("a number");
            let numeric = differenced(source, &vars, &point, i, j);
            // Relative 1e-9; an exact 0 (∂(tanh(w) x²)/∂b) must difference to about 0.
            let scale = if entry == 0.0 { 1.0 } else { entry.abs() };
            assert!(
                (entry - numeric).abs() <= 1e-9 * scale,
                "J[{i}][{j}] = {entry}, differenced {numeric}"
            );
        }
    }
}

#[test]
fn text_names_each_outputs_partials() {
    let out = symgrad(&["grad", POLAR, "--wrt", "t", "--at", "r=2,t=0"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    for line in [
        "  f[0] = 2",
        "  ∂f[0]/∂t = -0",
        "  f[1] = 0",
        "  ∂f[1]/∂t = 2",
    ] {
        assert!(text.lines().any(|l| l == line), "`{line}` in:\n{text}");
    }
    assert!(!text.contains("∂f[0]/∂r"), "{text}");
}

#[test]
fn rust_prints_the_items_of_many_outputs() {
    let out = symgrad(&["rust", POLAR, "--name", "polar"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let code = String::from_utf8(out.stdout).expect("UTF-8");
    for item in [
        "fn polar(r: f64, t: f64) -> [f64; 2]",
        "pub fn jacobian(r: f64, t: f64) -> ([f64; 2], [[f64; 2]; 2])",
        "pub fn vjp(r: f64, t: f64, dout: [f64; 2]) -> ([f64; 2], [f64; 2])",
        "pub fn jvp(r: f64, t: f64, v: [f64; 2]) -> ([f64; 2], [f64; 2])",
        "pub fn forward(r: f64, t: f64) -> ([f64; 2], Tape)",
        "pub fn backward(&self, dout: [f64; 2]) -> [f64; 2]",
    ] {
        assert!(code.contains(item), "`{item}` in:\n{code}");
    }
    assert!(!code.contains("fn grad"), "{code}");
    assert!(!code.contains("mod check"), "{code}");
}

#[test]
fn rust_at_a_point_prints_the_jacobian_check_the_macro_emits() {
    let out = symgrad(&["rust", POLAR, "--name", "polar", "--at", "r=2,t=0.5"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let code = String::from_utf8(out.stdout).expect("UTF-8");
    for item in [
        "pub fn check_jacobian<const K: usize>(",
        "fn jacobian_matches_central_differences_at_point_1()",
        "let point: [f64; 2] = [2.0, 0.5];",
        "let (_, analytic) = jacobian(p[0], p[1]);",
        "check::check_jacobian(&f, &point, &[0, 1], &WRT, &analytic)",
    ] {
        assert!(code.contains(item), "`{item}` in:\n{code}");
    }
}

#[test]
fn check_passes_on_the_jacobian_and_fails_at_a_kink() {
    let out = symgrad(&["check", "x y, relu(x) + y^2", "--at", "x=1.5,y=-2"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("∂f[1]/∂y"), "{text}");
    assert!(text.contains("ok: the Jacobian agrees"), "{text}");
    let out = symgrad(&["check", "x y, relu(x)", "--at", "x=0,y=1"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn bad_lists_are_spanned_errors() {
    let out = symgrad(&["grad", "x, , y"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("output 2 is empty") && err.contains('^'),
        "{err}"
    );
    let out = symgrad(&["grad", "x,"]);
    assert_eq!(out.status.code(), Some(2));
    for args in [
        &["grad", POLAR, "--hessian"][..],
        &["explain", POLAR, "--at", "r=1,t=2"],
        &["dot", POLAR],
        &["rust", POLAR, "--hessian"],
        &["check", POLAR, "--at", "r=1,t=2", "--hessian"],
    ] {
        let out = symgrad(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).starts_with("error: "),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

//! `--hessian` on `grad`, `rust` and `check` (SPEC §6): the second partials once each, the
//! Hessian's numbers in `wrt` order, `ops.hessian` and `ops.hvp`, and the check's verdict.

mod support;

use support::{json, stderr, symgrad};

const ROSENBROCK: &str = "(1-x)^2 + 100(y-x^2)^2";

#[test]
fn text_lists_each_second_partial_once_in_wrt_order() {
    let out = symgrad(&["grad", ROSENBROCK, "--hessian", "--at", "x=1.5,y=2"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let labels: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("∂²f/"))
        .map(|l| l.split(" = ").next().unwrap_or(""))
        .collect();
    assert_eq!(labels, ["∂²f/∂x²", "∂²f/∂x∂y", "∂²f/∂y²"], "{text}");
    // H = [[1200x² - 400y + 2, -400x], [-400x, 200]] at (1.5, 2).
    for line in ["  ∂²f/∂x² = 1902", "  ∂²f/∂x∂y = -600", "  ∂²f/∂y² = 200"] {
        assert!(text.lines().any(|l| l == line), "`{line}` in:\n{text}");
    }
    assert!(text.contains("ops: hessian "), "{text}");
}

#[test]
fn json_has_the_matrix_in_wrt_order_and_the_counts() {
    let v = json(&symgrad(&[
        "grad",
        ROSENBROCK,
        "--hessian",
        "--json",
        "--wrt",
        "y,x",
        "--at",
        "x=1.5,y=2",
    ]));
    assert_eq!(v["hessian"], serde_json::json!([[200, -600], [-600, 1902]]));
    assert_eq!(
        v["second_derivatives"]
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>()),
        Some(vec![
            "y,y".to_string(),
            "y,x".to_string(),
            "x,x".to_string()
        ])
    );
    assert!(v["ops"]["hessian"].as_u64().is_some_and(|n| n > 0), "{v}");
    assert!(v["ops"]["hvp"].as_u64().is_some_and(|n| n > 0), "{v}");
    // Without --at: the strings and the counts, no numbers.
    let v = json(&symgrad(&["grad", ROSENBROCK, "--hessian", "--json"]));
    assert!(
        v.get("hessian").is_none() && v["ops"]["hvp"].is_u64(),
        "{v}"
    );
}

#[test]
fn without_hessian_nothing_second_order_is_printed() {
    let v = json(&symgrad(&["grad", ROSENBROCK, "--json", "--at", "x=1,y=1"]));
    assert!(v.get("hessian").is_none() && v.get("second_derivatives").is_none());
    assert!(v["ops"].get("hessian").is_none() && v["ops"].get("hvp").is_none());
}

#[test]
fn rust_prints_the_items_the_macro_generates() {
    let out = symgrad(&["rust", "σ(x y)", "--hessian"]);
    let code = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        code.contains("pub fn hessian(x: f64, y: f64) -> (f64, [f64; 2], [[f64; 2]; 2])"),
        "{code}"
    );
    assert!(
        code.contains("pub fn hvp(x: f64, y: f64, v: [f64; 2]) -> (f64, [f64; 2], [f64; 2])"),
        "{code}"
    );
    let alone = String::from_utf8(symgrad(&["rust", "σ(x y)", "--hvp"]).stdout).expect("UTF-8");
    assert!(
        alone.contains("pub fn hvp(x: f64, y: f64, v: [f64; 2]) -> (f64, [f64; 2], [f64; 2])")
            && !alone.contains("fn hessian"),
        "{alone}"
    );
    let plain = String::from_utf8(symgrad(&["rust", "σ(x y)"]).stdout).expect("UTF-8");
    assert!(
        !plain.contains("hessian") && !plain.contains("hvp"),
        "{plain}"
    );
}

#[test]
fn check_compares_the_hessian_with_differences_of_the_gradient() {
    let out = symgrad(&[
        "check",
        "σ(x y) + softplus(x)",
        "--at",
        "x=0.3,y=-1.2",
        "--hessian",
    ]);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("∂²f/")).count(),
        4,
        "{text}"
    );
    assert!(
        text.contains("ok: the gradient and the Hessian agree"),
        "{text}"
    );
    let out = symgrad(&[
        "check",
        "logsumexp(x, y, x y) + softmax(y, x)",
        "--at",
        "x=0.3,y=-1.2",
        "--hessian",
    ]);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("ok: the gradient and the Hessian agree"),
        "{text}"
    );
    // At relu's kink the second difference of the gradient sees a jump: exit 1.
    let out = symgrad(&["check", "relu(x) x", "--at", "x=0", "--hessian"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("`∂²f/∂x²`"), "{err}");
}

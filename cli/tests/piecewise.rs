//! Formulas with `if` (SPEC §7) through every command: `grad` and `check` give the taken
//! branch's derivative and no NaN from the other, `rust` writes a real `if`, `explain` shows
//! which branch was taken and leaves the other unevaluated, `dot` draws the branch node.

mod support;

use support::{json, stderr, stdout, symgrad};

#[test]
fn grad_of_the_log_of_a_branch_not_taken_is_zero() {
    let text = stdout(&symgrad(&["grad", "if(x > 0, ln(x), 0)", "--at", "x=-1"]));
    assert!(text.contains("∂f/∂x = if(x > 0, 1/x, 0)"), "{text}");
    assert!(text.contains("  f = 0\n  ∂f/∂x = 0\n"), "{text}");
    let v = json(&symgrad(&[
        "grad",
        "if(x > 0, sqrt(x), 0)",
        "--at",
        "x=-4",
        "--json",
    ]));
    assert_eq!(v["value"], 0.0, "{v}");
    assert_eq!(v["gradient"]["x"], 0.0, "{v}");
}

#[test]
fn rust_writes_an_if_with_the_branch_lets_inside() {
    let text = stdout(&symgrad(&["rust", "if(x > 0, ln(x) y + ln(x), 0)"]));
    let f = "    if x > 0.0 {\n        let t1 = x.ln();\n        t1 + t1 * y\n    } else {\n        0.0\n    }\n";
    assert!(text.contains(f), "{text}");
    assert!(
        text.contains("if x > 0.0 { (y + 1.0) / x } else { 0.0 }"),
        "{text}"
    );
    assert!(
        !text.contains("gates::gt"),
        "conditions are comparisons: {text}"
    );
}

#[test]
fn explain_shows_the_branch_taken_and_what_was_not_evaluated() {
    let out = symgrad(&["explain", "if(x > 0, sqrt(x), 0)", "--at", "x=-4"]);
    let text = stdout(&out);
    assert!(text.contains("took the else branch, 0"), "{text}");
    assert!(
        text.contains("t2 = x^0.5             power gate  not evaluated\n"),
        "{text}"
    );
    assert!(text.ends_with("f = 0\n∂f/∂x = 0\n"), "{text}");
    let text = stdout(&symgrad(&[
        "explain",
        "if(x > 0, sqrt(x), 0)",
        "--at",
        "x=4",
    ]));
    assert!(text.contains("took the then branch, t2"), "{text}");
    assert!(text.ends_with("f = 2\n∂f/∂x = 0.25\n"), "{text}");
    let v = json(&symgrad(&[
        "explain",
        "if(x > 0, sqrt(x), 0)",
        "--at",
        "x=-4",
        "--json",
    ]));
    let rows = v["rows"].as_array().expect("rows");
    assert_eq!(rows[2]["evaluated"], false, "{v}");
    assert_eq!(rows[3]["taken"], "else", "{v}");
    assert!(
        rows[0].get("evaluated").is_none(),
        "only rows not evaluated say so"
    );
}

#[test]
fn dot_draws_the_branch_node_and_its_edges() {
    let text = stdout(&symgrad(&["dot", "if(x > 0, sqrt(x), 0)", "--at", "x=-4"]));
    assert!(text.contains("[label=\"if\", shape=diamond"), "{text}");
    assert!(
        text.contains("shape=circle, style=dashed"),
        "the dead branch: {text}"
    );
    assert!(text.contains("headlabel=\"cond\""), "{text}");
    assert!(text.contains("n2 -> n3 [headlabel=\"then\"];"), "{text}");
}

#[test]
fn check_agrees_away_from_a_boundary_and_names_it_at_one() {
    let huber = "if(abs(x) <= d, x^2/2, d*(abs(x) - d/2))";
    for at in ["x=3,d=1", "x=0.5,d=1", "x=-2,d=1.5"] {
        let out = symgrad(&["check", huber, "--at", at]);
        assert!(out.status.success(), "{at}: {}", stdout(&out));
    }
    let out = symgrad(&["check", "if(x > 0, x^2, 3x)", "--at", "x=0"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(text.contains("on an `if`'s boundary"), "{text}");
}

#[test]
fn a_tape_value_only_a_branch_uses_is_read_only_under_that_branch_condition() {
    let text = stdout(&symgrad(&["rust", "if(x > 0, ln(x) y + ln(x), 0)"]));
    // `forward` computes `ln(x)` before its `if`, since every tape field needs a value: at
    // x ≤ 0 the field holds ln(x)'s NaN or -inf. That is harmless: a float operation never
    // panics, the value returned is the else branch's, and `backward` reads the field only
    // under the same condition, so the NaN reaches neither the value nor the gradient
    // (`tests/tests/piecewise.rs` runs this formula's forward and backward at x = -1).
    let forward =
        "let t1 = x.ln();\n        (if x > 0.0 { t1 + t1 * y } else { 0.0 }, Tape { x, t1, y })";
    assert!(text.contains(forward), "{text}");
    let backward = text
        .split("pub fn backward")
        .nth(1)
        .expect("a backward pass");
    let reads: Vec<&str> = backward.lines().filter(|l| l.contains("t1")).collect();
    assert_eq!(
        reads,
        [
            "            let Self { x, t1, y } = *self;",
            "                dout * (if x > 0.0 { t1 } else { 0.0 }),"
        ],
        "{backward}"
    );
}

//! Hostile input to the `symgrad` binary (SPEC §4): every case ends with exit status 2 and a
//! message that says what is wrong, or, for IEEE edge cases, with the IEEE result; never a
//! panic, a hang or a stack overflow.

mod support;

use support::{assert_bad_input, json, stderr, symgrad, symgrad_stdin};
use symgrad_grammar::{MAX_DEPTH, MAX_NAME_LEN, MAX_SOURCE_LEN};

#[test]
fn an_empty_formula() {
    assert_bad_input(&symgrad(&["grad", ""]), &["empty expression", "help:"]);
}

#[test]
fn an_empty_standard_input() {
    assert_bad_input(
        &symgrad_stdin(&["grad", "-"], Vec::new()),
        &["empty expression"],
    );
}

#[test]
fn only_whitespace_on_standard_input() {
    assert_bad_input(
        &symgrad_stdin(&["grad", "-"], b" \t\n\n".to_vec()),
        &["empty expression"],
    );
}

#[test]
fn a_hundred_thousand_nested_parentheses() {
    let source = format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000));
    let out = symgrad_stdin(&["grad", "-"], source.into_bytes());
    assert_bad_input(
        &out,
        &[
            &format!("expression nested too deeply (more than {MAX_DEPTH} levels)"),
            "help:",
        ],
    );
}

#[test]
fn a_hundred_thousand_nested_calls_as_an_argument() {
    // An argument is limited to 128 KiB by the OS; 20 000 levels fit.
    let source = format!("{}x{}", "exp(".repeat(20_000), ")".repeat(20_000));
    assert_bad_input(&symgrad(&["grad", &source]), &["nested too deeply"]);
}

#[test]
fn an_unclosed_chain_of_calls_fails_at_once() {
    // Took time exponential in the depth before the grammar stopped retrying failed calls.
    let source = "x(".repeat(MAX_DEPTH);
    assert_bad_input(&symgrad(&["grad", &source]), &["never closed"]);
}

#[test]
fn a_fifty_megabyte_formula_of_valid_terms_is_over_the_size_limit() {
    let term = "x*y + ";
    let mut source = term.repeat(50_000_000 / term.len());
    source.push('x');
    assert!(source.len() >= 50_000_000 - term.len());
    let out = symgrad_stdin(&["grad", "-"], source.into_bytes());
    assert_bad_input(
        &out,
        &[
            "standard input is too long",
            &format!("the limit is {MAX_SOURCE_LEN} bytes"),
        ],
    );
}

#[test]
fn a_formula_just_over_the_size_limit() {
    let mut source = "x+".repeat(MAX_SOURCE_LEN / 2);
    source.push('x');
    assert_eq!(source.len(), MAX_SOURCE_LEN + 1);
    let out = symgrad_stdin(&["grad", "-"], source.into_bytes());
    assert_bad_input(&out, &["too long"]);
}

#[test]
fn a_hundred_thousand_terms_succeed() {
    // Legitimate large input: 100 000 distinct nodes, one variable.
    let source: String = (1..=100_000)
        .map(|k| format!("{k}x^{k}"))
        .collect::<Vec<_>>()
        .join(" + ");
    let v = json(&symgrad_stdin(
        &["grad", "-", "--at", "x=0.5", "--json"],
        source.into_bytes(),
    ));
    // Σ k·x^k at x = 1/2 is 2 - (n+2)/2^n → 2.
    let value = v["value"].as_f64().expect("a finite value");
    assert!((value - 2.0).abs() < 1e-12, "{value}");
    // Σ k²·x^(k-1) at x = 1/2 is 12.
    let slope = v["gradient"]["x"].as_f64().expect("a finite gradient");
    assert!((slope - 12.0).abs() < 1e-9, "{slope}");
}

#[test]
fn invalid_utf8_on_standard_input() {
    let out = symgrad_stdin(&["grad", "-"], b"x + \xc3\x28 + y".to_vec());
    assert_bad_input(&out, &["not UTF-8", "offset 4"]);
}

#[test]
fn a_nul_byte_on_standard_input() {
    let out = symgrad_stdin(&["grad", "-"], b"x +\0 y".to_vec());
    // The caret points at the NUL, which the diagnostic shows as `␀`.
    assert_bad_input(&out, &["unexpected character `␀`", "x +␀ y", "   ^"]);
}

#[test]
fn a_nul_byte_alone() {
    assert_bad_input(
        &symgrad_stdin(&["grad", "-"], vec![0]),
        &["unexpected character"],
    );
}

#[test]
fn a_number_that_overflows_is_an_error() {
    // As in Rust source, where an out-of-range float literal is an error.
    let out = symgrad(&["grad", "2 + 1e999 x", "--at", "x=2"]);
    assert_bad_input(&out, &["number `1e999` is too large for an f64", "^^^^^"]);
}

#[test]
fn a_number_that_underflows_is_zero() {
    // IEEE rounding, as in Rust source: `1e-999` is `0.0`.
    let v = json(&symgrad(&["grad", "1e-999 + x", "--at", "x=2", "--json"]));
    assert_eq!(v["value"], 2);
    assert_eq!(v["gradient"]["x"], 1);
}

#[test]
fn zero_over_zero_is_nan() {
    let v = json(&symgrad(&["grad", "0/0 + x", "--at", "x=1", "--json"]));
    assert_eq!(v["value"], "NaN");
    assert_eq!(v["forward"], "x + (0/0)");
}

#[test]
fn ln_of_zero_is_minus_infinity() {
    let v = json(&symgrad(&["grad", "ln(0) + x", "--at", "x=1", "--json"]));
    assert_eq!(v["value"], "-inf");
    assert_eq!(v["gradient"]["x"], 1);
}

#[test]
fn a_constant_formula_has_no_partials() {
    let v = json(&symgrad(&["grad", "0/0", "--at", "", "--json"]));
    assert_eq!(v["value"], "NaN");
    assert_eq!(v["vars"], serde_json::json!([]));
}

#[test]
fn a_name_of_a_hundred_thousand_characters() {
    let name = "x".repeat(100_000);
    let out = symgrad_stdin(&["grad", "-"], format!("1 + {name}").into_bytes());
    assert_bad_input(&out, &["name too long", &MAX_NAME_LEN.to_string()]);
}

#[test]
fn a_declared_name_of_a_hundred_thousand_characters() {
    let name = "y".repeat(100_000);
    let out = symgrad(&["grad", "x", "--vars", &format!("x,{name}")]);
    assert_bad_input(&out, &["too long"]);
}

#[test]
fn at_with_a_missing_variable() {
    let out = symgrad(&["grad", "x*y", "--at", "x=1"]);
    assert_bad_input(&out, &["`--at`: no value for `y`", "--at x=1,y=1"]);
}

#[test]
fn at_with_a_duplicate_variable() {
    let out = symgrad(&["grad", "x*y", "--at", "x=1,y=2,x=3"]);
    assert_bad_input(&out, &["`--at`: `x` is given twice"]);
}

#[test]
fn at_with_an_unknown_variable() {
    let out = symgrad(&["grad", "x*y", "--at", "x=1,y=2,z=3"]);
    assert_bad_input(&out, &["`--at`: unknown variable `z`", "`x`, `y`"]);
}

#[test]
fn at_with_a_non_numeric_value() {
    for value in ["abc", "", "1,5", "0x10", "1e", "--1"] {
        let at = format!("x={value},y=2");
        let out = symgrad(&["grad", "x*y", "--at", &at]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "--at {at}: {err}");
        assert!(err.starts_with("error: `--at`"), "--at {at}: {err}");
    }
}

#[test]
fn at_with_a_huge_value_is_an_error_like_the_literal() {
    let out = symgrad(&["grad", "x", "--at", "x=1e999"]);
    assert_bad_input(&out, &["`1e999` is too large for an f64", "write `inf`"]);
}

#[test]
fn at_infinity_spelled_out_is_infinite() {
    for (at, value) in [("x=inf", "inf"), ("x=-Infinity", "-inf"), ("x=+inf", "inf")] {
        let v = json(&symgrad(&["grad", "x", "--at", at, "--json"]));
        assert_eq!(v["value"], value, "--at {at}");
    }
}

#[test]
fn declared_names_that_are_not_one_name() {
    for vars in ["x,,y", "x,", "x,a b", "x,1y", "x,y_", "x,w0x0", "x,$"] {
        let out = symgrad(&["grad", "x", "--vars", vars]);
        assert_bad_input(&out, &["`--vars`:", "is not a variable name", "help:"]);
    }
}

#[test]
fn declared_names_of_every_documented_shape_are_accepted() {
    let out = symgrad(&[
        "grad",
        "x + w0 + alpha + y_hat + x_1 + θ",
        "--vars",
        "x,w0,alpha,y_hat,x_1,θ",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_product_of_eight_thousand_variables() {
    // Each partial of a product is the product of the other factors: built one by one that
    // was n² operands (16 000 factors took 5.6 GB); now O(n log n).
    let n = 8_000;
    let source: Vec<String> = (0..n).map(|i| format!("v{i}")).collect();
    let out = symgrad_stdin(&["grad", "-", "--json"], source.join("*"));
    let v = json(&out);
    let derivatives = v["derivatives"].as_object().expect("an object");
    assert_eq!(derivatives.len(), n);
    let ops = v["ops"]["grad"].as_u64().expect("a count");
    // n² would be 64 million; the generated code's count is about 130 per factor.
    assert!(ops < 200 * n as u64, "{ops} operations");
}

#[test]
fn a_wide_product_has_the_right_partials() {
    let factors: Vec<String> = (1..=12).map(|i| format!("x{i}")).collect();
    let at: Vec<String> = (1..=12)
        .map(|i| format!("x{i}={}", if i == 5 { 0 } else { 2 }))
        .collect();
    let v = json(&symgrad(&[
        "grad",
        &factors.join("·"),
        "--at",
        &at.join(","),
        "--json",
    ]));
    assert_eq!(v["value"], 0);
    assert_eq!(v["gradient"]["x5"], 2048);
    assert_eq!(v["gradient"]["x1"], 0);
}

#[test]
fn hints_name_at_most_twenty_of_many_variables() {
    let source: Vec<String> = (0..5_000).map(|i| format!("v{i}")).collect();
    let source = source.join(" + ");
    for args in [
        vec!["grad", "-", "--wrt", "q"],
        vec!["grad", "-", "--at", "q=1"],
        vec!["grad", "-", "--at", "v0=1"],
    ] {
        let out = symgrad_stdin(&args, source.clone());
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.len() < 1_000, "{} bytes: {err}", err.len());
        assert!(err.contains("more"), "{err}");
    }
}

#[test]
fn every_subcommand_rejects_deep_and_oversized_input() {
    let deep = format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000));
    let mut huge = "x*y + ".repeat(MAX_SOURCE_LEN / 6 + 1);
    huge.push('x');
    for sub in ["grad", "explain", "check", "dot"] {
        let out = symgrad_stdin(&[sub, "-", "--at", "x=1"], deep.clone());
        assert_bad_input(&out, &["nested too deeply"]);
        let out = symgrad_stdin(&[sub, "-", "--at", "x=1,y=2"], huge.clone());
        assert_bad_input(&out, &["standard input is too long"]);
    }
}

#[test]
fn hessian_of_a_formula_without_variables() {
    for args in [
        &["grad", "2 + 3", "--hessian"][..],
        &["grad", "2 + 3", "--hessian", "--json"],
        &["rust", "pi^2", "--hessian"],
        &["check", "e", "--at", "", "--hessian"],
    ] {
        assert_bad_input(
            &symgrad(args),
            &[
                "`--hessian`: there is no variable to differentiate",
                "help:",
            ],
        );
    }
}

#[test]
fn piecewise_built_ins_with_the_wrong_number_of_arguments() {
    for (source, needles) in [
        (
            "clamp(x, 1)",
            [
                "`clamp` takes 3 arguments but 2 were given",
                "clamp(x, lo, hi)",
            ],
        ),
        (
            "elu(x, 1, 2)",
            [
                "`elu` takes 1 or 2 arguments but 3",
                "`elu(x)` or `elu(x, a)`",
            ],
        ),
        (
            "leaky_relu(x)",
            ["`leaky_relu` takes 2 arguments but 1", "leaky_relu(x, a)"],
        ),
        (
            "huber(x)",
            ["`huber` takes 2 arguments but 1", "huber(x, d)"],
        ),
        ("gelu(x, y)", ["`gelu` takes 1 argument but 2", "gelu(x)"]),
        ("silu()", ["`silu` takes 1 argument but 0", "silu(x)"]),
        (
            "sign(x, y) + 1",
            ["`sign` takes 1 argument but 2", "sign(x)"],
        ),
        ("clamp + 1", ["needs parentheses", "clamp(x, lo, hi)"]),
        (
            "2 + logsumexp()",
            [
                "`logsumexp` takes 1 or more arguments but 0",
                "logsumexp(a, b, …)",
            ],
        ),
        (
            "softmax() x",
            [
                "`softmax` takes 1 or more arguments but 0",
                "softmax(a, b, …)",
            ],
        ),
        (
            "log_softmax()",
            [
                "`log_softmax` takes 1 or more arguments but 0",
                "log_softmax(a, b, …)",
            ],
        ),
        ("logsumexp + 1", ["needs parentheses", "logsumexp(a, b, …)"]),
    ] {
        for command in ["grad", "rust", "check"] {
            assert_bad_input(&symgrad(&[command, source]), &needles);
        }
    }
}

#[test]
fn piecewise_built_ins_at_hostile_points_give_ieee_results_not_panics() {
    let out = symgrad(&[
        "grad",
        "elu(x, a) + huber(x, a) + clamp(x, a, -a) + gelu(x) + silu(x) + leaky_relu(x, a)",
        "--at",
        "x=1e308,a=-1e308",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"));
}

#[test]
fn lint_of_a_hundred_thousand_nested_parentheses_is_an_error() {
    let source = format!("{}x{}", "(".repeat(100_000), ")".repeat(100_000));
    let out = symgrad_stdin(&["lint", "-", "--points", "2"], source.into_bytes());
    assert_bad_input(&out, &["nest"]);
}

#[test]
fn lint_of_a_constant_formula_reports_its_value_only() {
    let out = symgrad(&["lint", "2+3", "--points", "4", "--json"]);
    let v = json(&out);
    assert_eq!(v["value"]["max_bits"], 0);
    assert_eq!(v["partials"], serde_json::json!({}));
}

#[test]
fn lint_over_a_deep_chain_of_calls_neither_panics_nor_overflows() {
    // Nested sines as deep as the grammar allows, and a long sum of them: a deep graph for
    // every evaluator and for the blame.
    let depth = MAX_DEPTH / 2 - 1;
    let chain = |k: usize| format!("{}{k}x{}", "sin(".repeat(depth), ")".repeat(depth));
    let source = (1..=50).map(chain).collect::<Vec<_>>().join(" + ");
    let out = symgrad_stdin(
        &["lint", "-", "--points", "2", "--over", "x=0.1..1"],
        source.into_bytes(),
    );
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"));
}

#[test]
fn lint_refuses_absurd_point_counts_and_thresholds() {
    assert_bad_input(&symgrad(&["lint", "x", "--points", "0"]), &["`--points`"]);
    assert_bad_input(
        &symgrad(&["lint", "x", "--points", "100000000000"]),
        &["`--points`"],
    );
    assert_bad_input(
        &symgrad(&["lint", "x", "--max-bits", "nan"]),
        &["`--max-bits`"],
    );
    assert_bad_input(
        &symgrad(&["lint", "x", "--max-bits", "-1"]),
        &["`--max-bits`"],
    );
}

#[test]
fn a_reader_that_stops_early_ends_the_output_without_a_panic() {
    use std::io::Read as _;
    use std::process::{Command, Stdio};
    let formula: Vec<String> = (0..300).map(|i| format!("tanh({i}x + y)")).collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_symgrad"))
        .args(["rust", &formula.join(" + ")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("symgrad starts");
    let mut first = [0u8; 64];
    child
        .stdout
        .take()
        .expect("piped")
        .read_exact(&mut first)
        .expect("some output comes first");
    // The read end is closed here, long before the items' hundreds of kilobytes are out.
    let out = child.wait_with_output().expect("symgrad ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

//! `symgrad lint` end to end: both outcomes, the culprit, JSON, exit codes, bad `--over`.
//! Few points each, so the tests stay quick; the sampler is seeded, so they are exact.

mod support;

use support::{json, stderr, symgrad};

/// Standard output, whatever the exit status (lint reports on standard output either way).
fn report(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The cancellation symgrad cannot remove, over a box where it loses most digits.
const CANCELLATION: [&str; 4] = ["lint", "sqrt(x+1) - sqrt(x)", "--over", "x=1e10..1e15"];

const LOGISTIC: &str = "-(y ln(σ(w0x0 + w1x1 + w2)) + (1 - y) ln(1 - σ(w0x0 + w1x1 + w2)))";

#[test]
fn what_symgrad_stabilizes_passes_over_every_double() {
    for formula in ["1/(1+e^-x)", "ln(1+e^x)", "e^x - 1", "e^x/(1+e^x)"] {
        let out = symgrad(&["lint", formula, "--points", "64"]);
        assert_eq!(out.status.code(), Some(0), "{formula}: {}", report(&out));
        assert!(report(&out).contains("ok: every mean is at most 2 bits"));
    }
}

#[test]
fn logsumexp_and_softmax_pass_over_every_double_and_at_800() {
    const TWO: &str = "a=-800..800,b=-800..800";
    const THREE: &str = "a=-800..800,b=-800..800,c=-800..800";
    for (formula, box_800) in [
        ("logsumexp(a, b)", TWO),
        ("ln(e^a + e^b)", TWO),
        ("e^a/(e^a + e^b + e^c)", THREE),
        ("ln(e^a/(e^a + e^b + e^c))", THREE),
    ] {
        for over in [None, Some(box_800)] {
            let mut args = vec!["lint", formula, "--points", "64", "--json"];
            if let Some(over) = over {
                args.extend(["--over", over]);
            }
            let v = json(&symgrad(&args));
            let mean = |stats: &serde_json::Value| stats["mean_bits"].as_f64().expect("a number");
            assert!(mean(&v["value"]) <= 2.0, "{formula} over {over:?}: {v}");
            for (name, stats) in v["partials"].as_object().expect("an object") {
                assert!(mean(stats) <= 2.0, "{formula} ∂/∂{name} over {over:?}: {v}");
            }
        }
    }
}

#[test]
fn the_logistic_loss_is_accurate_to_a_bit() {
    let over = "w0=-10..10,x0=-10..10,w1=-10..10,x1=-10..10,w2=-10..10,y=0..1";
    let v = json(&symgrad(&[
        "lint", LOGISTIC, "--over", over, "--points", "32", "--json",
    ]));
    assert!(v["value"]["max_bits"].as_f64().expect("a number") <= 1.0);
    for (name, stats) in v["partials"].as_object().expect("an object") {
        let max = stats["max_bits"].as_f64().expect("a number");
        assert!(max <= 2.0, "∂/∂{name}: {max} bits");
    }
}

#[test]
fn cancellation_it_cannot_fix_is_flagged_with_the_culprit() {
    let out = symgrad(&[&CANCELLATION[..], &["--points", "16"]].concat());
    assert_eq!(out.status.code(), Some(1));
    let text = report(&out);
    assert!(
        text.contains("cancellation in `sqrt(x + 1) - sqrt(x)`"),
        "{text}"
    );
    assert!(text.contains("exceeds 2 bits"), "{text}");
}

#[test]
fn an_overflow_is_blamed_with_where_it_starts() {
    // x² overflows from √(f64::MAX) = 1.34e154 on.
    let out = symgrad(&[
        "lint",
        "ln(x^2)",
        "--over",
        "x=1e100..1e300",
        "--points",
        "16",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        report(&out).contains("`x^2` overflows for |x| ≥ 1.3e154"),
        "{}",
        report(&out)
    );
}

#[test]
fn json_has_the_documented_shape() {
    let out = symgrad(&[&CANCELLATION[..], &["--points", "8", "--json"]].concat());
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&report(&out)).expect("JSON");
    assert_eq!(v["input"], "sqrt(x+1) - sqrt(x)");
    assert_eq!(
        v["over"]["x"],
        serde_json::json!([10_000_000_000u64, 1_000_000_000_000_000u64])
    );
    assert_eq!(v["points"], 8);
    for stats in [&v["value"], &v["partials"]["x"]] {
        assert!(stats["mean_bits"].as_f64().expect("mean") > 20.0);
        assert!(
            stats["max_bits"].as_f64().expect("max") >= stats["mean_bits"].as_f64().expect("mean")
        );
        assert_eq!(stats["nonfinite"], 0);
    }
    let culprits = v["culprits"].as_array().expect("a list");
    assert_eq!(culprits[0]["kind"], "cancellation");
    assert_eq!(culprits[0]["expr"], "sqrt(x + 1) - sqrt(x)");
}

#[test]
fn the_report_is_deterministic_and_the_seed_changes_it() {
    let run = |seed: &str| {
        report(&symgrad(&[
            "lint",
            "x/(1+x^2)",
            "--points",
            "8",
            "--seed",
            seed,
        ]))
    };
    assert_eq!(run("3"), run("3"));
    assert!(run("3").contains("(seed 3)"));
    assert_ne!(run("3"), run("4"));
}

#[test]
fn max_bits_sets_the_threshold() {
    let loose = symgrad(&[&CANCELLATION[..], &["--points", "8", "--max-bits", "60"]].concat());
    assert_eq!(loose.status.code(), Some(0));
}

#[test]
fn bad_boxes_are_clear_errors() {
    let cases = [
        ("x=3..1", "the interval of `x` is empty"),
        ("y=0..1", "unknown variable `y`"),
        ("x=nan..1", "must be finite numbers"),
        ("x=0..inf", "must be finite numbers"),
        ("x=a..1", "`a` is not a number"),
        ("x=1", "expected `x=LO..HI`"),
        ("x", "expected `name=LO..HI`"),
        ("x=0..1,x=2..3", "`x` is given twice"),
    ];
    for (over, message) in cases {
        let out = symgrad(&["lint", "x^2", "--over", over]);
        assert_eq!(out.status.code(), Some(2), "{over}");
        assert!(stderr(&out).contains(message), "{over}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
    let out = symgrad(&["lint", "x^2", "--points", "0"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_parse_error_exits_2_with_a_caret() {
    let out = symgrad(&["lint", "x +"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains('^'));
}

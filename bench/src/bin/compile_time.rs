//! Compile time of generated code as formulas grow: for random formulas of 10² … 10⁵
//! nodes, macro expansion alone (parse → differentiate → generate, in this process) and
//! rustc on the generated code, in the dev profile (debug info, no optimization) and the
//! release profile, with the fitted growth exponents.
//!
//! rustc runs on the generated items written out as a library crate, with one
//! non-inline function calling `f::grad` so that the `#[inline]` items are compiled too.
//! Environment: `SYMGRAD_COMPILE_OUT` a JSON file for the report, `SYMGRAD_COMPILE_MAX`
//! the largest size (default 10⁵).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use symgrad_bench::fit::growth_exponent;
use symgrad_bench::random;
use symgrad_core::{CodegenOptions, Gradient, generate};

const SIZES: [usize; 4] = [100, 1_000, 10_000, 100_000];
const SEED: u64 = 0x5EED;
/// rustc flags of cargo's two profiles, for a crate with no dependencies.
const PROFILES: [(&str, &[&str]); 2] = [
    ("dev", &["-C", "opt-level=0", "-C", "debuginfo=2"]),
    ("release", &["-C", "opt-level=3", "-C", "debuginfo=0"]),
];

fn main() {
    let max = std::env::var("SYMGRAD_COMPILE_MAX")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let dir = std::env::temp_dir().join(format!("symgrad-compile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let mut rows = Vec::new();
    println!("nodes\texpand\trustc dev\trustc release");
    for &size in SIZES.iter().filter(|&&s| s <= max) {
        let source = random::formula(size, SEED);
        let (expand, crate_source) = expand(&source);
        let file = dir.join(format!("generated{size}.rs"));
        std::fs::write(&file, crate_source).expect("the generated crate is writable");
        let times: Vec<Option<Duration>> = PROFILES
            .iter()
            .map(|(_, flags)| rustc(&file, &dir, flags))
            .collect();
        let show = |t: Option<Duration>| t.map_or("failed".into(), |t| format!("{t:.2?}"));
        println!(
            "{size}\t{expand:.2?}\t{}\t{}",
            show(times[0]),
            show(times[1])
        );
        rows.push(json!({
            "nodes": size,
            "expand_s": expand.as_secs_f64(),
            "rustc_dev_s": times[0].map(|t| t.as_secs_f64()),
            "rustc_release_s": times[1].map(|t| t.as_secs_f64()),
        }));
    }
    let _ = std::fs::remove_dir_all(&dir);
    let exponents = json!({
        "expand": exponent(&rows, "expand_s"),
        "rustc_dev": exponent(&rows, "rustc_dev_s"),
        "rustc_release": exponent(&rows, "rustc_release_s"),
    });
    println!("growth exponents: {exponents}");
    if let Ok(out) = std::env::var("SYMGRAD_COMPILE_OUT") {
        let report = json!({"seed": SEED, "rows": rows, "exponents": exponents});
        std::fs::write(&out, format!("{report:#}\n")).expect("the compile report is writable");
    }
}

/// What `#[derive_grad]` does with `source`, timed (best of three for small sizes), and
/// the crate rustc compiles: the items and a non-inline caller of `f::grad`.
fn expand(source: &str) -> (Duration, String) {
    let runs = if source.len() < 100_000 { 3 } else { 1 };
    let mut best = Duration::MAX;
    let mut code = String::new();
    for _ in 0..runs {
        let start = Instant::now();
        let formula = symgrad_grammar::parse(source).expect("random formulas parse");
        let grad = Gradient::all(&formula);
        let options = CodegenOptions::new("f", grad.vars()).expect("x0 … x99 are identifiers");
        let tokens = generate(&grad, &options);
        best = best.min(start.elapsed());
        let n = grad.vars().len();
        let args: Vec<String> = (0..n).map(|i| format!("p[{i}]")).collect();
        code = format!(
            "{tokens}\npub fn grad_at(p: &[f64; {n}]) -> (f64, [f64; {n}]) {{ f::grad({}) }}\n",
            args.join(", ")
        );
    }
    (best, code)
}

/// Wall time of rustc compiling `file` as a library with `flags`; `None` when it fails.
fn rustc(file: &Path, out_dir: &Path, flags: &[&str]) -> Option<Duration> {
    let start = Instant::now();
    let status = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .args(["--edition", "2024", "--crate-type", "lib", "--emit", "link"])
        .args(["--cap-lints", "allow"])
        .args(flags)
        .arg("--out-dir")
        .arg(out_dir)
        .arg(file)
        .status()
        .ok()?;
    status.success().then(|| start.elapsed())
}

fn exponent(rows: &[Value], key: &str) -> Option<f64> {
    let points: Option<Vec<(f64, f64)>> = rows
        .iter()
        .map(|r| Some((r["nodes"].as_f64()?, r[key].as_f64()?)))
        .collect();
    growth_exponent(&points?)
}

//! How the compiler pass grows: deterministic formulas of 10² … 10⁶ nodes in three shapes
//! (random terms, deep chains, wide sums of gates; `src/random.rs`) through
//! parse → differentiate → generate in this process (time per stage, peak memory), and through
//! the whole `symgrad grad` process (wall time, peak RSS from `/usr/bin/time -v`), with
//! the fitted growth exponents.
//!
//! Environment: `SYMGRAD_BIN` the `symgrad` binary (whole-process rows are skipped
//! without it), `SYMGRAD_SCALE_OUT` a JSON file for the report, `SYMGRAD_SCALE_MAX` the
//! largest size (default 10⁶), `SYMGRAD_SCALE_SHAPES` the shapes to run, by name, comma
//! separated (default all).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use symgrad_bench::fit::growth_exponent;
use symgrad_bench::pipeline;
use symgrad_bench::random::{SEED, scale_from_env};

const SIZES: [usize; 5] = [100, 1_000, 10_000, 100_000, 1_000_000];

fn main() {
    let (selected, max) = scale_from_env();
    let symgrad = std::env::var("SYMGRAD_BIN").ok();
    let mut shapes = Vec::new();
    for (name, description, formula) in selected {
        println!("{name}: {description}");
        let rows = rows(formula, max, symgrad.as_deref());
        let exponents = json!({
            "pipeline": exponent(&rows, "total_s", 0),
            "pipeline_from_1e4": exponent(&rows, "total_s", 10_000),
            "process": exponent(&rows, "process_s", 0),
            "process_from_1e4": exponent(&rows, "process_s", 10_000),
        });
        println!("growth exponents: {exponents}");
        shapes.push(json!({
            "name": name,
            "description": description,
            "rows": rows,
            "exponents": exponents,
        }));
    }
    if let Ok(out) = std::env::var("SYMGRAD_SCALE_OUT") {
        let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        let report = json!({
            "seed": SEED,
            "shapes": shapes,
            "loadavg": loadavg.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
        });
        std::fs::write(&out, format!("{report:#}\n")).expect("the scale report is writable");
    }
}

/// One shape's rows: each size in process and, with `symgrad`, as a whole process.
fn rows(formula: impl Fn(usize) -> String, max: usize, symgrad: Option<&str>) -> Vec<Value> {
    let mut rows = Vec::new();
    println!("nodes\tbytes\tparse\tdiff\tgen\ttotal\tpeak MiB\tprocess\tprocess MiB");
    for &size in SIZES.iter().filter(|&&s| s <= max) {
        let source = formula(size);
        let (stages, peak) = in_process(&source);
        let process = symgrad.map(|bin| whole_process(bin, &source));
        println!(
            "{size}\t{}\t{:.2?}\t{:.2?}\t{:.2?}\t{:.2?}\t{:.1}\t{}\t{}",
            source.len(),
            stages.parse,
            stages.differentiate,
            stages.generate,
            stages.total(),
            peak.map_or(f64::NAN, |kib| kib as f64 / 1024.0),
            process.map_or("-".into(), |p| format!("{:.2?}", p.0)),
            process.map_or("-".into(), |p| format!("{:.1}", p.1 as f64 / 1024.0)),
        );
        rows.push(json!({
            "nodes": size,
            "source_bytes": source.len(),
            "graph_nodes": stages.graph_nodes,
            "output_bytes": stages.output_bytes,
            "parse_s": stages.parse.as_secs_f64(),
            "differentiate_s": stages.differentiate.as_secs_f64(),
            "generate_s": stages.generate.as_secs_f64(),
            "total_s": stages.total().as_secs_f64(),
            "peak_kib": peak,
            "process_s": process.map(|p| p.0.as_secs_f64()),
            "process_peak_kib": process.map(|p| p.1),
        }));
    }
    rows
}

/// The median stage times over a few runs (one for the largest sizes), and the peak
/// resident memory of this process during them, in KiB.
fn in_process(source: &str) -> (pipeline::Stages, Option<u64>) {
    let runs = (200_000 / source.len().max(1)).clamp(1, 9);
    reset_peak_memory();
    let mut all: Vec<pipeline::Stages> = (0..runs)
        .map(|_| pipeline::run(source).expect("random formulas parse"))
        .collect();
    let peak = peak_memory_kib();
    all.sort_by_key(pipeline::Stages::total);
    (all[all.len() / 2], peak)
}

/// Resets the kernel's high-water mark of this process's resident memory (Linux).
fn reset_peak_memory() {
    // Without /proc the peak is the process's whole-life peak: sizes run in increasing
    // order, so it is still the peak of the largest size so far.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `symgrad grad -` on `source`: wall time (measured here, `/usr/bin/time` rounds to 10 ms)
/// and peak RSS in KiB (from `/usr/bin/time -v`).
fn whole_process(bin: &str, source: &str) -> (Duration, u64) {
    let dir = std::env::temp_dir().join(format!("symgrad-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the temp dir is writable");
    let input = dir.join("formula.txt");
    std::fs::write(&input, source).expect("the temp dir is writable");
    let start = Instant::now();
    let output = Command::new("/usr/bin/time")
        .args(["-v", bin, "grad", "-"])
        .stdin(std::fs::File::open(&input).expect("just written"))
        .stdout(Stdio::null())
        .output()
        .expect("/usr/bin/time runs");
    let elapsed = start.elapsed();
    let _ = std::fs::remove_dir_all(&dir);
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "symgrad grad failed:\n{report}");
    let field = |name: &str| {
        report
            .lines()
            .find_map(|l| l.trim().strip_prefix(name))
            .map(str::trim)
            .unwrap_or_else(|| panic!("`{name}` missing from /usr/bin/time:\n{report}"))
            .to_string()
    };
    let rss: u64 = field("Maximum resident set size (kbytes):")
        .parse()
        .expect("kbytes are a number");
    (elapsed, rss)
}

/// The growth exponent of `key` over the rows of at least `from` nodes.
fn exponent(rows: &[Value], key: &str, from: u64) -> Option<f64> {
    let points: Vec<(f64, f64)> = rows
        .iter()
        .filter(|r| r["nodes"].as_u64().is_some_and(|n| n >= from))
        .filter_map(|r| Some((r["nodes"].as_f64()?, r[key].as_f64()?)))
        .collect();
    if points.len() < 2 {
        return None;
    }
    growth_exponent(&points)
}

//! Compile time of generated code as formulas grow: for random formulas of 10² … 10⁵
//! nodes, macro expansion alone (parse → differentiate → generate, in this process) and
//! rustc on the generated code, in the dev profile (debug info, no optimization) and the
//! release profile, with the fitted growth exponents. Then the same for the
//! `#[derive_grad(hessian)]` items of the benchmarks' n-input neurons (n = 5, 50, 200).
//! Last, a crate holding the lecture's two-layer net with arrays and loops (SPEC §8,
//! `src/net_item.rs`, 3072 → 100 → 10) as a user writes it, `#[derive_grad]` and all:
//! rustc runs the macro (the `symgrad` proc-macro library this binary was built beside)
//! and compiles its items, in each profile; and the same crate without the attribute
//! (only `fn net`), rustc's cost for the forward pass alone.
//!
//! rustc runs on the generated items written out as a library crate, with non-inline
//! functions calling `f::grad` (or `f::hessian` and `f::hvp`) so that the `#[inline]`
//! items are compiled too. Environment: `SYMGRAD_COMPILE_OUT` a JSON file for the report,
//! `SYMGRAD_COMPILE_MAX` the largest random size (default 10⁵),
//! `SYMGRAD_COMPILE_HESSIAN_MAX` the largest neuron (default 200, about 100 s of rustc
//! since its Hessian is written in parts; 50 leaves it out, 0 skips all),
//! `SYMGRAD_COMPILE_TIMEOUT` seconds after which a rustc is stopped (default 1800),
//! `SYMGRAD_COMPILE_ARRAYS=0` skips the net, `SYMGRAD_MACRO_DYLIB` the proc-macro library
//! to load (default: the newest `libsymgrad-*.so` beside this binary, in `deps/`).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use symgrad_bench::fit::growth_exponent;
use symgrad_bench::formulas;
use symgrad_bench::random;
use symgrad_core::{CodegenOptions, Gradient, SecondOrder, generate, generate_with};

const SIZES: [usize; 4] = [100, 1_000, 10_000, 100_000];
/// The inputs of the neurons whose Hessians are compiled: the benchmark's `hessian-` groups.
const NEURONS: [usize; 3] = [5, 50, 200];
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
    let macro_args = macro_args();
    let mut rows = Vec::new();
    println!("nodes\texpand\trustc dev\trustc release");
    for &size in SIZES.iter().filter(|&&s| s <= max) {
        let source = random::formula(size, SEED);
        let (expand, crate_source) = expand(&source);
        let times = compile(
            &dir,
            &format!("generated{size}.rs"),
            &crate_source,
            &macro_args,
        );
        println!(
            "{size}\t{expand:.2?}\t{}\t{}",
            show(&times[0]),
            show(&times[1])
        );
        let mut row = json!({"nodes": size, "expand_s": expand.as_secs_f64()});
        record(&mut row, &times);
        rows.push(row);
    }
    let hessian_max = std::env::var("SYMGRAD_COMPILE_HESSIAN_MAX")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let mut hessians = Vec::new();
    println!("neuron inputs\tbytes\texpand\trustc dev\trustc release");
    for &n in NEURONS.iter().filter(|&&n| n <= hessian_max) {
        let (expand, bytes, crate_source) = expand_hessian(n);
        let times = compile(&dir, &format!("hessian{n}.rs"), &crate_source, &macro_args);
        println!(
            "{n}\t{bytes}\t{expand:.2?}\t{}\t{}",
            show(&times[0]),
            show(&times[1])
        );
        let mut row = json!({"inputs": n, "bytes": bytes, "expand_s": expand.as_secs_f64()});
        record(&mut row, &times);
        hessians.push(row);
    }
    let loops = if std::env::var("SYMGRAD_COMPILE_ARRAYS").as_deref() == Ok("0") {
        Vec::new()
    } else {
        compile_net(&dir)
    };
    let _ = std::fs::remove_dir_all(&dir);
    let exponents = json!({
        "expand": exponent(&rows, "expand_s"),
        "rustc_dev": exponent(&rows, "rustc_dev_s"),
        "rustc_release": exponent(&rows, "rustc_release_s"),
    });
    println!("growth exponents: {exponents}");
    if let Ok(out) = std::env::var("SYMGRAD_COMPILE_OUT") {
        let report = json!({
            "seed": SEED,
            "rows": rows,
            "exponents": exponents,
            "hessians": hessians,
            "loops": loops,
        });
        std::fs::write(&out, format!("{report:#}\n")).expect("the compile report is writable");
    }
}

/// What `#[derive_grad]` does with `source`, timed in this process (best of three for
/// small sizes), and the crate rustc compiles as a user's: the attribute on the formula
/// (rustc runs the macro again) and a non-inline caller of `f::grad`.
fn expand(source: &str) -> (Duration, String) {
    let runs = if source.len() < 100_000 { 3 } else { 1 };
    let mut best = Duration::MAX;
    let mut vars = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let formula = symgrad_grammar::parse(source).expect("random formulas parse");
        let grad = Gradient::all(&formula);
        let options = CodegenOptions::new("f", grad.vars()).expect("x0 … x99 are identifiers");
        let tokens = generate(&grad, &options);
        best = best.min(start.elapsed());
        drop(tokens);
        vars = grad.vars().to_vec();
    }
    let n = vars.len();
    let args: Vec<String> = (0..n).map(|i| format!("p[{i}]")).collect();
    let code = format!(
        "{}\npub fn grad_at(p: &[f64; {n}]) -> (f64, [f64; {n}]) {{ f::grad({}) }}\n",
        attributed(source, "", &vars),
        args.join(", ")
    );
    (best, code)
}

/// `#[derive_grad(r#"source"#options)] fn f(vars: f64…) -> f64;`, with the import.
fn attributed(source: &str, options: &str, vars: &[String]) -> String {
    let params: Vec<String> = vars.iter().map(|v| format!("{v}: f64")).collect();
    format!(
        "use symgrad::derive_grad;\n#[derive_grad(r#\"{source}\"#{options})]\nfn f({}) -> f64;\n",
        params.join(", ")
    )
}

/// What `#[derive_grad(hessian)]` does with the neuron of `n` inputs, timed (best of three
/// below n = 200), the size of the code it writes, and the crate rustc compiles: the
/// attribute and non-inline callers of `f::hessian` and `f::hvp`.
fn expand_hessian(n: usize) -> (Duration, usize, String) {
    let bench = formulas::neuron_of("neuron", n);
    let runs = if n < 200 { 3 } else { 1 };
    let mut best = Duration::MAX;
    let mut bytes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let vars: Vec<&str> = bench.vars.iter().map(String::as_str).collect();
        let formula =
            symgrad_grammar::parse_with_vars(&bench.source, &vars).expect("the neuron parses");
        let wrt: Vec<u32> = (0..bench.vars.len() as u32).collect();
        let grad = Gradient::new(&formula, &wrt);
        let second = SecondOrder::new(&formula, &wrt);
        let options = CodegenOptions::new("f", grad.vars()).expect("w0 … b are identifiers");
        let generated = generate_with(&grad, Some(&second), &options);
        best = best.min(start.elapsed());
        bytes = generated.to_string().len();
    }
    let k = bench.vars.len();
    let args: Vec<String> = (0..k).map(|i| format!("p[{i}]")).collect();
    let args = args.join(", ");
    let code = format!(
        "{}pub fn hessian_at(p: &[f64; {k}]) -> (f64, [f64; {k}], [[f64; {k}]; {k}]) {{ \
         f::hessian({args}) }}\npub fn hvp_at(p: &[f64; {k}], v: [f64; {k}]) -> (f64, \
         [f64; {k}], [f64; {k}]) {{ f::hvp({args}, v) }}\n",
        attributed(&bench.source, ", hessian", &bench.vars)
    );
    (best, bytes, code)
}

/// The two-layer net (`src/net_item.rs`) as a crate of its own: with `#[derive_grad]`
/// and a non-inline caller of `net::grad_into` (rustc expands the macro and compiles
/// `Grad`, `grad_into` and `fn net`), then without the attribute (only `fn net`): rustc's
/// time for each in each profile.
fn compile_net(dir: &Path) -> Vec<Value> {
    const NET: &str = include_str!("../net_item.rs");
    const CALLER: &str = "pub fn grad_at(w1: &[[f64; D]; H], b1: &[f64; H], \
        w2: &[[f64; H]; C], b2: &[f64; C], x: &[f64; D], y: usize, g: &mut net::Grad) -> f64 \
        { net::grad_into(w1, b1, w2, b2, x, y, g) }\n";
    let extern_args = macro_args();
    let with_macro = format!("use symgrad::derive_grad;\n{NET}\n{CALLER}");
    let plain = NET.replace("#[derive_grad]\n", "");
    let mut rows = Vec::new();
    println!("two-layer net\trustc dev\trustc release");
    for (name, source, args) in [
        ("net, #[derive_grad]", with_macro.as_str(), &extern_args[..]),
        ("net, forward only (no attribute)", plain.as_str(), &[][..]),
    ] {
        let times = compile(dir, &format!("net{}.rs", rows.len()), source, args);
        println!("{name}\t{}\t{}", show(&times[0]), show(&times[1]));
        let mut row = json!({"name": name, "bytes": source.len()});
        record(&mut row, &times);
        rows.push(row);
    }
    rows
}

/// rustc's arguments for a crate that uses the `symgrad` proc-macro library (see
/// [`macro_dylib`]).
fn macro_args() -> Vec<String> {
    let Some(dylib) = macro_dylib() else {
        panic!("no libsymgrad-*.so found beside this binary (set SYMGRAD_MACRO_DYLIB)");
    };
    let deps = dylib
        .parent()
        .expect("a file has a directory")
        .to_path_buf();
    vec![
        "--extern".to_string(),
        format!("symgrad={}", dylib.display()),
        "-L".to_string(),
        format!("dependency={}", deps.display()),
    ]
}

/// The `symgrad` proc-macro library: `SYMGRAD_MACRO_DYLIB`, or the newest
/// `libsymgrad-*.so` in the `deps/` directory beside this binary (cargo builds it there for
/// this package, which depends on it).
fn macro_dylib() -> Option<std::path::PathBuf> {
    if let Ok(path) = std::env::var("SYMGRAD_MACRO_DYLIB") {
        return Some(path.into());
    }
    let deps = std::env::current_exe().ok()?.parent()?.join("deps");
    std::fs::read_dir(deps)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with("libsymgrad-") && name.ends_with(std::env::consts::DLL_SUFFIX)
        })
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
        .map(|e| e.path())
}

/// `"rustc_dev_s"` and `"rustc_release_s"` of `row` from `times` (one per profile): the
/// seconds, or `null` and the failure under `"rustc_dev_failure"`, ….
fn record(row: &mut Value, times: &[Result<Duration, String>]) {
    for ((profile, _), time) in PROFILES.iter().zip(times) {
        match time {
            Ok(t) => row[format!("rustc_{profile}_s")] = json!(t.as_secs_f64()),
            Err(why) => {
                row[format!("rustc_{profile}_s")] = Value::Null;
                row[format!("rustc_{profile}_failure")] = json!(why);
            }
        }
    }
}

fn show(time: &Result<Duration, String>) -> String {
    match time {
        Ok(t) => format!("{t:.2?}"),
        Err(why) => why.clone(),
    }
}

/// Writes `source` to `name` in `dir` and times rustc on it in each of [`PROFILES`], with
/// the extra arguments `args` (the macro library's, [`macro_args`]).
fn compile(dir: &Path, name: &str, source: &str, args: &[String]) -> Vec<Result<Duration, String>> {
    let file = dir.join(name);
    std::fs::write(&file, source).expect("the generated crate is writable");
    PROFILES
        .iter()
        .map(|(_, flags)| {
            let mut all = flags.to_vec();
            all.extend(args.iter().map(String::as_str));
            rustc(&file, dir, &all)
        })
        .collect()
}

/// Wall time of rustc compiling `file` as a library with `flags`, or how it failed (its
/// exit status or signal, or stopped after `SYMGRAD_COMPILE_TIMEOUT` seconds).
fn rustc(file: &Path, out_dir: &Path, flags: &[&str]) -> Result<Duration, String> {
    use std::os::unix::process::ExitStatusExt;
    let timeout = Duration::from_secs(
        std::env::var("SYMGRAD_COMPILE_TIMEOUT")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1800),
    );
    let start = Instant::now();
    let mut child = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .args(["--edition", "2024", "--crate-type", "lib", "--emit", "link"])
        .args(["--cap-lints", "allow"])
        .args(flags)
        .arg("--out-dir")
        .arg(out_dir)
        .arg(file)
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("rustc did not start: {e}"))?;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let elapsed = start.elapsed();
            return match (status.code(), status.signal()) {
                (Some(0), _) => Ok(elapsed),
                (_, Some(signal)) => Err(format!("signal {signal} after {elapsed:.0?}")),
                (code, _) => Err(format!("exit {code:?} after {elapsed:.0?}")),
            };
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("stopped after {timeout:.0?}"));
        }
        // Polled often: a small crate compiles in a tenth of a second, and a coarse poll
        // rounded every time up to the next 100 ms.
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn exponent(rows: &[Value], key: &str) -> Option<f64> {
    let points: Option<Vec<(f64, f64)>> = rows
        .iter()
        .map(|r| Some((r["nodes"].as_f64()?, r[key].as_f64()?)))
        .collect();
    growth_exponent(&points?)
}

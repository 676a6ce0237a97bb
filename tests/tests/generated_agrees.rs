//! The generator, not only the interpreter: random formulas go through `generate` (the code
//! `#[derive_grad]` and `symgrad rust` emit) into one scratch program, compiled once with
//! `rustc`, whose `f::grad` values must agree with the core evaluator on the same gradient.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use symgrad_core::{CodegenOptions, Gradient, generate};
use symgrad_tests::close;

const VARS: [&str; 3] = ["x", "y", "z"];
const FORMULAS: usize = 64;
const POINTS: [[f64; 3]; 4] = [
    [0.7, -1.3, 2.1],
    [-0.4, 0.9, -2.6],
    [1.9, 0.3, 0.05],
    [-3.2, -0.6, 1.4],
];

/// xorshift64*: the formulas are the same on every run, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A random formula of the language, at most `depth` operations deep, exercising every
/// function, the operators and the sigmoid and softplus disguises the gates rewrite.
fn formula(rng: &mut Rng, depth: usize) -> String {
    if depth == 0 || rng.below(5) == 0 {
        return rng
            .pick(&["x", "y", "z", "2", "0.5", "3", "e", "π"])
            .to_string();
    }
    let a = formula(rng, depth - 1);
    match rng.below(12) {
        0 => format!("({a} + {})", formula(rng, depth - 1)),
        1 => format!("({a} - {})", formula(rng, depth - 1)),
        2 | 3 => format!("{a}·{}", formula(rng, depth - 1)),
        4 => format!("{a}/(1 + ({})^2)", formula(rng, depth - 1)),
        5 => format!("({a})^{}", rng.pick(&["2", "3", "-1", "0.5"])),
        6 => format!("-{a}"),
        7 => {
            let f = rng.pick(&["max", "min"]);
            format!("{f}({a}, {})", formula(rng, depth - 1))
        }
        8 => format!("1/(1+e^-({a}))"),
        9 => format!("ln(1 + e^({a}))"),
        _ => {
            let f = rng.pick(&[
                "exp", "sin", "cos", "atan", "tanh", "sigmoid", "softplus", "relu", "abs", "sinh",
                "cosh", "sqrt", "ln", "tan", "log2",
            ]);
            format!("{f}({a})")
        }
    }
}

/// The scratch program: one module per formula, and a `main` that prints the bits of
/// every `grad` result at every point.
fn program(grads: &[Gradient]) -> String {
    let mut source = String::from("#![allow(warnings)]\n");
    for (k, grad) in grads.iter().enumerate() {
        let mut options = CodegenOptions::new("f", grad.vars()).expect("valid names");
        options.vis = "pub".parse().expect("`pub` is a token");
        let _ = writeln!(source, "mod case{k} {{ {} }}", generate(grad, &options));
    }
    source.push_str("fn main() {\n");
    for k in 0..grads.len() {
        for [x, y, z] in POINTS {
            let _ = writeln!(
                source,
                "    let (v, g) = case{k}::f::grad({x:?}, {y:?}, {z:?});\n    \
                 println!(\"{{:x}} {{:x}} {{:x}} {{:x}}\", v.to_bits(), g[0].to_bits(), \
                 g[1].to_bits(), g[2].to_bits());"
            );
        }
    }
    source.push_str("}\n");
    source
}

/// Compiles and runs `source`; one line of output per `println!`.
fn compile_and_run(dir: &Path, source: &str) -> Vec<String> {
    std::fs::create_dir_all(dir).expect("scratch directory");
    let main = dir.join("main.rs");
    std::fs::write(&main, source).expect("write the scratch program");
    let exe = dir.join("generated");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let out = Command::new(rustc)
        .args(["--edition", "2024", "-C", "opt-level=1", "-o"])
        .arg(&exe)
        .arg(&main)
        .output()
        .expect("rustc runs");
    assert!(
        out.status.success(),
        "the generated code does not compile ({}):\n{}",
        main.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let run = Command::new(&exe).output().expect("the program runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8(run.stdout)
        .expect("hex digits")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// A random formula with random `if`s (SPEC §7) around [`formula`]s: comparisons joined
/// by `and`, `or` and `not`, branches that may be NaN where they are not taken, some of
/// them under a piecewise built-in.
fn piecewise(rng: &mut Rng, depth: usize) -> String {
    if depth == 0 || rng.below(3) == 0 {
        return formula(rng, depth.min(2));
    }
    let op = rng.pick(&["<", "<=", ">", ">="]);
    let mut cond = format!("{} {op} {}", formula(rng, 1), formula(rng, 1));
    match rng.below(4) {
        0 => cond = format!("{cond} and {} > 0", formula(rng, 1)),
        1 => cond = format!("not({cond}) or {} < 1", formula(rng, 1)),
        _ => {}
    }
    let (a, b) = (piecewise(rng, depth - 1), piecewise(rng, depth - 1));
    let select = format!("if({cond}, {a}, {b})");
    // The piecewise built-ins, each a `Rust::Gate` with branches of its own.
    match rng.below(10) {
        0 => format!("leaky_relu({select}, {})", rng.pick(&["0.1", "y"])),
        1 => format!("elu({select}, {})", rng.pick(&["1", "0.5", "z"])),
        2 => format!("huber({select}, {})", rng.pick(&["1", "0.5"])),
        3 => format!("clamp({select}, -1, {})", rng.pick(&["1", "x"])),
        4 => format!("{}({select})", rng.pick(&["gelu", "silu", "elu"])),
        5 => format!("sign({select})·{}", formula(rng, 1)),
        _ => select,
    }
}

#[test]
fn generated_grad_agrees_with_the_interpreter_on_random_formulas() {
    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    let sources: Vec<String> = (0..FORMULAS).map(|_| formula(&mut rng, 4)).collect();
    agrees(&sources, "generated_agrees");
}

#[test]
fn generated_grad_agrees_with_the_interpreter_on_random_ifs() {
    let mut rng = Rng(0x1f_e15e_0dd5);
    let sources: Vec<String> = (0..FORMULAS).map(|_| piecewise(&mut rng, 3)).collect();
    agrees(&sources, "generated_agrees_ifs");
}

/// The generated `grad` of each of `sources`, compiled in the scratch directory `scratch`,
/// agrees with the interpreter at every point.
fn agrees(sources: &[String], scratch: &str) {
    let grads: Vec<Gradient> = sources
        .iter()
        .map(|s| {
            let f = symgrad_grammar::parse_with_vars(s, &VARS)
                .unwrap_or_else(|e| panic!("{}", e.render(s)));
            Gradient::all(&f)
        })
        .collect();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(scratch);
    let lines = compile_and_run(&dir, &program(&grads));
    assert_eq!(lines.len(), FORMULAS * POINTS.len());

    let mut disagreements = Vec::new();
    for (k, grad) in grads.iter().enumerate() {
        for (p, point) in POINTS.iter().enumerate() {
            let (value, partials) = grad.evaluate(point);
            let expected = std::iter::once(value).chain(partials);
            let line = &lines[k * POINTS.len() + p];
            let generated = line
                .split(' ')
                .map(|h| f64::from_bits(u64::from_str_radix(h, 16).expect("hex bits")));
            for (i, (want, got)) in expected.zip(generated).enumerate() {
                if !close(want, got, 1e-9) {
                    disagreements.push(format!(
                        "`{}` at {point:?}, {}: interpreter {want}, generated {got}",
                        sources[k],
                        if i == 0 {
                            "value".to_string()
                        } else {
                            format!("∂/∂{}", VARS[i - 1])
                        }
                    ));
                }
            }
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

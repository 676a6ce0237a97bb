//! `symgrad rust`: the exact code `#[derive_grad]` generates for `fn NAME(vars…) -> f64`,
//! formatted with prettyplease; with `--hessian`, what `#[derive_grad(hessian)]` does; with
//! `--file`, what it generates for a function of a Rust file (`rust_file.rs`).

use std::path::PathBuf;

use clap::{ArgGroup, Args};
use symgrad_core::{
    CodegenOptions, Float, Gradient, HessianVectorProduct, ManyOutputs, OutputShape, SecondOrder,
    Stage, generate_many, generate_with, generate_with_hvp,
};

use crate::formatted::unparse;
use crate::input::{Failure, FormulaArgs, FormulaOptions, Problem};
use crate::progress::Progress;

/// `symgrad rust EXPR [--name f] [--vars …] [--wrt …] [--at …] [--f32] [--hessian]` or
/// `symgrad rust --file F.rs [--fn NAME]`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("input").required(true).args(["expr", "file"])))]
pub struct RustArgs {
    /// The formula in math notation, e.g. "1/(1+e^-(w0x0+w1x1+w2))"; `-` reads standard input.
    #[arg(value_name = "EXPR", allow_hyphen_values = true)]
    pub expr: Option<String>,
    #[command(flatten)]
    pub options: FormulaOptions,
    /// The function's name [default: f].
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Generate `f32` code (every parameter and the result `f32`).
    #[arg(long)]
    pub f32: bool,
    /// Also generate `f::hessian` and `f::hvp`, as `#[derive_grad(hessian)]` does.
    #[arg(long)]
    pub hessian: bool,
    /// Also generate `f::hvp` alone, as `#[derive_grad(hvp)]` does: the Hessian-vector
    /// product without the Hessian's code, which grows with the square of the variables.
    #[arg(long)]
    pub hvp: bool,
    /// Instead of EXPR: print what `#[derive_grad]` generates for a function of this Rust
    /// file (either form: a formula string or a Rust body, arrays and loops included).
    #[arg(long, value_name = "F.rs")]
    pub file: Option<PathBuf>,
    /// With --file: the `#[derive_grad]` function to expand, by name (or `module::name`);
    /// needed when the file has several.
    #[arg(
        long = "fn",
        value_name = "NAME",
        requires = "file",
        conflicts_with = "expr"
    )]
    pub function: Option<String>,
}

pub fn run(args: &RustArgs) -> Result<String, Failure> {
    let progress = Progress::new("rust", None);
    if let Some(path) = &args.file {
        formula_flags_absent(args)?;
        return crate::rust_file::run(path, args.function.as_deref(), progress);
    }
    progress.set_stage("parsing");
    let formula = FormulaArgs {
        expr: args.expr.clone().unwrap_or_default(),
        options: args.options.clone(),
    };
    let problem = formula.problem_with_outputs()?;
    if args.hessian || args.hvp {
        crate::grad::require_variables(&problem)?;
    }
    if problem.is_many() {
        return many(args, &problem, progress);
    }
    let on_stage = &mut |stage: Stage| progress.set_stage(stage.label());
    let grad = Gradient::observed(&problem.formula, &problem.wrt, on_stage);
    let mut options = CodegenOptions::new(name(args), grad.vars())
        .map_err(|message| Failure::new(message, Some("rename it".to_string())))?;
    if args.f32 {
        options.float = Float::F32;
    }
    if let Some(point) = problem.at {
        options.test_points.push(point);
    }
    if args.hessian || args.hvp {
        progress.set_stage("second partials");
    }
    if args.hvp && !args.hessian {
        let hvp = HessianVectorProduct::new(&problem.formula, &problem.wrt);
        progress.set_stage("generating");
        return unparse(generate_with_hvp(&grad, &hvp, &options), progress);
    }
    let second = args
        .hessian
        .then(|| SecondOrder::new(&problem.formula, &problem.wrt));
    progress.set_stage("generating");
    let tokens = generate_with(&grad, second.as_ref(), &options);
    unparse(tokens, progress)
}

/// The generated function's name: `--name`, or `f`.
fn name(args: &RustArgs) -> &str {
    args.name.as_deref().unwrap_or("f")
}

/// With `--file`, the function and its attribute say what the formula's flags would: each
/// flag given is an error that says where to write it instead.
fn formula_flags_absent(args: &RustArgs) -> Result<(), Failure> {
    let options = &args.options;
    let given = [
        (
            options.vars.is_some(),
            "--vars",
            "the function's parameters are the variables",
        ),
        (
            options.wrt.is_some(),
            "--wrt",
            "write `wrt(a, b)` in the attribute: `#[derive_grad(wrt(a, b))]`",
        ),
        (
            options.at.is_some(),
            "--at",
            "write `test_at(a = 1.0, …)` in the attribute for a checked point",
        ),
        (
            args.name.is_some(),
            "--name",
            "the function's own name is used",
        ),
        (
            args.f32,
            "--f32",
            "the signature says the float type: write `f32` parameters and return type",
        ),
        (
            args.hessian,
            "--hessian",
            "write `hessian` in the attribute: `#[derive_grad(hessian)]`",
        ),
        (
            args.hvp,
            "--hvp",
            "write `hvp` in the attribute: `#[derive_grad(hvp)]`",
        ),
    ];
    match given.into_iter().find(|(present, _, _)| *present) {
        Some((_, flag, help)) => Err(Failure::new(
            format!("`{flag}` is for a formula EXPR and does not apply with `--file`"),
            Some(help.to_string()),
        )),
        None => Ok(()),
    }
}

/// What `#[derive_grad("a, b")] fn f(…) -> [f64; 2];` generates (no `hessian`: it is for
/// one output; with `--at`, the `test_at` check of every Jacobian row).
fn many(args: &RustArgs, problem: &Problem, progress: Progress) -> Result<String, Failure> {
    if args.hessian || args.hvp {
        let flag = if args.hessian { "--hessian" } else { "--hvp" };
        return Err(Failure::new(
            format!("`{flag}` is for a formula of one output"),
            Some("leave it out for the items of many outputs".to_string()),
        ));
    }
    let mut options = CodegenOptions::new(name(args), &problem.formula.vars)
        .map_err(|message| Failure::new(message, Some("rename it".to_string())))?;
    if args.f32 {
        options.float = Float::F32;
    }
    if let Some(point) = &problem.at {
        options.test_points.push(point.clone());
    }
    progress.set_stage("generating");
    let many = ManyOutputs::new(&problem.outputs(), &problem.wrt);
    unparse(generate_many(&many, OutputShape::Array, &options), progress)
}

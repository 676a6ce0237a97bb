//! `symgrad rust`: the exact code `#[derive_grad]` generates for `fn NAME(vars…) -> f64`,
//! formatted with prettyplease; with `--hessian`, what `#[derive_grad(hessian)]` does.

use clap::Args;
use symgrad_core::{
    CodegenOptions, Float, Gradient, ManyOutputs, OutputShape, SecondOrder, Stage, generate_many,
    generate_with,
};

use crate::input::{Failure, FormulaArgs};
use crate::progress::Progress;

/// `symgrad rust EXPR [--name f] [--vars …] [--wrt …] [--f32] [--hessian]`.
#[derive(Debug, Args)]
pub struct RustArgs {
    #[command(flatten)]
    pub formula: FormulaArgs,
    /// The function's name.
    #[arg(long, default_value = "f", value_name = "NAME")]
    pub name: String,
    /// Generate `f32` code (every parameter and the result `f32`).
    #[arg(long)]
    pub f32: bool,
    /// Also generate `f::hessian` and `f::hvp`, as `#[derive_grad(hessian)]` does.
    #[arg(long)]
    pub hessian: bool,
}

pub fn run(args: &RustArgs) -> Result<String, Failure> {
    let progress = Progress::new("rust", None);
    progress.set_stage("parsing");
    let problem = args.formula.problem_with_outputs()?;
    if args.hessian {
        crate::grad::require_variables(&problem)?;
    }
    if problem.is_many() {
        return many(args, &problem, progress);
    }
    let on_stage = &mut |stage: Stage| progress.set_stage(stage.label());
    let grad = Gradient::observed(&problem.formula, &problem.wrt, on_stage);
    let mut options = CodegenOptions::new(&args.name, grad.vars())
        .map_err(|message| Failure::new(message, Some("rename it".to_string())))?;
    if args.f32 {
        options.float = Float::F32;
    }
    if let Some(point) = problem.at {
        options.test_points.push(point);
    }
    if args.hessian {
        progress.set_stage("second partials");
    }
    let second = args
        .hessian
        .then(|| SecondOrder::new(&problem.formula, &problem.wrt));
    progress.set_stage("generating");
    let tokens = generate_with(&grad, second.as_ref(), &options);
    unparse(tokens, progress)
}

/// What `#[derive_grad("a, b")] fn f(…) -> [f64; 2];` generates (no `hessian`: it is for
/// one output; with `--at`, the `test_at` check of every Jacobian row).
fn many(
    args: &RustArgs,
    problem: &crate::input::Problem,
    progress: Progress,
) -> Result<String, Failure> {
    if args.hessian {
        return Err(Failure::new(
            "`--hessian` is for a formula of one output",
            Some("leave it out for the items of many outputs".to_string()),
        ));
    }
    let mut options = CodegenOptions::new(&args.name, &problem.formula.vars)
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

/// The generated items, formatted.
fn unparse(tokens: proc_macro2::TokenStream, progress: Progress) -> Result<String, Failure> {
    progress.set_stage("formatting");
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Failure::new(
            format!("internal error: the generated code does not parse: {e}"),
            Some("please report this formula".to_string()),
        )
    })?;
    let formatted = prettyplease::unparse(&file);
    progress.finish();
    Ok(formatted)
}

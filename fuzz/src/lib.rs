//! The checks the fuzz targets run, as a library so that the root workspace's tests run
//! every committed finding through exactly the same code (`tests/tests/fuzz_regressions.rs`
//! includes this file).
//!
//! [`check_pipeline`] runs parse → differentiate → print → evaluate and returns `Err` with
//! a description when an invariant breaks; a panic, a stack overflow or a hang inside the
//! pipeline is a finding of its own.

use symgrad_core::{
    BackwardTable, CheckOptions, CodegenOptions, ComputationalGraph, Gradient, ManyOutputs,
    OutputShape, check_gradient, count_ops, evaluate, generate, generate_many, listing, lower,
    to_math,
};
use symgrad_grammar::{Formula, ParseError, Span, parse, parse_outputs, parse_with_vars};

/// Printed text may be at most this many bytes per DAG node (a name is at most 256 bytes
/// and a trivial node repeats two of them), so printing stays linear in the graph.
const MAX_PRINTED_BYTES_PER_NODE: usize = 1024;

/// Runs the whole pipeline on `source`; `Err` says which invariant broke.
pub fn check_pipeline(source: &str) -> Result<(), String> {
    match parse(source) {
        Ok(formula) => check_formula(&formula)?,
        Err(error) => check_error(source, &error)?,
    }
    // Declared variables take other paths: unknown names, `xy` → `x*y` hints, `f(x)`.
    match parse_with_vars(source, DECLARED) {
        Ok(formula) => check_formula(&formula)?,
        Err(error) => check_error(source, &error)?,
    }
    // Comma-separated outputs (SPEC §6): one formula is the single parse's; a list has a
    // Jacobian of m × k entries whose generated items are Rust.
    match parse_outputs(source) {
        Ok(outputs) if outputs.len() > 1 => check_outputs(&outputs),
        Ok(_) => Ok(()),
        Err(error) => check_error(source, &error),
    }
}

fn check_outputs(outputs: &[Formula]) -> Result<(), String> {
    let k = outputs[0].vars.len();
    let wrt: Vec<u32> = (0..k as u32).collect();
    let many = ManyOutputs::new(outputs, &wrt);
    let (values, jacobian) = many.jacobian.evaluate(&sample_point(k));
    if values.len() != outputs.len() || jacobian.len() != outputs.len() * k {
        return Err(format!(
            "{} outputs and {} Jacobian entries for {} formulas of {k} variables",
            values.len(),
            jacobian.len(),
            outputs.len()
        ));
    }
    let Ok(options) = CodegenOptions::new("f", &outputs[0].vars) else {
        return Ok(());
    };
    let tokens = generate_many(&many, OutputShape::Array, &options);
    syn::parse2::<syn::File>(tokens)
        .map(drop)
        .map_err(|e| format!("generated code of many outputs does not parse: {e}"))
}

/// The variables the second parse declares.
const DECLARED: &[&str] = &["x", "y", "w0", "x0", "f"];

fn check_error(source: &str, error: &ParseError) -> Result<(), String> {
    if !valid_span(source, error.span) {
        return Err(format!(
            "error span {:?} outside the source: {error:?}",
            error.span
        ));
    }
    let rendered = error.render(source);
    if !rendered.starts_with("error: ") {
        return Err(format!(
            "rendered error does not start with `error: `: {rendered}"
        ));
    }
    Ok(())
}

fn check_formula(formula: &Formula) -> Result<(), String> {
    let grad = Gradient::all(formula);
    let roots = grad.roots();
    let listed = listing(grad.graph(), grad.vars(), &roots);
    if listed.roots.len() != roots.len() {
        return Err(format!(
            "listing printed {} roots for {}",
            listed.roots.len(),
            roots.len()
        ));
    }
    let printed: usize = listed.roots.iter().map(String::len).sum::<usize>()
        + listed
            .shared
            .iter()
            .map(|(n, d)| n.len() + d.len())
            .sum::<usize>();
    let limit = MAX_PRINTED_BYTES_PER_NODE * (grad.graph().len() + 1);
    if printed > limit {
        return Err(format!(
            "printing is not linear: {printed} bytes for {} nodes",
            grad.graph().len()
        ));
    }
    count_ops(grad.graph(), &roots);
    let point = sample_point(grad.vars().len());
    let (value, partials) = grad.evaluate(&point);
    if partials.len() != grad.wrt().len() {
        return Err(format!(
            "{} partials for {} variables",
            partials.len(),
            grad.wrt().len()
        ));
    }
    check_printed_value_round_trips(&grad, &point, value)?;
    check_lecture_tools(&grad, &point, value, &partials)?;
    check_generated_code_parses(&grad)
}

/// The code `#[derive_grad]` and `symgrad rust` emit is Rust (whether it agrees with the
/// interpreter is `tests/tests/generated_agrees.rs`'s job, which compiles it).
fn check_generated_code_parses(grad: &Gradient) -> Result<(), String> {
    // A name Rust cannot use is a clean error of its own.
    let Ok(options) = CodegenOptions::new("f", grad.vars()) else {
        return Ok(());
    };
    let tokens = generate(grad, &options);
    syn::parse2::<syn::File>(tokens)
        .map(drop)
        .map_err(|e| format!("generated code does not parse: {e}"))
}

/// The lecture's tools (`explain`, `dot`, `check`) on the same gradient: the backward
/// table, which applies the chain rule one gate at a time in numbers, agrees with the
/// symbolic reverse mode.
fn check_lecture_tools(
    grad: &Gradient,
    point: &[f64],
    value: f64,
    partials: &[f64],
) -> Result<(), String> {
    let graph = ComputationalGraph::new(grad);
    for k in 0..graph.nodes().len() {
        graph.definition(k);
    }
    let table = BackwardTable::new(&graph, point);
    if !close(table.value, value) {
        return Err(format!("backward table value {} ≠ {value}", table.value));
    }
    // The table sums raw chain-rule products: where they are huge and cancel (a term
    // `c·a·(1/a)` with c = 1e34 has ∂/∂a = 0 but contributions of ±1e34), its rounding
    // error is about ε times the largest gradient passed along any edge, not ε times the
    // result. Reverse mode on the simplified graph may be exact there.
    let passed_scale = table
        .rows
        .iter()
        .flat_map(|row| row.passed.iter().flatten())
        .filter(|g| g.is_finite())
        .fold(0.0f64, |m, g| m.max(g.abs()));
    for (k, (numeric, symbolic)) in table.gradient.iter().zip(partials).enumerate() {
        let rounding = (numeric - symbolic).abs() <= 1e-9 * passed_scale;
        if !close(*numeric, *symbolic) && !rounding {
            return Err(format!(
                "backward table ∂f/∂{} = {numeric}, reverse mode {symbolic} at {point:?}",
                grad.vars()[grad.wrt()[k] as usize]
            ));
        }
    }
    check_gradient(grad, point, &CheckOptions::default());
    Ok(())
}

/// The forward value printed in math notation parses back to a formula with the same
/// value: the printer's precedence and signs are right.
fn check_printed_value_round_trips(
    grad: &Gradient,
    point: &[f64],
    value: f64,
) -> Result<(), String> {
    let text = to_math(grad.graph(), grad.vars(), grad.value());
    let names: Vec<&str> = grad.vars().iter().map(String::as_str).collect();
    let reparsed = parse_with_vars(&text, &names)
        .map_err(|e| format!("printed value `{text}` does not parse: {}", e.render(&text)))?;
    let mut graph = symgrad_core::Graph::new();
    let root = lower(&mut graph, &reparsed);
    let again = evaluate(&graph, &[root], point)[0];
    if !close(value, again) && !ill_conditioned(grad, point, value) {
        return Err(format!(
            "printed value `{text}` evaluates to {again}, the formula to {value} at {point:?}"
        ));
    }
    Ok(())
}

/// Whether shrinking the coordinates by a relative 1e-12 to 3e-12 (ten thousand times
/// rounding) already moves the value further than [`close`] allows, as `sin` of a product
/// near 1e20 does, or makes it non-finite (a domain edge, `asin(-0.9999999999999999)`).
/// There, re-parsing the printed value, which regroups products, changes the result by
/// rounding alone; a precedence or sign fault is still caught at any other point. Every
/// coordinate moves towards zero, by different amounts, so no product of them can stay
/// put to first order and no coordinate leaves a domain it was inside.
fn ill_conditioned(grad: &Gradient, point: &[f64], value: f64) -> bool {
    let nudged: Vec<f64> = point
        .iter()
        .enumerate()
        .map(|(i, x)| x * (1.0 - 1e-12 * (1 + i % 3) as f64))
        .collect();
    let moved = grad.evaluate(&nudged).0;
    !moved.is_finite() || !close(value, moved)
}

/// Equal up to rounding; non-finite results are not compared, because printing
/// `x·y^-2` as `x/y^2` may overflow where the original did not.
fn close(a: f64, b: f64) -> bool {
    if !a.is_finite() || !b.is_finite() {
        return true;
    }
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

/// A point with distinct, moderate, mixed-sign coordinates.
pub fn sample_point(vars: usize) -> Vec<f64> {
    (0..vars)
        .map(|i| ((i * 7 % 11) as f64 - 5.0) * 0.37 + 0.11)
        .collect()
}

fn valid_span(source: &str, span: Span) -> bool {
    span.start <= span.end
        && span.end <= source.len()
        && source.is_char_boundary(span.start)
        && source.is_char_boundary(span.end)
}

//! Formulas of many outputs (SPEC §6) in `grad` and `check`: each output's forward string
//! and partials, from the Jacobian's one graph (shared sub-expressions named once across
//! outputs); the operations of `f`, `f::jacobian`, `f::vjp` and `f::jvp`; with `--at` the
//! outputs' values and the m×k Jacobian; and the Jacobian against central differences of
//! each output.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};
use symgrad_core::{
    CheckOptions, Gradient, ManyOutputs, compare_with_central_differences, count_many, listing,
    number,
};

use crate::input::{Failure, Problem};
use crate::json;

/// `f[i]`, the name of output `i` (as the generated `[F; m]` indexes it).
fn output_name(i: usize) -> String {
    format!("f[{i}]")
}

/// `--hessian` is for one output.
fn no_hessian(hessian: bool) -> Result<(), Failure> {
    if hessian {
        return Err(Failure::new(
            "`--hessian` is for a formula of one output; this one has many",
            Some(
                "run `grad --hessian` on each output, or drop `--hessian` for the Jacobian".into(),
            ),
        ));
    }
    Ok(())
}

/// `grad` on many outputs, in text or JSON.
pub fn grad(problem: &Problem, as_json: bool, hessian: bool) -> Result<String, Failure> {
    no_hessian(hessian)?;
    let formulas = problem.outputs();
    let many = ManyOutputs::new(&formulas, &problem.wrt);
    let j = &many.jacobian;
    let (m, k) = (j.outputs().len(), j.wrt().len());
    let mut listed = listing(j.graph(), j.vars(), &j.roots());
    let partials = listed.roots.split_off(m);
    let forward = listed.roots;
    let wrt: Vec<&String> = j.wrt().iter().map(|&i| &j.vars()[i as usize]).collect();
    let (ops_forward, ops_jacobian, ops_vjp, ops_jvp) = count_many(&many);
    let values = problem.at.as_ref().map(|at| j.evaluate(at));
    if as_json {
        let mut obj = Map::new();
        obj.insert("input".into(), json!(problem.formula.source));
        obj.insert("vars".into(), json!(j.vars()));
        obj.insert("wrt".into(), json!(wrt));
        obj.insert("outputs".into(), json!(forward));
        let shared = listed.shared.iter().map(|(n, d)| (n, d));
        obj.insert("shared".into(), json::strings_by_name(shared));
        let derivatives: Vec<Value> = partials
            .chunks(k.max(1))
            .take(m)
            .map(|row| json::strings_by_name(wrt.iter().copied().zip(row)))
            .collect();
        obj.insert("derivatives".into(), Value::Array(derivatives));
        obj.insert(
            "ops".into(),
            json!({"forward": ops_forward, "jacobian": ops_jacobian, "vjp": ops_vjp, "jvp": ops_jvp}),
        );
        obj.insert("rules".into(), json!(j.rules()));
        if let (Some((outputs, entries)), Some(at)) = (&values, &problem.at) {
            obj.insert("at".into(), json::numbers_by_name(j.vars(), at));
            let value = outputs.iter().map(|&v| json::number(v)).collect();
            obj.insert("value".into(), Value::Array(value));
            let rows = (0..m)
                .map(|i| {
                    Value::Array(
                        entries[i * k..(i + 1) * k]
                            .iter()
                            .map(|&v| json::number(v))
                            .collect(),
                    )
                })
                .collect();
            obj.insert("jacobian".into(), Value::Array(rows));
        }
        let mut text = Value::Object(obj).to_string();
        text.push('\n');
        return Ok(text);
    }
    let mut out = String::new();
    let vars = j.vars().join(", ");
    for (i, f) in forward.iter().enumerate() {
        let _ = writeln!(out, "{}({vars}) = {f}", output_name(i));
    }
    if !listed.shared.is_empty() {
        let _ = writeln!(out, "where");
        for (name, def) in &listed.shared {
            let _ = writeln!(out, "  {name} = {def}");
        }
    }
    for i in 0..m {
        for (name, d) in wrt.iter().zip(&partials[i * k..(i + 1) * k]) {
            let _ = writeln!(out, "∂{}/∂{name} = {d}", output_name(i));
        }
    }
    let _ = writeln!(
        out,
        "ops: forward {ops_forward}, jacobian {ops_jacobian}, vjp {ops_vjp}, jvp {ops_jvp}"
    );
    if let (Some((outputs, entries)), Some(at)) = (&values, &problem.at) {
        let _ = writeln!(out, "at {}:", crate::explain::point_text(j.vars(), at));
        for (i, v) in outputs.iter().enumerate() {
            let _ = writeln!(out, "  {} = {}", output_name(i), number(*v));
            for (name, d) in wrt.iter().zip(&entries[i * k..(i + 1) * k]) {
                let _ = writeln!(out, "  ∂{}/∂{name} = {}", output_name(i), number(*d));
            }
        }
    }
    Ok(out)
}

/// `check` on many outputs: each row of the Jacobian (as `f::jacobian` computes it)
/// against central differences of its output; `(label, checks)` per output.
pub fn check(
    problem: &Problem,
    at: &[f64],
    options: &CheckOptions,
    hessian: bool,
) -> Result<Vec<(String, Vec<symgrad_core::PartialCheck>)>, Failure> {
    no_hessian(hessian)?;
    let formulas = problem.outputs();
    let jacobian = symgrad_core::Outputs::jacobian(&formulas, &problem.wrt);
    let (_, entries) = jacobian.evaluate(at);
    let k = problem.wrt.len();
    Ok(formulas
        .iter()
        .enumerate()
        .map(|(i, formula)| {
            let output = Gradient::new(formula, &problem.wrt);
            let row = &entries[i * k..(i + 1) * k];
            let checks = compare_with_central_differences(&output, row, at, options);
            (output_name(i), checks)
        })
        .collect())
}

//! `symgrad check`: the analytic gradient against central differences, one row per
//! variable with its relative error; exit status 1 when any exceeds the tolerance (see
//! `symgrad_core::check_gradient` for how the step and the tolerance are chosen). With
//! `--hessian`, also each Hessian entry against central differences of the analytic
//! gradient, one row per (row, column) pair.

use symgrad_core::{
    CheckOptions, Gradient, Hessian, Op, PartialCheck, check_gradient, check_hessian, kinked_ops,
    number,
};

use crate::explain::{point_text, required_point};
use crate::input::{Failure, FormulaArgs, list};
use crate::second::label;
use crate::table::render;

pub fn run(args: &FormulaArgs, eps: Option<f64>, hessian: bool) -> Result<String, Failure> {
    if let Some(h) = eps.filter(|h| !(h.is_finite() && *h > 0.0)) {
        return Err(Failure::new(
            format!("`--eps`: the step must be a positive number, found `{h}`"),
            Some("try `--eps 1e-6`, or leave it out to scale the step with each variable".into()),
        ));
    }
    let problem = args.problem_with_outputs()?;
    let at = required_point(&problem, "check")?;
    if hessian {
        crate::second::require_variables(&problem)?;
    }
    let options = CheckOptions {
        step: eps,
        ..CheckOptions::default()
    };
    if problem.is_many() {
        return check_many(&problem, at, &options, hessian);
    }
    let grad = Gradient::new(&problem.formula, &problem.wrt);
    let checks = check_gradient(&grad, at, &options);
    let mut out = format!(
        "{} at {}\n\n",
        problem.formula.source,
        point_text(grad.vars(), at)
    );
    let rows: Vec<Vec<String>> = checks.iter().map(|c| row(grad.vars(), c)).collect();
    out.push_str(&render(&table_header("variable"), &rows, &RIGHT_ALIGNED));
    out.push_str(&format!(
        "\nrelative error = |a - n| / max(|a|, |n|, rounding floor); tolerance {}\n",
        number(options.tolerance)
    ));
    let mut failed: Vec<String> = checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| grad.vars()[c.var as usize].clone())
        .collect();
    if hessian {
        let h = Hessian::new(&problem.formula, &problem.wrt);
        let second = check_hessian(&h, at, &options);
        let name = |i: usize| &h.vars()[h.wrt()[i] as usize];
        let rows: Vec<Vec<String>> = second
            .iter()
            .map(|(i, c)| {
                let mut row = row(h.vars(), c);
                row[0] = label(name(*i), &h.vars()[c.var as usize]);
                row
            })
            .collect();
        out.push_str("\nthe Hessian against central differences of the analytic gradient:\n\n");
        out.push_str(&render(&table_header("entry"), &rows, &RIGHT_ALIGNED));
        failed.extend(
            second
                .iter()
                .filter(|(_, c)| !c.passed)
                .map(|(i, c)| label(name(*i), &h.vars()[c.var as usize])),
        );
    }
    if failed.is_empty() {
        out.push_str(if hessian {
            "ok: the gradient and the Hessian agree with central differences\n"
        } else {
            "ok: the gradient agrees with central differences\n"
        });
        return Ok(out);
    }
    let kinks: Vec<String> = kinked_ops()
        .iter()
        .map(|op| format!("`{}`", op.name()))
        .collect();
    // A formula with `if`: on a condition's boundary the derivative is the taken branch's.
    let has_if = grad
        .graph()
        .ids()
        .any(|id| grad.graph().node(id).op() == Some(Op::Select));
    let boundary = if has_if {
        " or on an `if`'s boundary (the derivative is the taken branch's)"
    } else {
        ""
    };
    out.push_str(&format!(
        "error: the analytic {} disagrees with central differences for {}\n  = help: at a kink ({}){boundary} the analytic gradient is a documented subgradient that differences cannot see; outside a function's domain both sides are `NaN`; try a nearby point\n",
        if hessian { "derivative" } else { "gradient" },
        list(&failed),
        kinks.join(", ")
    ));
    Err(Failure::with_code(out, 1))
}

/// `check` on many outputs: one table of the Jacobian, a row per (output, variable).
fn check_many(
    problem: &crate::input::Problem,
    at: &[f64],
    options: &CheckOptions,
    hessian: bool,
) -> Result<String, Failure> {
    let checks = crate::many::check(problem, at, options, hessian)?;
    let vars = &problem.formula.vars;
    let mut out = format!("{} at {}\n\n", problem.formula.source, point_text(vars, at));
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for (output, checks) in &checks {
        for c in checks {
            let mut row = row(vars, c);
            row[0] = format!("∂{output}/∂{}", vars[c.var as usize]);
            if !c.passed {
                failed.push(row[0].clone());
            }
            rows.push(row);
        }
    }
    out.push_str(&render(&table_header("entry"), &rows, &RIGHT_ALIGNED));
    out.push_str(&format!(
        "\nrelative error = |a - n| / max(|a|, |n|, rounding floor); tolerance {}\n",
        number(options.tolerance)
    ));
    if failed.is_empty() {
        out.push_str("ok: the Jacobian agrees with central differences\n");
        return Ok(out);
    }
    out.push_str(&format!(
        "error: the analytic Jacobian disagrees with central differences for {}\n  = help: at a kink or an `if`'s boundary the analytic derivative is a documented subgradient that differences cannot see; try a nearby point\n",
        failed.join(", ")
    ));
    Err(Failure::with_code(out, 1))
}

/// The columns of a check's table, the first naming what is checked.
fn table_header(first: &str) -> [&str; 6] {
    [
        first,
        "analytic",
        "central difference",
        "step",
        "relative error",
        "",
    ]
}

/// Which of [`table_header`]'s columns are right-aligned.
const RIGHT_ALIGNED: [bool; 6] = [false, true, true, true, true, false];

fn row(vars: &[String], c: &PartialCheck) -> Vec<String> {
    vec![
        vars[c.var as usize].clone(),
        number(c.analytic),
        number(c.numeric),
        scientific(c.step),
        scientific(c.relative_error),
        if c.passed { "ok" } else { "FAIL" }.to_string(),
    ]
}

/// `6.1e-6`; an exact `0` as `0`.
fn scientific(v: f64) -> String {
    if v == 0.0 {
        "0".to_string()
    } else {
        format!("{v:.1e}")
    }
}

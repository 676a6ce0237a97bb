//! `grad --hessian`: each second partial `∂²f/∂a∂b` with `a` not after `b` in `wrt` order,
//! once, with the shared sub-expressions of the Hessian's own graph named once; the
//! operations of `f::hessian` and `f::hvp`; with `--at`, the Hessian's numbers.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};
use symgrad_core::{SecondOrder, count_second_order, listing, number};

use crate::input::{Failure, Problem};
use crate::json;

/// Everything `grad --hessian` adds, computed once for both formats.
pub struct SecondReport {
    /// `(a, b)` names of each upper-triangle entry, row by row.
    pairs: Vec<(String, String)>,
    shared: Vec<(String, String)>,
    entries: Vec<String>,
    ops_hessian: usize,
    ops_hvp: usize,
    matrix: Option<Vec<Vec<f64>>>,
}

/// `--hessian` needs something to differentiate: a formula without variables (or an
/// empty `--wrt`) has no Hessian worth generating.
pub fn require_variables(problem: &Problem) -> Result<(), Failure> {
    if problem.wrt.is_empty() {
        return Err(Failure::new(
            "`--hessian`: there is no variable to differentiate",
            Some("the formula has no variables; a Hessian needs at least one".to_string()),
        ));
    }
    Ok(())
}

/// `∂²f/∂x²` or `∂²f/∂x∂y`.
pub fn label(a: &str, b: &str) -> String {
    if a == b {
        format!("∂²f/∂{a}²")
    } else {
        format!("∂²f/∂{a}∂{b}")
    }
}

impl SecondReport {
    pub fn new(problem: &Problem) -> Result<Self, Failure> {
        require_variables(problem)?;
        let second = SecondOrder::new(&problem.formula, &problem.wrt);
        let h = &second.hessian;
        let names: Vec<&String> = h.wrt().iter().map(|&i| &h.vars()[i as usize]).collect();
        let pairs = (0..names.len())
            .flat_map(|i| (i..names.len()).map(move |j| (i, j)))
            .map(|(i, j)| (names[i].clone(), names[j].clone()))
            .collect();
        let listed = listing(h.graph(), h.vars(), h.upper());
        let (ops_hessian, ops_hvp) = count_second_order(&second);
        let matrix = problem.at.as_ref().map(|at| h.evaluate(at).2);
        Ok(SecondReport {
            pairs,
            shared: listed.shared,
            entries: listed.roots,
            ops_hessian,
            ops_hvp,
            matrix,
        })
    }

    pub fn text(&self) -> String {
        let mut out = String::from("second partials:\n");
        if !self.shared.is_empty() {
            let _ = writeln!(out, "where");
            for (name, def) in &self.shared {
                let _ = writeln!(out, "  {name} = {def}");
            }
        }
        for ((a, b), d) in self.pairs.iter().zip(&self.entries) {
            let _ = writeln!(out, "{} = {d}", label(a, b));
        }
        let _ = writeln!(
            out,
            "ops: hessian {}, hvp {}",
            self.ops_hessian, self.ops_hvp
        );
        if let Some(matrix) = &self.matrix {
            let _ = writeln!(out, "at the point:");
            let k = matrix.len();
            let upper = (0..k).flat_map(|i| (i..k).map(move |j| (i, j)));
            for ((a, b), (i, j)) in self.pairs.iter().zip(upper) {
                let _ = writeln!(out, "  {} = {}", label(a, b), number(matrix[i][j]));
            }
        }
        out
    }

    /// Adds `hessian` and `hvp` to `grad`'s JSON `ops`, and `second_derivatives` (keyed
    /// `"a,b"`), `second_shared` and, with `--at`, `hessian` to `obj`, the fields that
    /// follow `grad`'s own.
    pub fn extend_json(&self, ops: &mut Map<String, Value>, obj: &mut Map<String, Value>) {
        let derivatives: Map<String, Value> = self
            .pairs
            .iter()
            .zip(&self.entries)
            .map(|((a, b), d)| (format!("{a},{b}"), json!(d)))
            .collect();
        obj.insert("second_derivatives".into(), Value::Object(derivatives));
        let shared = self.shared.iter().map(|(n, d)| (n, d));
        obj.insert("second_shared".into(), crate::json::strings_by_name(shared));
        ops.insert("hessian".into(), json!(self.ops_hessian));
        ops.insert("hvp".into(), json!(self.ops_hvp));
        if let Some(matrix) = &self.matrix {
            let rows: Vec<Value> = matrix
                .iter()
                .map(|row| Value::Array(row.iter().map(|&v| json::number(v)).collect()))
                .collect();
            obj.insert("hessian".into(), Value::Array(rows));
        }
    }
}

//! `symgrad grad`: the simplified formula, each partial derivative with shared
//! sub-expressions named once, and with `--at` their values; with `--hessian` the second
//! partials too ([`crate::second`]).

use std::fmt::Write as _;

use serde_json::{Map, Value, json};
use symgrad_core::rewrite::RuleTable;
use symgrad_core::{Gradient, Stage, count_forward_and_grad, listing};

use crate::input::{Failure, FormulaArgs, Problem};
use crate::json;
use crate::progress::Progress;
use crate::second::SecondReport;
pub use crate::second::require_variables;
use symgrad_core::number;

/// What `grad` prints besides the formula and its partials.
#[derive(Clone, Copy, Debug)]
pub struct GradOutput {
    pub json: bool,
    pub explain_rules: bool,
    pub hessian: bool,
}

pub fn run(args: &FormulaArgs, output: GradOutput) -> Result<String, Failure> {
    let progress = Progress::new("grad", None);
    progress.set_stage("parsing");
    let problem = args.problem_with_outputs()?;
    if problem.is_many() {
        let printed = crate::many::grad(&problem, output.json, output.hessian);
        progress.finish();
        return printed;
    }
    if output.hessian {
        progress.set_stage("second partials");
    }
    let second = output
        .hessian
        .then(|| SecondReport::new(&problem))
        .transpose()?;
    let report = Report::new(&problem, &progress);
    progress.set_stage("printing");
    let printed = if output.json {
        report.json(&problem, second.as_ref())
    } else {
        let mut text = report.text(&problem);
        if let Some(second) = &second {
            text.push_str(&second.text());
        }
        if output.explain_rules {
            text.push_str(&report.rules_text());
        }
        text
    };
    progress.finish();
    // The process ends once the text is written: freeing a 10⁶-node formula's tree and
    // graphs node by node first was ~1% of a run, for memory the exit returns anyway.
    std::mem::forget(report);
    std::mem::forget(problem);
    Ok(printed)
}

/// The counting thread's stack: the main thread's (code generation recurses over
/// expressions no deeper than the formula's limit allows).
const COUNTING_STACK: usize = 8 << 20;

/// Everything `grad` prints, computed once for both formats.
struct Report {
    grad: Gradient,
    forward: String,
    shared: Vec<(String, String)>,
    derivatives: Vec<String>,
    ops_forward: usize,
    ops_grad: usize,
    values: Option<(f64, Vec<f64>)>,
}

impl Report {
    fn new(problem: &Problem, progress: &Progress) -> Self {
        let on_stage = &mut |stage: Stage| progress.set_stage(stage.label());
        let grad = Gradient::observed(&problem.formula, &problem.wrt, on_stage);
        progress.set_stage("listing and counting");
        let roots = grad.roots();
        // Printing and counting read the same finished graph: on a 10⁶-node formula each
        // takes a tenth of the run, so they share it on two threads when there are two.
        let (mut listed, (ops_forward, ops_grad)) = std::thread::scope(|scope| {
            let counting = std::thread::Builder::new()
                .stack_size(COUNTING_STACK)
                .spawn_scoped(scope, || count_forward_and_grad(&grad));
            let listed = listing(grad.graph(), grad.vars(), &roots);
            let ops = match counting {
                Ok(thread) => thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(_) => count_forward_and_grad(&grad),
            };
            (listed, ops)
        });
        let derivatives = listed.roots.split_off(1);
        let forward = listed.roots.remove(0);
        let values = problem.at.as_ref().map(|at| grad.evaluate(at));
        Report {
            grad,
            forward,
            shared: listed.shared,
            derivatives,
            ops_forward,
            ops_grad,
            values,
        }
    }

    fn wrt_names(&self) -> impl Iterator<Item = &String> {
        self.grad
            .wrt()
            .iter()
            .map(|&i| &self.grad.vars()[i as usize])
    }

    fn text(&self, problem: &Problem) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "f({}) = {}", self.grad.vars().join(", "), self.forward);
        if !self.shared.is_empty() {
            let _ = writeln!(out, "where");
            for (name, def) in &self.shared {
                let _ = writeln!(out, "  {name} = {def}");
            }
        }
        for (name, d) in self.wrt_names().zip(&self.derivatives) {
            let _ = writeln!(out, "∂f/∂{name} = {d}");
        }
        let _ = writeln!(
            out,
            "ops: forward {}, grad {}",
            self.ops_forward, self.ops_grad
        );
        if let (Some((value, gradient)), Some(at)) = (&self.values, &problem.at) {
            let point: Vec<String> = self
                .grad
                .vars()
                .iter()
                .zip(at)
                .map(|(n, v)| format!("{n}={}", number(*v)))
                .collect();
            let _ = writeln!(out, "at {}:", point.join(", "));
            let _ = writeln!(out, "  f = {}", number(*value));
            for (name, g) in self.wrt_names().zip(gradient) {
                let _ = writeln!(out, "  ∂f/∂{name} = {}", number(*g));
            }
        }
        out
    }

    /// The rules that fired, each with its pattern and replacement.
    fn rules_text(&self) -> String {
        let mut out = String::new();
        if self.grad.rules().is_empty() {
            let _ = writeln!(out, "rules: none fired");
            return out;
        }
        let _ = writeln!(out, "rules:");
        let width = self.grad.rules().iter().map(|r| r.len()).max().unwrap_or(0);
        for name in self.grad.rules() {
            match RuleTable::standard().spec(name) {
                Some(spec) => {
                    let _ = writeln!(out, "  {name:width$}  {} => {}", spec.lhs, spec.rhs);
                }
                None => {
                    let _ = writeln!(out, "  {name}");
                }
            }
        }
        out
    }

    fn json(&self, problem: &Problem, second: Option<&SecondReport>) -> String {
        let mut obj = json::Object::new();
        obj.text("input", &problem.formula.source);
        obj.value("vars", &json!(self.grad.vars()));
        obj.value("wrt", &json!(self.wrt_names().collect::<Vec<_>>()));
        obj.text("forward", &self.forward);
        obj.strings("shared", self.shared.iter().map(|(n, d)| (n, d)));
        obj.strings("derivatives", self.wrt_names().zip(&self.derivatives));
        let mut ops = Map::new();
        ops.insert("forward".into(), json!(self.ops_forward));
        ops.insert("grad".into(), json!(self.ops_grad));
        let mut more = Map::new();
        if let Some(second) = second {
            second.extend_json(&mut ops, &mut more);
        }
        obj.value("ops", &Value::Object(ops));
        obj.value("rules", &json!(self.grad.rules()));
        if let (Some((value, gradient)), Some(at)) = (&self.values, &problem.at) {
            obj.value("at", &json::numbers_by_name(self.grad.vars(), at));
            obj.value("value", &json::number(*value));
            let wrt: Vec<&String> = self.wrt_names().collect();
            obj.value("gradient", &json::numbers_by_name(&wrt, gradient));
        }
        for (key, value) in &more {
            obj.value(key, value);
        }
        let mut text = obj.finish();
        text.push('\n');
        text
    }
}

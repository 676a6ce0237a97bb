//! `symgrad lint` (SPEC §9): how many bits of the generated code's value and partials are
//! wrong over a box of inputs, measured Herbie's way against a high-precision truth
//! that symgrad's rewrites have no part in, with the sub-expressions to blame.
//!
//! - `sample.rs`: the box and the points, uniform over bit patterns;
//! - `precise.rs`: the high-precision evaluator, one evaluation per op of the table;
//! - `truth.rs`: the truth at a point, the precision raised until it settles;
//! - `bits.rs`: bits of error;
//! - `culprit.rs`: the sub-expression to blame at a bad point;
//! - `report.rs`: text and JSON.

#[cfg(test)]
mod accuracy_tests;
mod bits;
mod culprit;
mod precise;
mod report;
mod sample;
mod truth;

use clap::Args;
use symgrad_core::Gradient;
use symgrad_core::rewrite::RuleTable;

use crate::input::{Failure, FormulaArgs, FormulaOptions};
use crate::lint::bits::error_bits;
use crate::lint::report::{Report, Stats};
use crate::progress::Progress;

/// `symgrad lint`'s options.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// The formula in math notation; `-` reads standard input.
    #[arg(value_name = "EXPR", allow_hyphen_values = true)]
    pub expr: String,
    /// The box: an interval per variable, e.g. `x=1e10..1e15,y=-1..1` (a variable not
    /// named ranges over every finite double).
    #[arg(long, value_name = "a=LO..HI,…", allow_hyphen_values = true)]
    pub over: Option<String>,
    /// How many points to sample.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub points: usize,
    /// Exit 1 when the mean error of the value or of a partial exceeds B bits.
    #[arg(
        long,
        value_name = "B",
        default_value_t = 2.0,
        allow_hyphen_values = true
    )]
    pub max_bits: f64,
    /// The sampler's seed (printed in the report).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The most points a run samples: they are held in memory with every output's error.
const MAX_POINTS: usize = 1_000_000;

/// How many of each output's worst points are searched for a culprit.
const BLAMED_POINTS: usize = 3;

/// The report's text and the exit status: 1 when a mean exceeds `--max-bits`.
pub fn run(args: &LintArgs) -> Result<(String, u8), Failure> {
    if args.points == 0 || args.points > MAX_POINTS {
        return Err(Failure::new(
            format!(
                "`--points`: expected 1 to {MAX_POINTS} points, found {}",
                args.points
            ),
            Some("try `--points 256`".to_string()),
        ));
    }
    if !(args.max_bits.is_finite() && args.max_bits >= 0.0) {
        return Err(Failure::new(
            format!(
                "`--max-bits`: expected a number of bits ≥ 0, found `{}`",
                args.max_bits
            ),
            None,
        ));
    }
    let formula_args = FormulaArgs {
        expr: args.expr.clone(),
        options: FormulaOptions::default(),
    };
    let problem = formula_args.problem()?;
    let formula = &problem.formula;
    let over = sample::parse_box(args.over.as_deref(), &formula.vars)?;
    let generated = Gradient::new(formula, &problem.wrt);
    let reference = Gradient::with_rules(formula, &problem.wrt, &RuleTable::empty());
    let points = sample::points(&over, args.points, args.seed);

    let outputs = 1 + problem.wrt.len();
    let mut stats = vec![Stats::default(); outputs];
    // Per output: (bits, point index, precision) of every counted point.
    let mut errors: Vec<Vec<(f64, usize, usize)>> = vec![Vec::new(); outputs];
    let progress = Progress::new("lint", Some(points.len() as u64));
    for (k, point) in points.iter().enumerate() {
        let (value, partials) = generated.evaluate(point);
        let results = std::iter::once(value).chain(partials);
        let truth = truth::truth(&reference, point);
        for (i, (result, truth_i)) in results.zip(&truth.roots).enumerate() {
            match truth_i {
                Some(t) => {
                    let bits = error_bits(result, *t);
                    stats[i].add(bits, result.is_finite());
                    errors[i].push((bits, k, truth.bits));
                }
                None => stats[i].skipped += 1,
            }
        }
        progress.inc(1);
    }
    progress.set_stage("blaming");
    let roots = generated.roots();
    let mut culprits: Vec<culprit::Culprit> = Vec::new();
    for (i, errs) in errors.iter_mut().enumerate() {
        errs.sort_by(|a, b| b.0.total_cmp(&a.0));
        for &(bits, k, precision) in errs.iter().take(BLAMED_POINTS) {
            if bits < culprit::MANY_BITS {
                break;
            }
            let found = culprit::blame(&generated, roots[i], &points[k], precision);
            if let Some(c) = found.filter(|c| {
                !culprits
                    .iter()
                    .any(|d| d.expr == c.expr && d.kind == c.kind)
            }) {
                culprits.push(c);
            }
        }
    }
    progress.finish();
    let mut stats = stats.into_iter();
    let value = stats.next().unwrap_or_default();
    let partials = problem
        .wrt
        .iter()
        .map(|&v| formula.vars[v as usize].clone())
        .zip(stats)
        .collect();
    let report = Report {
        input: formula.source.clone(),
        vars: formula.vars.clone(),
        over,
        points: args.points,
        seed: args.seed,
        max_bits: args.max_bits,
        value,
        partials,
        culprits,
    };
    let code = u8::from(!report.over_threshold().is_empty());
    let text = if args.json {
        report.json()
    } else {
        report.text()
    };
    Ok((text, code))
}

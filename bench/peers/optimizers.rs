//! An L-BFGS run handed each contender's gradient (SPEC §10, issue 17): logistic
//! regression's mean loss over data rows, the generated `logistic_rows::Problem` (its cost
//! and gradient at one point one fused pass, cached), the same generated functions called
//! separately (`cost` the forward `fn logistic_rows`, `gradient` `logistic_rows::grad`),
//! and num-dual's and echidna's gradients of the loss written generically.

use argmin::core::{CostFunction, Error, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use echidna::Reverse;
use nalgebra::SVector;
use num_dual::DualSVec64;
use symgrad_bench::arrays::{FEATURES, LogisticData, logistic_rows, poisson_rows};

use super::real::Real;

/// Numbers in the point: the weights, then the bias.
pub const POINT: usize = FEATURES + 1;

/// L-BFGS iterations in a timed run: every contender runs all of them (the gradient
/// tolerance is 0).
pub const ITERATIONS: u64 = 12;

/// The loss of `logistic_rows`, written once for any scalar, on the point `p`.
pub fn logistic_flat<T: Real>(p: &[T], xs: &[[f64; FEATURES]], ys: &[f64]) -> T {
    let one = T::cst(1.0);
    let mut loss = T::cst(0.0);
    for (x, &y) in xs.iter().zip(ys) {
        let mut z = p[FEATURES];
        for k in 0..FEATURES {
            z = z + p[k] * T::cst(x[k]);
        }
        let prob = one / (one + (-z).exp());
        loss = loss - (T::cst(y) * prob.ln() + T::cst(1.0 - y) * (one - prob).ln());
    }
    loss / T::cst(xs.len() as f64)
}

fn split(p: &[f64]) -> ([f64; FEATURES], f64) {
    (std::array::from_fn(|k| p[k]), p[FEATURES])
}

/// The generated functions, called separately: no cache, so a cost and a gradient at
/// the same point are a forward pass and a gradient pass (whose value the compiler may
/// drop where the gradient does not need it).
pub struct Separate<'a> {
    pub data: &'a LogisticData,
    pub cost: fn(&[f64; FEATURES], f64, &LogisticData) -> f64,
    pub gradient: fn(&[f64; FEATURES], f64, &LogisticData) -> Vec<f64>,
}

impl<'a> Separate<'a> {
    /// `fn logistic_rows` and `logistic_rows::grad`.
    pub fn logistic(data: &'a LogisticData) -> Self {
        Separate {
            data,
            cost: |w, b, d| logistic_rows(w, b, &d.xs, &d.ys),
            gradient: |w, b, d| {
                let (_, g) = logistic_rows::grad(w, b, &d.xs, &d.ys);
                g.w.iter().copied().chain([g.b]).collect()
            },
        }
    }

    /// `fn poisson_rows` and `poisson_rows::grad`.
    pub fn poisson(data: &'a LogisticData) -> Self {
        Separate {
            data,
            cost: |w, b, d| poisson_rows(w, b, &d.xs, &d.ys),
            gradient: |w, b, d| {
                let (_, g) = poisson_rows::grad(w, b, &d.xs, &d.ys);
                g.w.iter().copied().chain([g.b]).collect()
            },
        }
    }
}

impl CostFunction for Separate<'_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, p: &Vec<f64>) -> Result<f64, Error> {
        let (w, b) = split(p);
        Ok((self.cost)(&w, b, self.data))
    }
}

impl Gradient for Separate<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, p: &Vec<f64>) -> Result<Vec<f64>, Error> {
        let (w, b) = split(p);
        Ok((self.gradient)(&w, b, self.data))
    }
}

/// A runtime-autodiff peer: the loss of [`logistic_flat`] in `f64` as the cost, and the
/// peer's gradient of the same loss.
pub struct Peer<'a> {
    pub data: &'a LogisticData,
    pub gradient: fn(&[f64], &LogisticData) -> Vec<f64>,
}

impl<'a> Peer<'a> {
    /// num-dual's forward mode, all nine partials in one pass of `DualSVec64<9>`.
    pub fn num_dual(data: &'a LogisticData) -> Self {
        Peer {
            data,
            gradient: |p, d| {
                let (_, g) = num_dual::gradient(
                    |v: SVector<DualSVec64<POINT>, POINT>| {
                        logistic_flat(v.as_slice(), &d.xs, &d.ys)
                    },
                    &SVector::<f64, POINT>::from_column_slice(p),
                );
                g.as_slice().to_vec()
            },
        }
    }

    /// echidna's reverse mode, a tape of the whole loss recorded at every gradient.
    pub fn echidna(data: &'a LogisticData) -> Self {
        Peer {
            data,
            gradient: |p, d| echidna::grad(|v: &[Reverse<f64>]| logistic_flat(v, &d.xs, &d.ys), p),
        }
    }
}

impl CostFunction for Peer<'_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, p: &Vec<f64>) -> Result<f64, Error> {
        Ok(logistic_flat(p, &self.data.xs, &self.data.ys))
    }
}

impl Gradient for Peer<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, p: &Vec<f64>) -> Result<Vec<f64>, Error> {
        Ok((self.gradient)(p, self.data))
    }
}

/// What a run ends with: the best point, its cost, and how many costs and gradients
/// argmin asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub point: Vec<f64>,
    pub cost: f64,
    pub iterations: u64,
    pub costs: u64,
    pub gradients: u64,
}

/// L-BFGS (memory 7, Moré–Thuente line search) from `data`'s point for [`ITERATIONS`]
/// iterations.
pub fn lbfgs<O>(problem: O, data: &LogisticData) -> Run
where
    O: CostFunction<Param = Vec<f64>, Output = f64>
        + Gradient<Param = Vec<f64>, Gradient = Vec<f64>>,
{
    let start: Vec<f64> = data.w.iter().copied().chain([data.b]).collect();
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 7)
        .with_tolerance_grad(0.0)
        .and_then(|s| s.with_tolerance_cost(0.0))
        .expect("valid tolerances");
    let result = Executor::new(problem, solver)
        .configure(|state| state.param(start).max_iters(ITERATIONS).counting(true))
        .run()
        .expect("L-BFGS runs");
    let state = result.state();
    let counts = state.get_func_counts();
    Run {
        point: state.get_best_param().expect("a best point").clone(),
        cost: state.get_best_cost(),
        iterations: state.get_iter(),
        costs: counts.get("cost_count").copied().unwrap_or_default(),
        gradients: counts.get("gradient_count").copied().unwrap_or_default(),
    }
}

/// Each contender's run, named as the benchmark names it.
pub fn runs(data: &LogisticData) -> Vec<(&'static str, Run)> {
    vec![
        (
            "generated",
            lbfgs(logistic_rows::Problem::new(&data.xs, &data.ys), data),
        ),
        ("separate", lbfgs(Separate::logistic(data), data)),
        ("num-dual", lbfgs(Peer::num_dual(data), data)),
        ("echidna", lbfgs(Peer::echidna(data), data)),
    ]
}

/// Poisson regression's data: `data`'s rows, each label the rate `e^(x·u + 0.1)` of a
/// fixed `u`, noiseless.
pub fn poisson_data(data: &LogisticData) -> LogisticData {
    let u = [0.3, -0.2, 0.1, 0.25, -0.15, 0.05, 0.2, -0.1];
    let ys = data
        .xs
        .iter()
        .map(|x| (0.1 + x.iter().zip(u).map(|(a, b)| a * b).sum::<f64>()).exp())
        .collect();
    LogisticData {
        w: [0.0; FEATURES],
        b: 0.0,
        xs: data.xs.clone(),
        ys,
    }
}

/// The Poisson loss's runs: the generated `Problem` and the same functions called
/// separately (the peers are timed on the logistic loss only).
pub fn poisson_runs(data: &LogisticData) -> Vec<(&'static str, Run)> {
    vec![
        (
            "generated",
            lbfgs(poisson_rows::Problem::new(&data.xs, &data.ys), data),
        ),
        ("separate", lbfgs(Separate::poisson(data), data)),
    ]
}

/// The ways the contenders' runs differ from the generated one's beyond rounding: the
/// same number of iterations and evaluations, and a final point within 1e-6 relative (the
/// rounding of four ways of computing the gradient, compounded over the iterations).
pub fn disagreements(runs: &[(&'static str, Run)]) -> Vec<String> {
    let (_, reference) = &runs[0];
    let mut out = Vec::new();
    for (name, run) in &runs[1..] {
        if (run.iterations, run.costs, run.gradients)
            != (reference.iterations, reference.costs, reference.gradients)
        {
            out.push(format!("{name}: {run:?} vs generated {reference:?}"));
        }
        for (a, b) in run.point.iter().zip(&reference.point) {
            if (a - b).abs() > 1e-6 * b.abs().max(1e-3) {
                out.push(format!(
                    "{name}: point {:?} vs {:?}",
                    run.point, reference.point
                ));
                break;
            }
        }
    }
    out
}

//! An L-BFGS run with each contender's gradient (SPEC §10, issue 17), logistic
//! regression's mean loss over 10⁴ rows of 8 features, 25 iterations of argmin's L-BFGS
//! (memory 7, Moré–Thuente): the generated `Problem` (a cost and a gradient at one point
//! are one fused pass), the generated functions called separately, num-dual and echidna.
//! `optimizers-lbfgs-poisson`: the same for Poisson regression's loss, whose gradient
//! reuses the value's exponential, generated and separate only.
//! The runs are checked to take the same iterations and evaluations to the same point
//! first (`peers/optimizers.rs`, as `cargo test -p symgrad-bench --test optimizers` does).

#[path = "../peers/mod.rs"]
mod peers;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode};
use peers::optimizers::{Peer, Separate, disagreements, lbfgs, poisson_data, poisson_runs, runs};
use symgrad_bench::arrays::{LogisticData, logistic_rows, poisson_rows};

/// Rows of data: enough that the evaluations, not argmin's bookkeeping, take the time.
const ROWS: usize = 10_000;

fn main() {
    let data = LogisticData::new(ROWS, 7);
    let poisson = poisson_data(&data);
    for (loss, runs) in [
        ("logistic", runs(&data)),
        ("poisson", poisson_runs(&poisson)),
    ] {
        let disagreements = disagreements(&runs);
        assert!(
            disagreements.is_empty(),
            "the {loss} runs disagree; nothing timed:\n{}",
            disagreements.join("\n")
        );
        for (name, run) in runs {
            eprintln!(
                "{loss}/{name}: {} iterations, {} costs, {} gradients, cost {:.6}",
                run.iterations, run.costs, run.gradients, run.cost
            );
        }
    }
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(4))
        .sample_size(20)
        .configure_from_args();
    let mut group = criterion.benchmark_group("optimizers-lbfgs");
    group.sampling_mode(SamplingMode::Flat);
    let d = black_box(&data);
    group.bench_function("generated", |b| {
        b.iter(|| lbfgs(logistic_rows::Problem::new(&d.xs, &d.ys), d))
    });
    group.bench_function("separate", |b| b.iter(|| lbfgs(Separate::logistic(d), d)));
    group.bench_function("num-dual", |b| b.iter(|| lbfgs(Peer::num_dual(d), d)));
    group.bench_function("echidna", |b| b.iter(|| lbfgs(Peer::echidna(d), d)));
    group.finish();
    let mut group = criterion.benchmark_group("optimizers-lbfgs-poisson");
    group.sampling_mode(SamplingMode::Flat);
    let p = black_box(&poisson);
    group.bench_function("generated", |b| {
        b.iter(|| lbfgs(poisson_rows::Problem::new(&p.xs, &p.ys), p))
    });
    group.bench_function("separate", |b| b.iter(|| lbfgs(Separate::poisson(p), p)));
    group.finish();
    criterion.final_summary();
}

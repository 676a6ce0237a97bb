//! Value and gradient of each benchmark formula, then Hessian and HVP of the second-order
//! formulas, every contender in one process: checked
//! against each other first (the same check as `tests/agree.rs`), then timed by criterion.
//!
//! Every contender is a closure `&[f64; N] -> (f64, [f64; N])` called on a `black_box`ed
//! point, its result `black_box`ed by criterion; none is marked `#[inline(never)]`, so each
//! gets what its crate's own inlining gives it.

#[path = "../peers/mod.rs"]
mod peers;

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use peers::agree::Agreement;
use peers::contenders::Visit;
use peers::second::{Flat, SecondAgreement, VisitSecond};
use symgrad_bench::{Bench, formulas, generated, hand};

/// Times each contender in a criterion group named after the formula.
struct Timer<'c> {
    criterion: &'c mut Criterion,
    group: String,
}

impl Visit for Timer<'_> {
    fn formula(&mut self, bench: &Bench) {
        self.group = bench.name.to_string();
    }

    fn contender<const N: usize, F>(&mut self, name: &str, point: &[f64; N], mut f: F)
    where
        F: FnMut(&[f64; N]) -> (f64, [f64; N]),
    {
        let point = *point;
        let mut group = self.criterion.benchmark_group(&self.group);
        group.bench_function(name, |b| b.iter(|| f(black_box(&point))));
        group.finish();
    }
}

/// Times each second-order contender in its group (`hessian-NAME`, `hvp-NAME`). A contender
/// slower than a millisecond a call gets 10 samples instead of 50, so the n = 200 neuron's
/// num-dual Hessian (a dense 401×401 matrix per operation) takes seconds, not minutes.
struct SecondTimer<'c> {
    criterion: &'c mut Criterion,
    group: String,
}

impl VisitSecond for SecondTimer<'_> {
    fn group(&mut self, name: String) {
        self.group = name;
    }

    fn contender<R: Flat>(&mut self, name: &str, mut f: impl FnMut() -> R) {
        let start = std::time::Instant::now();
        black_box(f());
        let slow = start.elapsed() > Duration::from_millis(1);
        let mut group = self.criterion.benchmark_group(&self.group);
        if slow {
            group.sample_size(10);
        }
        group.bench_function(name, |b| b.iter(&mut f));
        group.finish();
    }
}

fn main() {
    let mut agreement = Agreement::default();
    peers::each_formula(&mut agreement);
    assert!(
        agreement.disagreements.is_empty(),
        "contenders disagree; nothing timed:\n{}",
        agreement.disagreements.join("\n")
    );
    let mut second = SecondAgreement::default();
    peers::second::each_formula(&mut second);
    assert!(
        second.disagreements.is_empty(),
        "second-order contenders disagree; nothing timed:\n{}",
        second.disagreements.join("\n")
    );
    // Short runs: the machine is shared, and many short samples give a median as stable
    // as few long ones.
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(50)
        .configure_from_args();
    peers::each_formula(&mut Timer {
        criterion: &mut criterion,
        group: String::new(),
    });
    peers::second::each_formula(&mut SecondTimer {
        criterion: &mut criterion,
        group: String::new(),
    });
    piecewise(&mut criterion);
    criterion.final_summary();
}

/// The piecewise formulas (SPEC §7), generated against hand-written only: the peers'
/// generic bodies have no comparisons. Checked against each other first, like the rest.
fn piecewise(criterion: &mut Criterion) {
    let mut timer = Timer {
        criterion,
        group: String::new(),
    };
    let [huber, elu] = [formulas::huber(), formulas::elu_layer()];
    pair(&mut timer, &huber, generated::huber_grad, hand::huber);
    pair(&mut timer, &elu, generated::elu_layer_grad, hand::elu_layer);
}

/// Times `generated` and `hand` (after checking they agree) in `bench`'s group.
fn pair<const N: usize>(
    timer: &mut Timer<'_>,
    bench: &Bench,
    generated: fn(&[f64; N]) -> (f64, [f64; N]),
    hand: fn(&[f64; N]) -> (f64, [f64; N]),
) {
    let point: [f64; N] = bench.point_array();
    let ((v, g), (w, h)) = (generated(&point), hand(&point));
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs());
    assert!(
        close(v, w) && g.iter().zip(&h).all(|(a, b)| close(*a, *b)),
        "{}: generated {v} {g:?}, hand-written {w} {h:?}; nothing timed",
        bench.name
    );
    timer.formula(bench);
    timer.contender("generated", &point, generated);
    timer.contender("hand-written", &point, hand);
}

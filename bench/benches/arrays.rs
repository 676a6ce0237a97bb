//! Functions with arrays and loops (SPEC §8, issue 15) at the lecture's sizes, each
//! contender checked against the hand-written one first (`peers/arrays.rs`, the same
//! check as `cargo test -p symgrad-bench --test arrays`), then timed by criterion:
//!
//! - `arrays-net`: the two-layer net (3072 → 100 ReLU → 10, softmax loss over a label),
//!   value and full gradient (`w1`, `b1`, `w2`, `b2` and the input `x`): the generated
//!   `net::grad_into`, the hand-written `net_by_hand`, the generated forward `net(…)`
//!   alone, and echidna's tapes on the same net written generically.
//! - `arrays-logistic`: logistic regression's mean loss and gradient over 10⁵ rows of 8
//!   features: the generated `grad` of the loss written two ways, and a hand-written loop.
//!
//! Every call takes a millisecond or more, so the samples are flat (the same number of
//! iterations each) and longer than `benches/gradients.rs`'s.

#[path = "../peers/arrays.rs"]
mod arrays_peers;

use std::hint::black_box;
use std::time::Duration;

use arrays_peers::{EchidnaBytecode, echidna_tape};
use criterion::{BenchmarkGroup, Criterion, SamplingMode, measurement::WallTime};
use symgrad_bench::arrays::{
    LogisticData, NetParams, ROWS, boxed_net_grad, logistic_by_hand, logistic_rows,
    logistic_rows_one_statement,
};

fn main() {
    let params = NetParams::new(1);
    let data = LogisticData::new(ROWS, 2);
    let disagreements: Vec<String> = arrays_peers::net_disagreements(&params)
        .into_iter()
        .map(|d| format!("net/{d}"))
        .chain(
            arrays_peers::logistic_disagreements(&data)
                .into_iter()
                .map(|d| format!("logistic/{d}")),
        )
        .collect();
    assert!(
        disagreements.is_empty(),
        "contenders disagree; nothing timed:\n{}",
        disagreements.join("\n")
    );
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
        .configure_from_args();
    net(&mut criterion, &params);
    logistic(&mut criterion, &data);
    criterion.final_summary();
}

fn group<'c>(criterion: &'c mut Criterion, name: &str) -> BenchmarkGroup<'c, WallTime> {
    let mut group = criterion.benchmark_group(name);
    group.sampling_mode(SamplingMode::Flat);
    group
}

fn net(criterion: &mut Criterion, params: &NetParams) {
    let mut group = group(criterion, "arrays-net");
    let p = black_box(params);
    let mut g = boxed_net_grad();
    group.bench_function("hand-written", |b| b.iter(|| p.by_hand(black_box(&mut g))));
    group.bench_function("generated", |b| b.iter(|| p.generated(black_box(&mut g))));
    group.bench_function("forward", |b| b.iter(|| p.value()));
    let flat = params.flat();
    group.bench_function("echidna", |b| {
        b.iter(|| echidna_tape(black_box(&flat), params.y))
    });
    let mut bytecode = EchidnaBytecode::record(&flat, params.y);
    eprintln!(
        "echidna's bytecode tape of the net: {} operations",
        bytecode.ops()
    );
    group.bench_function("echidna-bytecode", |b| {
        b.iter(|| bytecode.grad(black_box(&flat)))
    });
    group.finish();
}

fn logistic(criterion: &mut Criterion, data: &LogisticData) {
    let mut group = group(criterion, "arrays-logistic");
    let LogisticData { w, b: bias, xs, ys } = black_box(data);
    group.bench_function("hand-written", |b| {
        b.iter(|| logistic_by_hand(w, *bias, xs, ys))
    });
    group.bench_function("generated", |b| {
        b.iter(|| logistic_rows::grad(w, *bias, xs, ys))
    });
    group.bench_function("generated-one-statement", |b| {
        b.iter(|| logistic_rows_one_statement::grad(w, *bias, xs, ys))
    });
    group.bench_function("forward", |b| b.iter(|| logistic_rows(w, *bias, xs, ys)));
    group.finish();
}

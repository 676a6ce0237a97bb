//! The L-BFGS runs of `benches/optimizers.rs` agree before anything is timed: every
//! contender's gradient takes argmin through the same iterations and evaluations to the
//! same point (issue 17).

#[path = "../peers/mod.rs"]
mod peers;

use symgrad_bench::arrays::LogisticData;

#[test]
fn every_gradient_takes_lbfgs_the_same_way() {
    let data = LogisticData::new(500, 7);
    let runs = peers::optimizers::runs(&data);
    let disagreements = peers::optimizers::disagreements(&runs);
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    let (_, generated) = &runs[0];
    assert_eq!(generated.iterations, peers::optimizers::ITERATIONS);
    // The loss went down from the start.
    let start: Vec<f64> = data.w.iter().copied().chain([data.b]).collect();
    let first = peers::optimizers::logistic_flat(&start, &data.xs, &data.ys);
    assert!(generated.cost < first, "{} vs {first}", generated.cost);
    let poisson = peers::optimizers::poisson_data(&data);
    let runs = peers::optimizers::poisson_runs(&poisson);
    let disagreements = peers::optimizers::disagreements(&runs);
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

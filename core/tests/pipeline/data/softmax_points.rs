//! Reading `softmax_tails.txt` and judging a result against it; shared by core's pipeline
//! test and the macro test of the tests crate (`tests/tests/softmax_tails.rs`), beside
//! `tails.rs`, whose [`accurate`](super::tails::accurate) judges each number.

use super::tails::{accurate, number, rows};

/// One line of the data: a formula in `a, b[, c]`, the point, the value and the partials
/// (`None` where the truth is no finite f64).
pub struct Point {
    pub formula: &'static str,
    pub x: Vec<f64>,
    pub value: Option<f64>,
    pub partials: Vec<Option<f64>>,
}

pub fn points() -> Vec<Point> {
    rows(include_str!("softmax_tails.txt"))
        .map(|[formula, x, value, partials]| Point {
            formula,
            x: x.split(',').map(|v| number(v).expect("a point")).collect(),
            value: number(value),
            partials: partials.split(',').map(number).collect(),
        })
        .collect()
}

/// Panics with every number of every line where `at` (the value and the partials of a
/// formula at a point) is not [`accurate`].
pub fn assert_accurate(at: impl Fn(&str, &[f64]) -> (f64, Vec<f64>)) {
    let mut failed = Vec::new();
    for point in points() {
        let (value, partials) = at(point.formula, &point.x);
        let truths = std::iter::once(("value".to_string(), value, point.value)).chain(
            (partials.into_iter().zip(&point.partials))
                .enumerate()
                .map(|(i, (actual, truth))| (format!("∂{i}"), actual, *truth)),
        );
        for (what, actual, truth) in truths {
            if let Some(truth) = truth.filter(|t| !accurate(actual, *t)) {
                failed.push(format!(
                    "{what} of {} at {:?}: {actual:e}, truth {truth:e}",
                    point.formula, point.x
                ));
            }
        }
    }
    assert!(
        failed.is_empty(),
        "{} failures:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

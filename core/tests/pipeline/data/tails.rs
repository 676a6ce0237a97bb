//! Reading `gate_tails.txt` and judging a result against it; shared by core's pipeline
//! test and the macro test of the tests crate (`tests/tests/gate_tails.rs`).

/// One line of the data: a formula in `x`, the point, the value and the derivative
/// (`None` where the truth is no finite f64).
pub struct Tail {
    pub formula: &'static str,
    pub x: f64,
    pub value: Option<f64>,
    pub derivative: Option<f64>,
}

pub fn tails() -> Vec<Tail> {
    rows(include_str!("gate_tails.txt"))
        .map(|[formula, x, value, derivative]| Tail {
            formula,
            x: number(x).expect("a point"),
            value: number(value),
            derivative: number(derivative),
        })
        .collect()
}

/// The lines of a data file but its `#` comments, each four tab-separated fields.
pub fn rows(text: &'static str) -> impl Iterator<Item = [&'static str; 4]> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| {
            let fields: Vec<&'static str> = line.split('\t').collect();
            fields[..]
                .try_into()
                .unwrap_or_else(|_| panic!("four fields in `{line}`"))
        })
}

/// A number of the data, `None` for `-` (no finite f64).
pub fn number(text: &str) -> Option<f64> {
    (text != "-").then(|| text.parse::<f64>().expect("a number"))
}

/// Within a relative 1e-9 of `truth`, the f64 nearest the 50-digit value; a subnormal
/// truth within four of the format's smallest steps as well (it holds no more digits);
/// `0` exactly where the truth is `0`.
pub fn accurate(actual: f64, truth: f64) -> bool {
    if truth == 0.0 {
        return actual == 0.0;
    }
    let subnormal_step = f64::MIN_POSITIVE * f64::EPSILON;
    let tolerance = if truth.abs() < f64::MIN_POSITIVE {
        4.0 * subnormal_step
    } else {
        1e-9 * truth.abs()
    };
    actual != 0.0 && (actual - truth).abs() <= tolerance
}

/// Panics with every line where `at` (value and derivative at a point of a formula) is not
/// [`accurate`].
pub fn assert_accurate(at: impl Fn(&str, f64) -> (f64, f64)) {
    let failed = failures(at);
    assert!(
        failed.is_empty(),
        "{} failures:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

/// The failures of `at` on every line.
fn failures(at: impl Fn(&str, f64) -> (f64, f64)) -> Vec<String> {
    let mut failed = Vec::new();
    for tail in tails() {
        let (value, derivative) = at(tail.formula, tail.x);
        for (what, actual, truth) in [
            ("value", value, tail.value),
            ("derivative", derivative, tail.derivative),
        ] {
            if let Some(truth) = truth.filter(|t| !accurate(actual, *t)) {
                failed.push(format!(
                    "{what} of {} at {}: {actual:e}, truth {truth:e}",
                    tail.formula, tail.x
                ));
            }
        }
    }
    failed
}

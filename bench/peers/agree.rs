//! Checking the contenders against each other before anything is timed: every contender's
//! value and gradient must match the first one's (the hand-written gradient) to a relative
//! tolerance.

use symgrad_bench::Bench;

use super::contenders::Visit;

/// Largest relative difference accepted between two contenders.
pub const TOLERANCE: f64 = 1e-12;

/// Collects every disagreement instead of stopping at the first.
#[derive(Debug, Default)]
pub struct Agreement {
    formula: String,
    reference: Vec<f64>,
    /// `formula/contender: what differs`, empty when all agree.
    pub disagreements: Vec<String>,
    /// `(formula, contender)` of every contender checked.
    pub checked: Vec<(String, String)>,
}

impl Visit for Agreement {
    fn formula(&mut self, bench: &Bench) {
        self.formula = bench.name.to_string();
        self.reference.clear();
    }

    fn contender<const N: usize, F>(&mut self, name: &str, point: &[f64; N], mut f: F)
    where
        F: FnMut(&[f64; N]) -> (f64, [f64; N]),
    {
        // Twice: a contender that keeps state between calls must give the same answer.
        for _ in 0..2 {
            let (value, grad) = f(point);
            let result: Vec<f64> = std::iter::once(value).chain(grad).collect();
            if self.reference.is_empty() {
                self.reference = result;
                continue;
            }
            for (i, (a, b)) in result.iter().zip(&self.reference).enumerate() {
                if relative_difference(*a, *b) > TOLERANCE {
                    let what = if i == 0 {
                        "value".into()
                    } else {
                        format!("∂{}", i - 1)
                    };
                    self.disagreements.push(format!(
                        "{}/{name}: {what} is {a}, expected {b}",
                        self.formula
                    ));
                }
            }
        }
        self.checked.push((self.formula.clone(), name.to_string()));
    }
}

/// `|a - b| / max(|a|, |b|, 1)`: relative for large numbers, absolute near zero.
pub fn relative_difference(a: f64, b: f64) -> f64 {
    if a == b {
        return 0.0;
    }
    (a - b).abs() / a.abs().max(b.abs()).max(1.0)
}

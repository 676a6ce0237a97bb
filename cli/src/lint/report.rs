//! The lint's report: per output (the value, then each partial) the mean and max bits of
//! error, the share of non-finite results where the truth is finite, the points skipped;
//! the culprits; as text or as one JSON object.

use serde_json::{Map, Value, json};

use crate::json::number;
use crate::lint::culprit::{Culprit, short};
use crate::lint::sample::Interval;
use crate::table::render;

/// The error of one output over the points.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub sum_bits: f64,
    pub max_bits: f64,
    /// Points where the result is NaN or infinite while the truth is finite.
    pub nonfinite: usize,
    /// Points with a finite truth.
    pub counted: usize,
    /// Points whose truth is not a finite double (or did not settle).
    pub skipped: usize,
}

impl Stats {
    pub fn add(&mut self, bits: f64, finite: bool) {
        self.sum_bits += bits;
        self.max_bits = self.max_bits.max(bits);
        self.counted += 1;
        if !finite {
            self.nonfinite += 1;
        }
    }

    pub fn mean_bits(&self) -> f64 {
        if self.counted == 0 {
            0.0
        } else {
            self.sum_bits / self.counted as f64
        }
    }

    /// The share of counted points that were non-finite, in [0, 1].
    pub fn nonfinite_share(&self) -> f64 {
        if self.counted == 0 {
            0.0
        } else {
            self.nonfinite as f64 / self.counted as f64
        }
    }
}

/// Everything the lint found.
#[derive(Debug)]
pub struct Report {
    pub input: String,
    pub vars: Vec<String>,
    pub over: Vec<Interval>,
    pub points: usize,
    pub seed: u64,
    pub max_bits: f64,
    pub value: Stats,
    /// `(variable, stats)` per partial, in `wrt` order.
    pub partials: Vec<(String, Stats)>,
    pub culprits: Vec<Culprit>,
}

impl Report {
    /// The outputs whose mean exceeds the threshold, by name.
    pub fn over_threshold(&self) -> Vec<String> {
        self.outputs()
            .filter(|(_, s)| s.mean_bits() > self.max_bits)
            .map(|(n, _)| n)
            .collect()
    }

    fn outputs(&self) -> impl Iterator<Item = (String, &Stats)> {
        std::iter::once(("value".to_string(), &self.value))
            .chain(self.partials.iter().map(|(v, s)| (format!("∂/∂{v}"), s)))
    }

    pub fn text(&self) -> String {
        let over: Vec<String> = self
            .vars
            .iter()
            .zip(&self.over)
            .map(|(v, i)| format!("{v} in {}..{}", short(i.lo), short(i.hi)))
            .collect();
        let mut out = format!(
            "{}\nover {}: {} points uniform over the doubles' bit patterns (seed {})\n\n",
            self.input,
            over.join(", "),
            self.points,
            self.seed
        );
        let rows: Vec<Vec<String>> = self
            .outputs()
            .map(|(name, s)| {
                vec![
                    name,
                    format!("{:.1}", s.mean_bits()),
                    format!("{:.1}", s.max_bits),
                    format!("{:.0}%", 100.0 * s.nonfinite_share()),
                    s.skipped.to_string(),
                ]
            })
            .collect();
        let header = ["", "mean bits", "max bits", "non-finite", "skipped"];
        out.push_str(&render(&header, &rows, &[false, true, true, true, true]));
        out.push_str(
            "\nbits of error = log2(1 + doubles between the result and the truth); skipped: \
             points where the truth is not a finite double (or beyond what the high-precision \
             reference can represent)\n",
        );
        if !self.culprits.is_empty() {
            out.push_str("\nculprits:\n");
            for c in &self.culprits {
                out.push_str(&format!("  {}\n", c.message));
            }
        }
        let over = self.over_threshold();
        if over.is_empty() {
            out.push_str(&format!(
                "\nok: every mean is at most {} bits\n",
                short(self.max_bits)
            ));
        } else {
            out.push_str(&format!(
                "\nerror: the mean error of {} exceeds {} bits (--max-bits)\n",
                over.join(", "),
                short(self.max_bits)
            ));
        }
        out
    }

    pub fn json(&self) -> String {
        let over: Map<String, Value> = self
            .vars
            .iter()
            .zip(&self.over)
            .map(|(v, i)| (v.clone(), json!([number(i.lo), number(i.hi)])))
            .collect();
        let partials: Map<String, Value> = self
            .partials
            .iter()
            .map(|(v, s)| (v.clone(), stats_json(s)))
            .collect();
        let culprits: Vec<Value> = self
            .culprits
            .iter()
            .map(|c| json!({"kind": c.kind.name(), "expr": c.expr, "message": c.message}))
            .collect();
        let value = json!({
            "input": self.input,
            "over": over,
            "points": self.points,
            "seed": self.seed,
            "max_bits": number(self.max_bits),
            "value": stats_json(&self.value),
            "partials": partials,
            "culprits": culprits,
        });
        format!("{value}\n")
    }
}

fn stats_json(s: &Stats) -> Value {
    json!({
        "mean_bits": number(round(s.mean_bits())),
        "max_bits": number(round(s.max_bits)),
        "nonfinite": number(s.nonfinite_share()),
        "skipped": s.skipped,
    })
}

/// Two decimals: more would print noise of the sampling.
fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

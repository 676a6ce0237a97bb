//! The points: a box given by `--over a=LO..HI,b=…` (every other variable over all finite
//! doubles), sampled uniformly over the doubles' bit patterns inside it (Herbie's
//! sampling: as many points between 1 and 2 as between 1e10 and 2e10), from a seeded
//! generator, so the same command prints the same report.

use crate::input::{Failure, list};
use crate::lint::bits::{from_ordinal, ordinal};

/// One variable's interval, bounds included.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    pub lo: f64,
    pub hi: f64,
}

/// The interval of a variable `--over` does not name: every finite double.
pub const ALL_FINITE: Interval = Interval {
    lo: -f64::MAX,
    hi: f64::MAX,
};

/// `a=LO..HI,b=LO..HI` → one interval per variable of `vars` (the default for the rest).
pub fn parse_box(over: Option<&str>, vars: &[String]) -> Result<Vec<Interval>, Failure> {
    let mut intervals: Vec<Option<Interval>> = vec![None; vars.len()];
    let items = over.unwrap_or("").split(',').map(str::trim);
    for item in items.filter(|s| !s.is_empty()) {
        let Some((name, range)) = item.split_once('=') else {
            return Err(bad(format!("expected `name=LO..HI`, found `{item}`")));
        };
        let name = name.trim();
        let Some(i) = vars.iter().position(|v| v == name) else {
            return Err(Failure::new(
                format!("`--over`: unknown variable `{name}`"),
                Some(format!("the variables are {}", list(vars))),
            ));
        };
        let Some((lo, hi)) = range.split_once("..") else {
            return Err(bad(format!("expected `{name}=LO..HI`, found `{item}`")));
        };
        let (lo, hi) = (bound(name, lo)?, bound(name, hi)?);
        if lo > hi {
            return Err(Failure::new(
                format!("`--over`: the interval of `{name}` is empty (`{lo}` is above `{hi}`)"),
                Some(format!("write the lower bound first: `{name}={hi}..{lo}`")),
            ));
        }
        if intervals[i].replace(Interval { lo, hi }).is_some() {
            return Err(Failure::new(
                format!("`--over`: `{name}` is given twice"),
                None,
            ));
        }
    }
    Ok(intervals
        .into_iter()
        .map(|i| i.unwrap_or(ALL_FINITE))
        .collect())
}

fn bad(message: String) -> Failure {
    Failure::new(
        format!("`--over`: {message}"),
        Some("write the box as `x=1e10..1e15,y=-1..1`".to_string()),
    )
}

fn bound(name: &str, text: &str) -> Result<f64, Failure> {
    let text = text.trim();
    let Ok(v) = text.parse::<f64>() else {
        return Err(bad(format!("`{text}` is not a number (for `{name}`)")));
    };
    if !v.is_finite() {
        return Err(Failure::new(
            format!("`--over`: the bounds of `{name}` must be finite numbers, found `{text}`"),
            Some(format!(
                "for every finite double, write `{name}=-1.7976931348623157e308..1.7976931348623157e308` or leave `{name}` out"
            )),
        ));
    }
    Ok(v)
}

/// `n` points, each variable uniform over the bit patterns of its interval.
pub fn points(intervals: &[Interval], n: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = SplitMix64(seed);
    (0..n)
        .map(|_| intervals.iter().map(|i| sample(*i, &mut rng)).collect())
        .collect()
}

fn sample(i: Interval, rng: &mut SplitMix64) -> f64 {
    let (lo, hi) = (ordinal(i.lo), ordinal(i.hi));
    let span = (i128::from(hi) - i128::from(lo) + 1) as u128;
    // Multiply-shift: uniform over the span up to a bias below 2^-64 per value.
    let offset = (u128::from(rng.next()) * span) >> 64;
    from_ordinal((i128::from(lo) + offset as i128) as i64)
}

/// The SplitMix64 generator: small, fast, and the same sequence on every machine.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_stay_inside_and_spread_over_the_exponents() {
        let box_ = [Interval { lo: 1.0, hi: 1e15 }];
        let pts = points(&box_, 2000, 7);
        assert!(pts.iter().all(|p| (1.0..=1e15).contains(&p[0])));
        // Uniform over bit patterns: about a third of the points below 1e5.
        let low = pts.iter().filter(|p| p[0] < 1e5).count();
        assert!((500..800).contains(&low), "{low} of 2000 below 1e5");
        assert_eq!(points(&box_, 5, 7), points(&box_, 5, 7));
    }

    #[test]
    fn a_box_across_zero_has_both_signs() {
        let pts = points(&[Interval { lo: -1.0, hi: 1.0 }], 200, 1);
        assert!(pts.iter().any(|p| p[0] < 0.0) && pts.iter().any(|p| p[0] > 0.0));
    }
}

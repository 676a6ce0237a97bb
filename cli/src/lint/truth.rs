//! The ground truth at a point (Herbie's approach): the formula's value and partials
//! differentiated without symgrad's stabilizing rewrites (plain reverse mode on the
//! lowered graph), evaluated in high precision, the precision doubled until every result
//! rounds to the same double twice in a row.

use symgrad_core::Gradient;

use astro_float::BigFloat;

use crate::lint::precise::{Precise, to_f64};

/// The least precision tried, in bits of mantissa.
const LEAST_BITS: usize = 256;

/// The precisions tried at `point`, whose nodes are `values` at [`LEAST_BITS`]: enough from
/// the start to hold exactly the sum of any two of its coordinates or node values, or of
/// one and a constant near 1 (`e^x` at x = 1e-200 is 1 + 1e-200, 665 bits; `ln(1 + e^u)` at
/// u = -495 needs 1 + 1e-215, 714 bits, which no coordinate shows), so that a difference or
/// a sum of two roundings that both lost everything cannot pass as settled; then twice and
/// four times that. The span of binary exponents (with 0 for the constants) plus a margin
/// does that, up to [`MOST_LEAST_BITS`]; twice the largest exponent paid 2100 bits at
/// 1e-300 for a span of 1000.
fn precisions(point: &[f64], values: &[BigFloat]) -> [usize; 3] {
    let coordinates = point
        .iter()
        .filter(|x| x.is_finite() && **x != 0.0)
        .map(|x| x.abs().log2() as i64);
    let nodes = values
        .iter()
        .filter(|v| !v.is_zero())
        .filter_map(|v| v.exponent().map(i64::from));
    let (low, high) = coordinates
        .chain(nodes)
        .fold((0, 0), |(lo, hi), e| (lo.min(e), hi.max(e)));
    let span = usize::try_from(high - low).unwrap_or(usize::MAX);
    let least = LEAST_BITS.max(span.saturating_add(MARGIN_BITS).min(MOST_LEAST_BITS));
    [least, 2 * least, 4 * least]
}

/// The most bits the first precision asks for: a node of e^(±10⁴) would otherwise ask for
/// 14 500.
const MOST_LEAST_BITS: usize = 1 << 14;

/// The bits kept beyond the span of the point's exponents.
const MARGIN_BITS: usize = 128;

/// The truth of each root at one point.
#[derive(Debug)]
pub struct Truth {
    /// Per root (value, then partials): the correctly rounded double, or `None` where
    /// the truth is not a finite double or did not settle by the last precision.
    pub roots: Vec<Option<f64>>,
    /// The precision at which the roots settled (the last one tried if some did not).
    pub bits: usize,
}

/// The roots of `reference` (a gradient built without rewrites) at `point`.
pub fn truth(reference: &Gradient, point: &[f64]) -> Truth {
    let roots = reference.roots();
    let rounded = |bits: usize| -> Vec<f64> {
        let all = Precise::new(bits).run_all(reference.graph(), point);
        roots.iter().map(|r| to_f64(&all[r.index()])).collect()
    };
    let first = Precise::new(LEAST_BITS).run_all(reference.graph(), point);
    let tried = precisions(point, &first);
    let mut previous = rounded(tried[0]);
    for &bits in &tried[1..] {
        let next = rounded(bits);
        let stable: Vec<bool> = previous
            .iter()
            .zip(&next)
            .map(|(a, b)| same(*a, *b))
            .collect();
        if stable.iter().all(|&s| s) || bits == tried[tried.len() - 1] {
            return Truth {
                roots: finite(&next, &stable),
                bits,
            };
        }
        previous = next;
    }
    Truth {
        roots: vec![None; previous.len()],
        bits: tried[0],
    }
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

fn finite(values: &[f64], stable: &[bool]) -> Vec<Option<f64>> {
    values
        .iter()
        .zip(stable)
        .map(|(&v, &s)| (s && v.is_finite()).then_some(v))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use symgrad_core::rewrite::RuleTable;

    fn reference(src: &str) -> Gradient {
        let f = symgrad_grammar::parse(src).expect("parses");
        let wrt: Vec<u32> = (0..f.vars.len() as u32).collect();
        Gradient::with_rules(&f, &wrt, &RuleTable::empty())
    }

    #[test]
    fn the_naive_sigmoid_is_exact_in_high_precision() {
        // At x = 40 the f64 form σ(1-σ) is 0; the truth is e^-40/(1+e^-40)².
        let t = truth(&reference("1/(1+e^-x)"), &[40.0]);
        assert_eq!(t.roots[0], Some(1.0));
        let d = t.roots[1].expect("finite");
        assert!((d / 4.248354255291589e-18 - 1.0).abs() < 1e-15, "{d:e}");
    }

    #[test]
    fn cancellation_is_resolved_against_mpmath_values() {
        // mpmath, 50 digits: sqrt(1e15+1) - sqrt(1e15) = 1.58113883008418927e-8 (see
        // cli/tests/data/lint_reference.py).
        let t = truth(&reference("sqrt(x+1) - sqrt(x)"), &[1e15]);
        let v = t.roots[0].expect("finite");
        assert!((v / 1.5811388300841893e-8 - 1.0).abs() < 1e-15, "{v:e}");
    }

    #[test]
    fn a_tiny_argument_is_not_lost_in_the_exponential() {
        // e^x - 1 at 1e-200 is 1e-200; at 256 and 512 bits e^x rounds to 1 and the
        // difference to 0, twice alike.
        let t = truth(&reference("e^x - 1"), &[1e-200]);
        assert_eq!(t.roots[0], Some(1e-200));
    }

    #[test]
    fn a_tiny_coordinate_is_not_lost_next_to_a_huge_one() {
        // (x + y) - y holds x only with 1329 + 53 bits (1456 tried): the span of 1e-200 and 1e200.
        let t = truth(&reference("(x + y) - y"), &[1e-200, 1e200]);
        assert_eq!(t.roots[0], Some(1e-200));
    }

    #[test]
    fn a_tiny_point_starts_below_twice_its_exponent() {
        // 996 + 128 bits at 1e-300, where twice the exponent took 2122.
        assert_eq!(precisions(&[-1e-300], &[]), [1124, 2248, 4496]);
        assert_eq!(precisions(&[0.5, 3.0], &[]), [256, 512, 1024]);
    }

    #[test]
    fn a_tiny_node_is_not_lost_next_to_one() {
        // softplus(-495) = 9.766…e-216: 1 + e^-495 rounds to 1 at 256, 512 and 1024 bits,
        // which agreed on a truth of 0; a node's exponent (-714) now sets the start.
        let t = truth(&reference("ln(1 + e^x)"), &[-495.0]);
        let v = t.roots[0].expect("finite");
        assert!((v / (-495.0f64).exp() - 1.0).abs() < 1e-15, "{v:e}");
        assert!(t.bits >= 714 + 53, "{}", t.bits);
    }

    #[test]
    fn an_overflowing_truth_is_skipped() {
        let t = truth(&reference("e^x"), &[1000.0]);
        assert_eq!(t.roots, vec![None, None]);
    }
}

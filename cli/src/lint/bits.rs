//! Bits of error, as Herbie counts them: `log2(1 + n)` where `n` is the number of doubles
//! between the result and the truth (the truth correctly rounded to a double).

/// The position of `x` on the line of doubles: adjacent doubles differ by 1, `-0` and `0`
/// are both 0, and the order is the numbers' order.
pub fn ordinal(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    if bits < 0 { -(bits & i64::MAX) } else { bits }
}

/// The double at position `o` of [`ordinal`].
pub fn from_ordinal(o: i64) -> f64 {
    if o < 0 {
        -f64::from_bits(o.unsigned_abs())
    } else {
        f64::from_bits(o as u64)
    }
}

/// Bits of error of `result` against the finite `truth`: 0 when equal, 64 for NaN.
pub fn error_bits(result: f64, truth: f64) -> f64 {
    if result.is_nan() {
        return 64.0;
    }
    let ulps = (i128::from(ordinal(result)) - i128::from(ordinal(truth))).unsigned_abs();
    (1.0 + ulps as f64).log2()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_are_one_apart_across_zero() {
        assert_eq!(ordinal(0.0), 0);
        assert_eq!(ordinal(-0.0), 0);
        assert_eq!(ordinal(f64::from_bits(1)), 1);
        assert_eq!(ordinal(-f64::from_bits(1)), -1);
        assert_eq!(ordinal(1.0 + f64::EPSILON) - ordinal(1.0), 1);
        for x in [-3.5, -1e-310, 0.0, 2.0, f64::MAX] {
            assert_eq!(from_ordinal(ordinal(x)), x);
        }
    }

    #[test]
    fn bits_count_the_doubles_between() {
        assert_eq!(error_bits(1.0, 1.0), 0.0);
        assert_eq!(error_bits(1.0 + f64::EPSILON, 1.0), 1.0);
        assert_eq!(error_bits(1.0 + 3.0 * f64::EPSILON, 1.0), 2.0);
        assert_eq!(error_bits(f64::NAN, 1.0), 64.0);
        // From the largest negative to the largest positive double is about 2^64 steps.
        assert!((error_bits(f64::MAX, -f64::MAX) - 64.0).abs() < 0.01);
    }
}

//! End-to-end tests of symgrad live in `tests/`; this library holds their shared oracles.

/// The central difference `(f(x+h) - f(x-h)) / 2h` in coordinate `i` of `point`, with
/// `h = ε^(1/3)·max(1, |xᵢ|)`, which balances truncation against rounding error.
///
/// ```
/// let d = symgrad_tests::central_difference(|p| p[0] * p[0], &[3.0], 0);
/// assert!((d - 6.0).abs() < 1e-8);
/// ```
pub fn central_difference(f: impl Fn(&[f64]) -> f64, point: &[f64], i: usize) -> f64 {
    let h = f64::EPSILON.cbrt() * point[i].abs().max(1.0);
    symgrad_core::central_difference(f, point, i, h)
}

/// Whether `a` and `b` agree to `tolerance` relative to `max(1, |a|, |b|)`; two NaNs and
/// two equal infinities agree.
///
/// ```
/// assert!(symgrad_tests::close(1.0, 1.0 + 1e-12, 1e-10));
/// assert!(!symgrad_tests::close(1.0, f64::NAN, 1e-10));
/// ```
pub fn close(a: f64, b: f64, tolerance: f64) -> bool {
    a == b
        || (a.is_nan() && b.is_nan())
        || (a - b).abs() <= tolerance * a.abs().max(b.abs()).max(1.0)
}

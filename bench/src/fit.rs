//! The growth exponent: the slope of a least-squares line through `(ln size, ln time)`.

/// `k` in `time ≈ c·size^k`, fitted to `(size, time)` pairs; `None` with fewer than two
/// distinct sizes or a non-positive value.
///
/// ```
/// let points = [(100.0, 2.0), (1000.0, 20.0), (10000.0, 200.0)];
/// let k = symgrad_bench::fit::growth_exponent(&points).unwrap();
/// assert!((k - 1.0).abs() < 1e-12);
/// ```
pub fn growth_exponent(points: &[(f64, f64)]) -> Option<f64> {
    if points.iter().any(|&(n, t)| n <= 0.0 || t <= 0.0) {
        return None;
    }
    let logs: Vec<(f64, f64)> = points.iter().map(|&(n, t)| (n.ln(), t.ln())).collect();
    let count = logs.len() as f64;
    let mean_x = logs.iter().map(|p| p.0).sum::<f64>() / count;
    let mean_y = logs.iter().map(|p| p.1).sum::<f64>() / count;
    let sxx: f64 = logs.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = logs.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

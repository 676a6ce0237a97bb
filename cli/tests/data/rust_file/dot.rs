//! A function with arrays and a loop (SPEC §8).

/// A dot product.
#[symgrad::derive_grad]
pub fn dot(w: &[f64; 3], x: &[f64; 3]) -> f64 {
    let mut s = 0.0;
    for i in 0..3 {
        s += w[i] * x[i];
    }
    s
}

//! Rust, without a `#[derive_grad]` function.

#[inline]
fn f(x: f64) -> f64 {
    x * x
}

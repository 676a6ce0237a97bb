use symgrad::derive_grad;

// One output and no data: nothing to square and sum.
#[derive_grad(levenberg_marquardt)]
fn f(x: f64, y: f64) -> f64 {
    (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
}

fn main() {}

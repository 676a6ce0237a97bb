use symgrad::derive_grad;

#[derive_grad(wrt(a), levenberg_marquardt(nalgebra))]
fn r(a: f64, t: f64) -> f64 {
    a * t
}

fn main() {}

use symgrad::derive_grad;

#[derive_grad(argmin(ndarray))]
fn f(x: f64, y: f64) -> f64 {
    x * y
}

fn main() {}

use symgrad::derive_grad;

#[derive_grad]
fn f(x: f64, y: f64) -> f64 {
    x * z + y
}

fn main() {
    let _ = f::grad(1.0, 2.0);
}

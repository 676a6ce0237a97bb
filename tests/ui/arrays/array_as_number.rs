use symgrad::derive_grad;

#[derive_grad]
fn f(x: &[f64; 3], y: f64) -> f64 {
    x * y
}

fn main() {}

use symgrad::derive_grad;

#[derive_grad]
fn f(x: &[f64; 3]) -> f64 {
    x[0] * x[3]
}

fn main() {}

use symgrad::derive_grad;

#[derive_grad]
fn f(x: &[f64; 3]) -> f64 {
    x.iter().map(|v| v * 2.0).product::<f64>()
}

fn main() {}

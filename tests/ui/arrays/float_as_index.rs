use symgrad::derive_grad;

#[derive_grad]
fn f(x: &[f64; 3], w: f64) -> f64 {
    x[w]
}

fn main() {}

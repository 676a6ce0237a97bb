use symgrad::derive_grad;

#[derive_grad]
fn f(x: f64) -> f64 {
    if x > 0.0 { x }
}

fn main() {}

use symgrad::derive_grad;

#[derive_grad]
fn f(x: f64) -> f64 {
    if x { x } else { 0.0 }
}

fn main() {}

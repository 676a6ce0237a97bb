use symgrad::derive_grad;

#[derive_grad]
fn f(x: f64) -> f64 {
    x.cbrt() + 1.0
}

fn main() {}

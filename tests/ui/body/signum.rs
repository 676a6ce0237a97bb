use symgrad::derive_grad;

#[derive_grad]
fn f(x: f64) -> f64 {
    x.signum() * x
}

fn main() {}

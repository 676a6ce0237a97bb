use symgrad::derive_grad;

#[derive_grad]
fn f(x: f64) -> f64 {
    for _ in 0..3 {}
    x
}

fn main() {}

use symgrad::derive_grad;

#[derive_grad]
fn f(x: f64, lo: f64) -> f64 {
    x.clamp(lo) * 2.0
}

fn main() {}

use symgrad::derive_grad;

#[derive_grad]
fn f(x: &mut [f64; 3]) -> f64 {
    x[0]
}

fn main() {}

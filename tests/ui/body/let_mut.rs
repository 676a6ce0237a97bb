use symgrad::derive_grad;

#[derive_grad]
fn f(x: f64) -> f64 {
    let mut s = x;
    s
}

fn main() {}

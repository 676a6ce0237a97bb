use symgrad::derive_grad;

#[derive_grad]
fn f(x: f64, y: f64) -> f64 {
    let s = x * y;
    s += 1.0;
    s
}

fn main() {}

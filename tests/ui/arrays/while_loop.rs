use symgrad::derive_grad;

#[derive_grad]
fn f(x: &[f64; 3]) -> f64 {
    let mut s = 0.0;
    while s < 1.0 {
        s += x[0];
    }
    s
}

fn main() {}

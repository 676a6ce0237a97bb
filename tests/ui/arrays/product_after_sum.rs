use symgrad::derive_grad;

#[derive_grad]
fn f(x: &[f64; 3]) -> f64 {
    let mut s = 1.0;
    for i in 0..3 {
        s += x[i];
        s *= x[i];
    }
    s
}

fn main() {}

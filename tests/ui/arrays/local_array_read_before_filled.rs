use symgrad::derive_grad;

#[derive_grad]
fn f(x: &[f64; 3]) -> f64 {
    let mut h = [0.0; 3];
    let mut s = 0.0;
    for i in 0..3 {
        h[i] = x[i].exp();
        s += h[i];
    }
    s
}

fn main() {}

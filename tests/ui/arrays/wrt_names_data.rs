use symgrad::derive_grad;

#[derive_grad(wrt(xs))]
fn f(w: &[f64; 3], xs: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..xs.len() {
        s += w[0] * xs[i];
    }
    s
}

fn main() {}

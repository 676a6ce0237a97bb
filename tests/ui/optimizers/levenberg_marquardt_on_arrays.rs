use symgrad::derive_grad;

#[derive_grad(wrt(w), levenberg_marquardt)]
fn r(w: [f64; 2], t: &[f64], y: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..t.len() {
        s += (w[0] * t[i] + w[1] - y[i]).powi(2);
    }
    s
}

fn main() {}

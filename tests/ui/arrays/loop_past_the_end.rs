use symgrad::derive_grad;

const N: usize = 4;

#[derive_grad]
fn f(w: &[f64; 4], x: &[f64; 3]) -> f64 {
    let mut s = 0.0;
    for i in 0..N {
        s += w[i] * x[i];
    }
    s
}

fn main() {}

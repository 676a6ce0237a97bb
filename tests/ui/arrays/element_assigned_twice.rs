use symgrad::derive_grad;

#[derive_grad]
fn f(x: &[f64; 3]) -> f64 {
    let mut h = [0.0; 3];
    for i in 0..3 {
        h[i] = x[i] * x[i];
    }
    h[0] = 1.0;
    h[0] + h[1]
}

fn main() {}

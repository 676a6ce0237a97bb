use symgrad::derive_grad;

#[derive_grad]
fn f(x: &[[f64; 3]; 2]) -> f64 {
    let mut h = [0.0; 2];
    for j in 0..2 {
        for i in 0..3 {
            h[j] = x[j][i];
        }
    }
    h[0] * h[1]
}

fn main() {}

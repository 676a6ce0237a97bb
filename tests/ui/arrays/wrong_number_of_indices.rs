use symgrad::derive_grad;

#[derive_grad]
fn f(w: &[[f64; 3]; 2]) -> f64 {
    w[0] * w[1][2]
}

fn main() {}

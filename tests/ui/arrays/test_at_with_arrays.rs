use symgrad::derive_grad;

#[derive_grad(test_at(b = 1.0))]
fn f(w: &[f64; 3], b: f64) -> f64 {
    w[0] * b
}

fn main() {}

use symgrad::derive_grad;

#[derive_grad]
fn f(x: &[f64; 3]) -> f64 {
    let a = x[0] * 2.0;
    let a = a + x[1];
    a
}

fn main() {}

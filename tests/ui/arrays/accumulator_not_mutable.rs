use symgrad::derive_grad;

#[derive_grad]
fn f(x: &[f64; 3]) -> f64 {
    let s = 0.0;
    for i in 0..3 {
        s += x[i];
    }
    s
}

fn main() {}

use symgrad::derive_grad;

#[derive_grad]
fn f(x: &[f64; 3]) -> f64 {
    let mut s = 0.0;
    loop {
        s += x[0];
    }
}

fn main() {}

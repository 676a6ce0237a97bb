use symgrad::derive_grad;

#[derive_grad]
fn f(x: &[f64; 3]) -> f64 {
    let mut s = x[0];
    s += x[1];
    for i in 0..3 {
        s = s.max(x[i]);
    }
    s
}

fn main() {}
